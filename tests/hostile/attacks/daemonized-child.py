# Hostile submission: double fork + setsid, the grandchild sleeps with a marker
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: double fork + setsid, the grandchild sleeps with a marker

# %%
import os
import sys

pid = os.fork()
if pid == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(300)  # hostile-marker-daemon"])
    os._exit(0)
os.waitpid(pid, 0)
print("daemon started")
