"""What a graded call is, whatever runs it: how it ended (`CallStatus`, `CallOutcome`), how it is
to run (`CallOptions`: stand-ins, watched helpers, older signatures), and the `Session` protocol
task graders use (the sandboxed `NotebookSession`, or a fake one in tests).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from grader.notebook.submission import Cell
from grader.report.model import CellResult


class CallStatus(StrEnum):
    """How a call into the sandbox ended (mapped to case statuses later)."""

    RETURNED = "returned"
    RAISED = "raised"
    TIMEOUT = "timeout"
    MISSING = "missing"
    NOT_CALLABLE = "not_callable"
    CRASHED = "crashed"


@dataclass(frozen=True)
class CallOutcome:
    """What one call of a student's function produced.

    `mutated` lists the arguments the call changed, as (position, how): "arrays" when it wrote
    into arrays it was given, "containers" when it only replaced entries of a dict or list.
    `progress` counts, for a call that ran out of time, the calls of each watched helper, the
    CPU seconds spent in them and the CPU seconds since the last of them ended (0 if one was
    under way). `adapted` names arguments filled in for a function written
    to an older signature.
    """

    status: CallStatus
    value: Any = None
    message: str = ""
    traceback: str | None = None
    mutated: tuple[tuple[int, str], ...] = ()
    output: str = ""
    seconds: float = 0.0
    progress: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    adapted: tuple[str, ...] = ()


StandInAnswer = Callable[[str, tuple[Any, ...], dict[str, Any]], Any]


class Session(Protocol):
    """What task graders use of a notebook: the sandboxed `NotebookSession`, or a fake one in
    tests (which runs the code in-process)."""

    cells: tuple[Cell, ...]
    cell_results: list[CellResult]
    stubbed: list[str]
    protections: tuple[str, ...]

    @property
    def peak_memory_mb(self) -> float:
        """The sandbox's peak resident memory so far, in MiB (0 when unknown)."""

    def call(
        self,
        function: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        seconds: float,
        options: CallOptions | None = None,
    ) -> CallOutcome:
        """Call `function(*args, **kwargs)` in the notebook with a time limit."""
        ...

    def probe(
        self,
        function: str,
        action: str,
        args: tuple[Any, ...],
        options: dict[str, Any],
        seconds: float,
    ) -> CallOutcome:
        """Call `function(*args)` and describe what it returns (Keras probes)."""
        ...

    def value(self, name: str, seconds: float = 5.0) -> CallOutcome:
        """The value of the notebook's variable `name`."""
        ...


@dataclass(frozen=True)
class CallOptions:
    """How one graded call runs, beyond its arguments and time limit.

    Attributes:
        stand_ins: graded helpers that failed their own checks: during the call the notebook's
            functions of these names are replaced by stand-ins, answered by `answer`.
        answer: computes a stand-in's result in the grader process (the reference's).
        watch: helpers whose calls are counted (to tell a slow call from a stuck one).
        defaults: the current signature's default values, for a function written without them.
        extra: values for the parameters of an older signature (`compute_cost(A2, Y,
            parameters)`), filled in only when the student's function asks for them.
        track_mutation: check whether the call changed its arguments.
    """

    stand_ins: tuple[str, ...] = ()
    answer: StandInAnswer | None = None
    watch: tuple[str, ...] = ()
    defaults: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    track_mutation: bool = True
