"""Batch grading: finding a class's submissions, grading them, storing, resuming, reporting."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import cli
from grader.batch.discover import DiscoveryError, find_submissions
from grader.batch.jobs import Job
from grader.batch.run import BatchOptions, run_batch
from grader.report.model import GradeReport, SubmissionStatus, ungraded_report

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CORRECT = EXAMPLES / "logistic_regression_correct.ipynb"
FLAWED = EXAMPLES / "logistic_regression_flawed.ipynb"
SCENARIOS = ROOT / "tests" / "scenarios" / "logistic_regression"
SECRET_SEED = "987654321"


def touch(path: Path, text: str = "{}", mtime: float | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


# --- discovery --------------------------------------------------------------------------------


def test_a_directory_of_notebooks_is_one_student_per_file(tmp_path: Path) -> None:
    touch(tmp_path / "alice.ipynb")
    touch(tmp_path / "bob.py")
    touch(tmp_path / "notes.txt")
    touch(tmp_path / ".ipynb_checkpoints" / "alice-checkpoint.ipynb")
    entries = find_submissions(tmp_path, "logistic_regression", tmp_path / "work")
    assert [(e.student, e.path.name, e.pattern) for e in entries] == [
        ("alice", "alice.ipynb", "file name"),
        ("bob", "bob.py", "file name"),
    ]


def test_student_folders_and_the_choice_between_several_files(tmp_path: Path) -> None:
    touch(tmp_path / "carol" / "scratch.ipynb", mtime=2_000_000_000)
    touch(tmp_path / "carol" / "logistic_regression.ipynb", mtime=1_000_000_000)
    touch(tmp_path / "dave" / "old.ipynb", mtime=1_000_000_000)
    touch(tmp_path / "dave" / "new.ipynb", mtime=2_000_000_000)
    touch(tmp_path / "erin" / "hw.py", mtime=2_000_000_000)
    touch(tmp_path / "erin" / "hw.ipynb", mtime=1_000_000_000)
    entries = {e.student: e for e in find_submissions(tmp_path, "logistic_regression", tmp_path)}
    assert entries["carol"].path.name == "logistic_regression.ipynb"
    assert "named like the assignment" in entries["carol"].note
    assert "not graded: scratch.ipynb" in entries["carol"].note
    assert entries["dave"].path.name == "new.ipynb"
    assert "most recently modified" in entries["dave"].note
    assert entries["erin"].path.name == "hw.ipynb"
    assert "notebook rather than a script" in entries["erin"].note


def test_a_canvas_zip(tmp_path: Path) -> None:
    archive = tmp_path / "submissions.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("doejane_12345_67890_logistic_regression.ipynb", "{}")
        handle.writestr("smithbob_LATE_222_333_hw1-1.ipynb", "{}")
        handle.writestr("__MACOSX/._doejane_12345_67890_logistic_regression.ipynb", "x")
        handle.writestr("readme.txt", "not a submission")
        handle.writestr("weird name!.ipynb", "{}")
    entries = find_submissions(archive, "logistic_regression", tmp_path / "work")
    found = [(e.student, e.name, e.lms_id, e.pattern) for e in entries]
    assert found == [
        ("doejane", "doejane", "12345", "Canvas file name"),
        ("smithbob", "smithbob", "222", "Canvas file name"),
        # unrecognised: graded under its file name; not safe as a key, so a hash is added
        (found[2][0], "weird name!", "", "file name"),
    ]
    assert re.fullmatch(r"weird_name~[0-9a-f]{12}", found[2][0])


def test_a_moodle_zip_wrapped_in_a_folder(tmp_path: Path) -> None:
    archive = tmp_path / "moodle.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("HW1/Jane Doe_123_assignsubmission_file_/hw1.ipynb", "{}")
        handle.writestr("HW1/Bob Smith_456_assignsubmission_file_/answers.py", "x = 1")
    entries = find_submissions(archive, "logistic_regression", tmp_path / "work")
    assert [(e.name, e.lms_id, e.source) for e in entries] == [
        ("Bob Smith", "456", "Bob Smith_456_assignsubmission_file_/answers.py"),
        ("Jane Doe", "123", "Jane Doe_123_assignsubmission_file_/hw1.ipynb"),
    ]
    assert [e.student.split("~")[0] for e in entries] == ["Bob_Smith", "Jane_Doe"]


def test_unsafe_zips_are_refused(tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("../escape.ipynb", "{}")
    with pytest.raises(DiscoveryError, match="unsafe path"):
        find_submissions(archive, "x", tmp_path / "work")
    assert not (tmp_path / "escape.ipynb").exists()


def test_students_with_the_same_name_are_kept_apart(tmp_path: Path) -> None:
    touch(tmp_path / "doejane_111_1_hw.ipynb")
    touch(tmp_path / "doejane_222_2_hw.ipynb")
    entries = find_submissions(tmp_path, "hw", tmp_path / "work")
    assert sorted(e.lms_id for e in entries) == ["111", "222"]
    assert len({e.student for e in entries}) == 2
    assert all(re.fullmatch(r"doejane~[0-9a-f]{12}", e.student) for e in entries)


# --- grading a class ------------------------------------------------------------------------


@pytest.fixture
def small_class(tmp_path: Path) -> Path:
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(CORRECT, folder / "alice.ipynb")
    shutil.copy(FLAWED, folder / "bob.ipynb")
    shutil.copy(SCENARIOS / "cost-without-one-over-m.ipynb", folder / "carol.ipynb")
    (folder / "dave.ipynb").write_text("{ this is not a notebook")
    return folder


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.slow
def test_a_class_is_graded_stored_and_resumed(
    small_class: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRADER_HIDDEN_SEED", SECRET_SEED)
    output = tmp_path / "graded"
    options = BatchOptions("logistic_regression", output, jobs=2, progress=False)
    summary = run_batch(small_class, options)
    assert (summary.found, summary.graded, summary.skipped) == (4, 4, 0)
    assert summary.full_marks == 1 and summary.invalid == 1 and summary.faults == 0

    book = {row["student"]: row for row in read_csv(output / "gradebook.csv")}
    assert book["alice"]["total"] == "12" and book["alice"]["status"] == "full marks"
    assert book["carol"]["propagate"] == "0" and book["carol"]["optimize"] == "2"
    assert book["dave"]["status"] == "invalid" and book["dave"]["total"] == "0"
    lms = read_csv(output / "gradebook_lms.csv")  # Canvas' format: Points Possible, students
    assert [row["Student"] for row in lms] == ["Points Possible", "alice", "bob", "carol", "dave"]

    report = (output / "report.html").read_text()
    assert "<svg" in report and "cost_without_one_over_m" in report and "carol" in report
    for student in ("alice", "bob", "carol", "dave"):
        stored = json.loads((output / "results" / f"{student}.json").read_text())
        assert stored["batch"]["sha256"] and stored["report"]["view"] == "instructor"
        feedback = (output / "feedback" / f"{student}.html").read_text()
        assert SECRET_SEED not in feedback  # hidden seed: instructor views only
    assert SECRET_SEED in (output / "results" / "bob.json").read_text()

    again = run_batch(small_class, options)
    assert (again.graded, again.skipped) == (0, 4)
    shutil.copy(CORRECT, small_class / "bob.ipynb")  # bob hands in a corrected notebook
    changed = run_batch(small_class, options)
    assert (changed.graded, changed.skipped) == (1, 3)
    book = {row["student"]: row for row in read_csv(output / "gradebook.csv")}
    assert book["bob"]["total"] == "12"
    forced = run_batch(
        small_class, BatchOptions("logistic_regression", output, force=True, progress=False)
    )
    assert forced.graded == 4


@pytest.mark.slow
def test_grade_report_rerenders_without_running_student_code(
    small_class: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "graded"
    run_batch(small_class, BatchOptions("logistic_regression", output, progress=False))
    for path in [output / "report.html", output / "gradebook.csv", *output.glob("feedback/*")]:
        path.unlink()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("grade report must not grade")

    monkeypatch.setattr("grader.grading.grade_submission", refuse)
    result = CliRunner().invoke(cli.main, ["report", str(output)])
    assert result.exit_code == 0, result.output
    assert (output / "report.html").exists() and (output / "gradebook.csv").exists()
    suffixes = (".html", ".md", ".ipynb", "~notebook.html")
    assert sorted(path.name for path in (output / "feedback").iterdir()) == sorted(
        f"{student}{suffix}" for student in ("alice", "bob", "carol", "dave") for suffix in suffixes
    )
    assert "re-rendered the feedback of 4 submissions" in result.output


@pytest.mark.slow
def test_a_killed_run_loses_nothing_and_resumes(tmp_path: Path) -> None:
    """SIGKILL the whole batch while it grades; every stored file is whole, and the rerun
    grades exactly the submissions that were not stored."""
    folder = tmp_path / "class"
    folder.mkdir()
    for index in range(12):
        shutil.copy(CORRECT if index % 2 else FLAWED, folder / f"student{index:02d}.ipynb")
    output = tmp_path / "graded"
    command = [str(Path(sys.executable).parent / "grade"), "batch", str(folder), "-a",
               "logistic_regression", "-o", str(output), "--jobs", "1", "-q"]  # fmt: skip
    process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(list((output / "results").glob("*.json"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    stored = sorted(p.stem for p in (output / "results").glob("*.json"))
    assert 3 <= len(stored) < 12
    for name in stored:
        json.loads((output / "results" / f"{name}.json").read_text())  # whole, not cut off
        assert (output / "feedback" / f"{name}.html").read_text().rstrip().endswith("</html>")
    summary = run_batch(folder, BatchOptions("logistic_regression", output, progress=False))
    assert summary.skipped == len(stored) and summary.graded == 12 - len(stored)
    assert len(read_csv(output / "gradebook.csv")) == 12


@pytest.mark.slow
def test_the_dask_executor_grades_on_a_local_cluster(small_class: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    local = run_batch(
        small_class, BatchOptions("logistic_regression", tmp_path / "a", progress=False)
    )
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        options = BatchOptions(
            "logistic_regression",
            tmp_path / "b",
            executor="dask",
            scheduler=cluster.scheduler_address,
            progress=False,
        )
        remote = run_batch(small_class, options)
    assert remote.graded == 4 and remote.faults == 0
    assert sorted(remote.scores) == sorted(local.scores)


def test_batch_cli_usage_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli.main, ["batch", str(tmp_path), "-o", str(tmp_path / "o")])
    assert missing.exit_code == 2 and "--assignment" in missing.output
    dask = runner.invoke(
        cli.main,
        [
            "batch",
            str(tmp_path),
            "-a",
            "perceptron",
            "-o",
            str(tmp_path / "o"),
            "--executor",
            "dask",
        ],
    )
    assert dask.exit_code == 2 and "--scheduler" in dask.output
    unknown = runner.invoke(
        cli.main, ["batch", str(tmp_path), "-a", "nope", "-o", str(tmp_path / "o")]
    )
    assert unknown.exit_code == 2 and "unknown assignment" in unknown.output


def crash_on_bob(job: Job) -> GradeReport:
    """A stand-in for grading that kills its worker process on one submission."""
    if job.student == "bob":
        os._exit(3)
    time.sleep(0.2)
    return ungraded_report(SubmissionStatus.GRADED, "", assignment=job.assignment)


@pytest.mark.slow
def test_a_dead_worker_costs_only_the_submission_that_killed_it() -> None:
    """The pool is replaced; the submissions that were in flight are graded again one at a
    time; the one that kills its worker again gets a grader-fault result, and the batch goes
    on."""
    from grader.batch.executors import LocalExecutor

    jobs = [
        Job(name, f"{name}.ipynb", f"{name}.ipynb", b"", "logistic_regression")
        for name in ("alice", "bob", "carol", "dave", "erin", "frank")
    ]
    with LocalExecutor(2, work=crash_on_bob) as executor:
        results = {job.student: result for job, result in executor.run(jobs)}
    assert sorted(results) == ["alice", "bob", "carol", "dave", "erin", "frank"]
    assert results["bob"].status is SubmissionStatus.GRADER_ERROR
    assert "grading worker failed" in results["bob"].message
    assert all(results[name].status is SubmissionStatus.GRADED for name in results if name != "bob")
