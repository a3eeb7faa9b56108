"""One bug costs once, on a fake session: while a function is graded, the graded helpers that
failed their own checks are answered with the reference's result; a helper the grader itself
failed on keeps the student's version."""

from __future__ import annotations

from typing import Any

import pytest
from fakes import FakeSession, Graded, fake_session, patched, scenario_cells, task_of

from grader.report.model import Status
from grader.spec.load import load_for_grading
from grader.tasks.messages import OWN_HELPERS

ASSIGNMENT = "logistic_regression"


@pytest.fixture(scope="module")
def correct() -> list[str]:
    return scenario_cells(ASSIGNMENT, "correct-vectorized.ipynb")


def stand_ins_of(session: FakeSession, function: str) -> set[str]:
    """The helpers stood in for during the calls of `function`."""
    return {name for c in session.called if c.function == function for name in c.options.stand_ins}


def test_a_wrong_propagate_costs_its_own_points_only(graded: Graded, correct: list[str]) -> None:
    """Does a propagate without 1/m in its cost lose propagate's points while optimize, model
    and the accuracy check keep theirs, propagate answered by the reference in their calls?"""
    session = fake_session(
        patched(correct, "cost = -1 / m * np.sum(", "cost = -np.sum("), ASSIGNMENT
    )
    report = graded(session, ASSIGNMENT)
    points = {task.name: task.points for task in report.tasks}
    assert points["propagate"] == 0
    assert points["optimize"] == 2 and points["model"] == 2 and points["model_accuracy"] == 2
    assert report.score == report.max_score - 3
    assert stand_ins_of(session, "optimize") == {"propagate"}
    assert stand_ins_of(session, "sigmoid") == set()  # a function is never its own stand-in


def test_a_helper_not_known_to_fail_is_the_students_own(graded: Graded, correct: list[str]) -> None:
    """When propagate is not graded (so not known to fail), is optimize called with the
    student's own propagate, and passed because it matches the reference run with that same
    propagate, saying so?"""
    cells = patched(correct, "dw = 1 / m * np.dot(", "dw = np.dot(")
    session = fake_session(cells, ASSIGNMENT)
    optimize = task_of(graded(session, ASSIGNMENT, tasks=["optimize"]), "optimize")
    assert stand_ins_of(session, "optimize") == set()
    assert optimize.points == 2
    assert OWN_HELPERS.format(helpers="`propagate`") in optimize.cases[0].details


def test_a_helper_the_grader_failed_on_keeps_the_students_version(
    graded: Graded, correct: list[str], monkeypatch: pytest.MonkeyPatch, fresh_expected: None
) -> None:
    """When the grader's own reference for `sigmoid` fails, is sigmoid a grader fault and the
    student's sigmoid still used inside propagate (the broken reference cannot answer for
    it)?"""

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("reference bug")

    monkeypatch.setattr(load_for_grading(ASSIGNMENT).reference, "sigmoid", broken)
    session = fake_session(correct, ASSIGNMENT)
    report = graded(session, ASSIGNMENT, tasks=["sigmoid", "propagate"])
    assert {c.status for c in task_of(report, "sigmoid").cases} == {Status.GRADER_ERROR}
    propagate = task_of(report, "propagate")
    assert propagate.points == propagate.max_points == 3, propagate.cases[0].message
    assert stand_ins_of(session, "propagate") == set()


def test_a_stand_in_for_an_older_signature_drops_its_extra_argument(graded: Graded) -> None:
    """Does a failed compute_cost written to the 2017 signature, called with three arguments
    by nn_model, still get the reference's answer (the older `parameters` dropped), so
    nn_model keeps its points?"""
    cells = scenario_cells("two_layer_net", "release-2017-compute-cost-without-one-over-m.ipynb")
    session = fake_session(cells, "two_layer_net")
    report = graded(session, "two_layer_net", tasks=["compute_cost", "nn_model"])
    assert task_of(report, "compute_cost").cases[0].mistake == "without_one_over_m"
    assert task_of(report, "nn_model").points == 1
    assert stand_ins_of(session, "nn_model") == {"compute_cost"}
