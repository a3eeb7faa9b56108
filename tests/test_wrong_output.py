"""Fingerprints and descriptions of wrong outputs (instructor view, grader side)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from fakes import Graded, patched, scenario_cells, task_of

from grader.checks.values import Tolerance
from grader.checks.wrong_output import describe_difference, input_sizes, output_digest
from grader.report.data import report_to_dict
from grader.report.model import Status
from grader.report.render import render
from grader.tasks import compare

TOL = Tolerance(1e-6, 1e-8)
RNG = np.random.default_rng(0)
EXPECTED = RNG.normal(size=(4, 3))


def test_values_equal_up_to_rounding_noise_share_a_digest() -> None:
    """Do two computations of the same wrong values (different float noise) match?"""
    a = {"dw": EXPECTED * 2, "db": 0.25}
    b = {"db": 0.25 + 1e-13, "dw": (EXPECTED + EXPECTED) * (1 + 1e-12)}
    assert output_digest(a, TOL) == output_digest(b, TOL)
    assert output_digest((EXPECTED, 1.0), TOL) == output_digest((EXPECTED.copy(), 1.0), TOL)


@pytest.mark.parametrize(
    "other",
    [
        EXPECTED * 2.01,  # other values
        EXPECTED.T * 2,  # same values, other shape
        (EXPECTED * 2).tolist(),  # a list, not an array
        None,
    ],
)
def test_different_outputs_get_different_digests(other: object) -> None:
    """Does a different value, shape or type change the digest?"""
    assert output_digest(EXPECTED * 2, TOL) != output_digest(other, TOL)


def test_values_near_zero_and_non_finite_values_are_stable() -> None:
    """Are values within atol of zero all zero, and NaN and infinities told apart?"""
    assert output_digest(np.array([1e-12, -1e-13]), TOL) == output_digest(np.zeros(2), TOL)
    digests = {output_digest(np.array([v]), TOL) for v in (np.nan, np.inf, -np.inf, 0.0)}
    assert len(digests) == 4


@pytest.mark.parametrize(
    ("got", "expected_words"),
    [
        (EXPECTED * 2, "every value is 2x the expected"),
        (EXPECTED / 12, "every value is 1/12 of the expected (12 is a size of the inputs)"),
        (EXPECTED * 144, "every value is 144x the expected (144 = 12², 12 a size of the inputs)"),
        (-EXPECTED, "every value is the negative of the expected"),
        (EXPECTED + 0.5, "every value is the expected + 0.5"),
        (EXPECTED - 0.25, "every value is the expected - 0.25"),
        (np.zeros((4, 3)), "every value is 0"),
        (EXPECTED.T, "the transpose of the expected value (shape (3, 4) where (4, 3) is expected)"),
        (EXPECTED.reshape(12), "the expected values, but in shape (12,) instead of (4, 3)"),
        (np.ones((2, 2)), "shape (2, 2) where (4, 3) is expected"),
        (None, "None (did you forget a `return`?) where a numpy array of shape (4, 3) is"),
    ],
)
def test_simple_relations_are_named(got: object, expected_words: str) -> None:
    """Is a constant factor, a power of an input size, a sign flip, an offset, a transpose,
    a shape or a type difference said in words?"""
    sizes = input_sizes((np.ones((5, 12)),), {"iterations": 1})
    assert describe_difference(EXPECTED, got, sizes).startswith(expected_words)


def test_otherwise_the_largest_error_is_given_with_its_place() -> None:
    """Without a simple relation, does the description say how many values differ and where
    the largest difference is?"""
    got = EXPECTED.copy()
    got[2, 1] += 3
    words = describe_difference(EXPECTED, got, path="dw")
    assert words.startswith("`dw`: 1 of 12 values differ; the largest difference is 3 at ")
    assert "index (2, 1)" in words


def test_a_scalar_says_both_numbers_and_a_whole_factor() -> None:
    """Does a wrong number show both values and a whole factor between them?"""
    six = "3 where 0.5 is expected: 6x (6 is a size of the inputs)"
    assert describe_difference(0.5, 3.0, frozenset({6})) == six
    negative = "the negative of the expected value (-0.5 where 0.5 is expected)"
    assert describe_difference(0.5, -0.5) == negative
    assert describe_difference(0.5, 0.7) == "0.7 where 0.5 is expected"


def test_input_sizes_look_into_dicts_but_not_bools() -> None:
    """Are array dimensions and whole numbers found, inside parameter dicts too?"""
    sizes = input_sizes(({"W1": np.ones((7, 3))}, True, 64), {"m": 1})
    assert sizes == frozenset({7, 3, 64})


def test_a_failing_case_keeps_its_digest_and_difference_for_the_instructor_only(
    graded: Graded,
) -> None:
    """Does a case failing by value carry the fingerprint and the difference in the
    instructor's stored report, and no student view (JSON, HTML, Markdown, text) have them?"""
    cells = scenario_cells("logistic_regression", "correct-vectorized.ipynb")
    dw = "dw = 1 / m * np.dot(X, (A - Y).T)"
    cells = patched(cells, dw, dw.replace("1 / m", "2 / m"))
    report = graded(cells, "logistic_regression", tasks=["propagate"])
    failed = [c for c in task_of(report, "propagate").cases if c.status is Status.FAILED]
    assert failed and all(c.got_digest and c.mistake is None for c in failed)
    assert all(c.difference == '`grads["dw"]`: every value is 2x the expected' for c in failed)
    instructor = json.dumps(report_to_dict(report, instructor=True))
    assert failed[0].got_digest in instructor
    student = json.dumps(report_to_dict(report, instructor=False))
    assert '"got_digest":' not in student and '"difference":' not in student
    for fmt in ("html", "md", "text"):
        shown = render(report, fmt)
        assert "2x the expected" not in shown
        assert all(c.got_digest not in shown for c in failed if c.got_digest)


def test_a_value_that_cannot_be_described_is_still_graded(
    graded: Graded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If describing a wrong output fails, is the case still a plain failure (no grader
    fault), only without the description?"""

    def broken(*args: object, **kwargs: object) -> str:
        raise ValueError("cannot describe")

    monkeypatch.setattr(compare, "describe_difference", broken)
    cells = scenario_cells("logistic_regression", "correct-vectorized.ipynb")
    dw = "dw = 1 / m * np.dot(X, (A - Y).T)"
    report = graded(
        patched(cells, dw, dw.replace("1 / m", "2 / m")), "logistic_regression", tasks=["propagate"]
    )
    cases = task_of(report, "propagate").cases
    assert all(c.status is Status.FAILED and c.difference is None for c in cases)
    assert all(c.got_digest is None for c in cases)
