"""What every task grader works with: the grading context of one submission, the cases a task is
graded on in this run, and how a task's result and a grader fault are built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from grader.notebook.session import NotebookSession
from grader.report.model import CaseResult, Status, TaskResult, Visibility
from grader.spec.cases import generate_cases
from grader.spec.model import Assignment, Case, CaseInput, Mistake, Task
from grader.tasks import scoring
from grader.tasks.messages import (
    GRADER_FAULT,
)


@dataclass(frozen=True)
class GradingContext:
    """Everything a task grader needs, built once per submission."""

    assignment: Assignment
    session: NotebookSession
    reference: ModuleType
    cases_module: ModuleType
    mistakes: tuple[Mistake, ...]
    public_only: bool
    data_dir: Path | None
    submission_notes: tuple[str, ...] = ()
    finished: dict[str, TaskResult] = field(default_factory=dict)
    mutated: dict[str, set[str]] = field(default_factory=dict)  # function -> arguments changed
    adapted: dict[str, set[str]] = field(default_factory=dict)  # function -> arguments filled in
    train: bool = True  # run training checks (Keras); False with --no-train
    progress: Callable[[str], None] | None = None  # where to say what takes a while
    announced: set[str] = field(default_factory=set)


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
