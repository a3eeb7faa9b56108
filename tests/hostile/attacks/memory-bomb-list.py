# Hostile submission: grows a Python list without end
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: grows a Python list without end

# %%
bomb = []
while True:
    bomb.append([0] * 100000)
