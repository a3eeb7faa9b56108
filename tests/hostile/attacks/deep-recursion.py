# Hostile submission: recursion with the interpreter's limit lifted, until the C stack overflows
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: deep recursion with sys.setrecursionlimit(10**8)

# %%
import sys

sys.setrecursionlimit(10**8)


def down(depth):
    return down(depth + 1) + 1


down(0)
