# Hostile submission: sigmoid consumes an endless generator
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: sigmoid consumes an endless generator

# %%
_correct_sigmoid = sigmoid


def sigmoid(z):
    if np.ndim(z) == 0:  # the graded scalar cases only; propagate/predict use arrays
        import itertools
        
        def forever():
            yield from itertools.count()
        
        return sum(1 for x in forever() if x >= 0)
    return _correct_sigmoid(z)
