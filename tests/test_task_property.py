"""The `property` task kind on a fake session: answers that are right in many ways (random
initializations, trained parameters) judged by a property of the value, with the mistakes a
property check recognises named."""

from __future__ import annotations

import pytest
from fakes import Graded, patched, scenario_cells, task_of

from grader.report.model import Status

TWO_LAYER = "two_layer_net"


@pytest.mark.parametrize(
    "name",
    ["correct-unseeded.ipynb", "correct-default-rng.ipynb", "correct-normal-with-scale.ipynb"],
)
def test_random_initializations_pass_whatever_the_seed(graded: Graded, name: str) -> None:
    """Do He, Xavier and large random initializations pass by their statistics, unseeded or
    drawn another way?"""
    report = graded(scenario_cells("initialization", name), "initialization")
    assert report.full_marks, [c.message for t in report.tasks for c in t.cases if c.message]


def test_a_wrong_scale_is_named_by_its_statistic(graded: Graded) -> None:
    """Is He initialization without the square root failed by its standard deviation, with
    what it should be, and named?"""
    report = graded(scenario_cells("initialization", "he-sqrt-missing.ipynb"), "initialization")
    he = task_of(report, "initialize_parameters_he")
    assert he.points == 0
    assert {case.mistake for case in he.cases} == {"sqrt_missing"}
    assert "standard deviation" in he.cases[0].message
    assert report.score == report.max_score - he.max_points


def test_small_random_weights_pass_and_unscaled_ones_fail(graded: Graded) -> None:
    """Does `initialize_parameters` pass with randn * 0.01, and fail with randn alone, told
    what the standard deviation is and should be?"""
    cells = scenario_cells(TWO_LAYER, "correct-course-style.ipynb")
    right = task_of(
        graded(cells, TWO_LAYER, tasks=["initialize_parameters"]), "initialize_parameters"
    )
    assert right.points == right.max_points == 1
    unscaled = patched(
        cells, "W1 = np.random.randn(n_h, n_x) * 0.01", "W1 = np.random.randn(n_h, n_x)"
    )
    wrong = task_of(
        graded(unscaled, TWO_LAYER, tasks=["initialize_parameters"]), "initialize_parameters"
    )
    assert wrong.points == 0 and wrong.cases[0].mistake == "weights_not_scaled"
    assert "it should be about 0.01" in wrong.cases[0].message


def test_nn_model_is_judged_by_what_it_trained(graded: Graded) -> None:
    """Does nn_model pass when it returns trained parameters, and fail, named, when it
    returns the initial ones?"""
    cells = scenario_cells(TWO_LAYER, "correct-course-style.ipynb")
    trained = task_of(graded(cells, TWO_LAYER, tasks=["nn_model"]), "nn_model")
    assert trained.points == trained.max_points
    stale = patched(
        cells,
        "        parameters = update_parameters(parameters, grads)\n",
        "        update_parameters(parameters, grads)\n",
    )
    initial = task_of(graded(stale, TWO_LAYER, tasks=["nn_model"]), "nn_model")
    assert initial.points == 0
    assert {case.mistake for case in initial.cases} == {"returns_initial_parameters"}
    assert "these are the initial parameters" in initial.cases[0].message
    assert {case.status for case in initial.cases} == {Status.FAILED}
