# Hostile submission: looks for GRADER_HIDDEN_SEED in the environment
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: looks for GRADER_HIDDEN_SEED in the environment

# %%
import os

print("seed:", os.environ.get("GRADER_HIDDEN_SEED"))
print("environment:", sorted(os.environ.items()))
try:
    with open("/proc/1/environ", "rb") as handle:
        print("pid 1:", handle.read())
except OSError as exc:
    print("pid 1 unreadable", exc)
try:
    with open(f"/proc/{os.getppid()}/environ", "rb") as handle:
        print("parent:", handle.read())
except OSError as exc:
    print("parent unreadable", exc)
