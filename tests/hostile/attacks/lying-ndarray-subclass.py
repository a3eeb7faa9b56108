# Hostile submission: sigmoid returns an ndarray subclass with a lying __array__
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: sigmoid returns an ndarray subclass with a lying __array__

# %%
class Lying(np.ndarray):
    def __array__(self, dtype=None, copy=None):
        return np.asarray(_correct_sigmoid(self._z))

    def __eq__(self, other):
        return np.ones(np.shape(other), dtype=bool)


_correct_sigmoid = sigmoid


def sigmoid(z):
    if np.ndim(z) == 0:
        lie = np.zeros(()).view(Lying)
        lie._z = z
        return lie
    return _correct_sigmoid(z)
