# Hostile submission: hunts for the reference solutions
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: hunts for the reference solutions

# %%
import glob
import os

found = []
for path in ["{{REPO}}/reference_solutions/logistic_regression.py",
             "{{REPO}}/assignments/logistic_regression/cases.py",
             "/work/main/reference_solutions/logistic_regression.py"]:
    try:
        with open(path) as handle:
            found.append((path, handle.read()[:50]))
    except OSError:
        pass
for pattern in ["{{REPO}}/**/reference_solutions/*.py"]:
    found += [(p, "glob") for p in glob.glob(pattern, recursive=True)]
for top in ["{{REPO}}/reference_solutions", "{{REPO}}/assignments", "{{REPO}}/grader"]:
    for root, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if d not in (".venv", ".git", "node_modules")]
        if "reference_solutions" in root or "logistic_regression.py" in files:
            found.append((root, "walk"))
print("FOUND THE ANSWERS", found) if found else print("found nothing")
