# Hostile submission: sigmoid returns np.ones(10**8) on scalars
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: sigmoid returns np.ones(10**8) on scalars

# %%
_correct_sigmoid = sigmoid


def sigmoid(z):
    if np.ndim(z) == 0:  # the graded scalar cases only; propagate/predict use arrays
        return np.ones(10**8)
    return _correct_sigmoid(z)
