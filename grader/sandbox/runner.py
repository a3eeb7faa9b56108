"""Sandbox-side request loop: run the notebook's cells in IPython, then call graded functions.

Requests and replies travel over the channel socket in the `wire` format. Every student step
runs under a soft time limit (SIGALRM raising a BaseException the student cannot catch with
`except Exception`); the grader also enforces a hard wall clock from outside.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import io
import linecache
import resource
import sys
import time
import traceback
import types
from typing import Any, ClassVar

wire = sys.modules["wire"]
keras_probe = sys.modules["keras_probe"]
call_tools = sys.modules["call_tools"]
deferred_imports = sys.modules["deferred_imports"]
SandboxTimeout = call_tools.SandboxTimeout

CELL_PREFIX = "<ipython-input-"
# Frames read from a traceback (outermost first): deep recursion leaves millions, and reading
# them all would take longer than the notebook's time limit.
TRACEBACK_FRAMES = 50
MAX_RECURSION = 50_000


class CappedWriter(io.TextIOBase):
    """A stdout replacement that keeps the first `cap` characters and counts the rest."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.parts: list[str] = []
        self.kept = 0
        self.dropped = 0

    def write(self, text: str) -> int:
        text = str(text)
        room = self.cap - self.kept
        if room > 0:
            self.parts.append(text[:room])
            self.kept += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def isatty(self) -> bool:
        return False

    def getvalue(self) -> str:
        text = "".join(self.parts)
        return text + (f"\n[... {self.dropped} more characters not shown]" if self.dropped else "")


class Stub(types.ModuleType):
    """Stands in for a missing module or anything taken from it: every use gives a stub."""

    __all__: ClassVar[list[str]] = []  # `from missing import *` imports nothing

    def __init__(self, name: str = "stub") -> None:
        super().__init__(name)
        self.__path__: list[str] = []

    def __getattr__(self, name: str) -> Stub:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return Stub(f"{self.__name__}.{name}")

    def __call__(self, *args: Any, **kwargs: Any) -> Stub:
        return Stub(self.__name__ + "()")

    def __iter__(self) -> Any:
        return iter(())

    def __repr__(self) -> str:
        return f"<stub {self.__name__}>"


class StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Last on sys.meta_path: a module the student's cells import but that does not exist
    becomes a stub, so the rest of the cell still runs. Imports made by libraries are left
    alone (they may probe optional dependencies)."""

    def __init__(self) -> None:
        self.stubbed: list[str] = []

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if path is not None and not isinstance(sys.modules.get(fullname.split(".")[0]), Stub):
            return None
        if path is None and not _imported_by_student():
            return None
        if fullname.split(".")[0] not in self.stubbed:
            self.stubbed.append(fullname.split(".")[0])
        return importlib.machinery.ModuleSpec(fullname, self)

    def create_module(self, spec: Any) -> Stub:
        return Stub(spec.name)

    def exec_module(self, module: Any) -> None:
        return None


def _imported_by_student() -> bool:
    frame: types.FrameType | None = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if not name.startswith("<frozen"):
            return name.startswith(CELL_PREFIX)
        frame = frame.f_back
    return False


class Runner:
    """Holds the IPython shell and answers the grader's requests."""

    def __init__(self, channel_fd: int, config: dict[str, Any]) -> None:
        self.fd = channel_fd
        self.config = config
        self.cap = int(config.get("output_chars", 20_000))
        self.cell_files: dict[str, int] = {}
        self.stubs = StubFinder()
        sys.meta_path.append(self.stubs)
        sys.path.insert(0, config["workdir"])
        self.shell = _make_shell()
        _cap_recursion_limit()

    def send(self, message: dict[str, Any]) -> None:
        wire.send(self.fd, message)

    def run_cells(self, request: dict[str, Any]) -> dict[str, Any]:
        """Run each cell with a soft time limit; a failing cell is recorded, not fatal."""
        results = []
        skip = set(request.get("skip", []))
        for cell in request["cells"]:
            index = cell["index"]
            if index in skip:
                results.append({"index": index, "status": "skipped"})
                continue
            self.send({"event": "cell_start", "index": index})
            limit = call_tools.Limit(request, "cell_seconds")
            results.append(self._run_cell(index, cell["source"], limit))
        return {"cells": results, "stubbed": self.stubs.stubbed}

    def _run_cell(self, index: int, source: str, limit: Any) -> dict[str, Any]:
        before = set(linecache.cache)
        out = CappedWriter(self.cap)
        start = time.perf_counter()
        with _captured(out), limit:
            result = self.shell.run_cell(source, store_history=False)
        for name in set(linecache.cache) - before:
            if name.startswith(CELL_PREFIX):
                self.cell_files[name] = index
        _close_figures()
        reply: dict[str, Any] = {
            "index": index,
            "status": "ok",
            "output": out.getvalue(),
            "seconds": time.perf_counter() - start,
        }
        error = result.error_before_exec or result.error_in_exec
        if error is not None:
            timed_out = isinstance(error, SandboxTimeout)
            reply.update(
                status="timeout" if timed_out else "error",
                message=_describe(error),
                traceback=self._student_traceback(error),
            )
        return reply

    def call(self, request: dict[str, Any]) -> dict[str, Any]:
        """Call one graded function on decoded inputs and return its value, or what went
        wrong. Graded helpers named in `stand_ins` are answered by the grader during the call;
        those in `watch` are counted, so a call that runs out of time can say how far it got."""
        name = request["function"]
        function = self.shell.user_ns.get(name)
        if function is None:
            return {"missing": True}
        if not callable(function):
            return {"not_callable": type(function).__name__}
        args = wire.decode(request["args"])
        kwargs = wire.decode(request["kwargs"])
        args, kwargs, adapted = call_tools.adapt_call(function, args, kwargs, request.get("adapt"))
        track = request.get("track_mutation", True)
        snapshot = call_tools.Snapshot(args) if track else None
        namespace = self.shell.user_ns
        stand_ins = call_tools.StandIns(namespace, list(request.get("stand_ins", ())), self.fd)
        watch = call_tools.Watch(namespace, list(request.get("watch", ())))
        limit = call_tools.Limit(request)
        out = CappedWriter(self.cap)
        start = time.perf_counter()
        try:
            with _captured(out), stand_ins, watch, limit:
                value = self._invoke(function, args, kwargs, request.get("probe"))
        except SandboxTimeout:
            return {"timeout": True, "output": out.getvalue(), "progress": watch.progress()}
        except BaseException as error:  # SystemExit and KeyboardInterrupt included
            return {
                "error": {
                    "type": type(error).__name__,
                    "message": _describe(error),
                    "traceback": self._student_traceback(error),
                },
                "output": out.getvalue(),
                "adapted": adapted,
            }
        seconds = time.perf_counter() - start
        mutated = snapshot.changes(args) if snapshot is not None else []
        try:
            encoded = wire.encode(value)
            wire.dumps(encoded)
        except (wire.WireError, RecursionError, ValueError) as error:
            return {
                "error": {
                    "type": "ReturnValueError",
                    "traceback": None,
                    "message": f"the returned value cannot be graded: {error}",
                }
            }
        return {
            "value": encoded,
            "mutated": mutated,
            "output": out.getvalue(),
            "seconds": seconds,
            "adapted": adapted,
        }

    def _invoke(
        self,
        function: Any,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        probe: dict[str, Any] | None,
    ) -> Any:
        if probe is None:
            return function(*args, **kwargs)
        # describe, train or run what the function returns (a Keras model...)
        options = wire.decode(probe["options"])
        return keras_probe.run(probe["action"], function, args, kwargs, options, self.shell.user_ns)

    def value(self, request: dict[str, Any]) -> dict[str, Any]:
        """The value of one of the notebook's variables (for answers given as variables)."""
        name = request["name"]
        if name not in self.shell.user_ns:
            return {"missing": True}
        try:
            encoded = wire.encode(self.shell.user_ns[name])
            wire.dumps(encoded)
        except (wire.WireError, RecursionError, ValueError) as error:
            return {
                "error": {
                    "type": "ValueError",
                    "traceback": None,
                    "message": f"the value cannot be graded: {error}",
                }
            }
        return {"value": encoded, "mutated": [], "output": "", "seconds": 0.0}

    def _student_traceback(self, error: BaseException) -> str | None:
        frames = [
            f
            for f in traceback.extract_tb(error.__traceback__, limit=TRACEBACK_FRAMES)
            if f.filename in self.cell_files or f.filename.startswith(CELL_PREFIX)
        ]
        if not frames:
            return None
        lines = ["Traceback (most recent call last):"]
        for frame in frames:
            where = self.cell_files.get(frame.filename)
            label = f"cell {where + 1}" if where is not None else "the cell being run"
            lines.append(f"  {label}, line {frame.lineno}, in {frame.name}")
            if frame.line:
                lines.append(f"    {frame.line}")
        lines.append(_describe(error))
        return "\n".join(lines)


def _cap_recursion_limit() -> None:
    """`sys.setrecursionlimit(10**8)` lets a recursion grow until memory runs out, and
    unwinding millions of frames then outlasts every time limit. Student code gets at most
    MAX_RECURSION frames (far more than any exercise needs)."""
    original = sys.setrecursionlimit

    def setrecursionlimit(limit: int) -> None:
        original(min(int(limit), MAX_RECURSION))

    sys.setrecursionlimit = setrecursionlimit


def _describe(error: BaseException) -> str:
    if isinstance(error, SandboxTimeout):
        return "the time limit was reached"
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _make_shell() -> Any:
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    config.InteractiveShell.xmode = "Plain"
    shell: Any = InteractiveShell.instance(config=config)
    # Plots are headless: `%matplotlib inline` and friends become no-ops (Agg is already set).
    shell.register_magic_function(lambda line: None, "line", "matplotlib")
    shell.register_magic_function(lambda line: None, "line", "pylab")
    shell.set_custom_exc((BaseException,), lambda *a, **k: None)
    return shell


def _close_figures() -> None:
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None and not deferred_imports.is_deferred(pyplot):
        # Student code may have replaced pyplot; plots do not matter for grading.
        with contextlib.suppress(Exception):
            pyplot.close("all")


class _captured:
    def __init__(self, out: CappedWriter) -> None:
        self.out = out

    def __enter__(self) -> None:
        self.saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = self.out

    def __exit__(self, *exc: object) -> None:
        sys.stdout, sys.stderr = self.saved


def _peak_kb() -> int:
    """This process's peak resident memory, in KiB (shared pages of the zygote included)."""
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


HANDLERS = {"run_cells": Runner.run_cells, "call": Runner.call, "value": Runner.value}


def serve(channel_fd: int, config: dict[str, Any], protections: list[str]) -> None:
    """Announce readiness, then answer requests until `exit` or the channel closes."""
    runner = Runner(channel_fd, config)
    runner.send({"ready": True, "protections": protections})
    while True:
        try:
            request = wire.receive(channel_fd)
        except EOFError:
            return
        if request.get("op") == "exit":
            return
        if request.get("op") == "stand_in_reply":
            continue  # the answer to a stand-in call that its time limit cut short
        handler = HANDLERS[request["op"]]
        try:
            reply = handler(runner, request)
        except SandboxTimeout:
            reply = {"timeout": True}
        runner.send({"reply": reply, "peak_kb": _peak_kb()})
