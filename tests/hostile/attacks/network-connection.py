# Hostile submission: connects to a listener the test opens on 127.0.0.1
# Graded after the correct script (tests/scenarios/logistic_regression/correct-script.py).

# %% [markdown]
# Attack: connects to a listener the test opens on 127.0.0.1

# %%
import socket

for host in ["127.0.0.1", "localhost"]:
    try:
        with socket.create_connection((host, {{PORT}}), timeout=2) as conn:
            conn.sendall(b"hostile-marker-network")
        print("CONNECTED", host)
    except OSError as exc:
        print("no connection", host, type(exc).__name__)
