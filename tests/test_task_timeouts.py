"""Timeouts on a fake session (its `stop` hook ends a call as the sandbox's time limit would):
a call that kept calling its helpers is slow rather than stuck and told how far it got, a
stuck one is told it may loop forever, and after two timeouts a task's other cases are not
run. Which helpers are watched depends on the whole assignment, so the slow-call tests call the
task grader with the full spec's context."""

from __future__ import annotations

import pytest
from fakes import Contexts, FakeSession, Graded, TaskSpecs, patched, scenario_cells, task_of

from grader.notebook.calls import CallOutcome, CallStatus
from grader.report.model import Status, Visibility
from grader.spec.load import load_for_grading
from grader.spec.model import Case, CaseInput
from grader.tasks.compare import grade_compare_task
from grader.tasks.failures import timeout_message
from grader.tasks.messages import NOT_RUN_AFTER_TIMEOUT, TIMEOUT

ASSIGNMENT = "logistic_regression"
# propagate with the sigmoid written out, so that optimize calls one watched helper only
INLINE_SIGMOID = "A = 1 / (1 + np.exp(-(np.dot(w.T, X) + b)))\n    cost"


@pytest.fixture(scope="module")
def correct() -> list[str]:
    return scenario_cells(ASSIGNMENT, "correct-vectorized.ipynb")


def test_a_slow_call_is_told_how_far_it_got(
    context: Contexts, task_spec: TaskSpecs, correct: list[str]
) -> None:
    """Does an optimize cut short after 40 calls of propagate get the "slow rather than
    stuck" message, with the count, the iterations asked for, and advice to vectorize?"""
    cells = patched(correct, "A = sigmoid(np.dot(w.T, X) + b)\n    cost", INLINE_SIGMOID)
    session = FakeSession(cells, stop={"optimize": 40})
    task = grade_compare_task(task_spec(ASSIGNMENT, "optimize"), context(ASSIGNMENT, session))
    case = task.cases[0]
    iterations = load_for_grading(ASSIGNMENT).cases_module._OPTIMIZE_PUBLIC[0][0]
    assert case.status is Status.TIMEOUT and case.points == 0
    assert "but it was not stuck: it had called `propagate` 40 times" in case.message
    assert f"(of the {iterations} iterations asked for)" in case.message
    assert "It is slow rather than looping forever: vectorize `propagate`" in case.message


def test_a_hidden_case_says_slow_without_the_counts(
    context: Contexts, task_spec: TaskSpecs, correct: list[str]
) -> None:
    """When only the hidden cases (more iterations) run out of time, does the student's view
    of them leave out the counts (they follow the hidden inputs), the instructor's keep
    them, and the public cases pass?"""
    cells = patched(correct, "A = sigmoid(np.dot(w.T, X) + b)\n    cost", INLINE_SIGMOID)
    cases_module = load_for_grading(ASSIGNMENT).cases_module
    longest_public = max(n for n, _ in cases_module._OPTIMIZE_PUBLIC)
    shortest_hidden = min(n for n, _ in cases_module._OPTIMIZE_HIDDEN)
    assert longest_public < 200 < shortest_hidden
    session = FakeSession(cells, stop={"optimize": 200})
    optimize = task_spec(ASSIGNMENT, "optimize")
    cases = grade_compare_task(optimize, context(ASSIGNMENT, session)).cases
    public = [case for case in cases if case.visibility is Visibility.PUBLIC]
    timed_out = [case for case in cases if case.message and "not stuck" in case.message]
    assert {case.status for case in public} == {Status.PASSED}
    assert len(timed_out) == 2 and {c.visibility for c in timed_out} == {Visibility.HIDDEN}
    for case in timed_out:
        assert "it had called `propagate` 200 times" in case.message
        student = case.student_message or ""
        assert "it kept calling `propagate`" in student and "200" not in student


def test_a_stuck_call_may_loop_forever_and_two_are_enough(
    graded: Graded, correct: list[str]
) -> None:
    """Is a call that made no progress told it may loop forever; is the next case given a
    quarter of the limit, and are the cases after two timeouts not run at all?"""
    session = FakeSession(correct, stop={"sigmoid": 0})
    task = task_of(graded(session, ASSIGNMENT, tasks=["sigmoid"]), "sigmoid")
    limit = load_for_grading(ASSIGNMENT).assignment.limits.call_seconds
    first, second, *rest = task.cases
    assert first.message == TIMEOUT.format(name="sigmoid", seconds=limit)
    assert second.message == TIMEOUT.format(name="sigmoid", seconds=limit / 4)
    assert rest and all(case.message == NOT_RUN_AFTER_TIMEOUT for case in rest)
    assert {case.status for case in task.cases} == {Status.TIMEOUT}
    assert len([c for c in session.called if c.function == "sigmoid"]) == 2


def test_a_call_that_stopped_calling_its_helpers_was_stuck() -> None:
    """A predict that called sigmoid once and then looped on its own for the rest of its 10 s
    is told it may loop forever, not that it is slow; one whose helper calls went on until
    its time ran out is told it is slow."""
    case = Case("public-1", Visibility.PUBLIC, CaseInput(()))
    stuck = CallOutcome(CallStatus.TIMEOUT, seconds=10.0, progress={"sigmoid": (1, 0.0, 9.9)})
    assert timeout_message("predict", stuck, case) == TIMEOUT.format(name="predict", seconds=10)
    slow = CallOutcome(CallStatus.TIMEOUT, seconds=10.0, progress={"sigmoid": (900, 9.5, 0.0)})
    assert "It is slow rather than looping forever" in timeout_message("predict", slow, case)
