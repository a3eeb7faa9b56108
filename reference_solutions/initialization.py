"""Reference solution and known mistakes for `initialization` (grader side only).

This file never reaches the sandbox. `initialize_parameters_zeros` is compared by value, so its
mistakes are variants. The three random initializations are checked by property (see the
checks in assignments/initialization/cases.py), so their mistakes are recognised by `detect`
functions that look at the structure of the answer or test each W against the scale the
mistake would give, with the same statistical tolerance as the checks.

Conventions: layers_dims = [n_0, ..., n_L]; W[l] has shape (n_l, n_{l-1}), b[l] (n_l, 1).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from grader.checks.statistics import check_normal_shape, check_std
from grader.spec.model import CaseInput, Mistake

# Said of the same mistake in several tasks.
B_FLAT = (
    "Your b[l] has shape (n_l,): np.zeros(n) gives a 1-D array. Use np.zeros((layers_dims[l],"
    " 1)) so that b[l] is a column."
)
MISSING_LAST_LAYER = (
    "Your dictionary has no parameters for the last layer. With L = len(layers_dims), the "
    "layers are l = 1, ..., L - 1: loop over range(1, L), not range(1, L - 1)."
)


def initialize_parameters_zeros(layers_dims):
    """Initialize every weight and bias of an L-layer network to zero.

    Args:
        layers_dims: a list [n_0, n_1, ..., n_L] of layer sizes, n_0 the number of inputs.

    Returns:
        parameters: a dict with keys "W1", "b1", ..., "WL", "bL": W[l] zeros of shape
        (n_l, n_{l-1}) and b[l] zeros of shape (n_l, 1).
    """
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


def initialize_parameters_random(layers_dims):
    """Initialize the weights to large random values and the biases to zero.

    Args:
        layers_dims: a list [n_0, n_1, ..., n_L] of layer sizes, n_0 the number of inputs.

    Returns:
        parameters: a dict with keys "W1", "b1", ..., "WL", "bL": W[l] of shape (n_l, n_{l-1})
        drawn from a standard normal distribution (np.random.randn) times 10, b[l] zeros of
        shape (n_l, 1).
    """
    return _normal_weights(layers_dims, lambda n_in: 10.0)


def initialize_parameters_he(layers_dims):
    """He initialization: normal weights scaled by sqrt(2 / n_{l-1}), zero biases.

    Args:
        layers_dims: a list [n_0, n_1, ..., n_L] of layer sizes, n_0 the number of inputs.

    Returns:
        parameters: a dict with keys "W1", "b1", ..., "WL", "bL": W[l] of shape (n_l, n_{l-1})
        equal to np.random.randn(n_l, n_{l-1}) * sqrt(2 / n_{l-1}), b[l] zeros of shape (n_l, 1).
    """
    return _normal_weights(layers_dims, lambda n_in: math.sqrt(2.0 / n_in))


def initialize_parameters_xavier(layers_dims):
    """Xavier initialization: normal weights scaled by sqrt(1 / n_{l-1}), zero biases.

    Args:
        layers_dims: a list [n_0, n_1, ..., n_L] of layer sizes, n_0 the number of inputs.

    Returns:
        parameters: a dict with keys "W1", "b1", ..., "WL", "bL": W[l] of shape (n_l, n_{l-1})
        equal to np.random.randn(n_l, n_{l-1}) * sqrt(1 / n_{l-1}), b[l] zeros of shape (n_l, 1).
    """
    return _normal_weights(layers_dims, lambda n_in: math.sqrt(1.0 / n_in))


def _normal_weights(layers_dims: list[int], scale: Callable[[int], float]) -> dict[str, Any]:
    rng = np.random.default_rng()
    parameters = {}
    for l in range(1, len(layers_dims)):
        n_out, n_in = layers_dims[l], layers_dims[l - 1]
        parameters[f"W{l}"] = rng.standard_normal((n_out, n_in)) * scale(n_in)
        parameters[f"b{l}"] = np.zeros((n_out, 1))
    return parameters


# --- Known mistakes of initialize_parameters_zeros (variants) -------------------------------


def _zeros_transposed(layers_dims):
    parameters = initialize_parameters_zeros(layers_dims)
    return {key: value.T if key.startswith("W") else value for key, value in parameters.items()}


def _zeros_b_flat(layers_dims):
    parameters = initialize_parameters_zeros(layers_dims)
    return {
        key: value.reshape(-1) if key.startswith("b") else value
        for key, value in parameters.items()
    }


def _zeros_missing_last_layer(layers_dims):
    return initialize_parameters_zeros(layers_dims[:-1])


# --- Detectors for the random initializations -----------------------------------------------
# Each receives the case inputs (layers_dims) and the student's answer, which failed its check.


def _layers(inputs: CaseInput) -> list[tuple[int, int, int]]:
    """(l, n_l, n_{l-1}) for every layer."""
    dims = list(inputs.args[0])
    return [(l, dims[l], dims[l - 1]) for l in range(1, len(dims))]


def _weights(inputs: CaseInput, got: Any) -> list[tuple[np.ndarray, int, int]]:
    """(W[l], n_l, n_{l-1}) for every layer; raises if a W is missing or not an array."""
    return [(np.asarray(got[f"W{l}"], dtype=float), n, n_in) for l, n, n_in in _layers(inputs)]


def _missing_last_layer(inputs: CaseInput, got: Any) -> bool:
    last = len(inputs.args[0]) - 1
    present = all(f"W{l}" in got and f"b{l}" in got for l in range(1, last))
    return present and f"W{last}" not in got


def _transposed(inputs: CaseInput, got: Any) -> bool:
    return all(W.shape == (n_in, n) for W, n, n_in in _weights(inputs, got))


def _b_flat(inputs: CaseInput, got: Any) -> bool:
    return all(np.shape(got[f"b{l}"]) == (n,) for l, n, _ in _layers(inputs))


def _nonzero_biases(inputs: CaseInput, got: Any) -> bool:
    return any(np.any(np.asarray(got[f"b{l}"]) != 0) for l, _, _ in _layers(inputs))


def _uniform(inputs: CaseInput, got: Any) -> bool:
    return any(not check_normal_shape(W, "W").ok for W, _, _ in _weights(inputs, got))


def _scaled(scale: Callable[[int, int], float]) -> Callable[[CaseInput, Any], bool]:
    """A detector: is every W (of the right shape) spread like randn * scale(n_l, n_{l-1})?"""

    def detect(inputs: CaseInput, got: Any) -> bool:
        weights = _weights(inputs, got)
        return all(
            W.shape == (n, n_in) and check_std(W, scale(n, n_in), "W").ok for W, n, n_in in weights
        )

    return detect


def _structure_mistakes(task: str) -> list[Mistake]:
    """The mistakes every initializer can make in the structure of its answer."""
    return [
        Mistake(
            task,
            "missing_last_layer",
            MISSING_LAST_LAYER,
            detect=_missing_last_layer,
        ),
        Mistake(
            task,
            "w_transposed",
            "Your W[l] has shape (n_{l-1}, n_l), transposed. W[l] maps the previous layer's "
            "n_{l-1} units to this layer's n_l: create it with shape "
            "(layers_dims[l], layers_dims[l-1]).",
            detect=_transposed,
        ),
        Mistake(
            task,
            "b_flat",
            B_FLAT,
            detect=_b_flat,
        ),
        Mistake(
            task,
            "nonzero_biases",
            "Your biases are not zero. Only the weights need random values to break the "
            "symmetry; initialize b[l] = np.zeros((layers_dims[l], 1)).",
            detect=_nonzero_biases,
        ),
        Mistake(
            task,
            "uniform_instead_of_normal",
            "Your weights look uniformly distributed: np.random.rand draws from [0, 1). Use "
            "np.random.randn, which draws from a standard normal distribution centred on 0.",
            detect=_uniform,
        ),
    ]


MISTAKES: list[Mistake] = [
    Mistake(
        "initialize_parameters_zeros",
        "w_transposed",
        "Your W[l] has shape (n_{l-1}, n_l), transposed. W[l] maps the previous layer's n_{l-1} "
        "units to this layer's n_l: use np.zeros((layers_dims[l], layers_dims[l-1])).",
        _zeros_transposed,
    ),
    Mistake(
        "initialize_parameters_zeros",
        "b_flat",
        B_FLAT,
        _zeros_b_flat,
    ),
    Mistake(
        "initialize_parameters_zeros",
        "missing_last_layer",
        MISSING_LAST_LAYER,
        _zeros_missing_last_layer,
    ),
    *_structure_mistakes("initialize_parameters_random"),
    Mistake(
        "initialize_parameters_random",
        "not_scaled",
        "Your weights have a standard deviation of about 1: the factor 10 is missing. This "
        "exercise initializes with large values on purpose: np.random.randn(...) * 10.",
        detect=_scaled(lambda n, n_in: 1.0),
    ),
    Mistake(
        "initialize_parameters_random",
        "scaled_by_0_01",
        "Your weights are multiplied by 0.01, the usual small initialization. This exercise "
        "shows what large values do: multiply np.random.randn(...) by 10.",
        detect=_scaled(lambda n, n_in: 0.01),
    ),
    *_structure_mistakes("initialize_parameters_he"),
    Mistake(
        "initialize_parameters_he",
        "fan_out",
        "Your weights are scaled by sqrt(2 / n_l), the size of the layer itself. He "
        "initialization uses the size of the previous layer: "
        "np.sqrt(2 / layers_dims[l-1]).",
        detect=_scaled(lambda n, n_in: math.sqrt(2.0 / n)),
    ),
    Mistake(
        "initialize_parameters_he",
        "xavier_scale",
        "Your weights are scaled by sqrt(1 / n_{l-1}), which is Xavier initialization. He "
        "initialization uses sqrt(2 / n_{l-1}): a 2, not a 1, in the numerator.",
        detect=_scaled(lambda n, n_in: math.sqrt(1.0 / n_in)),
    ),
    Mistake(
        "initialize_parameters_he",
        "sqrt_missing",
        "Your weights are scaled by 2 / n_{l-1}: the square root is missing. Multiply by "
        "np.sqrt(2 / layers_dims[l-1]).",
        detect=_scaled(lambda n, n_in: 2.0 / n_in),
    ),
    *_structure_mistakes("initialize_parameters_xavier"),
    Mistake(
        "initialize_parameters_xavier",
        "fan_out",
        "Your weights are scaled by sqrt(1 / n_l), the size of the layer itself. Xavier "
        "initialization uses the size of the previous layer: np.sqrt(1 / layers_dims[l-1]).",
        detect=_scaled(lambda n, n_in: math.sqrt(1.0 / n)),
    ),
    Mistake(
        "initialize_parameters_xavier",
        "he_scale",
        "Your weights are scaled by sqrt(2 / n_{l-1}), which is He initialization. Xavier "
        "initialization uses sqrt(1 / n_{l-1}): a 1, not a 2, in the numerator.",
        detect=_scaled(lambda n, n_in: math.sqrt(2.0 / n_in)),
    ),
    Mistake(
        "initialize_parameters_xavier",
        "sqrt_missing",
        "Your weights are scaled by 1 / n_{l-1}: the square root is missing. Multiply by "
        "np.sqrt(1 / layers_dims[l-1]).",
        detect=_scaled(lambda n, n_in: 1.0 / n_in),
    ),
    Mistake(
        "initialize_parameters_xavier",
        "glorot_average",
        "Your weights are scaled by sqrt(2 / (n_{l-1} + n_l)), the Glorot variant that averages "
        "both layer sizes. This course's Xavier initialization uses the previous layer only: "
        "np.sqrt(1 / layers_dims[l-1]).",
        detect=_scaled(lambda n, n_in: math.sqrt(2.0 / (n_in + n))),
    ),
]
