"""A notebook session without a sandbox, for unit tests of the task graders.

`FakeSession` implements the `Session` protocol in this process: it runs the cells' code in a
namespace dict and calls the notebook's functions there, the way the sandbox does, with the
sandbox's own tools for the parts that decide a verdict (`call_tools.adapt_call` for older
signatures, `Snapshot` for changed arguments, `Watch` for watched helpers). Values cross the
boundary through the `wire` format, both ways, as in the sandbox, so the student's code gets
fresh copies and the grader gets plain data back. Keras probes are answered from canned
answers. Only test code may run in it: nothing here confines anything.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import dataclasses
import importlib.abc
import importlib.util
import io
import random
import signal
import sys
import threading
import time
import traceback
import types
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

import grader.sandbox
from grader.grading import grade_in_session
from grader.notebook.session import CallOptions, CallOutcome, CallStatus
from grader.notebook.submission import Cell, Submission, SubmissionKind, load_submission
from grader.report.model import CellResult, CellStatus, GradeReport, TaskResult
from grader.sandbox import wire
from grader.spec.load import load_for_grading
from grader.spec.model import Task
from grader.tasks.context import GradingContext, GradingOptions

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
CELL_FILE = "<cell {number}>"  # how the fake names a cell's code in tracebacks


def _sandbox_module(name: str) -> types.ModuleType:
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


call_tools = _sandbox_module("call_tools")

# The fixtures of conftest.py: `graded(sources, assignment_id, options=None, tasks=(),
# **session)`, `context(assignment_id, session, options=None)`, `task_spec(assignment_id, name)`.
Graded = Callable[..., GradeReport]
Contexts = Callable[..., GradingContext]
TaskSpecs = Callable[[str, str], Task]

# A canned probe answer: an outcome, or a function of the probe's arguments and options
# giving one.
ProbeAnswer = CallOutcome | Callable[[tuple[Any, ...], dict[str, Any]], CallOutcome]


def sent(value: Any) -> Any:
    """`value` as the other side of the wire receives it (a fresh copy, plain data)."""
    return wire.decode(wire.encode(value))


def submission_of(
    sources: Sequence[str], assignment_id: str | None = None, name: str = "submission.py"
) -> Submission:
    """A submission of these code cells, without a file."""
    cells = tuple(Cell(index, source) for index, source in enumerate(sources))
    return Submission(Path(name), "", cells, assignment_id, None, SubmissionKind.PY)


def graded_cells(path: Path) -> list[str]:
    """The package cell and the graded cells of a notebook (its training and plotting cells
    left out: the graders call the functions themselves)."""
    submission = load_submission(path)
    assert submission.ok, submission.error
    sources = [cell.source for cell in submission.cells]
    return sources[:1] + [source for source in sources[1:] if source.startswith("# GRADED")]


def scenario_cells(assignment_id: str, name: str) -> list[str]:
    """`graded_cells` of a scenario notebook in tests/scenarios/."""
    return graded_cells(SCENARIOS / assignment_id / name)


def patched(sources: Sequence[str], old: str, new: str) -> list[str]:
    """The cells with `old` replaced by `new` in the one cell that holds it."""
    holding = [i for i, source in enumerate(sources) if old in source]
    assert len(holding) == 1, f"{old!r} is in {len(holding)} cells, not one"
    return [s.replace(old, new) if i == holding[0] else s for i, s in enumerate(sources)]


def task_of(report: GradeReport, name: str) -> TaskResult:
    """The result of the task `name` in `report`."""
    return next(task for task in report.tasks if task.name == name)


def fake_session(sources: Sequence[str], assignment_id: str, **kwargs: Any) -> FakeSession:
    """A fake session of these cells, with the assignment's helper modules importable."""
    assignment = load_for_grading(assignment_id).assignment
    return FakeSession(sources, modules=assignment.helper_files(), **kwargs)


def grade_fake(
    session: FakeSession,
    assignment_id: str,
    options: GradingOptions | None = None,
    tasks: Sequence[str] = (),
) -> GradeReport:
    """Grade the notebook in `session` as `assignment_id`, as `grade_submission` would after
    running it in a sandbox. With `tasks`, the assignment is cut down to the tasks of these
    names (in the spec's order), for a test about a few tasks that need not wait for the
    others: the tasks left out are not graded helpers either (never stood in for, never
    watched), nor counted in the total."""
    spec = load_for_grading(assignment_id, options.hidden_seed if options else None)
    if tasks:
        unknown = set(tasks) - {task.name for task in spec.assignment.tasks}
        assert not unknown, f"no such tasks: {unknown}"
        chosen = tuple(task for task in spec.assignment.tasks if task.name in tasks)
        spec = dataclasses.replace(
            spec, assignment=dataclasses.replace(spec.assignment, tasks=chosen)
        )
    submission = submission_of([cell.source for cell in session.cells], assignment_id)
    return grade_in_session(submission, spec, session, options or GradingOptions())


class _Stub(types.ModuleType):
    """A missing module, or anything taken from it (as the sandbox's `Stub`)."""

    __all__: ClassVar[list[str]] = []  # `from missing import *` imports nothing

    def __getattr__(self, name: str) -> _Stub:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _Stub(f"{self.__name__}.{name}")

    def __call__(self, *args: Any, **kwargs: Any) -> _Stub:
        return _Stub(f"{self.__name__}()")


class _Timeout(call_tools.SandboxTimeout):
    """A test's simulated timeout (the sandbox's own exception, so code cannot catch it)."""


@dataclasses.dataclass(frozen=True)
class Called:
    """One call the grader made into the fake session, as it was asked for."""

    function: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    options: CallOptions


@dataclasses.dataclass
class FakeSession:
    """A notebook loaded into this process: the cells run once, then functions are called.

    Args (beyond the protocol's members):
        sources: the code cells, in order.
        modules: helper module files the cells may import (the assignment's `helper_files()`).
        probes: canned answers to Keras probes, by action ("summary", "build", "fit", ...).
            `sent_probes` records the (action, options) of each probe, `called` each call.
        stop: simulated timeouts: a call of `function` runs out of time once its watched
            helpers have been called `stop[function]` times in all (0: at once, stuck).
        cell_seconds: each cell's limit in CPU seconds, as the sandbox's soft limit (calls
            are limited to the seconds they are given); a guard, not a way to test timeouts.
    """

    sources: Sequence[str] = ()
    modules: Sequence[Path] = ()
    probes: dict[str, ProbeAnswer] = dataclasses.field(default_factory=dict)
    stop: dict[str, int] = dataclasses.field(default_factory=dict)
    cell_seconds: float = 10.0
    cells: tuple[Cell, ...] = ()
    cell_results: list[CellResult] = dataclasses.field(default_factory=list)
    stubbed: list[str] = dataclasses.field(default_factory=list)
    protections: tuple[str, ...] = ()
    namespace: dict[str, Any] = dataclasses.field(default_factory=dict)
    called: list[Called] = dataclasses.field(default_factory=list)
    sent_probes: list[tuple[str, dict[str, Any]]] = dataclasses.field(default_factory=list)

    def __post_init__(self) -> None:
        self.cells = self.cells or tuple(Cell(i, s) for i, s in enumerate(self.sources))
        self.namespace.setdefault("__name__", "__main__")
        self._helpers = {path.stem: path for path in self.modules}
        self._loaded: dict[str, types.ModuleType] = {}
        self._np_state = np.random.RandomState().get_state()  # a fresh process's: unseeded
        self._py_state = random.Random().getstate()
        self.cell_results = [self._run_cell(cell) for cell in self.cells]

    def __enter__(self) -> FakeSession:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def _run_cell(self, cell: Cell) -> CellResult:
        filename = CELL_FILE.format(number=cell.index + 1)
        out = io.StringIO()
        start = time.perf_counter()
        try:
            code = compile(_without_magics(cell.source), filename, "exec")
            with self._student(out), self._imports(cell.source), _cpu_limit(self.cell_seconds):
                try:
                    exec(code, self.namespace)
                finally:
                    _close_figures()
        except call_tools.SandboxTimeout:
            seconds = time.perf_counter() - start
            message = "the time limit was reached"
            return CellResult(
                cell.index, CellStatus.TIMEOUT, seconds, message, None, out.getvalue()
            )
        except (Exception, SystemExit) as error:
            return CellResult(
                cell.index,
                CellStatus.ERROR,
                time.perf_counter() - start,
                _describe(error),
                _traceback(error),
                out.getvalue(),
            )
        return CellResult(
            cell.index, CellStatus.OK, time.perf_counter() - start, "", None, out.getvalue()
        )

    def call(
        self,
        function: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        seconds: float,
        options: CallOptions | None = None,
    ) -> CallOutcome:
        """Call `function(*args, **kwargs)` in the namespace, as the sandbox would."""
        options = options or CallOptions()
        self.called.append(Called(function, args, kwargs, options))
        target = self.namespace.get(function)
        if target is None:
            return CallOutcome(CallStatus.MISSING)
        if not callable(target):
            return CallOutcome(CallStatus.NOT_CALLABLE, message=type(target).__name__)
        args, kwargs = sent(tuple(args)), sent(dict(kwargs))
        args, kwargs, adapted = call_tools.adapt_call(target, args, kwargs, _adapt(options))
        snapshot = call_tools.Snapshot(args) if options.track_mutation else None
        return self._invoke(
            function, target, args, kwargs, options, snapshot, seconds, tuple(adapted)
        )

    def _invoke(
        self,
        function: str,
        target: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        options: CallOptions,
        snapshot: Any,
        seconds: float,
        adapted: tuple[str, ...],
    ) -> CallOutcome:
        out = io.StringIO()
        watch = call_tools.Watch(self.namespace, list(options.watch))
        start = time.perf_counter()
        try:
            with (
                self._student(out),
                _StandIns(self.namespace, options),
                watch,
                self._stopping(function, watch),
                _cpu_limit(seconds),
            ):
                value = target(*args, **kwargs)
        except call_tools.SandboxTimeout:
            progress = {name: (int(c), float(s)) for name, (c, s) in watch.progress().items()}
            return CallOutcome(
                CallStatus.TIMEOUT, output=out.getvalue(), seconds=seconds, progress=progress
            )
        except (Exception, SystemExit) as error:
            return CallOutcome(
                CallStatus.RAISED,
                message=_describe(error),
                traceback=_traceback(error),
                output=out.getvalue(),
                adapted=adapted,
            )
        mutated = snapshot.changes(args) if snapshot is not None else []
        try:
            value = sent(value)
        except (wire.WireError, RecursionError, ValueError) as error:
            message = f"ReturnValueError: the returned value cannot be graded: {error}"
            return CallOutcome(CallStatus.RAISED, message=message)
        return CallOutcome(
            CallStatus.RETURNED,
            value=value,
            mutated=tuple((int(i), str(kind)) for i, kind in mutated),
            output=out.getvalue(),
            seconds=time.perf_counter() - start,
            adapted=adapted,
        )

    def probe(
        self,
        function: str,
        action: str,
        args: tuple[Any, ...],
        options: dict[str, Any],
        seconds: float,
    ) -> CallOutcome:
        """The canned answer for `action`, once the function is found as the sandbox would
        (a test that sends an unexpected probe fails)."""
        self.sent_probes.append((action, options))
        target = self.namespace.get(function)
        if target is None:
            return CallOutcome(CallStatus.MISSING)
        if not callable(target):
            return CallOutcome(CallStatus.NOT_CALLABLE, message=type(target).__name__)
        assert action in self.probes, f"no canned answer for the {action!r} probe"
        answer = self.probes[action]
        return answer(args, options) if callable(answer) else answer

    def value(self, name: str, seconds: float = 5.0) -> CallOutcome:
        """The notebook's variable `name`, as plain data."""
        if name not in self.namespace:
            return CallOutcome(CallStatus.MISSING)
        try:
            return CallOutcome(CallStatus.RETURNED, value=sent(self.namespace[name]))
        except (wire.WireError, RecursionError, ValueError) as error:
            message = f"ValueError: the value cannot be graded: {error}"
            return CallOutcome(CallStatus.RAISED, message=message)

    @contextlib.contextmanager
    def _student(self, out: io.StringIO) -> Iterator[None]:
        """Student code's surroundings: its own output, warnings printed (as in a notebook,
        not raised as the test suite's filter would), and the notebook's own random state."""
        np_state, py_state = np.random.get_state(), random.getstate()
        np.random.set_state(self._np_state)
        random.setstate(self._py_state)
        try:
            with warnings.catch_warnings(), contextlib.redirect_stdout(out):
                warnings.simplefilter("default")
                warnings.showwarning = _printed(out)
                with contextlib.redirect_stderr(out):
                    yield
        finally:
            self._np_state, self._py_state = np.random.get_state(), random.getstate()
            np.random.set_state(np_state)
            random.setstate(py_state)

    @contextlib.contextmanager
    def _imports(self, source: str) -> Iterator[None]:
        """During a cell, the helper modules importable (each loaded once per session) and
        the modules it imports that do not exist replaced by stubs, as in the sandbox;
        sys.modules is left as it was."""
        missing = [name for name in _imported(source) if _is_missing(name, self._helpers)]
        self.stubbed += [name for name in missing if name not in self.stubbed]
        names = [*self._helpers, *missing]
        saved = {name: sys.modules.pop(name, None) for name in names}
        sys.modules.update(self._loaded)
        sys.modules.update({name: _Stub(name) for name in missing})
        finder = _Helpers(self._helpers)
        sys.meta_path.insert(0, finder)
        try:
            yield
        finally:
            sys.meta_path.remove(finder)
            for name in names:
                module = sys.modules.pop(name, None)
                if name in self._helpers and module is not None:
                    self._loaded[name] = module
            sys.modules.update({name: module for name, module in saved.items() if module})

    @contextlib.contextmanager
    def _stopping(self, function: str, watch: Any) -> Iterator[None]:
        """A simulated timeout (`stop`): raised once the watched helpers have been called
        that many times, or at once."""
        limit = self.stop.get(function)
        if limit is None:
            yield
            return
        if limit == 0:
            raise _Timeout()
        counted = {name: self.namespace[name] for name in watch.names}

        def stopping(inner: Callable[..., Any]) -> Callable[..., Any]:
            def call(*args: Any, **kwargs: Any) -> Any:
                if sum(int(c) for c, _ in watch.counts.values()) >= limit:
                    raise _Timeout()
                return inner(*args, **kwargs)

            return call

        self.namespace.update({name: stopping(inner) for name, inner in counted.items()})
        try:
            yield
        finally:
            self.namespace.update(counted)


class _StandIns:
    """During one call, the named helpers answered by `options.answer` (the reference's
    result, computed in the grader), as the sandbox's `StandIns`."""

    def __init__(self, namespace: dict[str, Any], options: CallOptions) -> None:
        self.namespace = namespace
        self.options = options
        self.saved: dict[str, Any] = {}

    def __enter__(self) -> _StandIns:
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
def _cpu_limit(seconds: float) -> Iterator[None]:
    """The sandbox's soft limit in this process: the sandbox's timeout exception once the
    process has used `seconds` of CPU time (in the main thread only, where signals go)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise _Timeout()

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, max(float(seconds), 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def _close_figures() -> None:
    """Plots do not matter for grading; the sandbox closes them after every cell."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


def _printed(out: io.StringIO) -> Callable[..., None]:
    """Warnings written to the output, as a notebook shows them."""

    def show(message: Any, category: Any, filename: str, lineno: int, *rest: Any) -> None:
        out.write(warnings.formatwarning(message, category, filename, lineno))

    return show


def _adapt(options: CallOptions) -> dict[str, Any] | None:
    """The `adapt` part of the sandbox's call request."""
    if not (options.defaults or options.extra):
        return None
    return {
        "defaults": wire.encode(dict(options.defaults)),
        "extra": wire.encode(dict(options.extra)),
    }


class _Helpers(importlib.abc.MetaPathFinder):
    """Finds the assignment's helper modules by name (the sandbox copies them next to the
    notebook)."""

    def __init__(self, paths: dict[str, Path]) -> None:
        self.paths = paths

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        found = self.paths.get(fullname)
        return importlib.util.spec_from_file_location(fullname, found) if found else None


def _without_magics(source: str) -> str:
    """IPython's `%magic` and `!shell` lines become `pass` (line numbers kept)."""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        lines.append(indent + "pass" if stripped[:1] in ("%", "!") else line)
    return "\n".join(lines)


def _imported(source: str) -> list[str]:
    """The top-level names of the modules a cell imports."""
    try:
        tree = ast.parse(_without_magics(source))
    except SyntaxError:
        return []
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module.split(".")[0])
    return list(dict.fromkeys(names))


def _is_missing(name: str, provided: dict[str, Path]) -> bool:
    return (
        name not in provided and name not in sys.modules and importlib.util.find_spec(name) is None
    )


def _describe(error: BaseException) -> str:
    """How the sandbox states an error: "Type: text", or the type alone."""
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _traceback(error: BaseException) -> str | None:
    """The frames in the notebook's cells, as the sandbox shows them."""
    prefix = CELL_FILE.split("{")[0]
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith(prefix)]
    if not frames:
        return None
    lines = ["Traceback (most recent call last):"]
    for frame in frames:
        lines.append(f"  {frame.filename.strip('<>')}, line {frame.lineno}, in {frame.name}")
    lines.append(_describe(error))
    return "\n".join(lines)
