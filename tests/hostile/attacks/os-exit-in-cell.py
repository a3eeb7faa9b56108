# Hostile submission: os._exit in a cell
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: os._exit in a cell

# %%
import os

os._exit(5)
