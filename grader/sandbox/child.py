"""Code that runs on the sandbox side: a zygote that forks one sandbox per submission.

Started by the grader as `python -I child.py CONTROL_FD`. The zygote imports numpy and IPython
once (matplotlib, PIL, h5py, scipy and the like are deferred in each sandbox until first used:
`deferred_imports.py`), then waits for `spawn` requests on a SOCK_SEQPACKET control socket; each
request carries the sandbox's channel socket and its stdout pipe as file descriptors. The forked
sandbox confines itself (`confine.py`), then serves `run_cells` / `call` / `probe` requests on
its channel (`runner.py`). No student code ever runs in the zygote.

Imports nothing from the grader package: sibling files are loaded by path.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import signal
import socket
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent


def load_sibling(name: str) -> ModuleType:
    """Import a sibling module by file path (the grader package is not importable here)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def preload(extra: list[str]) -> None:
    """Pay the imports every sandbox needs once, in the zygote, so each sandbox starts in
    milliseconds. Libraries only some notebooks use are deferred instead (`deferred_imports`):
    importing them here would make every `grade submit` wait for them."""
    import warnings

    import numpy  # noqa: F401

    warnings.filterwarnings("ignore", message=".*non-interactive.*")
    from IPython.core.interactiveshell import InteractiveShell  # noqa: F401

    for module in extra:  # a batch worker's zygote: libraries many notebooks use
        with contextlib.suppress(ImportError):  # optional inside the sandbox
            importlib.import_module(module)

    for name in (
        "wire",
        "rootfs",
        "cgroups",
        "confine",
        "deferred_imports",
        "keras_description",
        "keras_probe",
        "call_tools",
        "runner",
    ):
        load_sibling(name)


def serve_zygote(control: socket.socket) -> None:
    """Answer spawn and reap requests until the grader closes the control socket."""
    while True:
        try:
            data, fds, _flags, _addr = socket.recv_fds(control, 1 << 16, 4)
        except (ConnectionResetError, OSError):
            return
        if not data:
            return
        request = json.loads(data)
        if request["op"] == "spawn":
            zygote = os.getpid()
            pid = os.fork()
            if pid == 0:
                control.close()
                run_sandbox(fds[0], fds[1], request["config"], zygote)
            for fd in fds:
                os.close(fd)
            control.send(json.dumps({"pid": pid}).encode())
        elif request["op"] == "reap":
            control.send(json.dumps(reap(request["pid"])).encode())
        elif request["op"] == "wait_exit":
            exited = wait_exit(request["pid"], float(request["timeout"]))
            control.send(json.dumps({"exited": exited}).encode())


def wait_exit(pid: int, timeout: float) -> bool:
    """Wait until a sandbox has exited on its own, without reaping it (so its pid cannot be
    reused before the grader has killed its process group)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                return True
        except ChildProcessError:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)


def reap(pid: int) -> dict[str, int | None]:
    """Wait for a sandbox the grader has killed and say how it ended."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return {"exitcode": None, "signal": None}
    if os.WIFSIGNALED(status):
        return {"exitcode": None, "signal": os.WTERMSIG(status)}
    return {"exitcode": os.WEXITSTATUS(status), "signal": None}


def run_sandbox(channel_fd: int, output_fd: int, config: dict, zygote: int) -> None:
    """Body of a forked sandbox: confine, then serve the grader. Never returns."""
    code = 0
    try:
        sys.modules["confine"].die_with_parent()  # the zygote's death ends its sandboxes
        if os.getppid() != zygote:
            os._exit(1)
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(output_fd, 1)
        os.dup2(output_fd, 2)
        os.close(output_fd)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        protections = sys.modules["confine"].confine(config)
        sys.modules["deferred_imports"].install()
        sys.modules["runner"].serve(channel_fd, config, protections)
    except BaseException:  # the sandbox must never fall back into the zygote's loop
        traceback.print_exc()
        code = 70
    finally:
        os._exit(code)


def main() -> None:
    """Entry point of the zygote process."""
    control = socket.socket(fileno=int(sys.argv[1]))
    load_sibling("confine").die_with_parent()
    preload(sys.argv[2:])
    control.send(json.dumps({"ready": os.getpid()}).encode())
    serve_zygote(control)


if __name__ == "__main__":
    main()
