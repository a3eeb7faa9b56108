# Hostile submission: sigmoid loops forever on scalars
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: sigmoid loops forever on scalars

# %%
_correct_sigmoid = sigmoid


def sigmoid(z):
    if np.ndim(z) == 0:  # the graded scalar cases only; propagate/predict use arrays
        while True:
            pass
    return _correct_sigmoid(z)
