"""Grader-side control of sandboxes: one `Sandbox` per submission, forked by the zygote
(`zygote.py`).

The grader talks to each sandbox over its own socket
(plain data, see `wire.py`), enforces wall-clock limits from outside, and kills the sandbox's
whole process group at the end.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.sandbox import cgroups, wire
from grader.sandbox.zygote import Zygote, replace_shared_zygote, shared_zygote

GRACE_SECONDS = 2.0
EXIT_WAIT_SECONDS = 1.0
STDOUT_KEEP_BYTES = 64_000


class SandboxDied(Exception):
    """The sandbox process ended (or was killed) while the grader waited on it."""

    def __init__(self, reason: str, how: str = "") -> None:
        super().__init__(reason + how)
        self.reason = reason + how
        self.how = how  # e.g. " (exit code 3)": how the process ended, when known


class SandboxTimeout(SandboxDied):
    """The sandbox ran past a hard wall-clock limit and was killed."""


class SandboxProtocolError(SandboxDied):
    """The sandbox sent something that is not a valid message (only student code can)."""


@dataclass(frozen=True)
class SandboxConfig:
    """What a sandbox needs to know: limits, helper files, and paths to hide from it."""

    memory_mb: int = 2048
    cpu_seconds: int = 600
    file_mb: int = 64
    open_files: int = 256
    processes: int = 64
    tasks: int = 512  # processes and threads at once, where a cgroup can enforce it
    output_chars: int = 20_000
    helper_files: tuple[Path, ...] = ()
    hide: tuple[Path, ...] = ()
    source_root: Path | None = None  # a source checkout of the grader: never shown to students
    gpu: bool = False  # let TensorFlow use a GPU the machine has (Keras training checks)


class Sandbox:
    """One sandbox process for one submission. Use as a context manager."""

    def __init__(self, config: SandboxConfig, zygote: Zygote | None = None) -> None:
        self.config = config
        self.zygote = zygote or shared_zygote()
        self.workdir = Path(tempfile.mkdtemp(prefix="grader-sandbox-"))
        self.protections: tuple[str, ...] = ()
        self.output = bytearray()
        self.pid: int | None = None
        self.exit_status: dict[str, int | None] | None = None
        self._sock: socket.socket | None = None
        self._inbox = bytearray()  # bytes received and not yet consumed
        self._drain: threading.Thread | None = None
        self.last_event: dict[str, Any] | None = None
        self.peak_kb = 0  # the sandbox's peak resident memory, as its replies state it

    def __enter__(self) -> Sandbox:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self, timeout: float = 30.0) -> None:
        """Prepare the working directory, fork the sandbox and wait until it is ready."""
        for helper in self.config.helper_files:
            shutil.copy(helper, self.workdir / helper.name)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        read_fd, write_fd = os.pipe()
        try:
            try:
                self.pid = self.zygote.spawn(self._child_config(), [theirs.fileno(), write_fd])
            except OSError:  # the zygote died (e.g. killed by the kernel): start another, once
                self.zygote = replace_shared_zygote(self.zygote)
                self.pid = self.zygote.spawn(self._child_config(), [theirs.fileno(), write_fd])
        finally:
            theirs.close()
            os.close(write_fd)
        self._sock = ours
        self._drain = threading.Thread(target=self._drain_output, args=(read_fd,), daemon=True)
        self._drain.start()
        ready = self.receive(timeout)
        self.protections = tuple(ready.get("protections", ()))

    def _child_config(self) -> dict[str, Any]:
        c = self.config
        return {
            "workdir": str(self.workdir),
            "hide": [str(p) for p in c.hide],
            "source_root": str(c.source_root) if c.source_root else None,
            "output_chars": c.output_chars,
            "gpu": c.gpu,
            "cgroup": self.workdir.name,
            "limits": {
                "memory_bytes": c.memory_mb * 1024 * 1024,
                "cpu_seconds": c.cpu_seconds,
                "file_bytes": c.file_mb * 1024 * 1024,
                "open_files": c.open_files,
                "processes": c.processes,
                "tasks": c.tasks,
            },
        }

    def _drain_output(self, fd: int) -> None:
        """Read the sandbox's raw stdout/stderr, keeping only the first bytes."""
        with os.fdopen(fd, "rb", buffering=0) as pipe:
            while chunk := pipe.read(1 << 16):
                room = STDOUT_KEEP_BYTES - len(self.output)
                if room > 0:
                    self.output += chunk[:room]

    def request(
        self,
        message: dict[str, Any],
        timeout: float,
        step_timeout: float | None = None,
        on_stand_in: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """Send a request and wait for its reply, skipping progress events. With
        `step_timeout`, each step (from one progress event to the next message) must also end
        within that many seconds: a cell that ignores its soft limit is killed at once rather
        than at the end of the whole request's time. `on_stand_in` answers the stand-in calls
        the sandbox makes during the request (see `call_tools.StandIns`); its reply is sent
        back as is."""
        self._send(message)
        deadline = time.monotonic() + timeout
        while True:
            wait = deadline - time.monotonic()
            if step_timeout is not None:
                wait = min(wait, step_timeout)
            reply = self.receive(wait)
            if "reply" in reply:
                peak = reply.get("peak_kb")
                if isinstance(peak, int) and 0 < peak < 1 << 40:  # informational only
                    self.peak_kb = max(self.peak_kb, peak)
                return dict(reply["reply"])
            if reply.get("event") == "stand_in":
                self._send(_stand_in_reply(on_stand_in, reply))
                continue
            self.last_event = reply  # progress (`cell_start`): says which cell was running

    def _send(self, message: dict[str, Any]) -> None:
        assert self._sock is not None
        try:
            self._sock.settimeout(None)  # a large request waits for the sandbox to read it
            self._sock.sendall(wire.dumps(message))
        except OSError as exc:
            raise self._died("the sandbox stopped accepting requests") from exc

    def receive(self, timeout: float) -> dict[str, Any]:
        """One message from the sandbox, within `timeout` seconds (hard limit)."""
        header = self._read(4, timeout)
        deadline = time.monotonic() + timeout
        try:
            length = wire.parse_header(header)
            message = wire.parse_body(self._read(length, deadline - time.monotonic()))
        except wire.WireError as exc:
            reason = f"the sandbox sent malformed data ({exc})"
            raise self._kill(SandboxProtocolError, reason) from exc
        if not isinstance(message, dict):
            raise self._kill(SandboxProtocolError, "the sandbox sent malformed data")
        return message

    def _read(self, count: int, timeout: float) -> bytes:
        """`count` bytes from the channel, buffered: one message usually takes one recv."""
        assert self._sock is not None
        deadline = time.monotonic() + max(timeout, 0.0)
        while len(self._inbox) < count:
            left = deadline - time.monotonic()
            if left <= 0:
                raise self._kill(SandboxTimeout, "the time limit was reached")
            self._sock.settimeout(left)
            try:
                chunk = self._sock.recv(min(max(count - len(self._inbox), 1 << 16), 1 << 20))
            except TimeoutError:
                raise self._kill(SandboxTimeout, "the time limit was reached") from None
            except OSError:  # e.g. reset by a sandbox that died with unread input
                chunk = b""
            if not chunk:
                raise self._died("the sandbox process ended")
            self._inbox += chunk
        data = bytes(self._inbox[:count])
        del self._inbox[:count]
        return data

    def _kill(self, kind: type[SandboxDied], reason: str) -> SandboxDied:
        self.close()
        return kind(reason)

    def _died(self, reason: str) -> SandboxDied:
        if self.pid is not None:  # let it finish exiting, so its exit status is the real one
            self.zygote.wait_exit(self.pid, EXIT_WAIT_SECONDS)
        self.close()
        return SandboxDied(reason, _describe_exit(self.exit_status))

    @property
    def alive(self) -> bool:
        """True until the sandbox has been closed or has died."""
        return self._sock is not None

    def close(self) -> None:
        """Kill the sandbox's whole process group, reap it and remove its directory."""
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.sendall(wire.dumps({"op": "exit"}))
            self._sock.close()
            self._sock = None
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signal.SIGKILL)
            self.exit_status = self.zygote.reap(self.pid)
            self.pid = None
            cgroups.remove(self.workdir.name)
        if self._drain is not None:
            self._drain.join(timeout=1.0)
            self._drain = None
        shutil.rmtree(self.workdir, ignore_errors=True)


def _stand_in_reply(
    answer: Callable[[dict[str, Any]], dict[str, Any]] | None, event: dict[str, Any]
) -> dict[str, Any]:
    """The reply to a stand-in call: the answer, or an error when none can be given."""
    if answer is None:
        return {"op": "stand_in_reply", "error": "no stand-in is available for this call"}
    try:
        return {"op": "stand_in_reply", **answer(event)}
    except Exception as exc:  # the answering side must never take the grader down
        return {"op": "stand_in_reply", "error": f"{type(exc).__name__}: {exc}"}


_SIGNAL_REASONS = {
    signal.SIGXCPU: " (CPU time limit exceeded)",
    signal.SIGXFSZ: " (file size limit exceeded)",
    signal.SIGSEGV: " (segmentation fault)",
    signal.SIGABRT: " (aborted)",
}


def _describe_exit(status: dict[str, int | None] | None) -> str:
    if not status:
        return ""
    if status.get("signal") is not None:
        number = int(status["signal"] or 0)
        return _SIGNAL_REASONS.get(signal.Signals(number), f" (killed by signal {number})")
    if status.get("exitcode") is not None:
        return f" (exit code {status['exitcode']})"
    return ""
