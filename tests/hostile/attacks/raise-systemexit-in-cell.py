# Hostile submission: raise SystemExit in a cell
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: raise SystemExit in a cell

# %%
raise SystemExit('bye')
