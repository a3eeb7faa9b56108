# Hostile submission: looks for answers inside its own interpreter (sys.modules, gc, frames)
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: searches sys.modules, every object the garbage collector knows, and the call stack
# for reference code, expected values or the hidden seed

# %%
import gc
import sys

found = []
for name, module in list(sys.modules.items()):
    if "reference" in name or "grader_cases" in name or "grader.tasks" in name:
        found.append(("module", name))
for obj in gc.get_objects():
    try:
        if isinstance(obj, dict) and "__module__" not in obj:  # not a class namespace
            values = [obj.get("expected"), obj.get("hidden_seed")]
            if any(isinstance(v, (int, float, list, tuple)) or hasattr(v, "shape") for v in values):
                found.append(("dict", sorted(map(str, obj))[:5]))
        elif isinstance(obj, str) and "987654321" in obj:
            found.append(("string", obj[:40]))
    except Exception:
        pass
frame = sys._getframe()
while frame is not None:
    names = set(frame.f_locals) | set(frame.f_globals)
    if names & {"reference", "expected", "hidden_seed", "_EXPECTED_CACHE"}:
        found.append(("frame", frame.f_code.co_name))
    frame = frame.f_back
print("FOUND THE ANSWERS", found) if found else print("found nothing")
