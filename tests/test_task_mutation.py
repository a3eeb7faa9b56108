"""Arguments changed in place, on a fake session: a notice by default, half a case where the
spec says it costs (`mutation = "fail"`), and only writes into the caller's arrays where the
spec allows new dict entries (`mutation = "arrays"`)."""

from __future__ import annotations

from fakes import Graded, scenario_cells, task_of

from grader.report.model import Status
from grader.tasks.messages import MUTATED

WRITES_INTO_Z = """
_pure_sigmoid = sigmoid

def sigmoid(z):
    if isinstance(z, np.ndarray):
        z *= 1.0
        z[...] = -z
        return _pure_sigmoid(-z)
    return _pure_sigmoid(z)
"""


def test_input_mutation_is_reported(graded: Graded) -> None:
    """Does a function that changes its argument in place get a notice naming the argument,
    and keep its points where the spec only warns?"""
    cells = [*scenario_cells("logistic_regression", "correct-vectorized.ipynb"), WRITES_INTO_Z]
    report = graded(cells, "logistic_regression", tasks=["sigmoid"])
    assert MUTATED.format(name="sigmoid", which="`z`") in report.notices
    assert task_of(report, "sigmoid").points == 1


def test_a_change_the_spec_fails_costs_half_of_each_case(graded: Graded) -> None:
    """Does an update_parameters that changes the dict it was given (two_layer_net:
    mutation = "fail") keep half of each case, named, with a notice?"""
    cells = scenario_cells("two_layer_net", "update-in-place.ipynb")
    report = graded(cells, "two_layer_net", tasks=["update_parameters"])
    task = task_of(report, "update_parameters")
    assert task.points == 0.5 and task.max_points == 1
    for case in task.cases:
        assert case.status is Status.FAILED and case.mistake == "modifies_input"
        assert case.points == case.max_points / 2
        assert "changed its input `parameters` in place, which costs 50%" in case.message
    assert MUTATED.format(name="update_parameters", which="`parameters`") in report.notices


def test_new_dict_entries_pass_where_only_array_writes_cost(graded: Graded) -> None:
    """Under mutation = "arrays" (deep_net's update_parameters), is replacing entries of the
    caller's dict accepted without a notice, and writing into its arrays (-=) charged half?"""
    entries = graded(
        scenario_cells("deep_net", "update-in-place.ipynb"), "deep_net", tasks=["update_parameters"]
    )
    assert task_of(entries, "update_parameters").points == 1
    assert not [notice for notice in entries.notices if "in place" in notice]
    arrays = graded(
        scenario_cells("deep_net", "update-writes-caller-arrays.ipynb"),
        "deep_net",
        tasks=["update_parameters"],
    )
    task = task_of(arrays, "update_parameters")
    assert task.points == 0.5 and {c.mistake for c in task.cases} == {"modifies_input"}
    assert MUTATED.format(name="update_parameters", which="`params`") in arrays.notices


def test_a_copy_first_is_no_change(graded: Graded) -> None:
    """Does the course's own style (copy.deepcopy, then new arrays) pass without a notice
    under mutation = "fail"?"""
    cells = scenario_cells("two_layer_net", "correct-course-style.ipynb")
    report = graded(cells, "two_layer_net", tasks=["update_parameters"])
    assert task_of(report, "update_parameters").points == 1
    assert not [n for n in report.notices if "in place" in n]
