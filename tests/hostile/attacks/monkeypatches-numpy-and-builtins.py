# Hostile submission: patches np.allclose & co. and builtins, with a wrong initialize_with_zeros
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: patches np.allclose & co. and builtins, with a wrong initialize_with_zeros

# %%
np.allclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
np.isclose = lambda *a, **k: np.True_
np.testing.assert_allclose = lambda *a, **k: None


def initialize_with_zeros(dim):
    return np.full((dim, 1), 7.0), 3.0


# %%
import builtins

builtins.isinstance = lambda *a: True
builtins.abs = lambda x: 0
