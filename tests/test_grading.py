"""grade_submission on small .py submissions written by the tests."""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import pytest

from grader.grading import grade_submission
from grader.report.model import GradeReport, Status, SubmissionStatus, TaskResult
from grader.tasks import compare as tasks

ROOT = Path(__file__).resolve().parent.parent
CORRECT = (ROOT / "tests" / "scenarios" / "logistic_regression" / "correct-script.py").read_text()

pytestmark = pytest.mark.slow


def write(tmp_path: Path, source: str, name: str = "submission.py") -> Path:
    path = tmp_path / name
    path.write_text(source)
    return path


def task(report: GradeReport, name: str) -> TaskResult:
    return next(t for t in report.tasks if t.name == name)


def test_missing_function_names_the_contract(tmp_path: Path) -> None:
    """Is a function the notebook never defines reported with the exact signature to write?"""
    source = CORRECT.replace("def predict(", "def predikt(")
    report = grade_submission(write(tmp_path, source), "logistic_regression")
    case = task(report, "predict").cases[0]
    assert case.status is Status.MISSING
    assert "predict(w, b, X)" in case.message


def test_input_mutation_is_reported(tmp_path: Path) -> None:
    """Does a function that changes its argument in place get a notice naming the argument?"""
    source = (
        CORRECT
        + "\n\n_pure_sigmoid = sigmoid\n\ndef sigmoid(z):\n"
        + (
            "    if isinstance(z, np.ndarray):\n        z *= 1.0\n        z[...] = -z\n"
            "        return _pure_sigmoid(-z)\n    return _pure_sigmoid(z)\n"
        )
    )
    report = grade_submission(write(tmp_path, source), "logistic_regression")
    assert any("sigmoid" in notice and "`z`" in notice for notice in report.notices)


def test_no_assignment_is_an_invalid_submission(tmp_path: Path) -> None:
    """Is a script without an assignment id or --assignment graded 0 with a clear message?"""
    report = grade_submission(write(tmp_path, "x = 1\n"))
    assert report.status is SubmissionStatus.INVALID and "--assignment" in report.message


def test_reference_failure_is_the_graders_fault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Is a crash in the reference reported as a grader error, never as the student's?"""

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("reference bug")

    monkeypatch.setattr(tasks, "_expected_value", broken)
    report = grade_submission(write(tmp_path, CORRECT), "logistic_regression")
    statuses = {case.status for case in task(report, "sigmoid").cases}
    assert statuses == {Status.GRADER_ERROR}
    assert "not your fault" in task(report, "sigmoid").cases[0].message


def write_cat_files(directory: Path) -> None:
    """Tiny course-format HDF5 files with a learnable signal: cats have a redder centre."""
    rng = np.random.default_rng(0)
    for prefix, m in (("train", 60), ("test", 30)):
        labels = np.arange(m) % 2
        images = rng.normal(128, 40, size=(m, 64, 64, 3))
        images[:, 16:48, 16:48, 0] += np.where(labels, 60, -60)[:, None, None]
        with h5py.File(directory / f"{prefix}_catvnoncat.h5", "w") as handle:
            handle[f"{prefix}_set_x"] = np.clip(images, 0, 255).astype(np.uint8)
            handle[f"{prefix}_set_y"] = labels
            handle["list_classes"] = np.array([b"non-cat", b"cat"])


def test_application_check_uses_course_hdf5_files(tmp_path: Path) -> None:
    """With --data, does the application check train on the course's cat files?"""
    data = tmp_path / "data"
    data.mkdir()
    write_cat_files(data)
    report = grade_submission(write(tmp_path, CORRECT), "logistic_regression", data_dir=data)
    case = task(report, "model_accuracy").cases[0]
    assert "cat" in (case.inputs or "") and case.status is Status.PASSED, case.message
