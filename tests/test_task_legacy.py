"""Functions written to an older signature of the course, on a fake session: called with the
arguments that signature needs filled in (a spec's `legacy_args`, or the current defaults),
without losing points, and told so in a notice."""

from __future__ import annotations

from fakes import Graded, fake_session, patched, scenario_cells, task_of

from grader.tasks.messages import ADAPTED

CURRENT = "def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):"
NO_DEFAULTS = "def optimize(w, b, X, Y, num_iterations, learning_rate, print_cost):"


def test_compute_cost_with_the_2017_parameters_argument(graded: Graded) -> None:
    """Is two_layer_net's compute_cost(A2, Y, parameters) called with `parameters` filled in
    (cases.py's legacy_parameters), given full points and a notice naming today's
    signature?"""
    session = fake_session(
        scenario_cells("two_layer_net", "release-2017-compute-cost-signature.ipynb"),
        "two_layer_net",
    )
    report = graded(session, "two_layer_net", tasks=["compute_cost"])
    assert task_of(report, "compute_cost").points == 1
    notice = ADAPTED.format(
        name="compute_cost", filled="`parameters`", signature="compute_cost(A2, Y) -> cost"
    )
    assert notice in report.notices
    assert all("parameters" in call.options.extra for call in session.called)


def test_todays_signature_gets_no_notice(graded: Graded) -> None:
    """Is nothing filled in, and nothing said, for a compute_cost written to today's
    signature?"""
    cells = scenario_cells("two_layer_net", "correct-course-style.ipynb")
    report = graded(cells, "two_layer_net", tasks=["compute_cost"])
    assert task_of(report, "compute_cost").points == 1
    assert not [notice for notice in report.notices if "older version" in notice]


def test_a_signature_without_defaults_gets_todays_defaults(graded: Graded) -> None:
    """Is an optimize written without default values (the 2017-2019 releases) called with
    today's defaults for what the grader leaves out (print_cost), at no cost?"""
    cells = patched(
        scenario_cells("logistic_regression", "correct-vectorized.ipynb"), CURRENT, NO_DEFAULTS
    )
    report = graded(cells, "logistic_regression", tasks=["optimize"])
    assert task_of(report, "optimize").points == 2
    assert any(
        n.startswith("Your `optimize` is written to an older version") and "`print_cost`" in n
        for n in report.notices
    )
