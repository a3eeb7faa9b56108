# Hostile submission: prints without end (gigabytes)
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: prints without end (gigabytes)

# %%
line = 'y' * 65536
while True:
    print(line)
