# Hostile submission: raise KeyboardInterrupt in a cell
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: raise KeyboardInterrupt in a cell

# %%
raise KeyboardInterrupt
