# Hostile submission: sys.exit in a cell
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: sys.exit in a cell

# %%
import sys

sys.exit(4)
