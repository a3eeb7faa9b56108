# Hostile submission: forks in a loop; every child sleeps with a marker
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: forks in a loop; every child sleeps with a marker

# %%
import os
import time

children = 0
for _ in range(10000):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        try:
            os.execv("/bin/sleep", ["/bin/sleep", "300", "hostile-marker-fork-bomb"])
        finally:
            os._exit(0)
    children += 1
print("forked", children)
