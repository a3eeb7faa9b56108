"""Nothing hidden reaches a student, in any format: graded buggy submissions are rendered in
every student view (text, Markdown, HTML, JSON, Gradescope, the feedback notebook and its
page, and a batch's feedback files) and searched for the hidden cases' inputs and expected
values."""

from __future__ import annotations

import copy
import math
import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from grader.batch.run import BatchOptions, run_batch
from grader.batch.store import load_all
from grader.grading import grade_submission
from grader.report.model import GradeReport, Visibility
from grader.report.notebook import feedback_notebook, read_submitted
from grader.report.notebook_html import notebook_html
from grader.report.render import FORMATS, render
from grader.spec.cases import generate_cases
from grader.spec.load import load_assignment, load_cases_module, load_reference

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = REPO / "tests" / "scenarios"
# Buggy submissions whose failures show values, shapes, counts and statistics.
BUGGY = [
    ("logistic_regression", REPO / "examples" / "logistic_regression_flawed.ipynb"),
    ("logistic_regression", SCENARIOS / "logistic_regression" / "dw-wrong-shape.ipynb"),
    ("logistic_regression", SCENARIOS / "logistic_regression" / "costs-every-iteration.ipynb"),
    ("two_layer_net", SCENARIOS / "two_layer_net" / "db-without-keepdims.ipynb"),
    ("two_layer_net", SCENARIOS / "two_layer_net" / "forward-without-biases.ipynb"),
    ("deep_net", SCENARIOS / "deep_net" / "last-cache-missing.ipynb"),
    (
        "regularization",
        SCENARIOS / "regularization" / "dropout-mask-keeps-one-minus-keep-prob.ipynb",
    ),
    ("conv_pool", SCENARIOS / "conv_pool" / "conv-forward-no-padding.ipynb"),
]


def _numbers(value: Any) -> list[float]:
    """Every number inside a case's inputs or expected value."""
    if isinstance(value, np.ndarray):
        return [float(x) for x in value.ravel()[:5000] if np.isfinite(x)]
    if isinstance(value, dict):
        return [n for item in value.values() for n in _numbers(item)]
    if isinstance(value, list | tuple):
        return [n for item in value for n in _numbers(item)]
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float | np.number):
        return [float(value)] if math.isfinite(float(value)) else []
    return []


def _distinctive(number: float) -> list[str]:
    """How a number would be written in feedback, for numbers unlikely to appear by chance:
    non-integers with at least four significant digits (0.9313, 7.45, 1.234e-05...)."""
    if number == int(number) or abs(number) < 1e-6:
        return []
    texts = {f"{number:.4g}", f"{number:.5f}".rstrip("0"), f"{number:.6g}"}
    return [t for t in texts if len(t.replace("-", "").replace(".", "").lstrip("0")) >= 4]


def hidden_secrets(assignment_id: str) -> set[str]:
    """Renderings of the numbers in every hidden case's inputs and expected values."""
    assignment = load_assignment(assignment_id)
    cases_module = load_cases_module(assignment)
    reference = load_reference(assignment)
    secrets: set[str] = set()
    for task in assignment.tasks:
        if task.kind not in ("compare", "property"):
            continue
        for case in generate_cases(assignment, task, cases_module):
            if case.visibility is not Visibility.HIDDEN:
                continue
            values = [case.inputs.args, case.inputs.kwargs]
            if task.kind == "compare":
                args, kwargs = copy.deepcopy((case.inputs.args, case.inputs.kwargs))
                values.append(getattr(reference, task.function)(*args, **kwargs))
            for number in _numbers(values):
                secrets.update(_distinctive(number))
    return secrets


# Timings and points are numbers too, and may equal a hidden value to four digits by chance.
TIMINGS = re.compile(r'"(seconds|execution_time|points|max_points|score|max_score)": [-0-9.e]+')
# The notebook page's style sheets are nbconvert's own, the same for every notebook, and full
# of numbers that may equal a hidden value to four digits by chance.
STYLE_SHEETS = re.compile(r"<style\b.*?</style>", re.S)


def _student_views(report: GradeReport, path: Path) -> dict[str, str]:
    views = {fmt: TIMINGS.sub("", render(report, fmt)) for fmt in FORMATS}
    views["notebook"] = feedback_notebook(report, read_submitted(path))
    page = notebook_html(views["notebook"], report.assignment_title)
    assert page is not None
    views["notebook-html"] = STYLE_SHEETS.sub("", page)
    return views


def _public_numbers(report: GradeReport) -> str:
    """What the report shows of its public cases and of the notebook's own cells (a number
    such as ln 2, the first cost of every logistic regression, may be in both by chance)."""
    cases = [
        f"{c.inputs}\n{c.expected}\n{c.got}\n{c.message}\n{' '.join(c.details)}"
        for task in report.tasks
        for c in task.cases
        if c.visibility is Visibility.PUBLIC
    ]
    return "\n".join([*cases, *(f"{cell.output}\n{cell.message}" for cell in report.cells)])


@pytest.mark.parametrize(("assignment", "path"), BUGGY, ids=[f"{a}/{p.name}" for a, p in BUGGY])
def test_no_student_format_shows_a_hidden_value(assignment: str, path: Path) -> None:
    """Does any student format show a number from a hidden case's inputs or expected value?"""
    report = grade_submission(path, assignment)
    assert any(
        c.visibility is Visibility.HIDDEN and c.status.value != "passed"
        for task in report.tasks
        for c in task.cases
    ), "the submission must fail some hidden case for this test to mean anything"
    instructor = render(report, "json", instructor=True)
    public = _public_numbers(report)
    secrets = {s for s in hidden_secrets(assignment) if s not in public}
    assert any(s in instructor for s in secrets), "the instructor view shows hidden values"
    for fmt, text in _student_views(report, path).items():
        leaked = sorted(s for s in secrets if s in text)
        assert not leaked, f"{fmt} shows hidden values {leaked[:5]}"


def test_batch_feedback_files_show_no_hidden_value(tmp_path: Path) -> None:
    """Do the feedback files a batch writes for students keep the hidden cases hidden?"""
    submissions = tmp_path / "class"
    submissions.mkdir()
    shutil.copy(REPO / "examples" / "logistic_regression_flawed.ipynb", submissions / "ann.ipynb")
    shutil.copy(
        SCENARIOS / "logistic_regression" / "dw-wrong-shape.ipynb", submissions / "bob.ipynb"
    )
    output = tmp_path / "graded"
    run_batch(
        submissions,
        BatchOptions(assignment="logistic_regression", output=output, progress=False),
    )
    secrets = hidden_secrets("logistic_regression")
    stored = {item.student: item.report for item in load_all(output)}
    assert sorted(stored) == ["ann", "bob"]
    results = "\n".join(p.read_text() for p in (output / "results").glob("*.json"))
    assert any(s in results for s in secrets), "the instructor's results keep hidden values"
    for student, report in stored.items():
        public = _public_numbers(report)
        for suffix in (".html", ".md", ".ipynb", "~notebook.html"):
            text = STYLE_SHEETS.sub("", (output / "feedback" / f"{student}{suffix}").read_text())
            leaked = sorted(s for s in secrets if s in text and s not in public)
            assert not leaked, f"{student}{suffix} shows hidden values {leaked[:5]}"
