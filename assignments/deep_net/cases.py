"""Case generators and property checks for `deep_net` (grader side only).

Each generator is called as `generator(rng, index, visibility)` with a generator seeded from
(seed, task, index). Networks are small (L = 3 or 4 layers, widths up to 6, m up to 10) so
every call is fast, and sizes are chosen so that every known mistake in
`reference_solutions/deep_net.py` changes the output of every case: consecutive layer widths
differ and differ from m (transposes show), biases are nonzero (a forgotten bias shows),
pre-activations have both signs (ReLU and sigmoid differ), labels have both classes.

Two tasks are random by design and checked by property, whatever the seed:
`initialize_parameters_deep` (shapes, zero biases, small random weights) and `L_layer_model`
(it starts from the student's own random initialization, so its values cannot be compared;
see check_L_layer_model). Training itself is checked by outcome (the accuracy task).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.checks import Rules, Tolerance, Verdict, compare_values, describe_type
from grader.checks.statistics import check_mean, check_normal_shape, check_zeros
from grader.checks.values import PASS
from grader.spec.model import CaseInput, call

NO_VALUE_CHECK = Rules(Tolerance(rtol=1e300, atol=1e300))  # structure, shape, dtype, finite
# Accepted weight scales: from np.random.randn * 0.01 (this notebook) up to He initialization,
# sqrt(2 / n_{l-1}) (later course notebooks), with room for sampling noise on large layers.
MAX_STD_FACTOR = 2.0  # std(W{l}) must stay below MAX_STD_FACTOR / sqrt(n_{l-1})
LARGE_LAYER = 200  # layers with at least this many weights are checked statistically
# check_normal_shape tells randn from rand by the kurtosis; below about 1000 values a normal
# sample fails it now and then (1.3% at 200 values, 0.3% at 300), so smaller layers skip it.
NORMAL_SHAPE_MIN = 1000
# L_layer_model: each iteration moves b{L} by learning_rate * |db{L}|, and |db{L}| is the mean
# of dZ = AL - Y: at most 1. We allow 100, for helpers that scale the gradient wrongly (a
# forgotten 1/m, a ReLU output), still far below what a hard-coded rate of 0.0075 or more does
# with the cases' learning rates of 1e-6 or so.
MAX_BIAS_STEP = 100.0

NOT_RANDOM = (
    "{path} has the same value everywhere: draw the weights at random (np.random.randn) so "
    "that the units of a layer differ."
)
TOO_LARGE = (
    "{path} has a standard deviation of {std:.3g}, too large for this layer (at most about "
    "{limit:.3g}): scale np.random.randn(...) down, by 0.01 here."
)
UNEXPECTED_KEYS = (
    "parameters has unexpected key(s) {keys}: the layers are numbered 1 to {L} (layer 0 is "
    "the input)."
)
NOT_A_PAIR = "L_layer_model should return a tuple (parameters, costs), but it returns {got}."
COSTS_NOT_LIST = "costs should be a list of numbers, but it is {got}."
COSTS_COUNT = (
    "costs should hold {count} values, one every 100 iterations (when i % 100 == 0) for "
    "num_iterations = {n}; yours holds {got}."
)
COST_NOT_NUMBER = "costs[{index}] should be a number, but it is {got}."
NOT_UPDATED = (
    "The parameters you return are the initial ones: every b{l} is still zero and the cost "
    "never changed. Keep the result of each update, parameters = update_parameters("
    "parameters, grads, learning_rate), and return those parameters. (If you already do, "
    "your backward pass gives zero gradients: check L_model_backward and its helpers.)"
)
RATE_IGNORED = (
    'parameters["b{L}"] moved by up to {moved:.3g}, but with learning_rate = {rate:g} the '
    "{n} iterations can move it by at most about {bound:.3g}: the learning_rate argument is "
    "not used. Pass it on: update_parameters(parameters, grads, learning_rate)."
)


def _widths(rng: np.random.Generator, count: int, low: int = 2, high: int = 6) -> list[int]:
    """`count` widths in [low, high] where neighbours differ."""
    widths = [int(rng.integers(low, high + 1))]
    while len(widths) < count:
        width = int(rng.integers(low, high + 1))
        if width != widths[-1]:
            widths.append(width)
    return widths


def _m(rng: np.random.Generator, avoid: list[int]) -> int:
    """A number of examples (7 to 10) different from every width in `avoid`."""
    while True:
        m = int(rng.integers(7, 11))
        if m not in avoid:
            return m


def _labels(rng: np.random.Generator, m: int, ones: float = 0.5) -> np.ndarray:
    """A (1, m) float row of 0/1 labels with both classes."""
    Y = (rng.random(m) < ones).astype(float)
    Y[0], Y[1] = 1.0, 0.0
    return rng.permutation(Y).reshape(1, m)


def _parameters(rng: np.random.Generator, dims: list[int]) -> dict[str, np.ndarray]:
    """Weights of about unit gain (pre-activations of both signs, no saturation) and nonzero
    biases."""
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = rng.normal(0.0, 1.0 / np.sqrt(dims[l - 1]), (dims[l], dims[l - 1]))
        parameters[f"b{l}"] = rng.normal(0.0, 0.3, (dims[l], 1))
    return parameters


def _layer(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A_prev (n_prev, m), W (n, n_prev), b (n, 1) with n, n_prev and m all different."""
    n_prev, n = _widths(rng, 2, 3, 6)
    m = _m(rng, [n_prev, n])
    A_prev = rng.normal(0.0, 1.0, (n_prev, m))
    W = rng.normal(0.0, 0.7, (n, n_prev))
    b = rng.normal(0.0, 0.5, (n, 1))
    return A_prev, W, b


# --- initialize_parameters_deep -------------------------------------------------------------


def initialize_parameters_deep(rng: np.random.Generator, index: int, visibility: str):
    """A wide input layer (so the first weights are measured precisely) then narrower layers;
    L = 3 or 4, neighbouring sizes differ."""
    n_x = int(rng.integers(150, 301))
    hidden = _widths(rng, 2 + index % 2, 20, 40)
    dims = [n_x, *hidden, int(rng.integers(1, 3))]
    return call(dims, note=f"layer_dims = {dims}")


def check_initialize_parameters_deep(inputs: CaseInput, got: Any) -> Verdict:
    """Shapes, zero biases, and random weights of a sensible scale, for every layer."""
    dims = inputs.args[0]
    L = len(dims) - 1
    template = {}
    for l in range(1, L + 1):
        template[f"W{l}"] = np.zeros((dims[l], dims[l - 1]))
        template[f"b{l}"] = np.zeros((dims[l], 1))
    verdict = compare_values(template, got, NO_VALUE_CHECK, "parameters")
    if not verdict.ok:
        return verdict
    extra = [key for key in got if key not in template]
    if extra:
        keys = ", ".join(f'"{key}"' for key in extra)
        return Verdict(
            False, "parameters", UNEXPECTED_KEYS.format(keys=keys, L=L), kind="structure"
        )
    for l in range(1, L + 1):
        verdict = check_zeros(got[f"b{l}"], f'parameters["b{l}"]')
        if verdict.ok:
            verdict = _check_weights(np.asarray(got[f"W{l}"], dtype=float), dims[l - 1], l)
        if not verdict.ok:
            return verdict
    return PASS


def _check_weights(W: np.ndarray, fan_in: int, layer: int) -> Verdict:
    path = f'parameters["W{layer}"]'
    if W.size > 1 and np.all(W.flat[0] == W):
        return Verdict(False, path, NOT_RANDOM.format(path=path), kind="statistic")
    if W.size < LARGE_LAYER:
        return PASS
    std = float(np.sqrt(np.mean(W**2)))
    limit = MAX_STD_FACTOR / np.sqrt(fan_in)
    if std > limit:
        return Verdict(
            False, path, TOO_LARGE.format(path=path, std=std, limit=limit), kind="statistic"
        )
    verdict = check_mean(W, 0.0, std, path)
    if verdict.ok and W.size >= NORMAL_SHAPE_MIN:
        verdict = check_normal_shape(W, path)
    return verdict


# --- Forward pass ---------------------------------------------------------------------------


def linear_forward(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """One layer with n, n_prev and m all different and a nonzero bias."""
    A, W, b = _layer(rng)
    return call(A, W, b, note=f"A of shape {A.shape}, W of shape {W.shape}")


_ACTIVATIONS = ["relu", "sigmoid"]


def linear_activation_forward(rng: np.random.Generator, index: int, visibility: str):
    """Both activations, alternating; pre-activations of both signs."""
    A_prev, W, b = _layer(rng)
    activation = _ACTIVATIONS[index % 2]
    return call(
        A_prev,
        W,
        b,
        activation,
        note=f'A_prev of shape {A_prev.shape}, W of shape {W.shape}, "{activation}"',
    )


def _network(rng: np.random.Generator, index: int, narrowest: int = 2) -> tuple[list[int], int]:
    """Layer sizes [n_x, n_1, ..., 1] with L = 3 or 4 and a number of examples."""
    hidden = _widths(rng, 2 + index % 2, narrowest, 6)
    n_x = int(rng.integers(3, 7))
    while n_x == hidden[0]:
        n_x = int(rng.integers(3, 7))
    dims = [n_x, *hidden, 1]
    return dims, _m(rng, dims)


def L_model_forward(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """L = 3 or 4 layers of moderate weights, so every layer's activation matters."""
    dims, m = _network(rng, index)
    X = rng.normal(0.0, 1.0, (dims[0], m))
    return call(X, _parameters(rng, dims), note=f"layer sizes {dims}, m = {m}")


def compute_cost(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Activations strictly inside (0, 1) and labels of both classes."""
    m = int(rng.integers(4, 11))
    AL = rng.uniform(0.05, 0.95, (1, m))
    return call(AL, _labels(rng, m), note=f"m = {m} examples")


# --- Backward pass --------------------------------------------------------------------------


def linear_backward(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """dZ and a linear cache (A_prev, W, b) with n, n_prev and m all different."""
    A_prev, W, b = _layer(rng)
    dZ = rng.normal(0.0, 1.0, (W.shape[0], A_prev.shape[1]))
    return call(
        dZ,
        (A_prev, W, b),
        note=f"dZ of shape {dZ.shape}, A_prev of shape {A_prev.shape}, W of shape {W.shape}",
    )


def linear_activation_backward(rng: np.random.Generator, index: int, visibility: str):
    """A consistent layer cache ((A_prev, W, b), Z) with Z of both signs; both activations."""
    A_prev, W, b = _layer(rng)
    Z = np.dot(W, A_prev) + b
    dA = rng.normal(0.0, 1.0, Z.shape)
    activation = _ACTIVATIONS[(index + 1) % 2]
    return call(
        dA,
        ((A_prev, W, b), Z),
        activation,
        note=f'dA of shape {dA.shape}, A_prev of shape {A_prev.shape}, "{activation}"',
    )


def L_model_backward(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """AL and caches of a real forward pass (L = 3 or 4) on moderate weights."""
    dims, m = _network(rng, index)
    X = rng.normal(0.0, 1.0, (dims[0], m))
    caches, A = [], X
    parameters = _parameters(rng, dims)
    L = len(dims) - 1
    for l in range(1, L + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        Z = np.dot(W, A) + b
        caches.append(((A, W, b), Z))
        A = np.maximum(0, Z) if l < L else 1 / (1 + np.exp(-Z))
    return call(A, _labels(rng, m), caches, note=f"layer sizes {dims}, m = {m}")


_UPDATE_RATES = [0.1, 0.05, 0.3, 0.02]


def update_parameters(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Parameters and gradients of an L = 3 or 4 network; nonzero gradients everywhere."""
    dims, _ = _network(rng, index)
    params = _parameters(rng, dims)
    grads = {f"d{k}": rng.normal(0.0, 0.5, v.shape) for k, v in params.items()}
    rate = _UPDATE_RATES[(index + (0 if visibility == "public" else 1)) % len(_UPDATE_RATES)]
    return call(params, grads, rate, note=f"layer sizes {dims}, learning_rate = {rate}")


# --- L_layer_model --------------------------------------------------------------------------

_MODEL_PUBLIC = [(201, 1e-6)]
_MODEL_HIDDEN = [(301, 2e-6), (251, 5e-7)]


def L_layer_model(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """A tiny learning rate (the parameters stay near their random start, so the bias of the
    output layer tells whether the rate was used) and iteration counts that are not
    multiples of 100 and differ from the default; mostly positive labels, so that the output
    bias has a clear gradient."""
    table = _MODEL_PUBLIC if visibility == "public" else _MODEL_HIDDEN
    num_iterations, learning_rate = table[index % len(table)]
    # Hidden layers of 4 to 6 units: a narrow ReLU layer can be dead for every example at the
    # student's random start, and then only the biases could ever move.
    dims, m = _network(rng, index, narrowest=4)
    X = rng.normal(0.0, 1.0, (dims[0], m))
    Y = _labels(rng, m, ones=0.85)
    return call(
        X,
        Y,
        dims,
        learning_rate=learning_rate,
        num_iterations=num_iterations,
        note=f"layers_dims = {dims}, m = {m}, num_iterations = {num_iterations}, "
        f"a tiny learning_rate = {learning_rate:g}",
    )


def check_L_layer_model(inputs: CaseInput, got: Any) -> Verdict:
    """Seed-independent checks of what training returns: the (parameters, costs) pair, the
    shapes of the parameters, one cost every 100 iterations, parameters that changed, and an
    output bias that moved no further than the learning rate allows.

    NaN or infinite values are accepted: with the tiny learning rates of these cases they can
    only come from a broken helper (graded on its own), never from L_layer_model itself.
    """
    if not isinstance(got, tuple | list) or len(got) != 2:
        return Verdict(
            False, "your result", NOT_A_PAIR.format(got=describe_type(got)), kind="structure"
        )
    parameters, costs = got
    dims = inputs.args[2]
    L = len(dims) - 1
    template = {}
    for l in range(1, L + 1):
        template[f"W{l}"] = np.zeros((dims[l], dims[l - 1]))
        template[f"b{l}"] = np.zeros((dims[l], 1))
    verdict = compare_values(template, _finite(parameters), NO_VALUE_CHECK, "parameters")
    if not verdict.ok:
        return verdict
    verdict = _check_costs(costs, inputs.kwargs["num_iterations"])
    if not verdict.ok:
        return verdict
    if not any(np.any(parameters[f"b{l}"]) for l in range(1, L + 1)) and _constant(costs):
        return Verdict(False, "parameters", NOT_UPDATED, kind="value")
    return _check_output_bias(np.asarray(parameters[f"b{L}"], dtype=float), L, inputs.kwargs)


def _finite(parameters: Any) -> Any:
    """The parameters with NaN and infinities replaced by numbers (shapes and dtypes kept)."""
    if not isinstance(parameters, dict):
        return parameters
    return {
        key: np.nan_to_num(value)
        if isinstance(value, np.ndarray) and value.dtype.kind in "fc"
        else value
        for key, value in parameters.items()
    }


def _constant(costs: Any) -> bool:
    values = np.asarray([np.asarray(c, dtype=float).reshape(-1)[0] for c in costs])
    return bool(np.all(values == values[0])) if values.size else True


def _check_costs(costs: Any, n: int) -> Verdict:
    if isinstance(costs, np.ndarray) and costs.ndim <= 1:
        costs = list(costs.reshape(-1))
    if not isinstance(costs, list | tuple):
        return Verdict(False, "costs", COSTS_NOT_LIST.format(got=describe_type(costs)), kind="type")
    count = len(range(0, n, 100))
    if len(costs) != count:
        return Verdict(
            False, "costs", COSTS_COUNT.format(count=count, n=n, got=len(costs)), kind="structure"
        )
    for index, cost in enumerate(costs):
        number = isinstance(cost, float | int | np.number) and not isinstance(cost, bool)
        array = isinstance(cost, np.ndarray) and cost.size == 1 and cost.dtype.kind in "iuf"
        if not (number or array):
            return Verdict(
                False,
                f"costs[{index}]",
                COST_NOT_NUMBER.format(index=index, got=describe_type(cost)),
                kind="type",
            )
    return PASS


def _check_output_bias(b: np.ndarray, L: int, kwargs: dict[str, Any]) -> Verdict:
    rate, n = kwargs["learning_rate"], kwargs["num_iterations"]
    bound = MAX_BIAS_STEP * rate * n
    moved = float(np.max(np.abs(b)))
    if moved > bound:  # False for NaN: a broken helper, not a learning rate left unused
        return Verdict(
            False,
            f'parameters["b{L}"]',
            RATE_IGNORED.format(L=L, moved=moved, rate=rate, n=n, bound=bound),
            kind="value",
        )
    return PASS
