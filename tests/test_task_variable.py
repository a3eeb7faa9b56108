"""The `variable` task kind on a fake session: answers given as notebook variables (the
param_counts assignment's lecture questions), read and compared with the reference's."""

from __future__ import annotations

from fakes import Graded, patched, scenario_cells, task_of

from grader.report.model import Status

ASSIGNMENT = "param_counts"
ANSWERS = ("lecture_conv_params", "lecture_output_shape")


def test_right_answers_get_their_points(graded: Graded) -> None:
    """Are the right named answers (an int, a tuple) given their points, without inputs to
    show?"""
    report = graded(scenario_cells(ASSIGNMENT, "correct-formulas.ipynb"), ASSIGNMENT)
    for name in ANSWERS:
        task = task_of(report, name)
        assert task.points == task.max_points == 1
        assert [case.status for case in task.cases] == [Status.PASSED]
        assert task.cases[0].inputs is None


def test_a_wrong_answer_is_named_by_its_mistake(graded: Graded) -> None:
    """Is an answer that counts only the weights (450, not 456) failed and named as the
    forgotten biases, with both values shown?"""
    cells = patched(
        scenario_cells(ASSIGNMENT, "correct-formulas.ipynb"),
        "lecture_conv_params = ",
        "lecture_conv_params = 5 * 5 * 3 * 6  # ",
    )
    case = task_of(graded(cells, ASSIGNMENT, tasks=ANSWERS), "lecture_conv_params").cases[0]
    assert case.status is Status.FAILED and case.mistake == "forgot_biases"
    assert "expected 456, got 450" in case.details
    assert "Each of the six filters also has one bias" in (case.diagnosis or "")


def test_a_missing_answer_names_what_to_define(graded: Graded) -> None:
    """Is a named answer the notebook never sets reported as missing, with the line to
    write?"""
    report = graded(scenario_cells(ASSIGNMENT, "named-answers-missing.ipynb"), ASSIGNMENT)
    case = task_of(report, "lecture_output_shape").cases[0]
    assert case.status is Status.MISSING
    assert "Define it with exactly this name: lecture_output_shape = (n_H, n_W, n_C)" in (
        case.message
    )
    assert report.score == report.max_score - 2
