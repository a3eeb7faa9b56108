"""The fairness contract of the value comparison: every test asks one question a student might.

The chain is type -> structure -> shape -> dtype -> finite -> values; the first failure wins.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from grader.checks import messages as msg
from grader.checks.values import Rules, Verdict, compare_values, describe_type
from grader.sandbox.wire import Unsupported

RULES = Rules()
COSTS = [0.6931471805599453, 0.5845083636993086, 0.4669490409465547]
DW = np.array([[0.99845601], [2.39507239]])


def check(expected: Any, got: Any, rules: Rules = RULES, path: str = "your result") -> Verdict:
    return compare_values(expected, got, rules, path)


def fails(expected: Any, got: Any, kind: str, rules: Rules = RULES) -> Verdict:
    verdict = check(expected, got, rules)
    assert not verdict.ok, "expected a failure"
    assert verdict.kind == kind, verdict
    return verdict


# --- precision ----------------------------------------------------------------------------


def test_float32_answer_within_float32_precision_passes() -> None:
    """Does a float32 answer, correct up to float32 rounding, pass against a float64 one?"""
    expected = np.random.default_rng(0).standard_normal((4, 3)) * 100
    assert check(expected, expected.astype(np.float32)).ok


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_answer_off_by_a_thousandth_fails(dtype: type) -> None:
    """Does an answer off by 1e-3 relative fail, in float32 as in float64?"""
    got = (DW * (1 + 1e-3)).astype(dtype)
    fails(DW, got, "value")


def test_float32_scalar_within_float32_precision_passes() -> None:
    """Does a float32 scalar with float32-sized error pass against a float64 scalar?"""
    assert check(COSTS[0], np.float32(COSTS[0] * (1 + 2e-5))).ok


@pytest.mark.parametrize(
    "got",
    [
        pytest.param(lambda c: np.array(c, dtype=np.float32), id="float32 array"),
        pytest.param(lambda c: [np.float32(x) for x in c], id="list of float32 scalars"),
    ],
)
def test_float32_costs_list_within_float32_precision_passes(got: Any) -> None:
    """Is a list of float32 costs judged with float32 precision, whatever container holds it?"""
    drifted = [x * (1 + 2e-5) for x in COSTS]
    assert check(COSTS, got(drifted)).ok


# --- scalars ------------------------------------------------------------------------------

SCALAR_FORMS = {
    "int": lambda x: int(x),
    "float": lambda x: float(x),
    "np.float64": np.float64,
    "np.float32": np.float32,
    "np.int64": lambda x: np.int64(x),
    "0-d array": lambda x: np.array(float(x)),
    "0-d float32 array": lambda x: np.array(x, dtype=np.float32),
}


@pytest.mark.parametrize("want", list(SCALAR_FORMS))
@pytest.mark.parametrize("have", list(SCALAR_FORMS))
def test_every_scalar_form_passes_as_a_scalar(want: str, have: str) -> None:
    """Do Python numbers, numpy scalars and 0-d arrays all pass for one another?"""
    assert check(SCALAR_FORMS[want](3), SCALAR_FORMS[have](3)).ok


@pytest.mark.parametrize(("expected", "got"), [(0, 0.0), (0.0, 0), (1.0, True), (0, np.False_)])
def test_int_zero_and_float_zero_are_the_same_number(expected: Any, got: Any) -> None:
    """Do 0 and 0.0 (and True for 1.0) count as the same scalar?"""
    assert check(expected, got).ok


@pytest.mark.parametrize("shape", [(1,), (1, 1)])
def test_one_element_array_for_a_scalar_fails_as_shape_with_a_hint(shape: tuple[int]) -> None:
    """Does a (1,) or (1, 1) array where a number is expected fail as shape, hinting squeeze?"""
    verdict = fails(0.5, np.full(shape, 0.5), "shape")
    assert "np.squeeze" in verdict.message and "float(" in verdict.message
    assert str(shape) in verdict.message


def test_longer_array_for_a_scalar_gets_no_squeeze_hint() -> None:
    """Is the squeeze hint kept for arrays that hold a single number?"""
    verdict = fails(0.5, np.zeros(3), "shape")
    assert "squeeze" not in verdict.message


# --- shapes --------------------------------------------------------------------------------


def test_bool_predictions_equal_to_float_predictions_pass() -> None:
    """Do bool predictions pass where the answer holds float 0.0/1.0, and vice versa?"""
    labels = np.array([[1.0, 0.0, 1.0, 1.0]])
    assert check(labels, labels.astype(bool)).ok
    assert check(labels.astype(bool), labels).ok
    fails(labels, np.array([[True, True, True, True]]), "value")


def test_shape_is_checked_before_values() -> None:
    """Does a (3,) answer to a (3, 1) question fail as shape even though it broadcasts equal?"""
    expected = np.array([[1.0], [2.0], [3.0]])
    got = expected.ravel()
    assert np.all(got == expected.T)  # broadcasting would have hidden the mistake
    verdict = fails(expected, got, "shape")
    assert verdict.details == (msg.HINT_RANK1.format(expected=(3, 1)),)


@pytest.mark.parametrize(
    ("expected_shape", "got_shape", "hint"),
    [
        ((3, 1), (1, 3), msg.HINT_TRANSPOSED),
        ((2, 5), (5, 2), msg.HINT_TRANSPOSED),
        ((4, 1), (4,), msg.HINT_RANK1.format(expected=(4, 1))),
        ((1, 4), (4,), msg.HINT_RANK1.format(expected=(1, 4))),
        ((3, 1), (3, 3), msg.HINT_BROADCAST),
        ((1, 5), (5, 5), msg.HINT_BROADCAST),
        ((2, 3), (6,), msg.HINT_SAME_SIZE),
    ],
)
def test_shape_slips_get_their_hint(
    expected_shape: tuple[int, ...], got_shape: tuple[int, ...], hint: str
) -> None:
    """Does a transposed, rank-1, broadcast or reshaped answer get the hint that explains it?"""
    verdict = fails(np.ones(expected_shape), np.ones(got_shape), "shape")
    assert verdict.details == (hint,)
    assert str(got_shape) in verdict.message and str(expected_shape) in verdict.message


def test_accidental_broadcast_result_gets_the_broadcast_hint() -> None:
    """Does (3, 1) + (3,) -> (3, 3) give the broadcast hint rather than a value diff?"""
    z = np.array([[1.0], [2.0], [3.0]])
    b = np.array([0.5, 0.5, 0.5])
    verdict = fails(z + 0.5, z + b, "shape")
    assert msg.HINT_BROADCAST in verdict.details


# --- structure -----------------------------------------------------------------------------


def test_tuple_of_the_wrong_length_fails_as_structure_naming_the_parts() -> None:
    """Does returning 2 values where (w, b, cost) is expected name the expected parts?"""
    rules = Rules(names=("w", "b", "cost"))
    verdict = fails((DW, 0.5, 0.1), (DW, 0.5), "structure", rules)
    assert "3" in verdict.message and "2" in verdict.message
    assert "w, b, cost" in verdict.message


def test_list_of_the_right_length_passes_for_a_tuple() -> None:
    """Does a list holding the right values pass where a tuple is expected?"""
    assert check((DW, 0.5), [DW, 0.5]).ok
    assert check([DW, 0.5], (DW, 0.5)).ok


def test_a_single_array_for_a_tuple_fails_as_type() -> None:
    """Does returning only dw where (dw, db) is expected fail as a type problem?"""
    verdict = fails((DW, 0.5), DW, "type")
    assert "numpy array of shape (2, 1)" in verdict.message


def test_missing_dict_keys_are_named() -> None:
    """Does a dict missing keys name exactly the missing ones?"""
    expected = {"dw": DW, "db": 0.5, "cost": 0.1}
    verdict = fails(expected, {"dw": DW}, "structure")
    assert '"db", "cost"' in verdict.message
    assert '"dw"' in verdict.message  # listed among the expected keys


def test_extra_dict_keys_are_fine() -> None:
    """Does a dict with extra keys (e.g. a cached value) still pass?"""
    assert check({"dw": DW, "db": 0.5}, {"dw": DW, "db": 0.5, "Z": np.zeros(3)}).ok


def test_path_names_from_rules_appear_in_messages() -> None:
    """Does a wrong grads["dw"] inside (params, grads) name exactly that place?"""
    rules = Rules(names=("params", "grads"))
    expected = ({"w": DW}, {"dw": DW, "db": 0.5})
    verdict = fails(expected, ({"w": DW}, {"dw": DW * 2, "db": 0.5}), "value", rules)
    assert verdict.path == 'grads["dw"]'
    assert verdict.message.startswith('grads["dw"]')


def test_float_dtype_rule_rejects_an_int_array_only_where_asked() -> None:
    """Does Rules(dtypes={"w": "float"}) reject an int w, while ints pass by default?"""
    expected = (np.zeros((2, 1)), 0.0)
    got = (np.zeros((2, 1), dtype=np.int64), 0)
    strict = Rules(names=("w", "b"), dtypes={"w": "float"})
    verdict = fails(expected, got, "dtype", strict)
    assert verdict.path == "w" and "int64" in verdict.message
    assert check(expected, got, Rules(names=("w", "b"))).ok


# --- non-finite values ---------------------------------------------------------------------


def test_nan_where_the_answer_is_finite_fails_as_nonfinite_with_the_index() -> None:
    """Does a NaN in a finite answer fail as nonfinite and say where the first one is?"""
    got = DW.copy()
    got[1, 0] = np.nan
    verdict = fails(DW, got, "nonfinite")
    assert "(1, 0)" in verdict.message and "nan" in verdict.message


def test_nan_scalar_where_the_answer_is_finite_fails_as_nonfinite() -> None:
    """Does a NaN cost fail as nonfinite rather than as a plain wrong value?"""
    fails(0.69, float("nan"), "nonfinite")
    fails(0.69, np.float32("inf"), "nonfinite")


def test_inf_in_both_passes() -> None:
    """Does an answer holding inf exactly where the reference does pass?"""
    expected = np.array([1.0, np.inf, -np.inf])
    assert check(expected, expected.copy()).ok


@pytest.mark.parametrize(
    ("expected", "got"),
    [
        pytest.param(np.array([np.nan, 1.0]), np.array([np.nan, 1.0]), id="nan in both arrays"),
        pytest.param(float("nan"), float("nan"), id="nan in both scalars"),
        pytest.param(np.array([np.nan, 1.0]), np.array([0.0, 1.0]), id="nan only expected"),
        pytest.param(np.array([np.inf, 1.0]), np.array([1.0, 1.0]), id="inf only expected"),
        pytest.param(float("inf"), 1.0, id="inf expected scalar"),
    ],
)
def test_non_finite_reference_values_give_a_verdict(expected: Any, got: Any) -> None:
    """Does a reference holding NaN or inf give a verdict instead of crashing the grader?"""
    verdict = check(expected, got)
    assert isinstance(verdict, Verdict)
    assert verdict.ok or verdict.kind == "value"


# --- value mismatches ----------------------------------------------------------------------


def test_value_mismatch_details_locate_and_size_the_error() -> None:
    """Do the details give the mismatch count, the first bad index with both values, max errors?"""
    expected = np.array([[1.0, 2.0], [3.0, 4.0]])
    got = np.array([[1.0, 2.5], [3.0, 4.0]])
    verdict = fails(expected, got, "value")
    count, first, errors = verdict.details[:3]
    assert "1 of 4" in count
    assert "(0, 1)" in first and "expected 2" in first and "got 2.5" in first
    assert "absolute error 0.5" in errors and "relative error 0.25" in errors


SCALE_CASES = {
    "negated": (-1.0, "opposite sign"),
    "times 5": (5.0, "5 times"),
    "divided by 4": (0.25, "divided by 4"),
    "times -2": (-2.0, "-2 times"),
}


@pytest.mark.parametrize(("ratio", "words"), list(SCALE_CASES.values()), ids=list(SCALE_CASES))
def test_constant_factor_gets_a_scale_hint(ratio: float, words: str) -> None:
    """Does an answer off by a constant factor (sign, missing 1/m) say which factor?"""
    verdict = fails(DW, DW * ratio, "value")
    assert words in verdict.details[-1]


def test_scalar_off_by_a_whole_factor_gets_a_hint() -> None:
    """Does a single cost that is 3 times too large get the factor hint?"""
    verdict = fails(0.25, 0.75, "value")
    assert msg.HINT_FACTOR.format(factor="3") in verdict.details


def test_scalar_off_by_a_non_integer_ratio_gets_no_factor_hint() -> None:
    """Does a single number off by a ratio like 2.5 avoid a misleading factor hint?"""
    verdict = fails(0.2, 0.5, "value")
    assert verdict.details == (msg.SCALAR_VALUES.format(expected="0.2", got="0.5"),)


def test_unrelated_values_get_no_scale_hint() -> None:
    """Does a wrong answer with no common factor get no scale hint?"""
    verdict = fails(DW, DW + np.array([[0.1], [-0.3]]), "value")
    assert len(verdict.details) == 3


# --- lists of numbers (recorded costs) -----------------------------------------------------

COSTS_FORMS = {
    "list of floats": lambda c: list(c),
    "tuple of floats": lambda c: tuple(c),
    "list of np.float64": lambda c: [np.float64(x) for x in c],
    "list of 0-d arrays": lambda c: [np.array(x) for x in c],
    "1-D array": lambda c: np.array(c),
    "(1, n) row": lambda c: np.array([c]),
    "(n, 1) column": lambda c: np.array(c).reshape(-1, 1),
}


@pytest.mark.parametrize("form", list(COSTS_FORMS.values()), ids=list(COSTS_FORMS))
def test_costs_pass_in_any_reasonable_container(form: Any) -> None:
    """Do recorded costs pass as a list, tuple, numpy scalars, 1-D array, row or column?"""
    assert check(COSTS, form(COSTS)).ok


def test_costs_of_the_wrong_count_fail_as_structure_naming_both_counts() -> None:
    """Does recording 26 costs where 3 are expected fail as structure, saying 3 and 26?"""
    verdict = fails(COSTS, [0.5] * 26, "structure")
    assert "3" in verdict.message and "26" in verdict.message


def test_costs_in_a_2d_grid_fail_as_structure() -> None:
    """Does a (3, 3) array for 3 costs fail as structure, reporting its shape?"""
    verdict = fails(COSTS, np.ones((3, 3)), "structure")
    assert "(3, 3)" in verdict.message


def test_wrong_costs_fail_as_values() -> None:
    """Does a costs list with one wrong value fail as a value mismatch at that index?"""
    verdict = fails(COSTS, [COSTS[0], 0.9, COSTS[2]], "value")
    assert "(1,)" in verdict.details[1]


# --- values the wire could not carry, and wording --------------------------------------------

FUNCTION = Unsupported("builtins.function")


@pytest.mark.parametrize(
    "expected",
    [DW, 0.5, (DW, 0.5), {"dw": DW}, COSTS, None],
    ids=["array", "scalar", "tuple", "dict", "costs", "none"],
)
def test_unsupported_value_fails_as_type_naming_it(expected: Any) -> None:
    """Does a returned function (sent as Unsupported) fail as a type problem, naming the type?"""
    verdict = fails(expected, FUNCTION, "type")
    assert "builtins.function" in verdict.message


def test_none_is_described_as_a_missing_return() -> None:
    """Does describing None remind the student of a missing `return`?"""
    assert "return" in describe_type(None)
    verdict = fails(DW, None, "type")
    assert "return" in verdict.message


def test_expected_none_accepts_only_none() -> None:
    """Does a function that should return None pass with None and fail with 0?"""
    assert check(None, None).ok
    fails(None, 0, "type")
