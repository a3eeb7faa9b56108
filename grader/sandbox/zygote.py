"""The zygote: a pre-started process that forks one sandbox per submission.

Started once per grader process with a scrubbed environment (`python -I child.py FD`); it
imports numpy and IPython (heavy libraries that notebooks import for plotting or files, such
as matplotlib, are deferred in the sandbox until first used) and then forks a fresh sandbox
for each submission, so a submission pays milliseconds, not an interpreter start.

This module imports only the standard library, so `grade submit` can start the zygote before
it imports anything else: the zygote's imports then overlap with the grader's own.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

CHILD_SCRIPT = Path(__file__).resolve().parent / "child.py"
ZYGOTE_START_SECONDS = 60.0
# Libraries a long-lived zygote (a batch worker's) preloads as well: paid once per worker, they
# cost a sandbox nothing when a notebook's needed cells use them (e.g. `plt.rcParams[...]`).
# A one-off `grade submit` leaves them deferred (see deferred_imports.py), so that a notebook
# that never uses them does not wait for them.
WARM_PRELOAD = ("matplotlib.pyplot",)
_warm = [False]


def use_warm_zygotes() -> None:
    """From now on, zygotes this process starts preload `WARM_PRELOAD` (batch workers)."""
    _warm[0] = True


def _scrubbed_env() -> dict[str, str]:
    keep = ("PATH", "LANG", "LC_ALL", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "SYSTEMROOT")
    env = {key: os.environ[key] for key in keep if key in os.environ}
    env.update(
        MPLBACKEND="Agg",
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        PYTHONDONTWRITEBYTECODE="1",
        HOME=tempfile.gettempdir(),
    )
    return env


class Zygote:
    """A pre-started process that forks sandboxes on request. Thread-safe."""

    def __init__(self, preload: tuple[str, ...] | None = None) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the zygote
        extra = WARM_PRELOAD if preload is None and _warm[0] else preload or ()
        self._process = subprocess.Popen(
            [sys.executable, "-I", "-B", str(CHILD_SCRIPT), str(theirs.fileno()), *extra],
            pass_fds=[theirs.fileno()],
            env=_scrubbed_env(),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=self._log,
            start_new_session=True,
            cwd="/",
        )
        theirs.close()
        self._control = ours
        self._lock = threading.Lock()
        self._ready = False  # its imports run while the grader loads the submission and spec

    def _wait_until_ready(self) -> None:
        if self._ready:
            return
        self._control.settimeout(ZYGOTE_START_SECONDS)
        try:
            json.loads(self._control.recv(1 << 16))
        except (OSError, ValueError) as exc:
            raise RuntimeError(f"the sandbox zygote did not start: {self._log_tail()}") from exc
        self._control.settimeout(None)
        self._ready = True

    def _log_tail(self) -> str:
        self._log.seek(0)
        return self._log.read()[-2000:].decode(errors="replace")

    def spawn(self, config: dict[str, Any], fds: list[int]) -> int:
        """Fork a sandbox that receives `fds` (channel socket, stdout pipe); return its pid."""
        with self._lock:
            self._wait_until_ready()
            socket.send_fds(
                self._control, [json.dumps({"op": "spawn", "config": config}).encode()], fds
            )
            return int(json.loads(self._control.recv(1 << 16))["pid"])

    def wait_exit(self, pid: int, timeout: float) -> bool:
        """Wait up to `timeout` seconds for a sandbox to end by itself (it is not reaped)."""
        with self._lock:
            self._wait_until_ready()
            self._control.send(
                json.dumps({"op": "wait_exit", "pid": pid, "timeout": timeout}).encode()
            )
            return bool(json.loads(self._control.recv(1 << 16))["exited"])

    def reap(self, pid: int) -> dict[str, int | None]:
        """Collect the exit status of a sandbox that has ended."""
        with self._lock:
            self._wait_until_ready()
            self._control.send(json.dumps({"op": "reap", "pid": pid}).encode())
            return dict(json.loads(self._control.recv(1 << 16)))

    def close(self) -> None:
        """Stop the zygote (idempotent)."""
        if self._control.fileno() < 0:
            return
        self._control.close()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGKILL)
        self._process.wait()
        self._log.close()


_shared_zygote: Zygote | None = None
_shared_lock = threading.Lock()


def shared_zygote() -> Zygote:
    """The zygote of this grader process, started on first use (without waiting for it to be
    ready). Call it from the main thread: the zygote dies with the thread that started it
    (PR_SET_PDEATHSIG)."""
    global _shared_zygote
    with _shared_lock:
        if _shared_zygote is None or _shared_zygote._process.poll() is not None:
            _shared_zygote = Zygote()
            atexit.register(_shared_zygote.close)
        return _shared_zygote


def replace_shared_zygote(dead: Zygote) -> Zygote:
    """Replace a zygote that stopped answering (idempotent across callers)."""
    global _shared_zygote
    with _shared_lock:
        if _shared_zygote is dead or _shared_zygote is None:
            with contextlib.suppress(OSError):
                dead.close()
            _shared_zygote = Zygote()
            atexit.register(_shared_zygote.close)
        return _shared_zygote
