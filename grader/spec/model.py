"""An assignment as the grader sees it: its tasks, limits, cases and known mistakes, as frozen
dataclasses (what `assignments/<id>/assignment.toml`, its `cases.py` and its reference
describe).

Inputs are generated grader-side: public cases from the spec's public seed (a student may see
them), hidden cases from a secret seed, so the same seed always gives the same cases. Nothing
here is ever sent to the sandbox except the inputs of a call.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from grader.checks.diagnosis import explains
from grader.checks.values import compare_values
from grader.report.model import Visibility
from grader.spec.options import CompareOptions, TaskOptions


class AssignmentError(Exception):
    """The assignment is unknown or its spec is malformed (an instructor's problem)."""


class UnknownAssignment(AssignmentError):
    """No assignment of that id, or none could be told from the notebook (a usage error)."""


@dataclass(frozen=True)
class CaseInput:
    """The arguments of one call, as a case generator returns them."""

    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    note: str = ""


def call(*args: Any, note: str = "", **kwargs: Any) -> CaseInput:
    """Build a `CaseInput`; the helper case generators use: `return call(X, Y, note="...")`."""
    return CaseInput(args=args, kwargs=kwargs, note=note)


@dataclass(frozen=True)
class Case:
    """A generated case of a task: its id, visibility and inputs."""

    case_id: str
    visibility: Visibility
    inputs: CaseInput


@dataclass(frozen=True)
class Mistake:
    """A known mistake and what to tell the student who makes it.

    Recognised by `variant`, a function that reproduces the mistake (the student's output
    matches the variant's), or by `detect(inputs, got) -> bool` for answers that are checked
    by property rather than by value (random initializations, masks).
    """

    task: str
    id: str
    message: str
    variant: Callable[..., Any] | None = None
    detect: Callable[[CaseInput, Any], bool] | None = None

    def matches(
        self, inputs: CaseInput, got: Any, rules: Any, expected: Any = None
    ) -> frozenset[str]:
        """Does the student's output `got` on `inputs` show this mistake? With the
        reference's `expected` answer, leaf by leaf (see `checks.diagnosis`): the mistake is
        named even when something else is wrong too. Returns the parts of the answer the
        mistake explains (empty: it does not match; "*": all of it)."""
        whole = frozenset({"*"})
        if self.detect is not None:
            return whole if self.detect(inputs, got) else frozenset()
        if self.variant is None:
            return frozenset()
        args, kwargs = copy.deepcopy((inputs.args, inputs.kwargs))
        variant = self.variant(*args, **kwargs)
        if expected is None:
            return whole if compare_values(variant, got, rules).ok else frozenset()
        return explains(expected, variant, got, rules)


@dataclass(frozen=True)
class Limits:
    """Resource limits for the sandbox (seconds and MiB)."""

    cell_seconds: float = 10.0
    notebook_seconds: float = 60.0
    call_seconds: float = 10.0
    memory_mb: int = 2048
    output_chars: int = 64_000
    # What the soft limits count: "cpu" seconds (a loaded machine does not change a verdict;
    # wall clock is a generous outer bound), or "wall" (TensorFlow, which runs many threads).
    clock: str = "cpu"


@dataclass(frozen=True)
class Task:
    """One graded function or application check, as the spec declares it."""

    name: str
    function: str
    title: str
    points: float
    kind: str = "compare"
    signature: str = ""
    public_cases: int = 1
    hidden_cases: int = 3
    generator: str = ""
    returns: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()
    rtol: float = 1e-6
    atol: float = 1e-8
    dtypes: dict[str, str] = field(default_factory=dict)
    call_seconds: float | None = None
    options: TaskOptions = field(default_factory=CompareOptions)

    def call_limit(self, limits: Limits) -> float:
        """Seconds a call of this task's function may take: its own limit, else the
        assignment's."""
        return float(self.call_seconds or limits.call_seconds)


@dataclass(frozen=True)
class Assignment:
    """A loaded spec with its directory and case generators."""

    id: str
    title: str
    version: str
    description: str
    directory: Path
    tasks: tuple[Task, ...]
    limits: Limits
    public_seed: int
    hidden_seed: int
    helper_modules: tuple[str, ...] = ()
    # Modules older releases of the course imported under other names (`dnn_utils_v2`), or
    # that course notebooks import for ungraded cells (`init_utils`): provided in the sandbox
    # too, but not imported by the release notebook.
    provided_modules: tuple[str, ...] = ()
    imports: tuple[str, ...] = ("import numpy as np",)  # the release notebook's first lines
    shadows: tuple[Path, ...] = ()  # folders of the same id this one takes precedence over

    @property
    def max_score(self) -> float:
        """Total points of all tasks."""
        return sum(task.points for task in self.tasks)

    def graded_names(self) -> tuple[frozenset[str], frozenset[str]]:
        """The notebook's names grading reads: (functions it calls, variables it reads).

        Functions: each task's function, the helpers it `uses`, and any function an option
        names as `student:NAME` (e.g. `predictions = "student:predict"`). Variables: the
        names of `variable` tasks. The cell plan runs what these depend on.
        """
        functions: set[str] = set()
        variables: set[str] = set()
        for task in self.tasks:
            (variables if task.kind == "variable" else functions).add(task.function)
            functions.update(task.uses)
            for option in fields(task.options):
                value = getattr(task.options, option.name)
                if isinstance(value, str) and value.startswith("student:"):
                    functions.add(value.partition(":")[2])
        return frozenset(functions), frozenset(variables)

    def helper_files(self) -> list[Path]:
        """Non-secret helper modules copied into the sandbox (e.g. `lr_utils.py`)."""
        names = (*self.helper_modules, *self.provided_modules)
        return [self.directory / "helpers" / f"{name}.py" for name in names]
