"""Gradebooks from stored results: one for the instructor, one to import into an LMS.

`gradebook.csv`: student, LMS id, total, maximum, points per graded function (one column per
task, in the spec's order), status, seconds, time of grading, the graded file and any note
(e.g. which of several files was graded). `gradebook_lms.csv`: the columns an LMS grade import
maps (`Student`, `ID`, and one column named after the assignment holding the total), which
Canvas ("Import" in Grades) and Moodle ("CSV file" import) both accept.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from grader.batch.store import Stored, atomic_write


def write_gradebooks(output: Path, stored: list[Stored]) -> list[Path]:
    """Write both gradebooks into `output`; return their paths."""
    tasks: list[str] = []
    for item in stored:
        for task in item.report.tasks:
            if task.name not in tasks:
                tasks.append(task.name)
    rows = [
        [
            "student",
            "lms_id",
            "total",
            "max",
            *tasks,
            "status",
            "seconds",
            "graded_at",
            "file",
            "note",
        ]
    ]
    lms = [["Student", "ID", _assignment_column(stored)]]
    for item in stored:
        report = item.report
        points = {task.name: task.points for task in report.tasks}
        rows.append(
            [
                item.student,
                str(item.meta.get("lms_id", "")),
                _number(report.score),
                _number(report.max_score),
                *(_number(points[name]) if name in points else "" for name in tasks),
                _status(item),
                f"{report.seconds:.2f}",
                report.graded_at,
                str(item.meta.get("source", "")),
                str(item.meta.get("note", "")),
            ]
        )
        lms.append([item.student, str(item.meta.get("lms_id", "")), _number(report.score)])
    paths = [output / "gradebook.csv", output / "gradebook_lms.csv"]
    for path, table in zip(paths, (rows, lms), strict=True):
        atomic_write(path, _csv(table))
    return paths


def _status(item: Stored) -> str:
    """graded | full marks | invalid | grader error (what an instructor sorts by)."""
    report = item.report
    if report.status.value == "graded":
        return "full marks" if report.full_marks else "graded"
    return report.status.value.replace("_", " ")


def _assignment_column(stored: list[Stored]) -> str:
    if not stored:
        return "score"
    report = stored[0].report
    return f"{report.assignment} ({_number(report.max_score)} points)"


def _number(value: float) -> str:
    return f"{value:g}"


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
