# Hostile submission: allocates 64 GB with numpy
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: allocates 64 GB with numpy

# %%
bomb = np.ones((1 << 33,), dtype=np.float64)
