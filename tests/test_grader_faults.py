"""Our faults are ours: a deliberately broken assignment (its reference raises) makes grader
faults that are left out of the total, reported as such at every level, never blamed on the
student."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import cli
from grader.batch.run import BatchOptions, run_batch
from grader.grading import grade_submission
from grader.report.model import Status, SubmissionStatus
from grader.report.render import render
from grader.resources import ASSIGNMENTS_PATH_ENV

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
CORRECT = REPO / "examples" / "logistic_regression_correct.ipynb"
BROKEN_PREDICT = '''

def predict(w, b, X, *, sigmoid=sigmoid):
    """Broken on purpose: the grader's own fault."""
    raise ZeroDivisionError("the reference's predict is broken")
'''


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An own copy of logistic_regression, `broken_lr`, whose reference predict raises."""
    folder = tmp_path / "mycourse"
    target = folder / "broken_lr"
    shutil.copytree(REPO / "assignments" / "logistic_regression", target)
    spec = target / "assignment.toml"
    spec.write_text(spec.read_text().replace('id = "logistic_regression"', 'id = "broken_lr"'))
    reference = (REPO / "reference_solutions" / "logistic_regression.py").read_text()
    (target / "reference.py").write_text(reference + BROKEN_PREDICT)
    monkeypatch.setenv(ASSIGNMENTS_PATH_ENV, str(folder))
    return "broken_lr"


def test_a_broken_reference_is_a_grader_fault_left_out_of_the_total(broken: str) -> None:
    """Are the cases our reference cannot grade left out, and the submission marked ours?"""
    report = grade_submission(CORRECT, broken)
    assert report.status is SubmissionStatus.GRADER_ERROR
    tasks = {task.name: task for task in report.tasks}
    faulted = {
        name
        for name, task in tasks.items()
        if any(c.status is Status.GRADER_ERROR for c in task.cases)
    }
    assert faulted == {"predict"}
    assert tasks["predict"].max_points == 0 and tasks["predict"].points == 0
    assert report.score == report.max_score == 12 - 1  # the rest is graded as usual
    assert "ZeroDivisionError" in report.message and "predict" in report.message
    student = render(report, "text")
    assert "not your fault" in student and "ZeroDivisionError" not in student
    assert "ZeroDivisionError" in render(report, "text", instructor=True)


def test_grade_submit_exits_3_with_the_cause_on_stderr(broken: str) -> None:
    """Does `grade submit` exit 3 with a one-line reason, and the student's feedback no blame?"""
    result = CliRunner().invoke(cli.main, ["submit", str(CORRECT), "-a", broken])
    assert result.exit_code == 3, result.output
    fault = [line for line in result.stderr.splitlines() if line.startswith("grader fault")]
    assert len(fault) == 1 and "ZeroDivisionError" in fault[0]
    assert "raised an error" not in result.stdout


def test_grade_batch_counts_and_lists_the_fault(broken: str, tmp_path: Path) -> None:
    """Does the batch summary count the grader fault and the class report give its cause?"""
    submissions = tmp_path / "class"
    submissions.mkdir()
    shutil.copy(CORRECT, submissions / "ann.ipynb")
    output = tmp_path / "graded"
    summary = run_batch(submissions, BatchOptions(broken, output, progress=False))
    assert summary.faults == 1
    report = (output / "report.html").read_text()
    assert "grader fault" in report and "ZeroDivisionError" in report
