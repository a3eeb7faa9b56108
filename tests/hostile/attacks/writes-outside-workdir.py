# Hostile submission: writes into the repository and over a sentinel file
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: writes into the repository and over a sentinel file

# %%
import os

for path in ["{{REPO}}/hostile-was-here.txt", "{{REPO}}/grader/hostile.py", "{{SENTINEL}}",
             "/tmp/hostile-was-here.txt", os.path.expanduser("~/../hostile-was-here.txt")]:
    try:
        with open(path, "w") as handle:
            handle.write("pwned")
        print("WROTE", path)
    except OSError as exc:
        print("refused", path, type(exc).__name__)
try:
    os.remove("{{SENTINEL}}")
    print("REMOVED sentinel")
except OSError as exc:
    print("refused remove", type(exc).__name__)
