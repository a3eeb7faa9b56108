# Hostile submission: a cell that never ends
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: a cell that never ends

# %%
while True:
    pass
