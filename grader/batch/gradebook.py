"""Gradebooks from stored results: one for the instructor, one to import into an LMS.

`gradebook.csv`: student (the key results are stored under), name (as handed in), LMS id,
total, maximum, points per graded function (one column per task, in the spec's order),
status, seconds, time of grading, the graded file and any note (which of several files was
graded, files not read, or why nothing could be graded). `gradebook_lms.csv`: the columns an
LMS grade import maps (`Student`, `ID`, and one column named after the assignment holding the
total), which Canvas ("Import" in Grades) and Moodle ("CSV file" import) both accept.

Names, file names and notes are student input, and a spreadsheet runs a cell that starts like
a formula. Every text cell is written as OWASP recommends against CSV injection: control
characters escaped (`grader.batch.names.escape_text`, so a carriage return cannot end a row),
a `'` put before a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return, and
every field quoted. Numbers the grader writes itself (points, seconds) stay numbers.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from grader.batch.files import atomic_write
from grader.batch.names import escape_text
from grader.batch.store import Stored
from grader.report.model import SubmissionStatus

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
COLUMNS_BEFORE = ("student", "name", "lms_id", "total", "max")
COLUMNS_AFTER = ("status", "seconds", "graded_at", "file", "note")


def write_gradebooks(output: Path, stored: list[Stored]) -> list[Path]:
    """Write both gradebooks into `output`; return their paths."""
    tasks: list[str] = []
    for item in stored:
        for task in item.report.tasks:
            if task.name not in tasks:
                tasks.append(task.name)
    rows = [[text(c) for c in (*COLUMNS_BEFORE, *tasks, *COLUMNS_AFTER)]]
    lms = [[text("Student"), text("ID"), text(_assignment_column(stored))]]
    for item in stored:
        report = item.report
        points = {task.name: task.points for task in report.tasks}
        rows.append(
            [
                text(item.student),
                text(_name(item)),
                text(_meta(item, "lms_id")),
                _number(report.score),
                _number(report.max_score),
                *(_number(points[name]) if name in points else "" for name in tasks),
                text(_status(item)),
                _number(report.seconds, "{:.2f}"),
                text(report.graded_at),
                text(_meta(item, "source")),
                text(_meta(item, "note")),
            ]
        )
        lms.append([text(_name(item)), text(_meta(item, "lms_id")), _number(report.score)])
    paths = [output / "gradebook.csv", output / "gradebook_lms.csv"]
    for path, table in zip(paths, (rows, lms), strict=True):
        atomic_write(path, _csv(table))
    return paths


def text(value: object) -> str:
    """A text cell that no spreadsheet runs as a formula, on one line."""
    cell = escape_text(value if isinstance(value, str) else str(value))
    return f"'{cell}" if cell.startswith(FORMULA_START) else cell


def _meta(item: Stored, key: str) -> str:
    value = getattr(item.meta, key, "")
    return value if isinstance(value, str) else str(value)


def _name(item: Stored) -> str:
    """The name as handed in (results stored before names were recorded: the key)."""
    return _meta(item, "name") or item.student


def _status(item: Stored) -> str:
    """graded | full marks | invalid | grader error (what an instructor sorts by)."""
    report = item.report
    if report.status is SubmissionStatus.GRADED:
        return "full marks" if report.full_marks else "graded"
    return report.status.value.replace("_", " ")


def _assignment_column(stored: list[Stored]) -> str:
    if not stored:
        return "score"
    report = stored[0].report
    return f"{report.assignment} ({_number(report.max_score)} points)"


def _number(value: float, form: str = "{:g}") -> str:
    """A number the grader wrote; anything else (a result edited by hand) as text."""
    try:
        return form.format(float(value))
    except (TypeError, ValueError):
        return text(value)


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    return buffer.getvalue()
