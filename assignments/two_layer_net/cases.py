"""Case generators and property checks for `two_layer_net` (grader side only).

Each generator is called as `generator(rng, index, visibility)` with a generator seeded from
(seed, task, index). The sizes are chosen so that every known mistake in
`reference_solutions/two_layer_net.py` changes the output of every case: n_x, n_h, n_y and m
all differ (transposes and swapped sizes show), biases and labels are nonzero where a
forgotten term must show, and hyperparameters differ from the defaults. Inputs are consistent
with each other: the backward pass gets the cache a forward pass produces (A1 = tanh(Z1)), so
every mathematically equal formula passes (1 - A1**2 or 1 - np.tanh(Z1)**2), while 1 - Z1**2
does not.

`initialize_parameters` is random by design and is checked by property (`check_...`), not by
value. So is `nn_model`, which starts from the student's random initialization: its cases
check what does not depend on the draw (the shapes for a hidden size other than 4, and that
training changed the parameters); how well it learns is checked by outcome (the accuracy
tasks in the spec).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.checks import Rules, Tolerance, Verdict, compare_values
from grader.checks.statistics import check_mean, check_normal_shape, check_std, check_zeros
from grader.checks.values import PASS
from grader.spec.model import CaseInput, call

WEIGHT_STD = 0.01
# check_normal_shape tells randn from rand by the kurtosis; below about 1000 values a normal
# sample fails it now and then (1.3% at 200 values, 0.3% at 300), so smaller layers skip it.
NORMAL_SHAPE_MIN = 1000
NO_VALUE_CHECK = Rules(Tolerance(rtol=1e300, atol=1e300))  # structure, shape, dtype, finite
NOT_TRAINED = (
    "Every bias in the parameters your nn_model returns is still zero: these are the initial "
    "parameters. Keep the result of each step, parameters = update_parameters(parameters, "
    "grads), and return those parameters."
)
NOT_RANDOM = (
    "{path} has the same value everywhere: draw the weights at random (np.random.randn) so "
    "that the hidden units differ."
)


def _distinct_sizes(rng: np.random.Generator, ranges: list[tuple[int, int]]) -> list[int]:
    """One size per range, all different from each other."""
    while True:
        sizes = [int(rng.integers(low, high + 1)) for low, high in ranges]
        if len(set(sizes)) == len(sizes):
            return sizes


def _labels(rng: np.random.Generator, n_y: int, m: int) -> np.ndarray:
    """(n_y, m) 0/1 float labels with both classes in every row."""
    Y = (rng.random((n_y, m)) < 0.5).astype(float)
    Y[:, 0], Y[:, 1] = 1.0, 0.0
    return rng.permuted(Y, axis=1)


def _parameters(rng: np.random.Generator, n_x: int, n_h: int, n_y: int, scale: float = 0.8):
    """Parameters of moderate size (activations stay away from saturation); nonzero biases."""
    return {
        "W1": rng.normal(0.0, scale, (n_h, n_x)),
        "b1": rng.normal(0.0, 0.5, (n_h, 1)),
        "W2": rng.normal(0.0, scale, (n_y, n_h)),
        "b2": rng.normal(0.0, 0.5, (n_y, 1)),
    }


def layer_sizes(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """X (n_x, m) and Y (n_y, m) with n_x, n_y, m and 4 all different, n_y > 1."""
    n_x, n_y, m = _distinct_sizes(rng, [(5, 9), (2, 3), (10, 14)])
    X = rng.normal(0.0, 1.0, (n_x, m))
    Y = _labels(rng, n_y, m)
    return call(X, Y, note=f"X of shape {X.shape}, Y of shape {Y.shape}")


def initialize_parameters(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Sizes with n_x != n_h != n_y and a large W1 (at least 4500 weights), so that its
    standard deviation and distribution are measured precisely (a small layer such as the
    flower's 4 x 2 cannot tell randn * 0.01 from rand * 0.01)."""
    n_x, n_h, n_y = _distinct_sizes(rng, [(150, 300), (30, 60), (2, 5)])
    return call(n_x, n_h, n_y, note=f"n_x = {n_x}, n_h = {n_h}, n_y = {n_y}")


def check_initialize_parameters(inputs: CaseInput, got: Any) -> Verdict:
    """Shapes, zero biases, and weights that look like np.random.randn(...) * 0.01."""
    n_x, n_h, n_y = inputs.args
    template = {
        "W1": np.zeros((n_h, n_x)),
        "b1": np.zeros((n_h, 1)),
        "W2": np.zeros((n_y, n_h)),
        "b2": np.zeros((n_y, 1)),
    }
    verdict = compare_values(template, got, NO_VALUE_CHECK, "parameters")
    if not verdict.ok:
        return verdict
    for name in ("b1", "b2"):
        verdict = check_zeros(got[name], f'parameters["{name}"]')
        if not verdict.ok:
            return verdict
    for name in ("W1", "W2"):
        verdict = _check_weights(np.asarray(got[name], dtype=float), f'parameters["{name}"]')
        if not verdict.ok:
            return verdict
    return PASS


def _check_weights(W: np.ndarray, path: str) -> Verdict:
    if W.size > 1 and np.all(W.flat[0] == W):
        return Verdict(False, path, NOT_RANDOM.format(path=path), kind="statistic")
    for verdict in (check_std(W, WEIGHT_STD, path), check_mean(W, 0.0, WEIGHT_STD, path)):
        if not verdict.ok:
            return verdict
    return check_normal_shape(W, path) if W.size >= NORMAL_SHAPE_MIN else PASS


def forward_propagation(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Moderate weights and nonzero biases, so tanh, sigmoid and the biases all matter."""
    n_x, n_h, n_y, m = _distinct_sizes(rng, [(2, 3), (4, 6), (1, 1), (7, 10)])
    X = rng.normal(0.0, 1.0, (n_x, m))
    parameters = _parameters(rng, n_x, n_h, n_y)
    return call(X, parameters, note=f"n_x = {n_x}, n_h = {n_h}, m = {m}")


def compute_cost(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Activations strictly inside (0, 1) and labels of both classes."""
    m = int(rng.integers(4, 10))
    A2 = rng.uniform(0.05, 0.95, (1, m))
    return call(A2, _labels(rng, 1, m), note=f"m = {m} examples")


def legacy_parameters(inputs: CaseInput) -> dict[str, np.ndarray]:
    """The `parameters` argument of the older compute_cost(A2, Y, parameters): the course's
    cost never used it; a 2-4-n_y network's parameters of the right shapes."""
    n_y = int(np.shape(inputs.args[0])[0])
    rng = np.random.default_rng(0)
    return _parameters(rng, 2, 4, n_y)


def backward_propagation(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """The cache of a real forward pass (A1 = tanh(Z1), A2 = sigmoid(Z2)); Z1 reaches well
    beyond +-1, so 1 - Z1**2 (tanh' taken as if Z1 were the activation) differs clearly."""
    n_x, n_h, n_y, m = _distinct_sizes(rng, [(2, 3), (4, 6), (1, 1), (7, 10)])
    X = rng.normal(0.0, 1.0, (n_x, m))
    parameters = _parameters(rng, n_x, n_h, n_y)
    Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = 1 / (1 + np.exp(-Z2))
    cache = {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
    return call(
        parameters,
        cache,
        X,
        _labels(rng, n_y, m),
        note=f"n_x = {n_x}, n_h = {n_h}, m = {m}; the cache of a forward pass",
    )


_RATES = [0.5, 0.05, 2.0, 0.75]


def update_parameters(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Random parameters and gradients; learning rates other than the default 1.2, so that a
    hard-coded rate shows."""
    n_x, n_h, n_y = _distinct_sizes(rng, [(2, 3), (4, 6), (1, 1)])
    parameters = _parameters(rng, n_x, n_h, n_y)
    grads = {f"d{k}": rng.normal(0.0, 0.3, v.shape) for k, v in parameters.items()}
    rate = _RATES[(index + (0 if visibility == "public" else 1)) % len(_RATES)]
    return call(parameters, grads, learning_rate=rate, note=f"learning_rate = {rate}")


def predict(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Examples picked so that some activations lie in (0.5, 0.6) and none near 0.5 itself
    (a float32 implementation gives the same labels)."""
    n_x, n_h, n_y = _distinct_sizes(rng, [(2, 3), (4, 6), (1, 1)])
    parameters = _parameters(rng, n_x, n_h, n_y, scale=1.0)
    pool = rng.normal(0.0, 1.5, (n_x, 400))
    activations = _forward_activations(pool, parameters)
    chosen = []
    for (low, high), count in [((0.51, 0.59), 2), ((0.62, 0.98), 3), ((0.02, 0.49), 4)]:
        inside = np.flatnonzero((activations > low) & (activations < high))
        if len(inside) < count:  # a rare draw with too few activations in a band
            return predict(rng, index, visibility)
        chosen += list(rng.choice(inside, count, replace=False))
    X = pool[:, rng.permutation(np.array(chosen))]
    return call(
        parameters, X, note=f"n_x = {n_x}, m = {X.shape[1]}; some activations between 0.5 and 0.6"
    )


def _forward_activations(X: np.ndarray, parameters: dict[str, np.ndarray]) -> np.ndarray:
    A1 = np.tanh(parameters["W1"] @ X + parameters["b1"])
    return (1 / (1 + np.exp(-(parameters["W2"] @ A1 + parameters["b2"])))).ravel()


_MODEL_ITERATIONS = [25, 40, 30]


def nn_model(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """A hidden size other than 4 (so an n_h taken from layer_sizes shows), a few iterations,
    mostly positive labels (so the output bias gets a clear gradient)."""
    n_x, n_h, m = _distinct_sizes(rng, [(2, 3), (5, 7), (8, 12)])
    X = rng.normal(0.0, 1.0, (n_x, m))
    Y = (rng.random((1, m)) < 0.8).astype(float)
    Y[0, 0], Y[0, 1] = 1.0, 0.0
    iterations = _MODEL_ITERATIONS[index % len(_MODEL_ITERATIONS)]
    return call(
        X,
        Y,
        n_h,
        num_iterations=iterations,
        note=f"n_x = {n_x}, m = {m}, n_h = {n_h}, num_iterations = {iterations}",
    )


def check_nn_model(inputs: CaseInput, got: Any) -> Verdict:
    """The trained parameters have the shapes of an n_x-n_h-n_y network and are not the
    initial ones (some bias moved). NaN values are accepted: they come from a broken helper,
    which is graded on its own."""
    X, Y, n_h = inputs.args
    n_x, n_y = X.shape[0], Y.shape[0]
    template = {
        "W1": np.zeros((n_h, n_x)),
        "b1": np.zeros((n_h, 1)),
        "W2": np.zeros((n_y, n_h)),
        "b2": np.zeros((n_y, 1)),
    }
    finite = (
        {k: np.nan_to_num(v) if isinstance(v, np.ndarray) else v for k, v in got.items()}
        if isinstance(got, dict)
        else got
    )
    verdict = compare_values(template, finite, NO_VALUE_CHECK, "parameters")
    if not verdict.ok:
        return verdict
    if not (np.any(got["b1"]) or np.any(got["b2"])):
        return Verdict(False, "parameters", NOT_TRAINED, kind="value")
    return PASS
