"""Scoring: pure functions from verdicts to points. Partial credit is per case."""

from __future__ import annotations

from collections.abc import Iterable

from grader.report.model import CaseResult, TaskResult


def case_points(passed: bool, max_points: float) -> float:
    """A case earns all its points or none."""
    return max_points if passed else 0.0


def task_points(cases: Iterable[CaseResult]) -> float:
    """A task's points: the sum over its cases, rounded to hundredths."""
    return round(sum(case.points for case in cases), 2)


def total(tasks: Iterable[TaskResult]) -> float:
    """A submission's score: the sum over its tasks."""
    return round(sum(task.points for task in tasks), 2)
