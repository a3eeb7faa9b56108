"""The `compare` task kind on a fake session: the student's value against the reference's, on
the logistic-regression assignment's own cases, reference and known mistakes."""

from __future__ import annotations

import pytest
from fakes import Graded, patched, scenario_cells, task_of

from grader.report.model import Status, SubmissionStatus
from grader.tasks.messages import MISSING

ASSIGNMENT = "logistic_regression"


@pytest.fixture(scope="module")
def correct() -> list[str]:
    return scenario_cells(ASSIGNMENT, "correct-vectorized.ipynb")


@pytest.mark.parametrize(
    "name", ["correct-vectorized.ipynb", "correct-float32.ipynb", "correct-loops.ipynb"]
)
def test_correct_code_gets_full_marks(graded: Graded, name: str) -> None:
    """Do correct notebooks (vectorized, float32 throughout, Python loops) earn every point,
    with every case passed?"""
    report = graded(scenario_cells(ASSIGNMENT, name), ASSIGNMENT)
    assert report.status is SubmissionStatus.GRADED
    assert report.full_marks and report.score == report.max_score == 12
    assert {case.status for task in report.tasks for case in task.cases} == {Status.PASSED}


def test_a_known_mistake_is_named_and_costs_its_task(graded: Graded, correct: list[str]) -> None:
    """Is a cost without 1/m named in every case of `propagate`, with the reference's message,
    and does it cost propagate's points only?"""
    cells = patched(correct, "cost = -1 / m * np.sum(", "cost = -np.sum(")
    report = graded(cells, ASSIGNMENT)
    propagate = task_of(report, "propagate")
    assert propagate.points == 0
    assert {case.mistake for case in propagate.cases} == {"cost_without_one_over_m"}
    assert "divide the summed cross-entropy by m" in (propagate.cases[0].diagnosis or "")
    assert report.score == 12 - 3


def test_a_wrong_shape_is_said_before_any_value(graded: Graded, correct: list[str]) -> None:
    """Is a transposed dw reported by its shape (and as transposed), not as wrong values?"""
    cells = patched(correct, "dw = 1 / m * np.dot(X, (A - Y).T)", "dw = 1 / m * np.dot(A - Y, X.T)")
    case = task_of(graded(cells, ASSIGNMENT), "propagate").cases[0]
    assert case.status is Status.FAILED and case.mistake == "dw_wrong_shape"
    assert case.message.startswith('grads["dw"] has shape (1, ')
    assert "but it should have shape (" in case.message and "value" not in case.message
    assert any("transposed" in detail for detail in case.details)


def test_a_missing_function_names_the_contract(graded: Graded, correct: list[str]) -> None:
    """Is a function the notebook never defines reported with the exact signature to write,
    each of its cases marked missing?"""
    report = graded(patched(correct, "def predict(", "def predikt("), ASSIGNMENT)
    cases = task_of(report, "predict").cases
    assert {case.status for case in cases} == {Status.MISSING}
    signature = "predict(w, b, X) -> Y_prediction"
    assert cases[0].message == MISSING.format(name="predict", signature=signature)


def test_a_failed_cell_is_pointed_at_when_a_function_is_missing(
    graded: Graded, correct: list[str]
) -> None:
    """When the cell defining a function raised, does the missing function's message point
    at that cell?"""
    cells = patched(correct, "def predict(w, b, X):", "undefined_name\ndef predict(w, b, X):")
    case = task_of(graded(cells, ASSIGNMENT), "predict").cases[0]
    number = next(i for i, s in enumerate(cells) if "undefined_name" in s) + 1
    assert case.status is Status.MISSING and f"Cell {number} raised an error" in case.message


def test_an_unimplemented_function_is_said_so(graded: Graded, correct: list[str]) -> None:
    """Does a function that still raises NotImplementedError get "not implemented yet",
    not a traceback to puzzle over?"""
    cells = patched(correct, "    s = 1 / (1 + np.exp(-z))", "    raise NotImplementedError()")
    case = task_of(graded(cells, ASSIGNMENT), "sigmoid").cases[0]
    assert case.status is Status.ERROR
    assert "You have not implemented `sigmoid` yet" in case.message


def test_an_error_is_the_students_with_a_hint(graded: Graded, correct: list[str]) -> None:
    """Is an exception in the student's function reported as theirs, with its message and
    the usual cause when one is known (operands of a matrix product in the wrong order)?"""
    cells = patched(
        correct,
        "A = sigmoid(np.dot(w.T, X) + b)\n    cost",
        "A = sigmoid(np.dot(w, X) + b)\n    cost",
    )
    case = task_of(graded(cells, ASSIGNMENT), "propagate").cases[0]
    assert case.status is Status.ERROR
    assert case.message.startswith("Your `propagate` raised an error: ValueError: shapes")
    assert "check the order of the operands" in case.message


def test_a_variable_where_a_function_belongs(graded: Graded, correct: list[str]) -> None:
    """Is a name bound to a number, where a function was asked for, said to be one?"""
    report = graded([*correct, "sigmoid = 0.5"], ASSIGNMENT)
    case = task_of(report, "sigmoid").cases[0]
    assert case.status is Status.ERROR
    assert "should be a function, but your notebook defines it as a float" in case.message
