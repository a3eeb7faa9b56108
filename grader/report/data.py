"""A report as plain JSON data, in our versioned schema, and back: `report_to_dict` (either view)
and `report_from_dict` (a stored instructor view, for `grade report` and the batch).
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from enum import Enum
from typing import Any

from grader.report.model import (
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
from grader.report.student_view import view_of


def report_to_dict(report: GradeReport, *, instructor: bool) -> dict[str, Any]:
    """The report as plain JSON types, in our versioned schema.

    Enums become their values, tuples become lists, and each task gains `passed`, the report
    `full_marks` and `view` ("student" or "instructor"). The student view applies the same
    redaction as every other format and omits `hidden_seed` and `protections`.

    Args:
        report: the graded submission.
        instructor: True for the full report, False for the student view.

    Returns:
        A dict that `json.dumps` accepts, with `schema_version` first.
    """
    view = view_of(report, instructor=instructor)
    data: dict[str, Any] = {"schema_version": view.schema_version, **_plain(view)}
    data["view"] = "instructor" if instructor else "student"
    data["full_marks"] = view.full_marks
    for task_data, task in zip(data["tasks"], view.tasks, strict=True):
        task_data["passed"] = task.passed
    if not instructor:
        for key in ("hidden_seed", "protections", "code", "sandbox_peak_mb", "grader_peak_mb"):
            del data[key]
        for case in (case for task in data["tasks"] for case in task["cases"]):
            for key in INSTRUCTOR_CASE_FIELDS:
                del case[key]
    return data


# Case fields only the instructor's report has (the class report's wrong-output groups).
INSTRUCTOR_CASE_FIELDS = ("got_digest", "difference")


def _plain(value: Any) -> Any:
    """Dataclasses, enums and tuples as dicts, values and lists, recursively."""
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


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
        values["code"] = tuple(str(cell) for cell in data.get("code", ()))
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
