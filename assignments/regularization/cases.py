"""Case generators and the dropout property check for `regularization` (grader side only).

Each generator is called as `generator(rng, index, visibility)` with a generator seeded from
(seed, task, index). The inputs are chosen so that every known mistake in
`reference_solutions/regularization.py` changes the output of every case:

- the network is the course's 3-layer one with layer sizes that all differ and differ from m,
  nonzero biases, and weights large enough that the L2 term is a sizeable part of the cost;
- lambd is never the course's 0.7 or 0.1, and never 1 or 2 (where a missing 1/2 or 1/m could
  cancel against it);
- the caches come from a real forward pass, with both active and inactive ReLU units;
- dropout: large activations (thousands of entries, so the kept fraction is measured to within
  a few percent) and keep_prob between 0.6 and 0.9, so a mask that keeps 1 - keep_prob is far
  off, and masks in dropout_backward that hold both 0s and 1s.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.checks import Rules, compare_values
from grader.checks.statistics import check_keep_fraction
from grader.checks.values import PASS, Verdict, describe_type
from grader.spec.model import CaseInput, call

_LAMBDAS = (0.3, 0.45, 0.6, 0.85, 1.3, 1.7)
_KEEP_PROBS = (0.6, 0.7, 0.75, 0.8, 0.86, 0.9)


def _dims(rng: np.random.Generator, m: int) -> list[int]:
    """[n_x, n_1, n_2, 1]: all different, none equal to m."""
    while True:
        dims = [int(rng.integers(2, 6)), int(rng.integers(3, 7)), int(rng.integers(2, 6)), 1]
        if len(set(dims)) == 4 and m not in dims:
            return dims


def _parameters(rng: np.random.Generator, dims: list[int]) -> dict[str, np.ndarray]:
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = rng.normal(0.0, 1.0, size=(dims[l], dims[l - 1]))
        parameters[f"b{l}"] = rng.normal(0.0, 0.5, size=(dims[l], 1))
    return parameters


def _labels(rng: np.random.Generator, m: int) -> np.ndarray:
    Y = (rng.random(m) < 0.5).astype(float)
    Y[0], Y[1] = 1.0, 0.0
    return rng.permutation(Y).reshape(1, m)


def compute_cost_with_regularization(
    rng: np.random.Generator, index: int, visibility: str
) -> CaseInput:
    """Activations well inside (0, 1), both labels, a 3-layer network, a non-default lambd."""
    m = int(rng.integers(5, 13))
    dims = _dims(rng, m)
    A3 = rng.uniform(0.05, 0.95, size=(1, m))
    lambd = float(rng.choice(_LAMBDAS))
    return call(
        A3,
        _labels(rng, m),
        _parameters(rng, dims),
        lambd,
        note=f"m = {m}, layer sizes {dims}, lambd = {lambd}",
    )


def _forward_cache(X: np.ndarray, parameters: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    """The course's forward_propagation cache (Z1, A1, W1, b1, ..., Z3, A3, W3, b3)."""
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = W1 @ X + b1
    A1 = np.maximum(0, Z1)
    Z2 = W2 @ A1 + b2
    A2 = np.maximum(0, Z2)
    Z3 = W3 @ A2 + b3
    A3 = 1 / (1 + np.exp(-Z3))
    return (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)


def backward_propagation_with_regularization(
    rng: np.random.Generator, index: int, visibility: str
) -> CaseInput:
    """A cache from a real forward pass where both hidden layers have active and inactive units."""
    while True:
        m = int(rng.integers(5, 10))
        dims = _dims(rng, m)
        X = rng.normal(0.0, 1.0, size=(dims[0], m))
        parameters = _parameters(rng, dims)
        cache = _forward_cache(X, parameters)
        A1, A2 = cache[1], cache[5]
        if all(0 < np.mean(A > 0) < 1 for A in (A1, A2)) and np.any(A2 > 0, axis=0).all():
            break
    lambd = float(rng.choice(_LAMBDAS))
    return call(
        X,
        _labels(rng, m),
        cache,
        lambd,
        note=f"m = {m}, layer sizes {dims}, lambd = {lambd}; the cache comes from "
        "forward_propagation",
    )


def dropout_forward(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Activations of 30 to 60 units on 120 to 250 examples; keep_prob from 0.6 to 0.9."""
    n, m = int(rng.integers(30, 61)), int(rng.integers(120, 251))
    A = rng.normal(0.0, 1.0, size=(n, m))
    keep_prob = float(_KEEP_PROBS[(index + (0 if visibility == "public" else 2)) % 6])
    return call(A, keep_prob, note=f"A of shape {(n, m)}, keep_prob = {keep_prob}")


def dropout_backward(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """A small dA and a 0/1 mask (int, or float in some hidden cases) with both values."""
    while True:
        n, m = int(rng.integers(3, 7)), int(rng.integers(5, 11))
        keep_prob = float(rng.choice(_KEEP_PROBS))
        D = (rng.random((n, m)) < keep_prob).astype(int)
        if n != m and 0 < D.mean() < 1:
            break
    if visibility == "hidden" and index % 2 == 1:
        D = D.astype(float)
    dA = rng.normal(0.0, 1.0, size=(n, m))
    return call(
        dA,
        D,
        keep_prob,
        note=f"dA of shape {(n, m)}, keep_prob = {keep_prob}, D of dtype {D.dtype}",
    )


# --- The dropout property check ---------------------------------------------------------------

NOT_A_PAIR = "Your result should be the tuple (A_dropped, D), but it is {got}."
NOT_AN_ARRAY = "{path} should be a numpy array of shape {shape}, but it is {got}."
WRONG_SHAPE = "A_dropped has shape {got}; it should have the shape of A, {shape}."
MASK_SHAPE = (
    "D has shape {got}; the mask needs one entry per unit and example, the shape of A "
    "{shape}: D = np.random.rand(A.shape[0], A.shape[1]) < keep_prob."
)
NOT_SCALED_HINT = "A_dropped should be A * D / keep_prob, with your D."


def check_dropout_forward(inputs: CaseInput, got: Any) -> Verdict:
    """D: a binary mask of A's shape keeping about keep_prob; A_dropped = A * D / keep_prob.

    The kept fraction is judged within 6 standard errors (statistics.check_keep_fraction), so a
    correct mask passes whatever its seed; A_dropped is compared with A * D / keep_prob computed
    from the student's own D.
    """
    A, keep_prob = inputs.args[0], float(inputs.args[1])
    if not isinstance(got, tuple | list) or len(got) != 2:
        return Verdict(False, "your result", NOT_A_PAIR.format(got=describe_type(got)), kind="type")
    A_dropped, D = got
    for path, value in (("A_dropped", A_dropped), ("D", D)):
        if not isinstance(value, np.ndarray):
            return Verdict(
                False,
                path,
                NOT_AN_ARRAY.format(path=path, shape=A.shape, got=describe_type(value)),
                kind="type",
            )
    if A_dropped.shape != A.shape:
        return Verdict(
            False, "A_dropped", WRONG_SHAPE.format(got=A_dropped.shape, shape=A.shape), kind="shape"
        )
    if D.shape != A.shape:
        return Verdict(False, "D", MASK_SHAPE.format(got=D.shape, shape=A.shape), kind="shape")
    verdict = check_keep_fraction(D, keep_prob, "D")
    if not verdict.ok:
        return verdict
    expected = A * np.asarray(D, dtype=float) / keep_prob
    verdict = compare_values(expected, A_dropped, Rules(), "A_dropped")
    if not verdict.ok:
        return Verdict(
            False,
            verdict.path,
            verdict.message,
            (NOT_SCALED_HINT, *verdict.details),
            kind=verdict.kind,
            values=verdict.values,
        )
    return PASS
