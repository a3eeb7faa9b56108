# Hostile submission: dereferences NULL through ctypes
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: dereferences NULL through ctypes

# %%
import ctypes

ctypes.string_at(0)
