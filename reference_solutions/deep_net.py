"""Reference solution and known mistakes for `deep_net` (grader side only).

An L-layer network, [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID, built step by step as in
the course's "Building your Deep Neural Network" notebook. This file never reaches the
sandbox. Functions that build on other graded functions take them as keyword-only arguments,
so the grader can run the reference with the *student's* helpers and grade each function in
isolation: L_model_forward is checked with the student's linear_activation_forward, which is
checked with the student's linear_forward, and the same for the backward pass.

Conventions: examples are columns, X is (n_x, m), Y is (1, m); W{l} is (n_l, n_{l-1}), b{l}
is (n_l, 1). A linear cache is the tuple (A_prev, W, b); an activation cache is Z; the cache
of one layer is (linear_cache, activation_cache). Gradients: "dA{l}" is the gradient with
respect to A{l} (so "dA0" to "dA{L-1}"), "dW{l}" and "db{l}" for l = 1..L.

The activation helpers are the course's `dnn_utils` ones, defined here exactly as in the
helper file students import: sigmoid(Z) and relu(Z) return (A, Z); sigmoid_backward(dA, Z) and
relu_backward(dA, Z) return dZ. Every graded function body uses only numpy, those helpers and
other graded functions, so it also runs pasted into a notebook.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.spec.course_mistakes import (
    COST_NOT_SCALAR,
    COST_WITHOUT_ONE_OVER_M,
    COSTS_EVERY_ITERATION,
    WEIGHTS_UNIFORM,
)
from grader.spec.model import Mistake

# The course's dnn_utils helpers, exactly as helpers/dnn_utils.py defines them for students.


def sigmoid(Z):
    """Sigmoid activation: returns (A, cache) with cache = Z."""
    A = 1 / (1 + np.exp(-Z))
    return A, Z


def relu(Z):
    """ReLU activation: returns (A, cache) with cache = Z."""
    A = np.maximum(0, Z)
    return A, Z


def relu_backward(dA, Z):
    """dZ for a ReLU layer: dA where Z > 0, 0 elsewhere."""
    dZ = np.array(dA, copy=True)
    dZ[Z <= 0] = 0
    return dZ


def sigmoid_backward(dA, Z):
    """dZ for a sigmoid layer: dA * s * (1 - s) with s = sigmoid(Z)."""
    s = 1 / (1 + np.exp(-Z))
    dZ = dA * s * (1 - s)
    return dZ


DEFAULT_ITERATIONS = 3000


def initialize_parameters_deep(layer_dims):
    """Random weights and zero biases for every layer of an L-layer network.

    Each W{l} is drawn from a normal distribution and scaled small
    (np.random.randn(...) * 0.01); each b{l} is a zero column vector.

    Args:
        layer_dims: list of the layer sizes [n_x, n_1, ..., n_L]; L = len(layer_dims) - 1.

    Returns:
        parameters: dict with "W1", "b1", ..., "WL", "bL": W{l} of shape
        (layer_dims[l], layer_dims[l-1]) and b{l} of shape (layer_dims[l], 1).
    """
    parameters = {}
    L = len(layer_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


def linear_forward(A, W, b):
    """The linear part of a layer's forward pass: Z = W A + b.

    Args:
        A: activations of the previous layer, shape (n_{l-1}, m).
        W: weights, shape (n_l, n_{l-1}).
        b: biases, shape (n_l, 1).

    Returns:
        (Z, cache): Z of shape (n_l, m); cache the tuple (A, W, b), in that order.
    """
    Z = np.dot(W, A) + b
    cache = (A, W, b)
    return Z, cache


def linear_activation_forward(A_prev, W, b, activation, *, linear_forward=linear_forward):
    """Forward pass of one layer: LINEAR then ACTIVATION.

    Use linear_forward, then sigmoid(Z) or relu(Z) from dnn_utils (each returns (A, Z)).

    Args:
        A_prev: activations of the previous layer, shape (n_{l-1}, m).
        W: weights, shape (n_l, n_{l-1}).
        b: biases, shape (n_l, 1).
        activation: "sigmoid" or "relu".

    Returns:
        (A, cache): A of shape (n_l, m); cache the tuple (linear_cache, activation_cache), where
        linear_cache comes from linear_forward and activation_cache is Z.
    """
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A, activation_cache = sigmoid(Z)
    elif activation == "relu":
        A, activation_cache = relu(Z)
    else:
        raise ValueError(f"unknown activation {activation!r}")
    cache = (linear_cache, activation_cache)
    return A, cache


def L_model_forward(X, parameters, *, linear_activation_forward=linear_activation_forward):
    """Forward pass of the whole network: [LINEAR -> RELU] x (L-1), then LINEAR -> SIGMOID.

    Args:
        X: input data, shape (n_x, m).
        parameters: dict with "W1", "b1", ..., "WL", "bL" (L = len(parameters) // 2).

    Returns:
        (AL, caches): AL the output activations, shape (1, m); caches a list of the L caches
        of linear_activation_forward, layer 1 first.
    """
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A_prev = A
        A, cache = linear_activation_forward(
            A_prev, parameters["W" + str(l)], parameters["b" + str(l)], "relu"
        )
        caches.append(cache)
    AL, cache = linear_activation_forward(
        A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid"
    )
    caches.append(cache)
    return AL, caches


def compute_cost(AL, Y):
    """Cross-entropy cost: J = -(1/m) * sum(Y * log(AL) + (1 - Y) * log(1 - AL)).

    Args:
        AL: output activations (probabilities), shape (1, m).
        Y: labels (0 or 1), shape (1, m).

    Returns:
        cost: a Python float.
    """
    m = Y.shape[1]
    cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m
    return float(np.squeeze(cost))


def linear_backward(dZ, cache):
    """The linear part of a layer's backward pass.

    dW = (1/m) dZ A_prev.T, db = (1/m) * the sum of dZ over the examples (a column),
    dA_prev = W.T dZ.

    Args:
        dZ: gradient of the cost with respect to Z of this layer, shape (n_l, m).
        cache: the tuple (A_prev, W, b) from linear_forward.

    Returns:
        (dA_prev, dW, db): shapes (n_{l-1}, m), (n_l, n_{l-1}) and (n_l, 1).
    """
    A_prev, W, _ = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation, *, linear_backward=linear_backward):
    """Backward pass of one layer: ACTIVATION backward, then LINEAR backward.

    Use relu_backward(dA, Z) or sigmoid_backward(dA, Z) from dnn_utils, then linear_backward.

    Args:
        dA: gradient of the cost with respect to this layer's activations, shape (n_l, m).
        cache: the tuple (linear_cache, activation_cache) from linear_activation_forward.
        activation: "sigmoid" or "relu".

    Returns:
        (dA_prev, dW, db): as linear_backward returns them.
    """
    linear_cache, activation_cache = cache
    if activation == "relu":
        dZ = relu_backward(dA, activation_cache)
    elif activation == "sigmoid":
        dZ = sigmoid_backward(dA, activation_cache)
    else:
        raise ValueError(f"unknown activation {activation!r}")
    return linear_backward(dZ, linear_cache)


def L_model_backward(AL, Y, caches, *, linear_activation_backward=linear_activation_backward):
    """Backward pass of the whole network.

    Start from dAL = -(Y / AL - (1 - Y) / (1 - AL)); the last layer is a sigmoid layer, the
    others are ReLU layers.

    Args:
        AL: output activations, shape (1, m).
        Y: labels, shape (1, m).
        caches: the list of L caches from L_model_forward.

    Returns:
        grads: dict with "dA0", ..., "dA{L-1}" (the gradient with respect to the activations
        A{l} that enter layer l + 1), "dW1", ..., "dWL" and "db1", ..., "dbL".
    """
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    dA_prev, dW, db = linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    grads["dA" + str(L - 1)] = dA_prev
    grads["dW" + str(L)] = dW
    grads["db" + str(L)] = db
    for l in reversed(range(L - 1)):
        dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l + 1)], caches[l], "relu")
        grads["dA" + str(l)] = dA_prev
        grads["dW" + str(l + 1)] = dW
        grads["db" + str(l + 1)] = db
    return grads


def update_parameters(params, grads, learning_rate):
    """One step of gradient descent on every layer: W{l} = W{l} - learning_rate * dW{l}, and
    the same for b{l}.

    Returns new arrays in a new dict: the `params` passed in must not change.

    Args:
        params: dict with "W1", "b1", ..., "WL", "bL".
        grads: dict with "dW1", "db1", ..., "dWL", "dbL" (from L_model_backward).
        learning_rate: the step size.

    Returns:
        parameters: a new dict with the updated "W1", "b1", ..., "WL", "bL".
    """
    parameters = {}
    L = len(params) // 2
    for l in range(1, L + 1):
        parameters["W" + str(l)] = params["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = params["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters


def L_layer_model(
    X,
    Y,
    layers_dims,
    learning_rate=0.0075,
    num_iterations=3000,
    print_cost=False,
    *,
    initialize_parameters_deep=initialize_parameters_deep,
    L_model_forward=L_model_forward,
    compute_cost=compute_cost,
    L_model_backward=L_model_backward,
    update_parameters=update_parameters,
):
    """Train an L-layer network with gradient descent.

    Initialize with initialize_parameters_deep, then in every iteration: forward pass, cost,
    backward pass, update. Record the cost every 100 iterations (when i % 100 == 0, the cost
    computed in that iteration, before its update).

    Args:
        X: input data, shape (n_x, m).
        Y: labels, shape (1, m).
        layers_dims: list [n_x, n_1, ..., n_L] of the layer sizes.
        learning_rate: the gradient-descent step size.
        num_iterations: number of iterations.
        print_cost: if True, print the cost every 100 iterations.

    Returns:
        (parameters, costs): the trained parameters ("W1", "b1", ..., "WL", "bL") and the list
        of recorded costs (floats).
    """
    costs = []
    parameters = initialize_parameters_deep(layers_dims)
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print(f"Cost after iteration {i}: {cost}")
    return parameters, costs


def predict(parameters, X):
    """Labels from trained parameters (not graded: the accuracy check uses it on the
    student's parameters): 1 where the network's output is above 0.5, else 0.

    Returns:
        A (1, m) float array of 0s and 1s.
    """
    with np.errstate(over="ignore"):  # saturated outputs are still labels
        AL, _ = L_model_forward(X, parameters)
    return (AL > 0.5).astype(float)


# --- Known mistakes -------------------------------------------------------------------------
# Variants reproduce one mistake each (same signature as the reference, injectable helpers
# included); `detect` functions recognise answers whose structure is wrong in a telling way.


def _weights(got: Any) -> list[np.ndarray]:
    return [np.asarray(v, dtype=float) for k, v in got.items() if str(k).startswith("W")]


def _layer_names(inputs) -> list[int]:
    return list(range(1, len(inputs.args[0])))


def _detect_init_transposed(inputs, got) -> bool:
    dims = inputs.args[0]
    return all(np.shape(got.get(f"W{l}")) == (dims[l - 1], dims[l]) for l in _layer_names(inputs))


def _detect_init_last_layer_missing(inputs, got) -> bool:
    last = len(inputs.args[0]) - 1
    return f"W{last}" not in got and f"W{last - 1}" in got


def _detect_init_layer_zero(inputs, got) -> bool:
    return "W0" in got or "b0" in got


def _detect_init_weights_zero(inputs, got) -> bool:
    weights = _weights(got)
    return bool(weights) and all(not np.any(W) for W in weights)


def _detect_init_not_scaled(inputs, got) -> bool:
    weights = [W for W in _weights(got) if W.size >= 200]
    return bool(weights) and all(0.7 < float(np.std(W)) < 1.3 for W in weights)


def _detect_init_uniform(inputs, got) -> bool:
    weights = [W for W in _weights(got) if W.size >= 200]
    return bool(weights) and all(np.all(W >= 0) and np.any(W) for W in weights)


def _detect_init_biases_flat(inputs, got) -> bool:
    dims = inputs.args[0]
    return all(np.shape(got.get(f"b{l}")) == (dims[l],) for l in _layer_names(inputs))


def _permuted_cache(expected: tuple, got: Any) -> bool:
    """Is `got` a tuple holding the expected items in another order?"""
    if not isinstance(got, tuple | list) or len(got) != len(expected):
        return False
    if all(_same(e, g) for e, g in zip(expected, got, strict=True)):
        return False
    return all(any(_same(e, g) for g in got) for e in expected)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, tuple | list):
        return (
            isinstance(b, tuple | list)
            and len(a) == len(b)
            and all(_same(x, y) for x, y in zip(a, b, strict=True))
        )
    try:
        return np.shape(a) == np.shape(b) and bool(np.allclose(a, b, rtol=1e-5, atol=1e-8))
    except (TypeError, ValueError):
        return False


def _detect_linear_cache_order(inputs, got) -> bool:
    A, W, b = inputs.args
    return isinstance(got, tuple | list) and len(got) == 2 and _permuted_cache((A, W, b), got[1])


def _linear_forward_no_bias(A, W, b):
    return np.dot(W, A), (A, W, b)


def _detect_activation_cache_order(inputs, got) -> bool:
    if not isinstance(got, tuple | list) or len(got) != 2:
        return False
    A_prev, W, b, activation = inputs.args
    _, cache = linear_activation_forward(A_prev, W, b, activation)
    return _permuted_cache(cache, got[1])


def _activation_forward_swapped(A_prev, W, b, activation, *, linear_forward=linear_forward):
    other = {"relu": "sigmoid", "sigmoid": "relu"}[activation]
    return linear_activation_forward(A_prev, W, b, other, linear_forward=linear_forward)


def _activation_forward_caches_A(A_prev, W, b, activation, *, linear_forward=linear_forward):
    A, (linear_cache, _) = linear_activation_forward(
        A_prev, W, b, activation, linear_forward=linear_forward
    )
    return A, (linear_cache, A)


def _model_forward(activations, keep_last_cache=True):
    """An L_model_forward whose layer l uses activations(l, L) and may drop the last cache."""

    def variant(X, parameters, *, linear_activation_forward=linear_activation_forward):
        caches, A = [], X
        L = len(parameters) // 2
        for l in range(1, L + 1):
            A, cache = linear_activation_forward(
                A, parameters["W" + str(l)], parameters["b" + str(l)], activations(l, L)
            )
            if l < L or keep_last_cache:
                caches.append(cache)
        return A, caches

    return variant


def _cost_without_m(AL, Y):
    return compute_cost(AL, Y) * Y.shape[1]


def _cost_wrong_sign(AL, Y):
    return -compute_cost(AL, Y)


def _cost_not_scalar(AL, Y):
    return np.array([[compute_cost(AL, Y)]])


def _linear_backward(
    scale_dW=True, scale_db=True, keepdims=True, scale_dA=False, transpose_dW=False
):
    """A linear_backward with the knobs the mistakes turn."""

    def variant(dZ, cache):
        A_prev, W, _ = cache
        m = A_prev.shape[1]
        dW = np.dot(dZ, A_prev.T) / (m if scale_dW else 1)
        db = np.sum(dZ, axis=1, keepdims=keepdims) / (m if scale_db else 1)
        dA_prev = np.dot(W.T, dZ) / (m if scale_dA else 1)
        return dA_prev, dW.T if transpose_dW else dW, db

    return variant


def _activation_backward_swapped(dA, cache, activation, *, linear_backward=linear_backward):
    other = {"relu": "sigmoid", "sigmoid": "relu"}[activation]
    return linear_activation_backward(dA, cache, other, linear_backward=linear_backward)


def _activation_backward_skipped(dA, cache, activation, *, linear_backward=linear_backward):
    linear_cache, _ = cache
    return linear_backward(dA, linear_cache)


def _model_backward(*, sign=1.0, last="sigmoid", hidden="relu", shift_dA=False):
    """An L_model_backward with the knobs the mistakes turn."""

    def variant(AL, Y, caches, *, linear_activation_backward=linear_activation_backward):
        grads = {}
        L = len(caches)
        Y = Y.reshape(AL.shape)
        dA = sign * -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
        for l in reversed(range(L)):
            dA, dW, db = linear_activation_backward(dA, caches[l], last if l == L - 1 else hidden)
            grads["dA" + str(l + 1 if shift_dA else l)] = dA
            grads["dW" + str(l + 1)] = dW
            grads["db" + str(l + 1)] = db
        return grads

    return variant


def _update(*, sign=1.0, layers=None, update_b=True):
    """An update_parameters that updates `layers(L)` (default: all) with the given sign."""

    def variant(params, grads, learning_rate):
        parameters = dict(params)
        L = len(params) // 2
        for l in layers(L) if layers else range(1, L + 1):
            parameters["W" + str(l)] = (
                params["W" + str(l)] - sign * learning_rate * grads["dW" + str(l)]
            )
            if update_b:
                parameters["b" + str(l)] = (
                    params["b" + str(l)] - sign * learning_rate * grads["db" + str(l)]
                )
        return parameters

    return variant


def _update_in_place(params, grads, learning_rate):
    L = len(params) // 2
    for l in range(1, L + 1):
        params["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
        params["b" + str(l)] -= learning_rate * grads["db" + str(l)]
    return params


def _model_result(got: Any) -> tuple[Any, Any] | None:
    if isinstance(got, tuple | list) and len(got) == 2 and isinstance(got[0], dict):
        return got[0], got[1]
    return None


def _cost_count(got: Any) -> int | None:
    result = _model_result(got)
    if result is None or not isinstance(result[1], list | tuple | np.ndarray):
        return None
    return len(result[1])


def _output_bias(inputs, got) -> np.ndarray | None:
    result = _model_result(got)
    key = f"b{len(inputs.args[2]) - 1}"
    if result is None or key not in result[0]:
        return None
    return np.asarray(result[0][key], dtype=float)


def _detect_costs_every_iteration(inputs, got) -> bool:
    return _cost_count(got) == inputs.kwargs["num_iterations"]


def _detect_iterations_ignored(inputs, got) -> bool:
    # 30 costs for the default 3000 iterations, or 31 with the course's extra condition
    # `i == num_iterations`, which then comes true once.
    count = len(range(0, DEFAULT_ITERATIONS, 100))
    return _cost_count(got) in (count, count + 1)


def _detect_costs_only_when_printing(inputs, got) -> bool:
    return _cost_count(got) == 0


def _detect_parameters_not_updated(inputs, got) -> bool:
    result = _model_result(got)
    if result is None or not _cost_count(got):
        return False
    parameters, costs = result
    biases = [v for k, v in parameters.items() if str(k).startswith("b")]
    values = np.asarray([np.asarray(c, dtype=float).reshape(-1)[0] for c in costs])
    return not any(np.any(b) for b in biases) and bool(np.all(values == values[0]))


def _detect_rate_ignored(inputs, got) -> bool:
    # The same bound as check_L_layer_model in cases.py (MAX_BIAS_STEP): b{L} moves by at
    # most learning_rate * |db{L}| per iteration, with |db{L}| <= 1 (100 allows for helpers
    # that scale the gradient wrongly).
    b = _output_bias(inputs, got)
    rate, n = inputs.kwargs["learning_rate"], inputs.kwargs["num_iterations"]
    return b is not None and b.size > 0 and float(np.max(np.abs(b))) > 100.0 * rate * n


MISTAKES: list[Mistake] = [
    Mistake(
        "initialize_parameters_deep",
        "weights_transposed",
        "Your W{l} have shape (layer_dims[l-1], layer_dims[l]): transposed. W{l} has one "
        "row per unit of layer l: np.random.randn(layer_dims[l], layer_dims[l-1]) * 0.01.",
        detect=_detect_init_transposed,
    ),
    Mistake(
        "initialize_parameters_deep",
        "last_layer_missing",
        "Your parameters stop one layer short. With L = len(layer_dims), loop over "
        "range(1, L) so that W1, b1 up to W{L-1}, b{L-1} (the output layer) are all "
        "created.",
        detect=_detect_init_last_layer_missing,
    ),
    Mistake(
        "initialize_parameters_deep",
        "layer_zero",
        "Your parameters include W0 / b0. Layers are numbered from 1 (layer 0 is the "
        "input): loop over range(1, L) and use layer_dims[l] and layer_dims[l-1].",
        detect=_detect_init_layer_zero,
    ),
    Mistake(
        "initialize_parameters_deep",
        "weights_zero",
        "Your weights are all zero, so every unit of a layer stays identical during "
        "training. Draw them at random: np.random.randn(layer_dims[l], layer_dims[l-1]) "
        "* 0.01.",
        detect=_detect_init_weights_zero,
    ),
    Mistake(
        "initialize_parameters_deep",
        "weights_not_scaled",
        "Your weights have a standard deviation near 1: scale np.random.randn(...) down "
        "(by 0.01 here) so that the activations do not blow up layer after layer.",
        detect=_detect_init_not_scaled,
    ),
    Mistake(
        "initialize_parameters_deep",
        "weights_uniform",
        WEIGHTS_UNIFORM,
        detect=_detect_init_uniform,
    ),
    Mistake(
        "initialize_parameters_deep",
        "biases_flat",
        "Your biases are 1-D: np.zeros(layer_dims[l]) has shape (n,). Use "
        "np.zeros((layer_dims[l], 1)) so that each b{l} is a column vector.",
        detect=_detect_init_biases_flat,
    ),
    Mistake(
        "linear_forward",
        "bias_missing",
        "You left out the bias: Z = np.dot(W, A) + b.",
        _linear_forward_no_bias,
    ),
    Mistake(
        "linear_forward",
        "cache_order",
        "Your cache holds the right arrays in the wrong order. Return cache = (A, W, b): "
        "linear_backward unpacks it as A_prev, W, _ = cache.",
        detect=_detect_linear_cache_order,
    ),
    Mistake(
        "linear_activation_forward",
        "activation_swapped",
        'You applied the other activation: use sigmoid(Z) when activation == "sigmoid" '
        'and relu(Z) when activation == "relu".',
        _activation_forward_swapped,
    ),
    Mistake(
        "linear_activation_forward",
        "activation_cache_is_A",
        "Your activation cache is A; it must be Z, which the backward helpers need: "
        "A, activation_cache = relu(Z) (or sigmoid(Z)) gives it to you.",
        _activation_forward_caches_A,
    ),
    Mistake(
        "linear_activation_forward",
        "cache_order",
        "Your cache holds its parts in the wrong order. Return "
        "cache = (linear_cache, activation_cache).",
        detect=_detect_activation_cache_order,
    ),
    Mistake(
        "L_model_forward",
        "last_layer_relu",
        "Your last layer uses ReLU. The output layer is LINEAR -> SIGMOID: call "
        'linear_activation_forward(A, W{L}, b{L}, "sigmoid") after the loop over the '
        "L-1 ReLU layers.",
        _model_forward(lambda l, L: "relu"),
    ),
    Mistake(
        "L_model_forward",
        "hidden_layers_sigmoid",
        "Your hidden layers use the sigmoid. Layers 1 to L-1 are LINEAR -> RELU; only "
        "the last layer uses the sigmoid.",
        _model_forward(lambda l, L: "sigmoid"),
    ),
    Mistake(
        "L_model_forward",
        "last_cache_missing",
        "Your caches list has L-1 entries: append the last layer's cache too, after its "
        "linear_activation_forward call, so that there is one cache per layer.",
        _model_forward(lambda l, L: "relu" if l < L else "sigmoid", keep_last_cache=False),
    ),
    Mistake(
        "compute_cost",
        "without_one_over_m",
        COST_WITHOUT_ONE_OVER_M,
        _cost_without_m,
    ),
    Mistake(
        "compute_cost",
        "wrong_sign",
        "Your cost has the wrong sign (it is negative). The cross-entropy is "
        "-(1/m) * sum(Y*log(AL) + (1-Y)*log(1-AL)): don't forget the leading minus.",
        _cost_wrong_sign,
    ),
    Mistake(
        "compute_cost",
        "not_scalar",
        COST_NOT_SCALAR,
        _cost_not_scalar,
    ),
    Mistake(
        "linear_backward",
        "dW_without_one_over_m",
        "Your dW is m times too large: dW = (1/m) * np.dot(dZ, A_prev.T), with "
        "m = A_prev.shape[1].",
        _linear_backward(scale_dW=False),
    ),
    Mistake(
        "linear_backward",
        "db_without_one_over_m",
        "Your db is m times too large: db = (1/m) * np.sum(dZ, axis=1, keepdims=True).",
        _linear_backward(scale_db=False),
    ),
    Mistake(
        "linear_backward",
        "gradients_without_one_over_m",
        "Your dW and db are m times too large: both are averages over the m examples, so "
        "divide by m = A_prev.shape[1].",
        _linear_backward(scale_dW=False, scale_db=False),
    ),
    Mistake(
        "linear_backward",
        "db_without_keepdims",
        "Your db is 1-D. Keep it a column of shape (n_l, 1): "
        "np.sum(dZ, axis=1, keepdims=True) / m.",
        _linear_backward(keepdims=False),
    ),
    Mistake(
        "linear_backward",
        "dA_prev_with_one_over_m",
        "Your dA_prev is divided by m. Only dW and db average over the examples: "
        "dA_prev = np.dot(W.T, dZ).",
        _linear_backward(scale_dA=True),
    ),
    Mistake(
        "linear_backward",
        "dW_transposed",
        "Your dW is transposed: its shape must be that of W, (n_l, n_{l-1}). Use "
        "np.dot(dZ, A_prev.T) / m.",
        _linear_backward(transpose_dW=True),
    ),
    Mistake(
        "linear_activation_backward",
        "activation_swapped",
        "You used the other activation's backward: relu_backward(dA, activation_cache) "
        'when activation == "relu", sigmoid_backward(dA, activation_cache) when it is '
        '"sigmoid".',
        _activation_backward_swapped,
    ),
    Mistake(
        "linear_activation_backward",
        "activation_backward_skipped",
        "You passed dA straight to linear_backward. First go back through the "
        "activation: dZ = relu_backward(dA, activation_cache) (or sigmoid_backward), "
        "then linear_backward(dZ, linear_cache).",
        _activation_backward_skipped,
    ),
    Mistake(
        "L_model_backward",
        "dAL_sign_flipped",
        "Your dAL has the wrong sign. The derivative of the cost with respect to AL is "
        "dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)).",
        _model_backward(sign=-1.0),
    ),
    Mistake(
        "L_model_backward",
        "last_layer_relu",
        "Your last layer's backward uses ReLU. The output layer is a sigmoid layer: "
        'linear_activation_backward(dAL, caches[L-1], "sigmoid").',
        _model_backward(last="relu"),
    ),
    Mistake(
        "L_model_backward",
        "hidden_layers_sigmoid",
        "Your hidden layers' backward uses the sigmoid. Layers 1 to L-1 are ReLU layers: "
        'linear_activation_backward(..., "relu").',
        _model_backward(hidden="sigmoid"),
    ),
    Mistake(
        "L_model_backward",
        "dA_keys_shifted",
        "Your gradient keys are shifted by one: the dA_prev returned for layer l + 1 is "
        'the gradient with respect to A{l}, so store it as grads["dA" + str(l)] (from '
        "dA{L-1} down to dA0), not as dA{l+1}.",
        _model_backward(shift_dA=True),
    ),
    Mistake(
        "update_parameters",
        "update_sign_flipped",
        "Your update adds the gradient, which climbs the cost. Gradient descent subtracts "
        "it: W{l} = W{l} - learning_rate * dW{l} (and the same for b{l}).",
        _update(sign=-1.0),
    ),
    Mistake(
        "update_parameters",
        "last_layer_not_updated",
        "Your last layer is not updated. With L = len(parameters) // 2, loop over "
        "range(L) and update W{l+1} and b{l+1}, so that layers 1 to L are all updated.",
        _update(layers=lambda L: range(1, L)),
    ),
    Mistake(
        "update_parameters",
        "first_layer_not_updated",
        "Your first layer is not updated. With L = len(parameters) // 2, loop over "
        "range(L) and update W{l+1} and b{l+1}, so that layers 1 to L are all updated.",
        _update(layers=lambda L: range(2, L + 1)),
    ),
    Mistake(
        "update_parameters",
        "b_not_updated",
        "Your biases never change. Update them too: b{l} = b{l} - learning_rate * db{l}.",
        _update(update_b=False),
    ),
    Mistake(
        "update_parameters",
        "modifies_input",
        'Your update_parameters writes into the arrays it was given (params["W1"] -= ...), '
        "so the caller's parameters change too. Compute new arrays instead: "
        'parameters["W1"] = params["W1"] - learning_rate * grads["dW1"] (or start '
        "with parameters = copy.deepcopy(params)).",
        _update_in_place,
    ),
    Mistake(
        "L_layer_model",
        "costs_every_iteration",
        COSTS_EVERY_ITERATION,
        detect=_detect_costs_every_iteration,
    ),
    Mistake(
        "L_layer_model",
        "num_iterations_ignored",
        "Your model always runs 3000 iterations. Loop over range(num_iterations) so that "
        "the argument is used.",
        detect=_detect_iterations_ignored,
    ),
    Mistake(
        "L_layer_model",
        "costs_only_when_printing",
        "Your costs list is empty unless print_cost is True. Record the cost every 100 "
        "iterations whatever print_cost says; only the printing depends on it.",
        detect=_detect_costs_only_when_printing,
    ),
    Mistake(
        "L_layer_model",
        "parameters_not_updated",
        "The parameters you return are the initial ones: the result of update_parameters "
        "is not kept. Write parameters = update_parameters(parameters, grads, "
        "learning_rate) inside the loop and return those parameters.",
        detect=_detect_parameters_not_updated,
    ),
    Mistake(
        "L_layer_model",
        "learning_rate_ignored",
        "Your model does not use its learning_rate argument (a fixed rate is used "
        "instead). Pass it on: update_parameters(parameters, grads, learning_rate).",
        detect=_detect_rate_ignored,
    ),
]
