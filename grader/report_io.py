"""Read a stored report back: the inverse of `feedback.report_to_dict` (instructor view).

Batch runs store each submission's full report as JSON; `grade report DIR` rebuilds the
`GradeReport` from it to re-render feedback, the gradebook and the class report without
running any student code. Unknown keys (such as `view`, `full_marks`, a task's `passed`) are
ignored, so a report written by this version's renderer always reads back.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from grader.report import (
    CaseResult,
    CellResult,
    CellStatus,
    GradeReport,
    Status,
    SubmissionStatus,
    TaskResult,
    TrainingRun,
    Visibility,
)


class ReportFormatError(ValueError):
    """A stored report is not in the schema this grader writes."""


def report_from_dict(data: dict[str, Any]) -> GradeReport:
    """Rebuild a `GradeReport` from `report_to_dict(report, instructor=True)`."""
    try:
        values = _known(GradeReport, data)
        values["status"] = SubmissionStatus(data["status"])
        values["tasks"] = tuple(_task(task) for task in data.get("tasks", []))
        values["cells"] = tuple(_cell(cell) for cell in data.get("cells", []))
        values["notices"] = tuple(data.get("notices", ()))
        values["protections"] = tuple(data.get("protections", ()))
        return GradeReport(**values)
    except (KeyError, TypeError, ValueError) as exc:
        raise ReportFormatError(f"not a stored grade report: {exc}") from exc


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {key: value for key, value in data.items() if key in names}


def _task(data: dict[str, Any]) -> TaskResult:
    values = _known(TaskResult, data)
    values["cases"] = tuple(_case(case) for case in data.get("cases", []))
    values["notes"] = tuple(data.get("notes", ()))
    training = data.get("training")
    if training is not None:
        run = _known(TrainingRun, training)
        run["losses"] = tuple(run.get("losses", ()))
        values["training"] = TrainingRun(**run)
    return TaskResult(**values)


def _case(data: dict[str, Any]) -> CaseResult:
    values = _known(CaseResult, data)
    values["visibility"] = Visibility(data["visibility"])
    values["status"] = Status(data["status"])
    values["details"] = tuple(data.get("details", ()))
    if data.get("student_details") is not None:
        values["student_details"] = tuple(data["student_details"])
    return CaseResult(**values)


def _cell(data: dict[str, Any]) -> CellResult:
    values = _known(CellResult, data)
    values["status"] = CellStatus(data["status"])
    return CellResult(**values)
