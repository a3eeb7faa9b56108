"""Hostile class downloads through a whole batch: rows, gradebooks, report, terminal, outputs.

Grading itself is replaced by a stand-in (`hostile_downloads.stub_grading`: 12 points for a
notebook holding `FULL`, else 3), so each batch runs in milliseconds; everything around it
(intake, store, gradebooks, class report, summary) is the real code. The last test grades a
hostile class for real, in sandboxes (slow).
"""

from __future__ import annotations

import csv
import json
import os
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile_downloads import (
    ASSIGNMENT,
    FULL,
    fifo,
    options,
    read_rows,
    sparse,
    stub_grading,
    write,
    write_zip,
)

from grader import cli
from grader.batch import store
from grader.batch.files import OutputError
from grader.batch.gradebook import FORMULA_START, write_gradebooks
from grader.batch.run import describe, run_batch

ROOT = Path(__file__).resolve().parents[2]
CORRECT_NOTEBOOK = ROOT / "examples" / "logistic_regression_correct.ipynb"
CORRECT_SCRIPT = ROOT / "tests" / "scenarios" / "logistic_regression" / "correct-script.py"
TEXT_COLUMNS = ("student", "name", "lms_id", "status", "graded_at", "file", "note")
INJECTIONS = [
    '=HYPERLINK("http:__evil.example","click")',
    "@SUM(1)",
    "+cmd|' _C calc'!A0",
    "-2+3",
    "a\r=2+2",
    "\t=1",
    "=1+1_123_456_hw",  # a Canvas name: the student part is `=1+1`
]
TERMINAL = ["\x1b]0;owned\x07title", "evil\u202egnp", "bell\x07\x9b31m", "iso\u2066late\u2069"]


def output_files(output: Path) -> list[Path]:
    return [p for p in output.rglob("*") if p.is_file()]


def all_printable(text: str) -> bool:
    return all(line.isprintable() for line in text.split("\n"))


# --- every submission gets a row ----------------------------------------------------------


def test_names_that_aborted_the_class_are_graded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 255-character folder name and latin-1 names: is every student graded and stored, the
    output files short ASCII names, every output UTF-8?"""
    sent = stub_grading(monkeypatch)
    root = tmp_path / "class"
    write(root / ("a" * 255) / "hw.ipynb", FULL)
    root_bytes = bytes(root)
    os.makedirs(root_bytes + b"/M\xfcller")
    with open(root_bytes + b"/M\xfcller/hw\xe9.ipynb", "wb") as handle:
        handle.write(FULL)
    write(root / "plain.ipynb")
    output = tmp_path / "graded"
    summary = run_batch(root, options(output))
    assert (summary.found, summary.graded, summary.refused) == (3, 3, 0)
    assert all(job.file_name.isascii() and len(job.file_name) < 100 for job in sent)
    for path in output_files(output):
        assert len(path.name) < 120 and path.name.isascii()
        path.read_text(encoding="utf-8")
    rows = {row["name"]: row for row in read_rows(output / "gradebook.csv")}
    assert rows["a" * 255]["total"] == "12" and rows["M\\xfcller"]["total"] == "12"
    assert rows["M\\xfcller"]["file"] == "M\\xfcller/hw\\xe9.ipynb"


def test_every_student_gets_a_row_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Students whose files were all refused (hidden, oversized, a FIFO, a link, no notebook):
    a row in both gradebooks (invalid, 0 points, the reason), a line in the class report,
    feedback that says what to fix; and a rerun skips them like any stored result."""
    stub_grading(monkeypatch)
    root = tmp_path / "class"
    write(root / ".alice.ipynb")
    sparse(root / "bob" / "hw.ipynb", 60 * 1024**2)
    fifo(root / "carol.ipynb")
    (root / "dave").mkdir(parents=True)
    (root / "dave" / "hw.ipynb").symlink_to(write(tmp_path / "solution.ipynb", FULL))
    write(root / "erin" / "hw.docx")
    write(root / "frank.ipynb", FULL)
    output = tmp_path / "graded"
    summary = run_batch(root, options(output))
    assert (summary.found, summary.graded, summary.refused) == (6, 1, 5)
    rows = {row["name"]: row for row in read_rows(output / "gradebook.csv")}
    assert sorted(rows) == [".alice", "bob", "carol", "dave", "erin", "frank"]
    for name, words in [
        (".alice", "hidden"),
        ("bob", "50 MB limit"),
        ("carol", "not a regular file"),
        ("dave", "symbolic link"),
        ("erin", "found: erin/hw.docx"),
    ]:
        assert rows[name]["status"] == "invalid" and rows[name]["total"] == "0"
        assert words in rows[name]["note"]
        key = rows[name]["student"]
        assert words in (output / "feedback" / f"{key}.html").read_text()
    assert rows["frank"]["total"] == "12"
    # Canvas' format (not a Moodle download): the Points Possible row, then one per student
    assert len(read_rows(output / "gradebook_lms.csv")) == 1 + 6
    report = (output / "report.html").read_text()
    assert "50 MB limit" in report and "found: erin/hw.docx" in report
    assert "nothing could be graded" in describe(summary, output)
    again = run_batch(root, options(output))
    assert (again.graded, again.refused, again.skipped) == (0, 0, 6)


def test_names_that_clean_alike_never_lose_a_student(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`x<y`, `x>y` and a real `x_y-1` with full marks: three results, the full marks kept."""
    stub_grading(monkeypatch)
    root = tmp_path / "class"
    write(root / "x<y.ipynb")
    write(root / "x>y.ipynb")
    write(root / "x_y-1.ipynb", FULL)
    output = tmp_path / "graded"
    run_batch(root, options(output))
    rows = {row["name"]: row for row in read_rows(output / "gradebook.csv")}
    assert {name: row["total"] for name, row in rows.items()} == {
        "x<y": "3",
        "x>y": "3",
        "x_y-1": "12",
    }
    assert len({row["student"] for row in rows.values()}) == 3
    assert len(list((output / "results").glob("*.json"))) == 3
    stored = json.loads((output / "results" / "x_y-1.json").read_text())
    assert stored["report"]["score"] == 12 and stored["batch"]["name"] == "x_y-1"


def test_a_rerun_names_stored_results_no_student_in_the_download_has(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stub_grading(monkeypatch)
    write(tmp_path / "class" / "alice.ipynb")
    write(tmp_path / "class" / "bob.ipynb")
    output = tmp_path / "graded"
    run_batch(tmp_path / "class", options(output))
    (tmp_path / "class" / "bob.ipynb").unlink()
    summary = run_batch(tmp_path / "class", options(output))
    assert summary.strays == ["bob"]
    assert "1 stored results belong to no student in this download" in describe(summary, output)


# --- spreadsheets and terminals -----------------------------------------------------------


def test_gradebook_cells_cannot_run_as_formulas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Names like `=HYPERLINK(...)`, `@SUM(1)`, `+cmd|...`, and a carriage return before
    `=2+2`: in both gradebooks no text cell starts a formula, every field is quoted, one
    line per student, and the numbers are still numbers."""
    stub_grading(monkeypatch)
    root = tmp_path / "class"
    for name in INJECTIONS:
        write(root / f"{name}.ipynb", FULL)
    write(root / "=evil" / "-x.ipynb")
    output = tmp_path / "graded"
    run_batch(root, options(output))
    for path, columns, extra in [
        (output / "gradebook.csv", TEXT_COLUMNS, 0),
        (output / "gradebook_lms.csv", ("Student", "ID"), 1),  # Canvas' Points Possible row
    ]:
        raw = path.read_text(encoding="utf-8")
        lines = raw.rstrip("\n").split("\n")
        assert len(lines) == len(INJECTIONS) + 2 + extra  # the header and one line per student
        assert all(line.startswith('"') and line.endswith('"') for line in lines)
        assert "\r" not in raw
        records = list(csv.reader(lines))
        assert all(len(record) == len(records[0]) for record in records)
        rows = read_rows(path)
        for row in rows:
            for column in columns:
                assert not row[column].startswith(FORMULA_START), (column, row[column])
    rows = read_rows(output / "gradebook.csv")
    assert sorted(float(row["total"]) for row in rows) == [3.0] + [12.0] * len(INJECTIONS)
    names = {row["name"] for row in rows}
    assert '\'=HYPERLINK("http:__evil.example","click")' in names and "a\\x0d=2+2" in names
    assert "'@SUM(1)" in names and "'=1+1" in names
    assert "'=evil/-x.ipynb" in {row["file"] for row in rows}


def test_names_reach_the_terminal_and_the_gradebook_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Escape sequences and bidi overrides in file names: is the summary free of them (so the
    terminal shows them as text), and are gradebook cells and stored names?"""
    stub_grading(monkeypatch)
    root = tmp_path / "class"
    for name in TERMINAL:
        write(root / name / "hw.ipynb")
        write(root / name / f"{name}.ipynb")  # two files: the note names both
    write(root / "\x1b[2J.ipynb")
    output = tmp_path / "graded"
    summary = run_batch(root, options(output))
    text = describe(summary, output)
    assert all_printable(text) and "\\x1b]0;owned\\x07title" in text and "\\u202e" in text
    for path in (output / "gradebook.csv", output / "gradebook_lms.csv"):
        assert all_printable(path.read_text(encoding="utf-8").rstrip("\n"))
    for path in (output / "results").glob("*.json"):
        batch = json.loads(path.read_text())["batch"]
        assert all(all_printable(str(value)) for value in batch.values())


def test_html_in_names_is_escaped_in_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stub_grading(monkeypatch)
    root = tmp_path / "class"
    write(root / "<img src=x onerror=alert(1)>.ipynb")
    write(root / "<script>alert(2)<_script>" / ".hidden.ipynb")
    output = tmp_path / "graded"
    run_batch(root, options(output))
    for page in [output / "report.html", *output.glob("feedback/*.html")]:
        html = page.read_text()
        assert "<img src=x" not in html and "<script>alert" not in html
    report = (output / "report.html").read_text()
    assert "&lt;script&gt;alert(2)&lt;_script&gt;" in report


# --- symlinks out of the submissions folder -----------------------------------------------


def test_a_linked_solution_is_never_graded_or_hashed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A student folder holding a link to the instructor's solution, a linked folder: nothing
    outside the submissions folder is sent for grading or recorded in a result."""
    sent = stub_grading(monkeypatch)
    solution = write(tmp_path / "instructor" / "solution.ipynb", FULL + b"SECRET")
    root = tmp_path / "class"
    (root / "alice").mkdir(parents=True)
    (root / "alice" / "hw.ipynb").symlink_to(solution)
    (root / "bob").symlink_to(solution.parent, target_is_directory=True)
    write(root / "carol.ipynb")
    output = tmp_path / "graded"
    run_batch(root, options(output))
    assert [job.student for job in sent] == ["carol"]
    digest = store.hashlib.sha256(solution.read_bytes()).hexdigest()
    for path in output_files(output):
        assert digest not in path.read_text() and "SECRET" not in path.read_text()
    rows = {row["name"]: row for row in read_rows(output / "gradebook.csv")}
    assert "symbolic link" in rows["alice"]["note"] and "symbolic link" in rows["bob"]["note"]


# --- outputs written through links --------------------------------------------------------


@pytest.mark.parametrize("subfolder", ["results", "feedback", "unpacked", "submitted"])
def test_output_folders_that_are_links_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, subfolder: str
) -> None:
    stub_grading(monkeypatch)
    archive = write_zip(tmp_path / "class.zip", {"alice.ipynb": FULL})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    output = tmp_path / "graded"
    output.mkdir()
    (output / subfolder).symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OutputError, match="a link or not a folder"):
        run_batch(archive, options(output))
    assert list(elsewhere.iterdir()) == []
    result = CliRunner().invoke(
        cli.main, ["batch", str(archive), "-a", ASSIGNMENT, "-o", str(output), "-q"]
    )
    assert result.exit_code == 2 and "a link or not a folder" in result.output
    assert list(elsewhere.iterdir()) == []


def test_a_file_where_an_output_folder_belongs_is_refused(tmp_path: Path) -> None:
    output = tmp_path / "graded"
    write(output / "results")
    with pytest.raises(OutputError):
        run_batch(tmp_path, options(output))


def test_output_files_that_are_links_are_replaced_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """gradebook.csv, a student's feedback files and the copy of the file graded planted as
    links to other files: are the links replaced by the new files, and their targets left
    alone?"""
    stub_grading(monkeypatch)
    write(tmp_path / "class" / "alice.ipynb")
    output = tmp_path / "graded"
    links = [
        "gradebook.csv",
        "feedback/alice.html",
        "report.html",
        "feedback/alice.ipynb",
        "feedback/alice~notebook.html",
        "submitted/alice.ipynb",
    ]
    targets = [write(tmp_path / f"victim{i}", b"untouched") for i in range(len(links))]
    for link, target in zip(links, targets, strict=True):
        (output / link).parent.mkdir(parents=True, exist_ok=True)
        (output / link).symlink_to(target)
    run_batch(tmp_path / "class", options(output))
    assert all(target.read_bytes() == b"untouched" for target in targets)
    for link in links:
        assert not (output / link).is_symlink() and (output / link).stat().st_size > 0


def test_stored_results_that_are_not_files_are_skipped_quickly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stored result that links to /dev/zero, one that is a FIFO, one that links to a real
    result elsewhere and one of 10 GB (sparse): left out at once, without reading them, and
    the batch grades those students again."""
    stub_grading(monkeypatch)
    root = tmp_path / "class"
    for name in ("alice", "bob", "carol", "dave"):
        write(root / f"{name}.ipynb", FULL)
    first = tmp_path / "first"
    run_batch(root, options(first))
    output = tmp_path / "graded"
    results = output / "results"
    results.mkdir(parents=True)
    (results / "alice.json").symlink_to("/dev/zero")
    fifo(results / "bob.json")
    (results / "carol.json").symlink_to(first / "results" / "carol.json")
    sparse(results / "dave.json", 10 * 1024**3)
    loaded: list[list[store.Stored]] = []
    reader = threading.Thread(target=lambda: loaded.append(store.load_all(output)), daemon=True)
    start = time.monotonic()
    reader.start()
    reader.join(timeout=20)
    assert not reader.is_alive(), "reading stored results hung"
    assert time.monotonic() - start < 5 and loaded == [[]]
    summary = run_batch(root, options(output))
    assert (summary.graded, summary.skipped) == (4, 0)
    assert not (results / "alice.json").is_symlink() and (first / "results" / "carol.json").exists()


def test_grade_report_refuses_a_linked_results_folder(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    output = tmp_path / "graded"
    output.mkdir()
    (output / "results").symlink_to(elsewhere, target_is_directory=True)
    result = CliRunner().invoke(cli.main, ["report", str(output)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    (error,) = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert "results is a link or not a folder" in error


def test_a_refused_zip_is_one_line_at_the_command_line(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "evil\x1b[31m.zip", {"../../x.ipynb": FULL})
    result = CliRunner().invoke(
        cli.main, ["batch", str(archive), "-a", ASSIGNMENT, "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 2 and "unsafe path ../../x.ipynb" in result.output
    assert "\x1b" not in result.output and "Traceback" not in result.output
    assert not [p for p in (tmp_path / "out").rglob("*") if p.is_file()]


# --- what was already right stays right ---------------------------------------------------


def test_two_runs_at_once_on_one_output_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two batches of the same zip into one folder at the same time: both finish, every
    stored file is whole, and one unpacked copy is left (no partial folders)."""
    stub_grading(monkeypatch)
    members = {f"student{i:02d}_{i}_{i}_hw.ipynb": FULL for i in range(40)}
    archive = write_zip(tmp_path / "class.zip", members)
    output = tmp_path / "graded"
    errors: list[BaseException] = []

    def batch() -> None:
        try:
            run_batch(archive, options(output, force=True))
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=batch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(read_rows(output / "gradebook.csv")) == 40
    for path in (output / "results").glob("*.json"):
        assert json.loads(path.read_text())["report"]["score"] == 12
    assert [p.name for p in (output / "unpacked").iterdir()] == [
        f"class-{store.hashlib.sha256(archive.read_bytes()).hexdigest()[:12]}"
    ]
    assert not [p for p in output.rglob("*.tmp")]


def test_gradebooks_from_results_planted_by_hand_stay_safe(tmp_path: Path) -> None:
    """Stored results edited by hand: formulas and a CR in text fields are written as safe
    text on one line; a result whose score is not a number is left out."""
    output = tmp_path / "graded"
    write(output / "results" / "x.json", b"{}")
    document = {
        "batch": {"name": "a\r=1+1", "note": "@x", "lms_id": "=2"},
        "report": {
            "assignment": ASSIGNMENT,
            "assignment_title": "",
            "assignment_version": "1",
            "submission": "x",
            "submission_sha256": "",
            "status": "graded",
            "score": 3,
            "max_score": 12,
            "graded_at": "-1+1",
        },
    }
    write(output / "results" / "x.json", json.dumps(document).encode())
    document["report"]["score"] = "=1+1"  # not a number: not a result this grader wrote
    write(output / "results" / "y.json", json.dumps(document).encode())
    write_gradebooks(output, store.load_all(output))
    (row,) = read_rows(output / "gradebook.csv")
    assert (row["student"], row["name"], row["note"], row["lms_id"], row["graded_at"]) == (
        "x",
        "a\\x0d=1+1",
        "'@x",
        "'=2",
        "'-1+1",
    )


@pytest.mark.slow
def test_a_hostile_class_graded_for_real(tmp_path: Path) -> None:
    """End to end, in sandboxes: a Canvas zip whose names are formulas, escapes and clashing
    names, with one submission that hunts the disk for the other students' notebooks. Every
    student is graded on their own work and the hunter finds nothing."""
    hunter = CORRECT_SCRIPT.read_text() + (
        "\n# %%\nimport os\nfound = []\n"
        "for top in ('/tmp', '/root', '/home', '/work'):\n"
        "    for root, dirs, files in os.walk(top):\n"
        "        found += [f for f in files if 'HUNTED' in f]\n"
        "print('HUNTER FOUND', found) if found else print('found nothing')\n"
    )
    notebook = CORRECT_NOTEBOOK.read_bytes()
    archive = write_zip(
        tmp_path / "canvas.zip",
        {
            "=HYPERLINK(1)_11_1_HUNTED.ipynb": notebook,
            "x<y_12_2_HUNTED.ipynb": notebook,
            "x>y_13_3_hunter.py": hunter.encode(),
            "\x1b]0;t\x07_14_4_HUNTED.ipynb": b"{ not a notebook",
        },
    )
    output = tmp_path / "graded"
    summary = run_batch(archive, options(output, jobs=2, all_cells=True))  # the hunt must run
    assert (summary.found, summary.graded, summary.faults) == (4, 4, 0)
    rows = {row["name"]: row for row in read_rows(output / "gradebook.csv")}
    assert rows["'=HYPERLINK(1)"]["total"] == "12" and rows["x<y"]["total"] == "12"
    assert rows["x>y"]["total"] == "12" and rows["\\x1b]0;t\\x07"]["status"] == "invalid"
    hunted = json.loads((output / "results" / f"{rows['x>y']['student']}.json").read_text())
    outputs = " ".join(cell["output"] for cell in hunted["report"]["cells"])
    assert "found nothing" in outputs and "HUNTER FOUND" not in outputs
    assert all_printable(describe(summary, output))
