"""What every task grader works with: the grading context of one submission, the cases a task is
graded on in this run, and how a task's result and a grader fault are built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from grader.notebook.calls import Session
from grader.report.model import CaseResult, Status, TaskResult, Visibility
from grader.spec.cases import generate_cases
from grader.spec.load import LoadedAssignment
from grader.spec.model import Assignment, Case, CaseInput, Mistake, Task
from grader.tasks import scoring
from grader.tasks.messages import (
    GRADER_FAULT,
)


@dataclass(frozen=True)
class GradingOptions:
    """How to grade a submission, beyond which assignment: what `grade submit` and
    `grade batch` let the instructor set."""

    hidden_seed: int | None = None  # default: GRADER_HIDDEN_SEED or the spec's
    data_dir: Path | None = None  # the course's data files, for application checks
    public_only: bool = False  # `grade check`: public cases only
    train: bool = True  # run training checks (Keras); False with --no-train
    gpu: bool = False  # let TensorFlow use a GPU the machine has
    progress: Callable[[str], None] | None = None  # where to say what takes a while
    all_cells: bool = False  # run every cell, not only those grading needs (--all-cells)


@dataclass(frozen=True)
class GradingContext:
    """Everything a task grader needs, built once per submission. The dicts are filled in as
    tasks are graded (the context is frozen, its bookkeeping is not)."""

    spec: LoadedAssignment
    session: Session
    options: GradingOptions = field(default_factory=GradingOptions)
    submission_notes: tuple[str, ...] = ()
    finished: dict[str, TaskResult] = field(default_factory=dict)
    mutated: dict[str, set[str]] = field(default_factory=dict)  # function -> arguments changed
    adapted: dict[str, set[str]] = field(default_factory=dict)  # function -> arguments filled in
    announced: set[str] = field(default_factory=set)

    @property
    def assignment(self) -> Assignment:
        """The assignment's spec."""
        return self.spec.assignment

    @property
    def reference(self) -> ModuleType:
        """The reference solution (grader side only)."""
        return self.spec.reference

    @property
    def cases_module(self) -> ModuleType:
        """The assignment's case generators and property checks."""
        return self.spec.cases_module

    @property
    def mistakes(self) -> tuple[Mistake, ...]:
        """The known mistakes the reference module describes."""
        return self.spec.mistakes

    @property
    def public_only(self) -> bool:
        """Grade public cases only (`grade check`)."""
        return self.options.public_only

    @property
    def data_dir(self) -> Path | None:
        """The course's data files, when the instructor gave them."""
        return self.options.data_dir

    @property
    def train(self) -> bool:
        """Run training checks (False with --no-train)."""
        return self.options.train

    @property
    def progress(self) -> Callable[[str], None] | None:
        """Where to say what takes a while."""
        return self.options.progress


def reference_function(context: GradingContext, name: str) -> Callable[..., Any]:
    function = getattr(context.reference, name)
    assert callable(function)
    return function


def task_cases(task: Task, context: GradingContext) -> list[Case]:
    """The cases a task is graded on in this run (public only for `grade check`)."""
    if task.kind == "variable":  # one answer, read from the notebook: nothing to generate
        return [Case("public-1", Visibility.PUBLIC, CaseInput((), {}))]
    cases = generate_cases(context.assignment, task, context.cases_module)
    if context.public_only:
        cases = [case for case in cases if case.visibility is Visibility.PUBLIC]
    return cases


def task_result(task: Task, cases: list[CaseResult]) -> TaskResult:
    """A task's result; cases the grader itself failed on are left out of its maximum."""
    faulted = sum(case.max_points for case in cases if case.status is Status.GRADER_ERROR)
    max_points = round(max(task.points - faulted, 0.0), 4)
    return TaskResult(task.name, task.title, scoring.task_points(cases), max_points, tuple(cases))


def grader_fault_case(
    case: Case, max_points: float, exc: BaseException, shown: str | None
) -> CaseResult:
    """A case the grader failed on (its reference, case generator or check raised): never
    counted against the student."""
    error = GRADER_FAULT.format(error=f"{type(exc).__name__}: {exc}")
    return CaseResult(
        case.case_id, case.visibility, Status.GRADER_ERROR, 0.0, max_points, error, inputs=shown
    )
