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

import contextlib
import dataclasses
import io
import random
import sys
import time
import types
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import fake_tools as tools
import numpy as np
from fake_tools import call_tools, sent

from grader.grading import grade_in_session
from grader.notebook.session import CallOptions, CallOutcome, CallStatus
from grader.notebook.submission import Cell, Submission, SubmissionKind, load_submission
from grader.report.model import CellResult, CellStatus, GradeReport, TaskResult
from grader.sandbox import wire
from grader.spec.load import load_for_grading
from grader.spec.model import Task
from grader.tasks.context import GradingContext, GradingOptions

SCENARIOS = Path(__file__).resolve().parent / "scenarios"


# The fixtures of conftest.py: `graded(sources, assignment_id, options=None, tasks=(),
# **session)`, `context(assignment_id, session, options=None)`, `task_spec(assignment_id, name)`.
Graded = Callable[..., GradeReport]
Contexts = Callable[..., GradingContext]
TaskSpecs = Callable[[str, str], Task]

# A canned probe answer: an outcome, or a function of the probe's arguments and options
# giving one.
ProbeAnswer = CallOutcome | Callable[[tuple[Any, ...], dict[str, Any]], CallOutcome]


def _returned(
    value: Any, mutated: list[Any], output: str, seconds: float, adapted: tuple[str, ...]
) -> CallOutcome:
    """What a call that returned gives the grader: its value as plain data (or why it cannot
    be graded), the arguments it changed, its output."""
    try:
        value = sent(value)
    except (wire.WireError, RecursionError, ValueError) as error:
        message = f"ReturnValueError: the returned value cannot be graded: {error}"
        return CallOutcome(CallStatus.RAISED, message=message)
    changed = tuple((int(index), str(kind)) for index, kind in mutated)
    return CallOutcome(
        CallStatus.RETURNED,
        value=value,
        mutated=changed,
        output=output,
        seconds=seconds,
        adapted=adapted,
    )


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
    peak_memory_mb: float = 0.0  # no sandbox: nothing measured
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
        filename = tools.CELL_FILE.format(number=cell.index + 1)
        out = io.StringIO()
        start = time.perf_counter()
        try:
            code = compile(tools.without_magics(cell.source), filename, "exec")
            with self._student(out), self._imports(cell.source), tools.cpu_limit(self.cell_seconds):
                try:
                    exec(code, self.namespace)
                finally:
                    tools.close_figures()
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
                tools.describe(error),
                tools.student_traceback(error),
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
        args, kwargs, adapted = call_tools.adapt_call(
            target, args, kwargs, tools.adapt_request(options)
        )
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
                tools.StandIns(self.namespace, options),
                watch,
                self._stopping(function, watch),
                tools.cpu_limit(seconds),
            ):
                value = target(*args, **kwargs)
        except call_tools.SandboxTimeout:
            progress = {
                name: (int(c), float(s), float(idle))
                for name, (c, s, idle) in watch.progress().items()
            }
            return CallOutcome(
                CallStatus.TIMEOUT, output=out.getvalue(), seconds=seconds, progress=progress
            )
        except (Exception, SystemExit) as error:
            return CallOutcome(
                CallStatus.RAISED,
                message=tools.describe(error),
                traceback=tools.student_traceback(error),
                output=out.getvalue(),
                adapted=adapted,
            )
        mutated = snapshot.changes(args) if snapshot is not None else []
        return _returned(value, mutated, out.getvalue(), time.perf_counter() - start, adapted)

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
                warnings.showwarning = tools.printed(out)
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
        missing = [
            name for name in tools.imported_modules(source) if tools.is_missing(name, self._helpers)
        ]
        self.stubbed += [name for name in missing if name not in self.stubbed]
        names = [*self._helpers, *missing]
        saved = {name: sys.modules.pop(name, None) for name in names}
        sys.modules.update(self._loaded)
        sys.modules.update({name: tools.Stub(name) for name in missing})
        finder = tools.HelperFinder(self._helpers)
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
            raise tools.Timeout()
        counted = {name: self.namespace[name] for name in watch.names}

        def stopping(inner: Callable[..., Any]) -> Callable[..., Any]:
            def call(*args: Any, **kwargs: Any) -> Any:
                if sum(int(tally[0]) for tally in watch.counts.values()) >= limit:
                    raise tools.Timeout()
                return inner(*args, **kwargs)

            return call

        self.namespace.update({name: stopping(inner) for name, inner in counted.items()})
        try:
            yield
        finally:
            self.namespace.update(counted)
