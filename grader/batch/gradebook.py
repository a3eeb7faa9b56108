"""Gradebooks from stored results: one for the instructor, one to import into an LMS.

`gradebook.csv`: student (the key results are stored under), name (as handed in), LMS id,
total, maximum, points per graded function (one column per task, in the spec's order),
status, late (`yes` when the LMS marked the submission late: Canvas' `_LATE_`), seconds, time of
grading, the graded file and any note (which of several files was graded, files not read, or
why nothing could be graded).

`gradebook_lms.csv` is written for the LMS the download came from, in the format its grade
import documents:

- Canvas (Grades > Import), for a Canvas download or any other layout: the columns `Student`,
  `ID`, `SIS User ID`, `SIS Login ID`, `Section`, then one column named after the assignment's
  title holding the total, and a `Points Possible` row under the header with the maximum. `ID`
  is the Canvas user id from the download's file names (Canvas matches students by it first,
  then by SIS ids, then by name); the SIS columns and `Section` are left empty (a download does
  not carry them). A column whose title matches no Canvas assignment creates one with these
  points.
- Moodle (the assignment's "Upload grading worksheet", with the offline grading worksheet
  feedback type on), for a Moodle download: `Identifier` (`Participant <id>`, the participant
  id of the download's folder names, which is not the Moodle user id the general grade import
  matches on), `Full name`, `Grade` (the total) and `Last modified (grade)` (when it was graded:
  Moodle keeps a grade changed in Moodle after that unless told otherwise). The headers are
  English Moodle's.

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
COLUMNS_AFTER = ("status", "late", "seconds", "graded_at", "file", "note")
LATE = "yes"

# Canvas' grade import: the header row it requires, and the row that gives points possible.
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_POINTS_ROW = "Points Possible"
CANVAS_PATTERN = "Canvas file name"
# Moodle's grading worksheet upload: the columns it reads (English headers), and the form of an
# identifier ("Participant " and the participant id).
MOODLE_COLUMNS = ("Identifier", "Full name", "Grade", "Last modified (grade)")
MOODLE_IDENTIFIER = "Participant {id}"
MOODLE_PATTERN = "Moodle folder"


def write_gradebooks(output: Path, stored: list[Stored]) -> list[Path]:
    """Write both gradebooks into `output` (the LMS one for the download's LMS); return their
    paths."""
    tasks: list[str] = []
    for item in stored:
        for task in item.report.tasks:
            if task.name not in tasks:
                tasks.append(task.name)
    rows = [[text(c) for c in (*COLUMNS_BEFORE, *tasks, *COLUMNS_AFTER)]]
    rows += [_row(item, tasks) for item in stored]
    lms = _moodle(stored) if _from_moodle(stored) else _canvas(stored)
    paths = [output / "gradebook.csv", output / "gradebook_lms.csv"]
    for path, table in zip(paths, (rows, lms), strict=True):
        atomic_write(path, _csv(table))
    return paths


def _row(item: Stored, tasks: list[str]) -> list[str]:
    """One student's line of `gradebook.csv`."""
    report = item.report
    points = {task.name: task.points for task in report.tasks}
    return [
        text(item.student),
        text(_name(item)),
        text(_meta(item, "lms_id")),
        _number(report.score),
        _number(report.max_score),
        *(_number(points[name]) if name in points else "" for name in tasks),
        text(_status(item)),
        LATE if item.meta.late is True else "",
        _number(report.seconds, "{:.2f}"),
        text(report.graded_at),
        text(_meta(item, "source")),
        text(_meta(item, "note")),
    ]


def _from_moodle(stored: list[Stored]) -> bool:
    """Did the download come from Moodle (some student's folder is a Moodle folder)?"""
    return any(_meta(item, "pattern") == MOODLE_PATTERN for item in stored)


def _canvas(stored: list[Stored]) -> list[list[str]]:
    """Canvas' grade import: the header, the points possible, one row per student. The `ID`
    (Canvas user id) is filled in only for students found by their Canvas file names."""
    blank = [""] * (len(CANVAS_COLUMNS) - 1)
    table = [[*(text(c) for c in CANVAS_COLUMNS), text(_assignment_title(stored))]]
    table.append([text(CANVAS_POINTS_ROW), *blank, _number(_max_score(stored))])
    for item in stored:
        canvas_id = _meta(item, "lms_id") if _meta(item, "pattern") == CANVAS_PATTERN else ""
        name_and_id = [text(_name(item)), text(canvas_id)]
        table.append([*name_and_id, *blank[1:], _number(item.report.score)])
    return table


def _moodle(stored: list[Stored]) -> list[list[str]]:
    """Moodle's grading worksheet: one row per student; students not found in a Moodle
    folder have no identifier (Moodle skips their rows)."""
    table = [[text(c) for c in MOODLE_COLUMNS]]
    for item in stored:
        participant = _meta(item, "lms_id") if _meta(item, "pattern") == MOODLE_PATTERN else ""
        identifier = MOODLE_IDENTIFIER.format(id=participant) if participant else ""
        graded = [_number(item.report.score), text(item.report.graded_at)]
        table.append([text(identifier), text(_name(item)), *graded])
    return table


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


def _assignment_title(stored: list[Stored]) -> str:
    """The assignment's title (its id if it has none): the LMS column of its total."""
    for item in stored:
        if item.report.assignment_title or item.report.assignment:
            return item.report.assignment_title or item.report.assignment
    return "score"


def _max_score(stored: list[Stored]) -> float:
    """The assignment's maximum, as the graded submissions have it."""
    return max((item.report.max_score for item in stored), default=0.0)


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
