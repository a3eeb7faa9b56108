# Hostile submission: sigmoid returns an object whose __eq__ always says True
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: sigmoid returns an object whose __eq__ always says True

# %%
_correct_sigmoid = sigmoid


def sigmoid(z):
    if np.ndim(z) == 0:  # the graded scalar cases only; propagate/predict use arrays
        class Liar(float):
            def __eq__(self, other):
                return True
        
            def __ne__(self, other):
                return False
        
            __hash__ = float.__hash__
        
        return Liar(12345.0)
    return _correct_sigmoid(z)
