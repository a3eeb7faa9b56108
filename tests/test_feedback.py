"""Tests of the feedback renderers: every format, and what the student view must never show."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import pytest

from grader.report.data import report_to_dict
from grader.report.model import (
    CaseResult,
    CellResult,
    CellStatus,
    GradeReport,
    Status,
    SubmissionStatus,
    TaskResult,
    Visibility,
)
from grader.report.render import FORMATS, failure_groups, format_points, gradescope_results, render

# Distinctive strings that must never reach a student.
HIDDEN_INPUTS = "SENTINEL_HIDDEN_INPUTS_7f3a"
HIDDEN_EXPECTED = "SENTINEL_HIDDEN_EXPECTED_91cd"
HIDDEN_SEED = 8675309
PROTECTION = "SENTINEL_PROTECTION_no_network"
GRADER_INTERNALS = "SENTINEL_GRADER_INTERNALS_reference_solutions"
SECRETS = (HIDDEN_INPUTS, HIDDEN_EXPECTED, str(HIDDEN_SEED), PROTECTION)

PUBLIC_INPUTS = "w = [[1.], [2.]], b = 2.0, X = [[1., 2., -1.], [3., 4., -3.2]]"
PUBLIC_EXPECTED = "dw = [[0.99845601], [2.39507239]]"
SCRIPT_MESSAGE = "ValueError: <script>alert('pwned')</script>"
ANSI = re.compile(r"\x1b\[")


def _sigmoid_task() -> TaskResult:
    cases = (
        CaseResult("public-1", Visibility.PUBLIC, Status.PASSED, 0.5, 0.5, seconds=0.01),
        CaseResult("public-2", Visibility.PUBLIC, Status.PASSED, 0.5, 0.5, seconds=0.01),
        CaseResult("hidden-1", Visibility.HIDDEN, Status.PASSED, 1.0, 1.0),
    )
    return TaskResult("sigmoid", "Sigmoid", 2.0, 2.0, cases)


def _propagate_task() -> TaskResult:
    public = CaseResult(
        case_id="public-1",
        visibility=Visibility.PUBLIC,
        status=Status.FAILED,
        points=0.0,
        max_points=1.0,
        message="dw has the right shape (2, 1) but the wrong values.",
        details=("max abs difference 0.5", "first mismatch at index (1, 0)"),
        diagnosis="your dw equals X (A - Y)^T without the 1/m.",
        mistake="forgot-one-over-m",
        inputs=PUBLIC_INPUTS,
        expected=PUBLIC_EXPECTED,
        got="dw = [[2.99536804],\n      [7.18521716]]",
    )
    hidden = CaseResult(
        case_id="hidden-1",
        visibility=Visibility.HIDDEN,
        status=Status.ERROR,
        points=0.0,
        max_points=1.5,
        message=SCRIPT_MESSAGE,
        inputs=HIDDEN_INPUTS,
        expected=HIDDEN_EXPECTED,
        got="x" * 1000,
        traceback='  File "notebook, cell 7", line 4, in propagate\n    raise ValueError(msg)\n',
    )
    passed = CaseResult("hidden-2", Visibility.HIDDEN, Status.PASSED, 0.5, 0.5)
    return TaskResult(
        "propagate", "Forward and backward propagation", 0.5, 3.0, (public, hidden, passed)
    )


def graded_report() -> GradeReport:
    """A graded submission: one passed task, one failed task with a public and a hidden case."""
    return GradeReport(
        assignment="logistic_regression",
        assignment_title="Logistic Regression with a Neural Network Mindset",
        assignment_version="1.2",
        submission="alice_logreg.ipynb",
        submission_sha256="ab" * 32,
        status=SubmissionStatus.GRADED,
        score=2.5,
        max_score=5.0,
        tasks=(_sigmoid_task(), _propagate_task()),
        cells=(
            CellResult(0, CellStatus.OK, 0.1),
            CellResult(
                5,
                CellStatus.ERROR,
                0.2,
                "NameError: name 'np' is not defined",
                traceback="NameError: name 'np' is not defined\n",
                output="hello",
            ),
        ),
        notices=("Module lr_utils was stubbed.", "propagate changed its input X in place."),
        protections=(PROTECTION, "rlimit_as"),
        seconds=3.25,
        graded_at="2024-05-01T12:00:00Z",
        hidden_seed=HIDDEN_SEED,
    )


@pytest.fixture
def graded() -> GradeReport:
    """The graded submission of `graded_report`."""
    return graded_report()


@pytest.fixture
def invalid(graded: GradeReport) -> GradeReport:
    """A file that is not a notebook: scored 0 with a message and no tasks."""
    return replace(
        graded,
        status=SubmissionStatus.INVALID,
        score=0.0,
        tasks=(),
        cells=(),
        notices=(),
        message="The file is not valid JSON (line 1, column 1).",
    )


@pytest.fixture
def grader_error(graded: GradeReport) -> GradeReport:
    """A submission the grader itself failed on."""
    return replace(
        graded,
        status=SubmissionStatus.GRADER_ERROR,
        score=0.0,
        tasks=(),
        cells=(),
        message=f"KeyError in {GRADER_INTERNALS}",
    )


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("instructor", [False, True])
@pytest.mark.parametrize("which", ["graded", "invalid", "grader_error"])
def test_every_format_renders(
    fmt: str, instructor: bool, which: str, request: pytest.FixtureRequest
) -> None:
    """Does every format render every kind of report to non-empty text ending in a newline?"""
    report = request.getfixturevalue(which)
    output = render(report, fmt, instructor=instructor)
    assert output.strip()
    assert output.endswith("\n")
    assert report.submission in output or fmt == "gradescope"


def test_unknown_format_is_rejected(graded: GradeReport) -> None:
    """Does asking for a format we do not have raise a clear ValueError?"""
    with pytest.raises(ValueError, match="unknown feedback format 'pdf'"):
        render(graded, "pdf")


@pytest.mark.parametrize("fmt", FORMATS)
def test_student_view_hides_secrets(graded: GradeReport, fmt: str) -> None:
    """Does the student view hide hidden inputs and expected values, the seed and protections?"""
    output = render(graded, fmt, color=True)
    for secret in SECRETS:
        assert secret not in output


@pytest.mark.parametrize("fmt", [fmt for fmt in FORMATS if fmt != "gradescope"])
def test_instructor_view_shows_everything(graded: GradeReport, fmt: str) -> None:
    """Does the instructor view show hidden inputs and expected values, the seed and protections?"""
    output = render(graded, fmt, instructor=True)
    for secret in SECRETS:
        assert secret in output


@pytest.mark.parametrize("fmt", FORMATS)
def test_student_view_keeps_public_values(graded: GradeReport, fmt: str) -> None:
    """Does the student view still show a public case's inputs, expected value and diagnosis?"""
    output = render(graded, fmt)
    if fmt in ("json", "gradescope"):
        output = json.dumps(json.loads(output), ensure_ascii=False)
    for text in ("[[0.99845601]", "X = [[1., 2., -1.]", "without the 1/m"):
        assert text in output


def test_student_view_leaves_out_hidden_got(graded: GradeReport) -> None:
    """Is a student's own value on a hidden case left out (it may echo the hidden inputs), and
    a public one kept whole?"""
    cases = report_to_dict(graded, instructor=False)["tasks"][1]["cases"]
    assert cases[1]["got"] is None
    assert cases[0]["got"] == graded.tasks[1].cases[0].got


@pytest.mark.parametrize("fmt", FORMATS)
def test_grader_error_is_not_blamed_on_the_student(grader_error: GradeReport, fmt: str) -> None:
    """Does a grader failure say it is not the student's fault, without our internals?"""
    student = render(grader_error, fmt)
    assert GRADER_INTERNALS not in student
    if fmt not in ("json", "gradescope"):
        assert "not your fault" in student
    assert GRADER_INTERNALS in render(grader_error, fmt, instructor=True) or fmt == "gradescope"


def test_case_grader_error_hides_internals(graded: GradeReport) -> None:
    """Does a grader failure on one case apologise to the student without our internals?"""
    task = graded.tasks[1]
    broken = replace(
        task.cases[0],
        status=Status.GRADER_ERROR,
        message=GRADER_INTERNALS,
        details=(GRADER_INTERNALS,),
        traceback=GRADER_INTERNALS,
    )
    report = replace(graded, tasks=(replace(task, cases=(broken,)),))
    for fmt in FORMATS:
        assert GRADER_INTERNALS not in render(report, fmt)
    for fmt in ("text", "md", "html"):
        assert "not your fault" in render(report, fmt)
        assert GRADER_INTERNALS in render(report, fmt, instructor=True)


def test_gradescope_output_says_grader_failed(grader_error: GradeReport) -> None:
    """Does Gradescope's submission-wide output tell the student the grader failed?"""
    results = gradescope_results(grader_error)
    assert "not your fault" in results["output"]
    assert results["tests"] == []


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_invalid_submission_shows_its_message(invalid: GradeReport, fmt: str) -> None:
    """Does an invalid submission show why it could not be graded, and its zero score?"""
    output = render(invalid, fmt)
    assert "could not be graded" in output
    assert "not valid JSON" in output
    assert "0 / 5" in output


def test_gradescope_results_shape(graded: GradeReport) -> None:
    """Is the Gradescope output valid results.json with per-test scores summing to the total?"""
    results = json.loads(render(graded, "gradescope", instructor=True))
    assert {"score", "output", "tests"} <= results.keys()
    assert [test["name"] for test in results["tests"]] == [
        "Sigmoid",
        "Forward and backward propagation",
    ]
    for test in results["tests"]:
        assert {"name", "score", "max_score", "output", "visibility", "status"} <= test.keys()
        assert test["visibility"] in ("visible", "hidden", "after_due_date", "after_published")
        assert test["status"] in ("passed", "failed")
        assert test["output_format"] == "md"
    assert sum(test["score"] for test in results["tests"]) == pytest.approx(results["score"])
    assert sum(test["max_score"] for test in results["tests"]) == pytest.approx(graded.max_score)
    assert [test["status"] for test in results["tests"]] == ["passed", "failed"]


def test_gradescope_task_output_is_student_markdown(graded: GradeReport) -> None:
    """Does each Gradescope test carry its task's student-view Markdown?"""
    failed = gradescope_results(graded)["tests"][1]["output"]
    assert "Likely mistake" in failed
    assert "```" in failed
    assert HIDDEN_EXPECTED not in failed


def test_json_round_trips(graded: GradeReport) -> None:
    """Does the JSON carry schema_version and plain values that survive json.loads?"""
    for instructor in (False, True):
        text = render(graded, "json", instructor=instructor)
        data: dict[str, Any] = json.loads(text)
        assert data["schema_version"] == graded.schema_version
        assert data == report_to_dict(graded, instructor=instructor)
        assert data["status"] == "graded"
        assert data["tasks"][1]["cases"][1]["visibility"] == "hidden"
        assert data["tasks"][0]["passed"] is True
    assert "hidden_seed" not in report_to_dict(graded, instructor=False)
    assert report_to_dict(graded, instructor=True)["hidden_seed"] == HIDDEN_SEED


def test_text_has_no_ansi_without_color(graded: GradeReport) -> None:
    """Does plain text output contain no ANSI escapes, even from the student's traceback?"""
    coloured_traceback = "\x1b[0;31mValueError\x1b[0m: boom\n"
    task = graded.tasks[1]
    case = replace(task.cases[1], traceback=coloured_traceback)
    report = replace(graded, tasks=(graded.tasks[0], replace(task, cases=(task.cases[0], case))))
    for fmt in ("text", "md", "html"):
        assert not ANSI.search(render(report, fmt, instructor=True))


def test_text_has_ansi_with_color(graded: GradeReport) -> None:
    """Does colour=True add ANSI escapes to the text format, and only to it?"""
    assert ANSI.search(render(graded, "text", color=True))
    assert not ANSI.search(render(graded, "md", color=True))
    assert not ANSI.search(render(graded, "html", color=True))


def test_html_is_autoescaped(graded: GradeReport) -> None:
    """Does a <script> in a student's error message come out escaped in HTML?"""
    html = render(graded, "html")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_markdown_escapes_student_text(graded: GradeReport) -> None:
    """Does a <script> in a student's error message stay inert in Markdown?"""
    assert "<script>" not in render(graded, "md")


def test_html_is_self_contained(graded: GradeReport) -> None:
    """Does the HTML load nothing from elsewhere and give each task a section with an id?"""
    html = render(graded, "html", instructor=True)
    assert not re.search(r"<(script|link|img|iframe)\b", html)
    assert "http://" not in html and "https://" not in html
    assert '<section id="task-sigmoid"' in html
    assert '<section id="task-propagate"' in html


def test_scores_and_counts_are_readable(graded: GradeReport) -> None:
    """Does the text show the score without trailing zeros and the passed-case counts?"""
    text = render(graded, "text")
    assert "2.5 / 5" in text
    assert "3 of 3 cases passed" in text
    assert "1 of 3 cases passed" in text
    assert "Likely mistake" in text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2.5, "2.5"),
        (3.0, "3"),
        (2 / 3, "0.67"),
        (0.0, "0"),
        (-0.0, "0"),
        (10.125, "10.12"),
        (1.999, "2"),
    ],
)
def test_format_points(value: float, expected: str) -> None:
    """Are points printed with at most two decimals and no trailing zeros?"""
    assert format_points(value) == expected


# A mistake that breaks every case of a task the same way, and a second, different one.
TRANSPOSED = "Your dw is a row where a column is expected; transpose the product"
NO_ONE_OVER_M = "Your cost is m times too large; divide the sum by m"
HUMAN_FORMATS = ("text", "md", "html")


def _transposed_case(case_id: str, n_x: int, points: float = 0.5) -> CaseResult:
    """A failing case of the transposed-dw mistake, on an input with `n_x` features."""
    hidden = case_id.startswith("hidden")
    return CaseResult(
        case_id=case_id,
        visibility=Visibility.HIDDEN if hidden else Visibility.PUBLIC,
        status=Status.FAILED,
        points=0.0,
        max_points=points,
        message=f"dw has shape (1, {n_x}), but it should have shape ({n_x}, 1).",
        details=("It looks transposed.",),
        diagnosis=TRANSPOSED,
        mistake="dw_wrong_shape",
        inputs=f"{HIDDEN_INPUTS} {case_id}" if hidden else f"public inputs of {case_id}",
        expected=f"{HIDDEN_EXPECTED} {case_id}" if hidden else f"public expected of {case_id}",
        got=f"got of {case_id}",
    )


def _report_with(*cases: CaseResult) -> GradeReport:
    """The graded report with its failed task's cases replaced by `cases`."""
    report = graded_report()
    task = replace(report.tasks[1], cases=cases, max_points=sum(c.max_points for c in cases))
    return replace(report, tasks=(report.tasks[0], task))


@pytest.fixture
def same_mistake() -> GradeReport:
    """Six cases of one task, all failing with the same diagnosis (numbers in the message vary)."""
    ids = ("public-1", "public-2", "hidden-1", "hidden-2", "hidden-3", "hidden-4")
    return _report_with(*(_transposed_case(case_id, 2 + i) for i, case_id in enumerate(ids)))


@pytest.mark.parametrize("fmt", HUMAN_FORMATS)
def test_same_failure_is_explained_once(same_mistake: GradeReport, fmt: str) -> None:
    """Does the student read a mistake that breaks all six cases once, with every case listed?"""
    output = render(same_mistake, fmt)
    assert output.count(TRANSPOSED) == 1
    assert output.count("public inputs of") == 1
    assert "Also failing the same way" in output
    for case in same_mistake.tasks[1].cases:
        assert case.case_id in output
    # hidden-4's line, without the numbers its hidden input gives away
    assert "dw has shape (…), but it should have shape (…)." in output
    assert "(1, 7)" not in output
    for secret in SECRETS:
        assert secret not in output


def test_same_failure_lines_keep_ids_and_points(same_mistake: GradeReport) -> None:
    """Does each case shown as one line keep its id, visibility, verdict and points?"""
    text = render(same_mistake, "text")
    line = next(line for line in text.splitlines() if "hidden-3" in line)
    assert "(hidden)" in line and "wrong value" in line and "0 / 0.5" in line
    assert "dw has shape (…)" in line


def test_gradescope_task_explains_same_failure_once(same_mistake: GradeReport) -> None:
    """Does the Gradescope output of the task also show the shared diagnosis once?"""
    output = gradescope_results(same_mistake)["tests"][1]["output"]
    assert output.count(TRANSPOSED) == 1
    assert "hidden-4" in output
    assert HIDDEN_INPUTS not in output


@pytest.mark.parametrize("fmt", HUMAN_FORMATS)
def test_instructor_sees_every_case_in_full(same_mistake: GradeReport, fmt: str) -> None:
    """Does the instructor view still show every case's inputs, expected value and result?"""
    output = render(same_mistake, fmt, instructor=True)
    assert output.count(TRANSPOSED) == 6
    for case in same_mistake.tasks[1].cases:
        for value in (case.inputs, case.expected, case.got):
            assert value is not None and value in output


def test_json_keeps_every_grouped_case(same_mistake: GradeReport) -> None:
    """Does JSON keep all six cases, with hidden values in the instructor view, ungrouped?"""
    student = report_to_dict(same_mistake, instructor=False)["tasks"][1]["cases"]
    instructor = report_to_dict(same_mistake, instructor=True)["tasks"][1]["cases"]
    assert len(student) == len(instructor) == 6
    assert all(case["diagnosis"] == TRANSPOSED for case in student)
    assert instructor[5]["inputs"] == f"{HIDDEN_INPUTS} hidden-4"


@pytest.mark.parametrize("fmt", HUMAN_FORMATS)
def test_different_mistakes_are_each_explained(fmt: str) -> None:
    """Does a task with two different mistakes show each diagnosis, once each?"""
    cost = replace(
        _transposed_case("public-3", 3),
        message="cost has the wrong value.",
        diagnosis=NO_ONE_OVER_M,
        mistake="cost_without_one_over_m",
    )
    hidden_cost = replace(cost, case_id="hidden-3", visibility=Visibility.HIDDEN)
    report = _report_with(
        _transposed_case("public-1", 2),
        cost,
        _transposed_case("hidden-1", 4),
        hidden_cost,
    )
    output = render(report, fmt)
    assert output.count(TRANSPOSED) == 1
    assert output.count(NO_ONE_OVER_M) == 1
    assert output.count("Also failing the same way") == 2
    assert output.index(TRANSPOSED) < output.index(NO_ONE_OVER_M)  # in the order of the cases


def test_groups_prefer_a_public_lead() -> None:
    """Is a group led by its public case, whose inputs the student may see, even if not first?"""
    cases = (
        _transposed_case("hidden-1", 2),
        _transposed_case("public-1", 3),
        _transposed_case("hidden-2", 4),
    )
    task = TaskResult("propagate", "Propagate", 0.0, 1.5, cases)
    (group,) = failure_groups(task)
    assert group.lead.case_id == "public-1"
    assert [case.case_id for case in group.others] == ["hidden-1", "hidden-2"]
    assert len(failure_groups(task, instructor=True)) == 3


def test_groups_split_on_status_diagnosis_and_message() -> None:
    """Do different statuses, diagnoses or message words make separate groups?"""
    base = _transposed_case("public-1", 2)
    cases = (
        base,
        replace(base, case_id="public-2", status=Status.ERROR),
        replace(base, case_id="public-3", diagnosis=None, mistake=None),
        replace(base, case_id="public-4", message="db has the wrong value."),
        replace(base, case_id="public-5", points=0.5, status=Status.PASSED),
    )
    task = TaskResult("propagate", "Propagate", 0.5, 2.5, cases)
    leads = [group.lead.case_id for group in failure_groups(task)]
    assert leads == ["public-1", "public-2", "public-3", "public-4"]


def test_groups_ignore_case_ids_in_messages() -> None:
    """Do cases skipped after a timeout group together, though each names a different case?"""

    def skipped(case_id: str, after: str) -> CaseResult:
        message = f"Not run: case {after} already timed out, so the function was not called again."
        visibility = Visibility.HIDDEN if case_id.startswith("hidden") else Visibility.PUBLIC
        return CaseResult(case_id, visibility, Status.TIMEOUT, 0.0, 0.2, message=message)

    first = CaseResult(
        "public-1", Visibility.PUBLIC, Status.TIMEOUT, 0.0, 0.2, message="Did not finish in 10 s."
    )
    cases = (
        first,
        skipped("public-2", "public-1"),
        skipped("hidden-1", "public-2"),
        skipped("hidden-12", "hidden-1"),
    )
    task = TaskResult("predict", "Predict", 0.0, 0.8, cases)
    groups = failure_groups(task)
    assert [group.lead.case_id for group in groups] == ["public-1", "public-2"]
    assert [case.case_id for case in groups[1].others] == ["hidden-1", "hidden-12"]


@pytest.mark.parametrize("fmt", [*HUMAN_FORMATS, "gradescope"])
def test_cells_are_numbered_from_one(graded: GradeReport, fmt: str) -> None:
    """Is the cell at index 5 called cell 6, as the tracebacks number it?"""
    output = render(graded, fmt)
    if fmt == "gradescope":
        output = json.loads(output)["output"]
    assert "Cell 6" in output
    assert "Cell 5" not in output


@pytest.mark.parametrize("fmt", HUMAN_FORMATS)
def test_notices_come_before_the_tasks(graded: GradeReport, fmt: str) -> None:
    """Are the notices, which change how to read the results, shown before the tasks?"""
    output = render(graded, fmt)
    assert output.index("Module lr_utils was stubbed.") < output.index("public-1")


def test_text_task_lines_start_with_verdict_and_points(graded: GradeReport) -> None:
    """Does each task line start with its verdict and points, aligned, before the title?"""
    lines = [line for line in render(graded, "text").splitlines() if line.startswith("[")]
    assert [line.split("]")[0] for line in lines] == ["[✓ passed", "[✗ not passed"]
    assert lines[0].index("2 / 2") == lines[1].index("0.5 / 3") + 2
    assert lines[0].endswith("Sigmoid")
    assert lines[1].endswith("Forward and backward propagation")


def test_html_shows_backticked_names_as_code(graded: GradeReport) -> None:
    """Are `names` in notices shown as code in HTML, with the text still escaped?"""
    report = replace(graded, notices=("The module `lr_utils` <b>was</b> provided.",))
    html = render(report, "html")
    assert "<code>lr_utils</code>" in html
    assert "&lt;b&gt;was&lt;/b&gt;" in html
