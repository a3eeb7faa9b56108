"""Reference solution and known mistakes for `regularization` (grader side only).

This file never reaches the sandbox. Conventions: examples are columns, X is (n_x, m) and Y is
(1, m); W[l] has shape (n_l, n_{l-1}) and b[l] shape (n_l, 1); parameter dicts use the keys
"W1", "b1", ..., gradient dicts "dW1", "db1", .... The network is the course's 3-layer one:
LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID.

`dropout_forward` is random by design: it is graded by property (see `check_dropout_forward` in
the assignment's cases.py) and its mistakes are recognised by `detect` functions.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from grader.spec.model import CaseInput, Mistake

_WEIGHT_KEY = re.compile(r"W\d+")


def _cross_entropy(A3, Y) -> float:
    """The mean cross-entropy, as reg_utils.compute_cost computes it."""
    m = Y.shape[1]
    logprobs = np.multiply(-np.log(A3), Y) + np.multiply(-np.log(1 - A3), 1 - Y)
    return float(1.0 / m * np.nansum(logprobs))


def _weights(parameters: dict[str, np.ndarray]) -> list[np.ndarray]:
    """The weight matrices W1, W2, ... in layer order."""
    keys = sorted((k for k in parameters if _WEIGHT_KEY.fullmatch(k)), key=lambda k: int(k[1:]))
    return [parameters[k] for k in keys]


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    """The cross-entropy cost plus the L2 regularization cost.

    J = -(1/m) sum(Y log(A3) + (1 - Y) log(1 - A3))
        + (lambd / (2 m)) * (sum of the squares of every entry of W1, W2 and W3)

    Args:
        A3: the network's output activations (1, m).
        Y: the labels (1, m).
        parameters: dict with "W1", "b1", "W2", "b2", "W3", "b3".
        lambd: the regularization hyperparameter lambda, a float.

    Returns:
        cost: the regularized cost, a float.
    """
    m = Y.shape[1]
    squares = sum(float(np.sum(np.square(W))) for W in _weights(parameters))
    return _cross_entropy(A3, Y) + lambd / (2 * m) * squares


def backward_propagation_with_regularization(X, Y, cache, lambd):
    """Backward propagation of the 3-layer network with L2 regularization.

    As without regularization, except that each dW[l] gains the gradient of the L2 term,
    (lambd / m) * W[l]. The biases are not regularized.

    Args:
        X: the inputs (n_x, m).
        Y: the labels (1, m).
        cache: (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) from forward_propagation.
        lambd: the regularization hyperparameter lambda, a float.

    Returns:
        gradients: dict with "dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1",
        "dW1", "db1", each shaped like the array it is the gradient of.
    """
    return _backward(X, Y, cache, lambd, lambda m, W: lambd / m * W)


def _backward(X, Y, cache, lambd, l2_term, *, db_term=None) -> dict[str, np.ndarray]:
    """The backward pass with the L2 term of dW (and optionally of db) given as functions."""
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache  # noqa: RUF059 (the course's layout)
    extra_b = db_term or (lambda m, b: 0.0)
    dZ3 = A3 - Y
    dW3 = 1.0 / m * np.dot(dZ3, A2.T) + l2_term(m, W3)
    db3 = 1.0 / m * np.sum(dZ3, axis=1, keepdims=True) + extra_b(m, b3)
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1.0 / m * np.dot(dZ2, A1.T) + l2_term(m, W2)
    db2 = 1.0 / m * np.sum(dZ2, axis=1, keepdims=True) + extra_b(m, b2)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1.0 / m * np.dot(dZ1, X.T) + l2_term(m, W1)
    db1 = 1.0 / m * np.sum(dZ1, axis=1, keepdims=True) + extra_b(m, b1)
    return {
        "dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
        "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1,
    }  # fmt: skip


def dropout_forward(A, keep_prob):
    """Inverted dropout on a layer's activations.

    Step 1: D = a random mask of A's shape, 1 (or True) with probability keep_prob, else 0.
    Step 2: shut down the units where D is 0: A * D.
    Step 3: divide by keep_prob, so that the expected value of each activation is unchanged.

    Args:
        A: activations of a layer (n_l, m).
        keep_prob: the probability of keeping each unit, a float in (0, 1].

    Returns:
        (A_dropped, D): A_dropped = A * D / keep_prob (n_l, m), and the mask D (n_l, m) of
        0s and 1s (or booleans), which backward propagation needs.
    """
    D = (np.random.default_rng().random(A.shape) < keep_prob).astype(int)
    return A * D / keep_prob, D


def dropout_backward(dA, D, keep_prob):
    """Backward propagation through inverted dropout.

    The units shut down in the forward pass get no gradient, and the kept ones are scaled
    by 1 / keep_prob as in the forward pass: dA * D / keep_prob.

    Args:
        dA: the gradient of the cost with respect to the dropped-out activations (n_l, m).
        D: the mask used in the forward pass (n_l, m), 0s and 1s.
        keep_prob: the probability of keeping each unit, a float in (0, 1].

    Returns:
        dA: the gradient with respect to the activations before dropout (n_l, m).
    """
    return dA * D / keep_prob


# --- Known mistakes: compare tasks --------------------------------------------------------------
# Each variant has the reference's signature and reproduces one mistake exactly.


def _cost_variant(*, factor=0.5, use_m=True, last_only=False, square=True, norm=False):
    """The regularized cost with one of its parts changed.

    Args:
        factor: lambd * factor (/ m) multiplies the sum (0.5 is right, 1 forgets the 2).
        use_m: divide by m (False: forgot the 1/m).
        last_only: only the last weight matrix (W3) enters the sum.
        square: sum the squares (False: sums the weights themselves).
        norm: use np.linalg.norm(W) (the Frobenius norm, not squared) for each matrix.
    """

    def variant(A3, Y, parameters, lambd):
        m = Y.shape[1]
        weights = _weights(parameters)
        if last_only:
            weights = weights[-1:]
        if norm:
            total = sum(float(np.linalg.norm(W)) for W in weights)
        else:
            total = sum(float(np.sum(np.square(W) if square else W)) for W in weights)
        return _cross_entropy(A3, Y) + lambd * factor / (m if use_m else 1) * total

    return variant


def _backward_variant(l2_term, db_term=None):
    """The backward pass with l2_term(lambd, m, W) added to each dW (and db_term to db)."""

    def variant(X, Y, cache, lambd):
        extra_b = None if db_term is None else (lambda m, b: db_term(lambd, m, b))
        return _backward(X, Y, cache, lambd, lambda m, W: l2_term(lambd, m, W), db_term=extra_b)

    return variant


def _dropout_backward_variant(*, mask=True, scale="divide"):
    def variant(dA, D, keep_prob):
        masked = dA * D if mask else dA
        if scale == "multiply":
            return masked * keep_prob
        return masked / keep_prob if scale == "divide" else masked

    return variant


# --- Known mistakes: dropout_forward (recognised by property) ---------------------------------


def _forward_parts(inputs: CaseInput, got: Any):
    """(A, keep_prob, A_dropped, D) as float arrays, or None if the answer is malformed."""
    A = inputs.args[0]
    keep_prob = inputs.args[1] if len(inputs.args) > 1 else inputs.kwargs["keep_prob"]
    if not isinstance(got, tuple | list) or len(got) != 2:
        return None
    A_dropped, D = (np.asarray(part, dtype=float) for part in got)
    if A_dropped.shape != A.shape:
        return None
    return A, float(keep_prob), A_dropped, D


def _binary(D: np.ndarray) -> bool:
    return bool(np.all((D == 0) | (D == 1)))


def _fraction_near(D: np.ndarray, value: float) -> bool:
    spread = 6 * np.sqrt(value * (1 - value) / max(D.size, 1))
    return abs(float(D.mean()) - value) <= spread


def _detect_not_scaled(inputs: CaseInput, got: Any) -> bool:
    parts = _forward_parts(inputs, got)
    if parts is None:
        return False
    A, _, A_dropped, D = parts
    return D.shape == A.shape and np.allclose(A_dropped, A * D)


def _detect_multiplied(inputs: CaseInput, got: Any) -> bool:
    parts = _forward_parts(inputs, got)
    if parts is None:
        return False
    A, keep_prob, A_dropped, D = parts
    return D.shape == A.shape and np.allclose(A_dropped, A * D * keep_prob)


def _detect_one_minus_keep_prob(inputs: CaseInput, got: Any) -> bool:
    parts = _forward_parts(inputs, got)
    if parts is None:
        return False
    A, keep_prob, _, D = parts
    return D.shape == A.shape and _binary(D) and _fraction_near(D, 1 - keep_prob)


def _detect_mask_shape(rows: bool):
    """A mask of shape (1, m) (one per example) or, with rows=True, (n, 1) (one per unit)."""

    def detect(inputs: CaseInput, got: Any) -> bool:
        parts = _forward_parts(inputs, got)
        if parts is None:
            return False
        A, _, _, D = parts
        return D.shape == ((A.shape[0], 1) if rows else (1, A.shape[1]))

    return detect


def _detect_not_thresholded(inputs: CaseInput, got: Any) -> bool:
    parts = _forward_parts(inputs, got)
    if parts is None:
        return False
    A, _, _, D = parts
    return D.shape == A.shape and not _binary(D) and bool(np.all((D >= 0) & (D <= 1)))


MISTAKES: list[Mistake] = [
    Mistake(
        "compute_cost_with_regularization",
        "l2_without_half",
        "Your L2 term is twice too large: it uses lambd / m. The regularization cost is "
        "(lambd / (2 * m)) * (np.sum(np.square(W1)) + np.sum(np.square(W2)) + "
        "np.sum(np.square(W3))).",
        _cost_variant(factor=1.0),
    ),
    Mistake(
        "compute_cost_with_regularization",
        "l2_without_one_over_m",
        "Your L2 term is not divided by m: it uses lambd / 2. The regularization cost is "
        "(lambd / (2 * m)) * (sum of the squared weights), with m = Y.shape[1].",
        _cost_variant(use_m=False),
    ),
    Mistake(
        "compute_cost_with_regularization",
        "only_last_layer",
        "Your L2 term only counts W3. Sum the squared entries of every weight matrix: "
        "np.sum(np.square(W1)) + np.sum(np.square(W2)) + np.sum(np.square(W3)).",
        _cost_variant(last_only=True),
    ),
    Mistake(
        "compute_cost_with_regularization",
        "weights_not_squared",
        "Your L2 term sums the weights themselves, not their squares. Use "
        "np.sum(np.square(W1)) (and the same for W2 and W3).",
        _cost_variant(square=False),
    ),
    Mistake(
        "compute_cost_with_regularization",
        "norm_not_squared",
        "Your L2 term uses np.linalg.norm(W), the square root of the sum of squares. The cost "
        "needs the sum of squares itself: np.sum(np.square(W)) (or np.linalg.norm(W) ** 2).",
        _cost_variant(norm=True),
    ),
    Mistake(
        "backward_propagation_with_regularization",
        "dw_without_l2_term",
        "Your dW are the gradients without regularization. Add the gradient of the L2 term to "
        "each of them: dW3 = 1./m * np.dot(dZ3, A2.T) + (lambd / m) * W3, and likewise for "
        "dW2 and dW1.",
        _backward_variant(lambda lambd, m, W: 0.0),
    ),
    Mistake(
        "backward_propagation_with_regularization",
        "l2_term_halved",
        "Your dW use (lambd / (2 * m)) * W. The 1/2 of the cost cancels when you "
        "differentiate the square: add (lambd / m) * W to each dW.",
        _backward_variant(lambda lambd, m, W: lambd / (2 * m) * W),
    ),
    Mistake(
        "backward_propagation_with_regularization",
        "l2_term_without_one_over_m",
        "Your dW add lambd * W. The gradient of the L2 term is (lambd / m) * W, with "
        "m = X.shape[1].",
        _backward_variant(lambda lambd, m, W: lambd * W),
    ),
    Mistake(
        "backward_propagation_with_regularization",
        "l2_term_added_to_db",
        "Your db also get a regularization term. Only the weights are regularized: add "
        "(lambd / m) * W to dW, and leave db = 1./m * np.sum(dZ, axis=1, keepdims=True).",
        _backward_variant(lambda lambd, m, W: lambd / m * W, lambda lambd, m, b: lambd / m * b),
    ),
    Mistake(
        "dropout_forward",
        "mask_keeps_one_minus_keep_prob",
        "Your mask keeps a fraction 1 - keep_prob of the units: D = (np.random.rand(...) > "
        "keep_prob) drops the units you should keep. Use D = (np.random.rand(A.shape[0], "
        "A.shape[1]) < keep_prob).",
        detect=_detect_one_minus_keep_prob,
    ),
    Mistake(
        "dropout_forward",
        "mask_per_example",
        "Your mask has one entry per example (shape (1, m)), so each example keeps or drops "
        "all its units at once. Draw one entry per unit and example: "
        "D = np.random.rand(A.shape[0], A.shape[1]) < keep_prob.",
        detect=_detect_mask_shape(rows=False),
    ),
    Mistake(
        "dropout_forward",
        "mask_per_unit",
        "Your mask has one entry per unit (shape (n, 1)), so a unit is dropped for every "
        "example at once. Draw one entry per unit and example: "
        "D = np.random.rand(A.shape[0], A.shape[1]) < keep_prob.",
        detect=_detect_mask_shape(rows=True),
    ),
    Mistake(
        "dropout_forward",
        "mask_not_thresholded",
        "Your D holds the random numbers themselves. Turn them into a mask of 0s and 1s: "
        "D = (np.random.rand(A.shape[0], A.shape[1]) < keep_prob).astype(int).",
        detect=_detect_not_thresholded,
    ),
    Mistake(
        "dropout_forward",
        "not_scaled",
        "Your A_dropped is A * D, not scaled back up. Inverted dropout divides by keep_prob "
        "so that the expected value of the activations stays the same: A = A * D / keep_prob.",
        detect=_detect_not_scaled,
    ),
    Mistake(
        "dropout_forward",
        "multiplied_by_keep_prob",
        "Your A_dropped is multiplied by keep_prob. Inverted dropout divides by it: "
        "A = A * D / keep_prob.",
        detect=_detect_multiplied,
    ),
    Mistake(
        "dropout_backward",
        "not_rescaled",
        "Your dA is dA * D, not rescaled. The forward pass divided the kept activations by "
        "keep_prob, so the backward pass divides too: dA = dA * D / keep_prob.",
        _dropout_backward_variant(scale=None),
    ),
    Mistake(
        "dropout_backward",
        "mask_not_applied",
        "Your dA is only divided by keep_prob: the units shut down in the forward pass must "
        "get no gradient. Apply the same mask: dA = dA * D / keep_prob.",
        _dropout_backward_variant(mask=False),
    ),
    Mistake(
        "dropout_backward",
        "multiplied_by_keep_prob",
        "Your dA is multiplied by keep_prob. Divide by it, as in the forward pass: "
        "dA = dA * D / keep_prob.",
        _dropout_backward_variant(scale="multiply"),
    ),
]
