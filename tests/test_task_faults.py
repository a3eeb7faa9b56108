"""The grader's own faults, on a fake session: a reference, a property check or a task grader
that raises gives grader-fault cases, never blamed on the student, left out of the total, and
the submission is marked as having met a grader fault."""

from __future__ import annotations

from typing import Any

import pytest
from fakes import Graded, scenario_cells, task_of

from grader.report.model import Status, SubmissionStatus
from grader.spec.load import load_for_grading
from grader.tasks import registry
from grader.tasks.messages import GRADER_FAULT

FAULT_PREFIX = GRADER_FAULT.split("{")[0]


def broken(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("reference bug")


@pytest.mark.usefixtures("fresh_expected")
def test_reference_failure_is_the_graders_fault(
    graded: Graded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Is a crash in the reference reported as a grader error, never as the student's, its
    task left out of the total, and the submission marked as met by a grader fault?"""
    monkeypatch.setattr(load_for_grading("logistic_regression").reference, "sigmoid", broken)
    cells = scenario_cells("logistic_regression", "correct-vectorized.ipynb")
    report = graded(cells, "logistic_regression")
    sigmoid = task_of(report, "sigmoid")
    assert {case.status for case in sigmoid.cases} == {Status.GRADER_ERROR}
    assert "not your fault" in sigmoid.cases[0].message
    assert "RuntimeError: reference bug" in sigmoid.cases[0].message
    assert sigmoid.max_points == 0 and report.max_score == 12 - 1
    assert report.score == report.max_score  # the rest of the notebook is correct
    assert report.status is SubmissionStatus.GRADER_ERROR
    assert report.message.startswith("grader fault on ")
    assert "of sigmoid (left out of the total): RuntimeError: reference bug" in report.message


def test_a_property_check_that_raises_is_the_graders_fault(
    graded: Graded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Is a bug in a property check (cases.py) a grader fault on that case, not a failure?"""
    cases_module = load_for_grading("two_layer_net").cases_module
    monkeypatch.setattr(cases_module, "check_initialize_parameters", broken)
    cells = scenario_cells("two_layer_net", "correct-course-style.ipynb")
    report = graded(cells, "two_layer_net", tasks=["initialize_parameters"])
    task = task_of(report, "initialize_parameters")
    assert {case.status for case in task.cases} == {Status.GRADER_ERROR}
    assert task.cases[0].message.startswith(FAULT_PREFIX)
    assert report.status is SubmissionStatus.GRADER_ERROR and report.max_score == 0


def test_a_task_grader_that_raises_is_the_graders_fault(
    graded: Graded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Does an exception escaping a task grader become one grader-fault case of that task,
    the other tasks graded as usual?"""
    monkeypatch.setitem(registry.TASK_GRADERS, "variable", broken)
    cells = scenario_cells("param_counts", "correct-formulas.ipynb")
    report = graded(cells, "param_counts")
    answer = task_of(report, "lecture_conv_params")
    assert [case.status for case in answer.cases] == [Status.GRADER_ERROR]
    assert answer.cases[0].message.startswith(FAULT_PREFIX) and answer.max_points == 0
    assert report.score == report.max_score == 11 - 2
    assert report.status is SubmissionStatus.GRADER_ERROR
