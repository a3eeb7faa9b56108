"""What Canvas and Moodle tell us is kept: a late mark from Canvas' `_LATE_` file names, and an
LMS gradebook whose headers each LMS's grade import accepts, filled from what its download gives.

Grading is stubbed (a notebook containing FULL scores 12, anything else 3), so whole batches run
in milliseconds while discovery, the store, both gradebooks and the class report are real.
"""

from __future__ import annotations

import csv
import json
import re
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from grader.batch import run
from grader.batch.discover import find_submissions
from grader.batch.executors import LocalExecutor, Result
from grader.batch.gradebook import CANVAS_COLUMNS, MOODLE_COLUMNS
from grader.batch.jobs import Job, Provenance
from grader.batch.run import BatchOptions, run_batch
from grader.report.model import GradeReport, SubmissionStatus

ASSIGNMENT = "logistic_regression"
TITLE = "Logistic regression"
FULL = b'{"FULL": 1}'


def stub_grading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Grade in this process with a stand-in: 12 points if the bytes say FULL, else 3."""

    def work(job: Job) -> Result:
        return GradeReport(
            assignment=ASSIGNMENT,
            assignment_title=TITLE,
            assignment_version="1",
            submission=job.source,
            submission_sha256="",
            status=SubmissionStatus.GRADED,
            score=12.0 if FULL in job.content else 3.0,
            max_score=12.0,
            graded_at="2026-01-01T09:30:00+00:00",
        )

    monkeypatch.setattr(run, "LocalExecutor", lambda jobs: LocalExecutor(jobs, work=work))


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as handle:
        for name, data in members.items():
            handle.writestr(name, data)
    return path


def grade(download: Path, output: Path) -> None:
    run_batch(download, BatchOptions(ASSIGNMENT, output, progress=False))


def read_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def canvas_download(tmp_path: Path) -> Path:
    return write_zip(
        tmp_path / "canvas.zip",
        {
            "doejane_12345_67890_logistic_regression.ipynb": FULL,
            "smithbob_LATE_222_333_hw1-1.ipynb": b"{}",
            "stray.ipynb": b"{}",  # not named the Canvas way: no Canvas user id
        },
    )


def test_canvas_late_file_names_mark_the_entry_late(tmp_path: Path) -> None:
    """Is `_LATE_` in a Canvas file name kept as a late mark (and only there), with the user
    id still read?"""
    entries = find_submissions(canvas_download(tmp_path), ASSIGNMENT, tmp_path / "work")
    assert [(e.name, e.lms_id, e.late) for e in entries] == [
        ("doejane", "12345", False),
        ("smithbob", "222", True),
        ("stray", "", False),
    ]


def test_the_late_mark_reaches_the_stored_result_gradebook_and_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Does a late Canvas submission get `late` in its stored provenance, `yes` in
    gradebook.csv's `late` column and a line in the class report's late section?"""
    stub_grading(monkeypatch)
    output = tmp_path / "graded"
    grade(canvas_download(tmp_path), output)
    with (output / "gradebook.csv").open(newline="") as handle:
        book = {row["name"]: row for row in csv.DictReader(handle)}
    assert {name: row["late"] for name, row in book.items()} == {
        "doejane": "",
        "smithbob": "yes",
        "stray": "",
    }
    stored = json.loads((output / "results" / "smithbob.json").read_text())
    assert stored["batch"]["late"] is True
    assert json.loads((output / "results" / "doejane.json").read_text())["batch"]["late"] is False
    report = (output / "report.html").read_text()
    start = report.index('id="late"')
    late = report[start : report.index("</section>", start)]
    assert "smithbob" in late and "doejane" not in late and "3 / 12" in late


def test_no_late_section_when_nobody_was_late(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Is the late section left out of the class report when no submission is marked late?"""
    stub_grading(monkeypatch)
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "alice.ipynb").write_bytes(FULL)
    grade(tmp_path / "class", tmp_path / "graded")
    assert "Handed in late" not in (tmp_path / "graded" / "report.html").read_text()


def canvas_accepts_header(header: list[str]) -> bool:
    """Canvas' gradebook importer's header rule (lib/gradebook_importer.rb): `Student` then
    `ID`; with `SIS User ID` and `SIS Login ID` after them, the fifth column is `Section`."""
    if not (len(header) > 3 and "Student" in header[0] and "ID" in header[1]):
        return False
    student_columns = 3
    if re.search(r"SIS\s+User\s+ID", header[2]) and re.search(r"SIS\s+Login\s+ID", header[3]):
        student_columns += 2
    return "Section" in header[student_columns - 1]


def test_canvas_gradebook_has_the_import_columns_and_canvas_user_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Does gradebook_lms.csv for a Canvas download have Canvas' columns (Student, ID, SIS User
    ID, SIS Login ID, Section, then the assignment), a Points Possible row, the Canvas user id
    of each student found by file name, and the totals?"""
    stub_grading(monkeypatch)
    output = tmp_path / "graded"
    grade(canvas_download(tmp_path), output)
    header, points, *students = read_rows(output / "gradebook_lms.csv")
    assert header == [*CANVAS_COLUMNS, TITLE] and canvas_accepts_header(header)
    assert not re.search(r"\(\d+\)$", header[-1])  # Canvas would read "(123)" as an id
    assert points == ["Points Possible", "", "", "", "", "12"]
    assert students == [
        ["doejane", "12345", "", "", "", "12"],
        ["smithbob", "222", "", "", "", "3"],
        ["stray", "", "", "", "", "3"],  # matched by name in Canvas, if at all
    ]


def test_moodle_gradebook_is_a_grading_worksheet_with_participant_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """For a Moodle download, does gradebook_lms.csv carry the worksheet columns Moodle's
    upload reads (Identifier as `Participant <id>`, Grade, Last modified (grade)) and never put
    a participant id where Canvas would read a user id?"""
    stub_grading(monkeypatch)
    download = write_zip(
        tmp_path / "moodle.zip",
        {
            "HW1/Jane Doe_123_assignsubmission_file_/hw1.ipynb": FULL,
            "HW1/Bob Smith_456_assignsubmission_file_/answers.py": b"x = 1",
        },
    )
    output = tmp_path / "graded"
    grade(download, output)
    header, *students = read_rows(output / "gradebook_lms.csv")
    assert header == list(MOODLE_COLUMNS)
    assert {"Identifier", "Grade", "Last modified (grade)"} <= set(header)
    assert sorted(row[:3] for row in students) == [
        ["Participant 123", "Jane Doe", "12"],
        ["Participant 456", "Bob Smith", "3"],
    ]
    for row in students:
        assert datetime.fromisoformat(row[3]).year == 2026  # a time PHP's strtotime reads
    with (output / "gradebook.csv").open(newline="") as handle:
        assert {row["late"] for row in csv.DictReader(handle)} == {""}


def test_results_stored_before_the_late_mark_still_load() -> None:
    """Does a stored provenance without `late` (written by an older grader) read as not late,
    and one whose `late` is not a boolean count as damaged?"""
    assert Provenance.from_json({"student": "a"}).late is False
    assert Provenance.from_json({"student": "a", "late": True}).late is True
    with pytest.raises(ValueError, match="late"):
        Provenance.from_json({"student": "a", "late": "yes"})
