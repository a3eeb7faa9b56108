"""Known-mistake diagnosis on a fake session: the mistakes that explain a wrong answer are
found part by part (leaf-wise), so each is named even when something else is wrong too."""

from __future__ import annotations

import pytest
from fakes import Graded, patched, scenario_cells, task_of

from grader.report.model import CaseResult
from grader.spec.load import load_for_grading
from grader.tasks.messages import ANOTHER_MISTAKE

ASSIGNMENT = "logistic_regression"


@pytest.fixture(scope="module")
def correct() -> list[str]:
    return scenario_cells(ASSIGNMENT, "correct-vectorized.ipynb")


def message_of(mistake_id: str) -> str:
    mistakes = load_for_grading(ASSIGNMENT).mistakes
    return next(m.message for m in mistakes if m.task == "propagate" and m.id == mistake_id)


def propagate_cases(graded: Graded, cells: list[str]) -> tuple[CaseResult, ...]:
    return task_of(graded(cells, ASSIGNMENT, tasks=["propagate"]), "propagate").cases


def test_two_mistakes_in_one_function_are_both_named(graded: Graded, correct: list[str]) -> None:
    """With the cost and dw both missing their 1/m, is one named as the diagnosis and the
    other as "another likely mistake", in every case?"""
    cells = patched(correct, "cost = -1 / m * np.sum(", "cost = -np.sum(")
    cells = patched(cells, "dw = 1 / m * np.dot(", "dw = np.dot(")
    for case in propagate_cases(graded, cells):
        named = {case.mistake, *(d for d in case.details if d.startswith("Another likely"))}
        assert named == {
            "cost_without_one_over_m",
            ANOTHER_MISTAKE.format(message=message_of("dw_without_one_over_m")),
        }
        assert case.diagnosis == message_of("cost_without_one_over_m")


def test_a_mistake_is_named_even_when_another_part_is_wrong_unknowingly(
    graded: Graded, correct: list[str]
) -> None:
    """With the cost missing its 1/m and db wrong in no known way (always 0), is the cost's
    mistake still named, and nothing made up for db?"""
    cells = patched(correct, "cost = -1 / m * np.sum(", "cost = -np.sum(")
    cells = patched(cells, "db = 1 / m * np.sum(A - Y)", "db = 0.0")
    for case in propagate_cases(graded, cells):
        assert case.mistake == "cost_without_one_over_m"
        assert not [d for d in case.details if d.startswith("Another likely")]


def test_an_unknown_mistake_is_failed_without_a_diagnosis(
    graded: Graded, correct: list[str]
) -> None:
    """Is a wrong value that no known mistake explains failed with what differs, and no
    guessed diagnosis?"""
    cells = patched(correct, "db = 1 / m * np.sum(A - Y)", "db = 0.0")
    case = propagate_cases(graded, cells)[0]
    assert case.points == 0 and case.mistake is None and case.diagnosis is None
    assert case.message == 'grads["db"] has the wrong value.'
