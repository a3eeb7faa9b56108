"""Instructors' own exercises: `grade new` makes a working assignment, `grade validate` passes
it and catches what is wrong with one, and a notebook is graded against it."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import cli
from grader.grading import grade_submission
from grader.resources import ASSIGNMENTS_PATH_ENV
from grader.spec.scaffold import scaffold
from grader.spec.validate import validate_one

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of assignments made by `grade new softmax` (and searched by the grader)."""
    root = tmp_path / "mycourse"
    result = CliRunner().invoke(cli.main, ["new", "softmax", "--dir", str(root)])
    assert result.exit_code == 0, result.output
    monkeypatch.setenv(ASSIGNMENTS_PATH_ENV, str(root))
    return root


def test_a_new_assignment_validates_as_generated(course: Path) -> None:
    """Does `grade validate` pass the scaffold, every check of it?"""
    result = CliRunner().invoke(cli.main, ["validate", "softmax", "--assignments-dir", str(course)])
    assert result.exit_code == 0, result.output
    checks = {line.split()[1]: line.split()[2] for line in result.stdout.splitlines()[1:-1]}
    assert checks == dict.fromkeys(["spec", "reference", "float32", "mistakes", "release"], "ok")
    assert (course / "softmax" / "release" / "softmax.ipynb").is_file()


def test_a_notebook_is_graded_against_an_own_assignment(course: Path, tmp_path: Path) -> None:
    """Is a student's notebook for the new assignment graded, its mistake named?"""
    notebook = json.loads((course / "softmax" / "release" / "softmax.ipynb").read_text())
    for cell in notebook["cells"]:
        if "".join(cell["source"]).startswith("# GRADED FUNCTION"):
            cell["source"] = (
                "def softmax(Z):\n    E = np.exp(Z)\n    return E / E.sum(axis=1, keepdims=True)\n"
            )
    path = tmp_path / "student.ipynb"
    path.write_text(json.dumps(notebook))
    report = grade_submission(path)
    assert report.score == 0 and report.max_score == 2
    assert {c.mistake for t in report.tasks for c in t.cases} == {"normalized_over_rows"}


def test_validate_catches_what_is_wrong(course: Path) -> None:
    """Does validate fail a missing generator, and a known mistake its hidden cases miss?"""
    folder = course / "softmax"
    cases = folder / "cases.py"
    cases.write_text(cases.read_text().replace("def softmax(", "def softmax_cases("))
    (spec,) = validate_one("softmax")
    assert not spec.ok and "no generator 'softmax' in cases.py" in spec.detail
    cases.write_text(cases.read_text().replace("def softmax_cases(", "def softmax("))
    reference = folder / "reference.py"
    text = reference.read_text().replace(
        "        _normalized_over_rows,\n", "        lambda Z: softmax(Z + 1.0),\n"
    )
    reference.write_text(text)  # softmax(Z + 1) == softmax(Z): no case can catch it
    findings = {f.check: f for f in validate_one("softmax", train=False)}
    assert findings["reference"].ok and findings["release"].ok
    assert not findings["mistakes"].ok
    assert "no hidden case catches it" in findings["mistakes"].detail


def test_a_typo_is_refused_with_a_hint(course: Path) -> None:
    """Does validate report `hiden_cases = 5` with the right key named?"""
    spec = course / "softmax" / "assignment.toml"
    spec.write_text(spec.read_text().replace("hidden_cases = 3", "hiden_cases = 5"))
    (finding,) = validate_one("softmax")
    assert not finding.ok and "did you mean 'hidden_cases'" in finding.detail


def test_grade_new_refuses_a_bad_id_and_an_existing_folder(course: Path) -> None:
    """Are an id that is not an identifier and an existing folder usage errors?"""
    runner = CliRunner()
    assert runner.invoke(cli.main, ["new", "Soft-Max", "--dir", str(course)]).exit_code == 2
    assert runner.invoke(cli.main, ["new", "softmax", "--dir", str(course)]).exit_code == 2
    with pytest.raises(ValueError):
        scaffold("1st", course)


def test_a_notebook_straight_in_the_temporary_folder_is_graded() -> None:
    """Is a submission whose folder holds the sandbox's own working folders graded (hiding
    that folder used to hide the sandbox's working directory too)?"""
    folder = Path(tempfile.gettempdir())
    path = folder / "grader-test-submission-in-tmp.ipynb"
    shutil.copy(REPO / "examples" / "logistic_regression_correct.ipynb", path)
    try:
        report = grade_submission(path, "logistic_regression")
    finally:
        path.unlink()
    assert report.full_marks, report.message
