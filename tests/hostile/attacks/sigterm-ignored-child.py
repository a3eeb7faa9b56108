# Hostile submission: ignores SIGTERM and leaves a child that ignores it too
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: ignores SIGTERM and leaves a child that ignores it too

# %%
import signal
import subprocess
import sys

signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGINT, signal.SIG_IGN)
subprocess.Popen(
    [sys.executable, "-c",
     "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
     "while True: time.sleep(1)  # hostile-marker-sigterm"],
    start_new_session=True,
)
print("child started")
