"""The sandbox's surroundings of student code, in the test process, for `FakeSession`
(tests/fakes.py): the sandbox's own `call_tools` loaded as the sandbox loads it, stand-ins,
CPU-time limits, helper modules and stubs for missing ones, and errors stated as the sandbox
states them.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import importlib.abc
import importlib.util
import io
import signal
import sys
import threading
import traceback
import types
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import grader.sandbox
from grader.notebook.session import CallOptions
from grader.sandbox import wire

CELL_FILE = "<cell {number}>"  # how the fake names a cell's code in tracebacks


def sandbox_module(name: str) -> types.ModuleType:
    """A sandbox-side module, loaded by path with its sibling `wire`, as the sandbox does."""
    path = Path(grader.sandbox.__file__).with_name(f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"fake_sandbox_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    saved = sys.modules.get("wire")
    sys.modules["wire"] = wire
    try:
        spec.loader.exec_module(module)
    finally:
        if saved is None:
            del sys.modules["wire"]
        else:
            sys.modules["wire"] = saved
    return module


call_tools = sandbox_module("call_tools")


def sent(value: Any) -> Any:
    """`value` as the other side of the wire receives it (a fresh copy, plain data)."""
    return wire.decode(wire.encode(value))


class Stub(types.ModuleType):
    """A missing module, or anything taken from it (as the sandbox's `Stub`)."""

    __all__: ClassVar[list[str]] = []  # `from missing import *` imports nothing

    def __getattr__(self, name: str) -> Stub:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return Stub(f"{self.__name__}.{name}")

    def __call__(self, *args: Any, **kwargs: Any) -> Stub:
        return Stub(f"{self.__name__}()")


class Timeout(call_tools.SandboxTimeout):
    """A test's simulated timeout (the sandbox's own exception, so code cannot catch it)."""


class StandIns:
    """During one call, the named helpers answered by `options.answer` (the reference's
    result, computed in the grader), as the sandbox's `StandIns`."""

    def __init__(self, namespace: dict[str, Any], options: CallOptions) -> None:
        self.namespace = namespace
        self.options = options
        self.saved: dict[str, Any] = {}

    def __enter__(self) -> StandIns:
        for name in self.options.stand_ins:
            if name in self.namespace:
                self.saved[name] = self.namespace[name]
            self.namespace[name] = self._stand_in(name)
        return self

    def __exit__(self, *exc: object) -> None:
        for name in self.options.stand_ins:
            if name in self.saved:
                self.namespace[name] = self.saved[name]
            else:
                self.namespace.pop(name, None)

    def _stand_in(self, name: str) -> Callable[..., Any]:
        answer = self.options.answer

        def stand_in(*args: Any, **kwargs: Any) -> Any:
            if answer is None:
                raise call_tools.StandInError("the grader gave no answer function")
            # Copies rather than the wire's round trip: the values are plain data either
            # way, and a training loop makes thousands of these calls.
            try:
                value = answer(name, copy.deepcopy(args), copy.deepcopy(kwargs))
            except Exception as exc:  # as the grader's handler: the error goes back as text
                raise call_tools.StandInError(f"{type(exc).__name__}: {exc}") from None
            return copy.deepcopy(value)

        stand_in.__name__ = name
        return stand_in


@contextlib.contextmanager
def cpu_limit(seconds: float) -> Iterator[None]:
    """The sandbox's soft limit in this process: the sandbox's timeout exception once the
    process has used `seconds` of CPU time (in the main thread only, where signals go)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise Timeout()

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, max(float(seconds), 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def close_figures() -> None:
    """Plots do not matter for grading; the sandbox closes them after every cell."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


def printed(out: io.StringIO) -> Callable[..., None]:
    """Warnings written to the output, as a notebook shows them."""

    def show(message: Any, category: Any, filename: str, lineno: int, *rest: Any) -> None:
        out.write(warnings.formatwarning(message, category, filename, lineno))

    return show


def adapt_request(options: CallOptions) -> dict[str, Any] | None:
    """The `adapt` part of the sandbox's call request."""
    if not (options.defaults or options.extra):
        return None
    return {
        "defaults": wire.encode(dict(options.defaults)),
        "extra": wire.encode(dict(options.extra)),
    }


class HelperFinder(importlib.abc.MetaPathFinder):
    """Finds the assignment's helper modules by name (the sandbox copies them next to the
    notebook)."""

    def __init__(self, paths: dict[str, Path]) -> None:
        self.paths = paths

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        found = self.paths.get(fullname)
        return importlib.util.spec_from_file_location(fullname, found) if found else None


def without_magics(source: str) -> str:
    """IPython's `%magic` and `!shell` lines become `pass` (line numbers kept)."""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        lines.append(indent + "pass" if stripped[:1] in ("%", "!") else line)
    return "\n".join(lines)


def imported_modules(source: str) -> list[str]:
    """The top-level names of the modules a cell imports."""
    try:
        tree = ast.parse(without_magics(source))
    except SyntaxError:
        return []
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module.split(".")[0])
    return list(dict.fromkeys(names))


def is_missing(name: str, provided: dict[str, Path]) -> bool:
    """Is the module `name` neither a helper module nor importable (so stubbed)?"""
    return (
        name not in provided and name not in sys.modules and importlib.util.find_spec(name) is None
    )


def describe(error: BaseException) -> str:
    """How the sandbox states an error: "Type: text", or the type alone."""
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def student_traceback(error: BaseException) -> str | None:
    """The frames in the notebook's cells, as the sandbox shows them."""
    prefix = CELL_FILE.split("{")[0]
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith(prefix)]
    if not frames:
        return None
    lines = ["Traceback (most recent call last):"]
    for frame in frames:
        lines.append(f"  {frame.filename.strip('<>')}, line {frame.lineno}, in {frame.name}")
    lines.append(describe(error))
    return "\n".join(lines)
