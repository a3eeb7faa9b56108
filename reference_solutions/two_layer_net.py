"""Reference solution and known mistakes for `two_layer_net` (grader side only).

A network with one tanh hidden layer and a sigmoid output unit, as in the course's "planar data
classification" notebook. This file never reaches the sandbox. Functions that build on other
graded functions take them as keyword-only arguments, so the grader can run the reference with
the *student's* helpers and grade each function in isolation.

Conventions: examples are columns, X is (n_x, m), Y is (1, m); W1 (n_h, n_x), b1 (n_h, 1),
W2 (n_y, n_h), b2 (n_y, 1). Parameter dicts use the keys "W1", "b1", "W2", "b2", gradient dicts
"dW1", "db1", "dW2", "db2", and the forward cache "Z1", "A1", "Z2", "A2".

Every function body uses only numpy and `sigmoid` from the course's `planar_utils` (defined
here as the helper module defines it), so it also runs pasted into a notebook.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.spec.course_mistakes import COST_NOT_SCALAR, COST_WITHOUT_ONE_OVER_M, WEIGHTS_UNIFORM
from grader.spec.model import Mistake

HIDDEN_UNITS = 4
DEFAULT_LEARNING_RATE = 1.2


def sigmoid(x):
    """The course's planar_utils.sigmoid, which students import (see helpers/planar_utils.py)."""
    return 1 / (1 + np.exp(-x))


def layer_sizes(X, Y):
    """Sizes of the three layers of the network.

    Args:
        X: input data, shape (n_x, m): n_x features, m examples.
        Y: labels, shape (n_y, m).

    Returns:
        (n_x, n_h, n_y): the size of the input layer (from X), of the hidden layer (always 4
        here), and of the output layer (from Y), as Python ints.
    """
    n_x = X.shape[0]
    n_h = 4
    n_y = Y.shape[0]
    return (n_x, n_h, n_y)


def initialize_parameters(n_x, n_h, n_y):
    """Small random weights and zero biases for the two layers.

    Each weight matrix is drawn from a normal distribution scaled by 0.01
    (np.random.randn(...) * 0.01); the biases are zero column vectors.

    Args:
        n_x: size of the input layer.
        n_h: size of the hidden layer.
        n_y: size of the output layer.

    Returns:
        parameters: dict with "W1" (n_h, n_x), "b1" (n_h, 1), "W2" (n_y, n_h), "b2" (n_y, 1).
    """
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def forward_propagation(X, parameters):
    """Forward pass: Z1 = W1 X + b1, A1 = tanh(Z1), Z2 = W2 A1 + b2, A2 = sigmoid(Z2).

    Args:
        X: input data, shape (n_x, m).
        parameters: dict with "W1", "b1", "W2", "b2" (see initialize_parameters).

    Returns:
        (A2, cache): A2 the output activations, shape (n_y, m); cache a dict with "Z1", "A1",
        "Z2", "A2" for the backward pass.
    """
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    Z1 = np.dot(W1, X) + b1
    A1 = np.tanh(Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = sigmoid(Z2)
    cache = {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
    return A2, cache


def compute_cost(A2, Y):
    """Cross-entropy cost: J = -(1/m) * sum(Y * log(A2) + (1 - Y) * log(1 - A2)).

    Args:
        A2: output activations, shape (1, m).
        Y: labels (0 or 1), shape (1, m).

    Returns:
        cost: a Python float.
    """
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    cost = -np.sum(logprobs) / m
    return float(np.squeeze(cost))


def backward_propagation(parameters, cache, X, Y):
    """Backward pass: the gradients of the cost with respect to W1, b1, W2, b2.

    dZ2 = A2 - Y, dW2 = (1/m) dZ2 A1.T, db2 = (1/m) sum of dZ2 over the examples,
    dZ1 = W2.T dZ2 * (1 - A1**2), dW1 = (1/m) dZ1 X.T, db1 = (1/m) sum of dZ1 over the
    examples. Use the cached activations A1 and A2.

    Args:
        parameters: dict with "W1", "b1", "W2", "b2".
        cache: dict with "Z1", "A1", "Z2", "A2" (from forward_propagation).
        X: input data, shape (n_x, m).
        Y: labels, shape (n_y, m).

    Returns:
        grads: dict with "dW1" (n_h, n_x), "db1" (n_h, 1), "dW2" (n_y, n_h), "db2" (n_y, 1).
    """
    m = X.shape[1]
    W2 = parameters["W2"]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = np.dot(dZ2, A1.T) / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2))
    dW1 = np.dot(dZ1, X.T) / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def update_parameters(parameters, grads, learning_rate=1.2):
    """One step of gradient descent: theta = theta - learning_rate * dtheta.

    Returns new arrays in a new dict: the `parameters` passed in must not change.

    Args:
        parameters: dict with "W1", "b1", "W2", "b2".
        grads: dict with "dW1", "db1", "dW2", "db2".
        learning_rate: the step size.

    Returns:
        parameters: a new dict with the updated "W1", "b1", "W2", "b2".
    """
    return {
        name: parameters[name] - learning_rate * grads["d" + name]
        for name in ("W1", "b1", "W2", "b2")
    }


def nn_model(
    X,
    Y,
    n_h,
    num_iterations=10000,
    print_cost=False,
    *,
    layer_sizes=layer_sizes,
    initialize_parameters=initialize_parameters,
    forward_propagation=forward_propagation,
    compute_cost=compute_cost,
    backward_propagation=backward_propagation,
    update_parameters=update_parameters,
):
    """Train the two-layer network with gradient descent (learning rate 1.2).

    Args:
        X: input data, shape (n_x, m).
        Y: labels, shape (n_y, m).
        n_h: size of the hidden layer.
        num_iterations: number of gradient-descent iterations.
        print_cost: if True, print the cost every 1000 iterations.

    Returns:
        parameters: the trained "W1", "b1", "W2", "b2".
    """
    n_x, _, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        cost = compute_cost(A2, Y)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads)
        if print_cost and i % 1000 == 0:
            print(f"Cost after iteration {i}: {cost:f}")
    return parameters


def predict(parameters, X, *, forward_propagation=forward_propagation):
    """Predict a label for each example: 1 where the output activation is above 0.5, else 0.

    Args:
        parameters: dict with "W1", "b1", "W2", "b2".
        X: input data, shape (n_x, m).

    Returns:
        predictions: array of shape (1, m) of 0s and 1s.
    """
    A2, _ = forward_propagation(X, parameters)
    return (A2 > 0.5).astype(float)


# --- Known mistakes -------------------------------------------------------------------------
# Variants reproduce one mistake each (same signature as the reference); `detect` functions
# recognise mistakes in random answers (initialize_parameters), which are checked by property.


def _sizes_from_m(X, Y):
    return (X.shape[1], 4, Y.shape[0])


def _sizes_n_y_one(X, Y):
    return (X.shape[0], 4, 1)


def _sizes_n_y_from_m(X, Y):
    return (X.shape[0], 4, Y.shape[1])


def _weights(got: Any) -> list[np.ndarray]:
    return [np.asarray(got[k], dtype=float) for k in ("W1", "W2")]


def _biases(got: Any) -> list[np.ndarray]:
    return [np.asarray(got[k], dtype=float) for k in ("b1", "b2")]


def _detect_w_zeros(inputs, got) -> bool:
    return all(not np.any(W) for W in _weights(got))


def _detect_w_not_scaled(inputs, got) -> bool:
    return float(np.std(_weights(got)[0])) > 0.3


def _detect_w_uniform(inputs, got) -> bool:
    weights = _weights(got)
    return all(W.size > 0 and np.all(W >= 0) and np.any(W) for W in weights)


def _detect_w_transposed(inputs, got) -> bool:
    n_x, n_h, n_y = inputs.args
    return np.shape(got["W1"]) == (n_x, n_h) and np.shape(got["W2"]) == (n_h, n_y)


def _detect_b_flat(inputs, got) -> bool:
    _, n_h, n_y = inputs.args
    return np.shape(got["b1"]) == (n_h,) and np.shape(got["b2"]) == (n_y,)


def _detect_b_random(inputs, got) -> bool:
    return all(np.any(b) for b in _biases(got))


def _detect_n_h_ignored(inputs, got) -> bool:
    _, _, n_h = inputs.args
    return (
        isinstance(got, dict)
        and n_h != HIDDEN_UNITS
        and np.shape(got.get("W1"))[:1] == (HIDDEN_UNITS,)
    )


def _detect_initial_parameters(inputs, got) -> bool:
    return isinstance(got, dict) and not any(np.any(got.get(k, 1)) for k in ("b1", "b2"))


def _forward(X, parameters, hidden, output):
    Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
    A1 = hidden(Z1)
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = output(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def _forward_hidden_sigmoid(X, parameters):
    return _forward(X, parameters, sigmoid, sigmoid)


def _forward_hidden_relu(X, parameters):
    return _forward(X, parameters, lambda Z: np.maximum(0, Z), sigmoid)


def _forward_output_tanh(X, parameters):
    return _forward(X, parameters, np.tanh, np.tanh)


def _forward_no_biases(X, parameters):
    no_bias = {**parameters, "b1": 0.0, "b2": 0.0}
    return _forward(X, no_bias, np.tanh, sigmoid)


def _cost_without_m(A2, Y):
    return compute_cost(A2, Y) * Y.shape[1]


def _cost_wrong_sign(A2, Y):
    return -compute_cost(A2, Y)


def _cost_not_scalar(A2, Y):
    return np.array([[compute_cost(A2, Y)]])


def _cost_first_term_only(A2, Y):
    return float(-np.sum(Y * np.log(A2)) / Y.shape[1])


def _backward(parameters, cache, X, Y, *, derivative, scale=True, keepdims=True):
    """The reference backward pass with the knobs the mistakes turn."""
    m = X.shape[1]
    divide = m if scale else 1
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dZ1 = np.dot(parameters["W2"].T, dZ2) * derivative(cache)
    return {
        "dW1": np.dot(dZ1, X.T) / divide,
        "db1": np.sum(dZ1, axis=1, keepdims=keepdims) / divide,
        "dW2": np.dot(dZ2, A1.T) / divide,
        "db2": np.sum(dZ2, axis=1, keepdims=keepdims) / divide,
    }


def _from_a1(cache):
    return 1 - cache["A1"] ** 2


def _backward_one_minus_z1_squared(parameters, cache, X, Y):
    return _backward(parameters, cache, X, Y, derivative=lambda c: 1 - c["Z1"] ** 2)


def _backward_one_minus_a1(parameters, cache, X, Y):
    return _backward(parameters, cache, X, Y, derivative=lambda c: 1 - c["A1"])


def _backward_without_m(parameters, cache, X, Y):
    return _backward(parameters, cache, X, Y, derivative=_from_a1, scale=False)


def _backward_db_flat(parameters, cache, X, Y):
    return _backward(parameters, cache, X, Y, derivative=_from_a1, keepdims=False)


def _update(parameters, grads, rate):
    return {k: parameters[k] - rate * grads["d" + k] for k in ("W1", "b1", "W2", "b2")}


def _update_plus(parameters, grads, learning_rate=DEFAULT_LEARNING_RATE):
    return _update(parameters, grads, -learning_rate)


def _update_rate_hard_coded(parameters, grads, learning_rate=DEFAULT_LEARNING_RATE):
    return _update(parameters, grads, DEFAULT_LEARNING_RATE)


def _update_in_place(parameters, grads, learning_rate=DEFAULT_LEARNING_RATE):
    for name in ("W1", "b1", "W2", "b2"):
        parameters[name] -= learning_rate * grads["d" + name]
    return parameters


def _predict_threshold(value: float):
    def variant(parameters, X, *, forward_propagation=forward_propagation):
        A2, _ = forward_propagation(X, parameters)
        return (value < A2).astype(float)

    return variant


def _predict_activations(parameters, X, *, forward_propagation=forward_propagation):
    A2, _ = forward_propagation(X, parameters)
    return A2


def _predict_flat(parameters, X, *, forward_propagation=forward_propagation):
    return predict(parameters, X, forward_propagation=forward_propagation).ravel()


MISTAKES: list[Mistake] = [
    Mistake(
        "layer_sizes",
        "n_x_from_m",
        "Your n_x is the number of examples: X has one example per column, so the input "
        "size is the number of rows, n_x = X.shape[0].",
        _sizes_from_m,
    ),
    Mistake(
        "layer_sizes",
        "n_y_hard_coded",
        "Your n_y is always 1. Read the output size from the labels: n_y = Y.shape[0].",
        _sizes_n_y_one,
    ),
    Mistake(
        "layer_sizes",
        "n_y_from_m",
        "Your n_y is the number of examples: Y has one example per column, so the output "
        "size is the number of rows, n_y = Y.shape[0].",
        _sizes_n_y_from_m,
    ),
    Mistake(
        "initialize_parameters",
        "weights_zero",
        "Your weights are all zero, so every hidden unit computes the same thing and they "
        "stay identical during training. Draw them at random: "
        "W1 = np.random.randn(n_h, n_x) * 0.01 (and the same for W2).",
        detect=_detect_w_zeros,
    ),
    Mistake(
        "initialize_parameters",
        "weights_not_scaled",
        "Your weights have a standard deviation near 1: multiply np.random.randn(...) by "
        "0.01 so that they start small and tanh is not saturated.",
        detect=_detect_w_not_scaled,
    ),
    Mistake(
        "initialize_parameters",
        "weights_uniform",
        WEIGHTS_UNIFORM,
        detect=_detect_w_uniform,
    ),
    Mistake(
        "initialize_parameters",
        "weights_transposed",
        "Your W1 has shape (n_x, n_h) and W2 (n_h, n_y): transposed. W[l] has one row per "
        "unit of layer l: W1 is (n_h, n_x) and W2 is (n_y, n_h).",
        detect=_detect_w_transposed,
    ),
    Mistake(
        "initialize_parameters",
        "biases_flat",
        "Your biases are 1-D: np.zeros(n_h) has shape (n_h,). Use np.zeros((n_h, 1)) and "
        "np.zeros((n_y, 1)) so that they are column vectors.",
        detect=_detect_b_flat,
    ),
    Mistake(
        "initialize_parameters",
        "biases_random",
        "Your biases are random. Start them at zero: b1 = np.zeros((n_h, 1)) and "
        "b2 = np.zeros((n_y, 1)).",
        detect=_detect_b_random,
    ),
    Mistake(
        "forward_propagation",
        "hidden_sigmoid",
        "Your hidden layer uses the sigmoid. This network uses tanh in the hidden layer: "
        "A1 = np.tanh(Z1); only the output layer uses the sigmoid.",
        _forward_hidden_sigmoid,
    ),
    Mistake(
        "forward_propagation",
        "hidden_relu",
        "Your hidden layer uses ReLU. This network uses tanh in the hidden layer: "
        "A1 = np.tanh(Z1).",
        _forward_hidden_relu,
    ),
    Mistake(
        "forward_propagation",
        "output_tanh",
        "Your output layer uses tanh. The output is a probability: A2 = sigmoid(Z2).",
        _forward_output_tanh,
    ),
    Mistake(
        "forward_propagation",
        "biases_missing",
        "You left out the biases: Z1 = np.dot(W1, X) + b1 and Z2 = np.dot(W2, A1) + b2.",
        _forward_no_biases,
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
        "-(1/m) * sum(Y*log(A2) + (1-Y)*log(1-A2)): don't forget the leading minus.",
        _cost_wrong_sign,
    ),
    Mistake(
        "compute_cost",
        "not_scalar",
        COST_NOT_SCALAR,
        _cost_not_scalar,
    ),
    Mistake(
        "compute_cost",
        "first_term_only",
        "Your cost only has the Y * log(A2) term. Add the term for the examples labelled 0: "
        "(1 - Y) * log(1 - A2).",
        _cost_first_term_only,
    ),
    Mistake(
        "backward_propagation",
        "one_minus_z1_squared",
        "Your dZ1 multiplies by (1 - Z1**2). The derivative of tanh at Z1 is 1 - tanh(Z1)**2, "
        "which is 1 - A1**2 with the cached activation: dZ1 = np.dot(W2.T, dZ2) * (1 - "
        "np.power(A1, 2)).",
        _backward_one_minus_z1_squared,
    ),
    Mistake(
        "backward_propagation",
        "tanh_derivative_not_squared",
        "Your dZ1 multiplies by (1 - A1). The derivative of tanh is 1 - tanh(z)^2, so "
        "dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2)).",
        _backward_one_minus_a1,
    ),
    Mistake(
        "backward_propagation",
        "without_one_over_m",
        "Your gradients are m times too large: dW1, db1, dW2 and db2 are averages over the "
        "examples, so divide by m = X.shape[1].",
        _backward_without_m,
    ),
    Mistake(
        "backward_propagation",
        "db_without_keepdims",
        "Your db1 and db2 are 1-D. Keep them as columns: np.sum(dZ, axis=1, keepdims=True) / m.",
        _backward_db_flat,
    ),
    Mistake(
        "update_parameters",
        "update_sign_flipped",
        "Your update adds the gradient, which climbs the cost. Gradient descent subtracts "
        "it: W1 = W1 - learning_rate * dW1 (and the same for b1, W2, b2).",
        _update_plus,
    ),
    Mistake(
        "update_parameters",
        "learning_rate_hard_coded",
        "Your update always uses a learning rate of 1.2. Use the learning_rate argument: "
        "W1 = W1 - learning_rate * dW1, and the same for the others.",
        _update_rate_hard_coded,
    ),
    Mistake(
        "update_parameters",
        "modifies_input",
        "Your update_parameters changes the dictionary it was given (W1 -= ..., or "
        'parameters["W1"] = ... on the caller\'s dict). Work on a copy and return it: '
        "start with parameters = copy.deepcopy(parameters), then W1 = W1 - "
        "learning_rate * dW1.",
        _update_in_place,
    ),
    Mistake(
        "nn_model",
        "n_h_ignored",
        "Your hidden layer always has 4 units: n_h is overwritten by the 4 that layer_sizes "
        "returns. Keep the n_h argument: take only n_x and n_y from layer_sizes "
        "(n_x = layer_sizes(X, Y)[0], n_y = layer_sizes(X, Y)[2]).",
        detect=_detect_n_h_ignored,
    ),
    Mistake(
        "nn_model",
        "returns_initial_parameters",
        "Your nn_model returns the initial parameters: keep the result of each step, "
        "parameters = update_parameters(parameters, grads), and return those.",
        detect=_detect_initial_parameters,
    ),
    Mistake(
        "predict",
        "threshold_not_half",
        "Your predictions use a threshold other than 0.5. Predict 1 when A2 > 0.5, else 0.",
        _predict_threshold(0.6),
    ),
    Mistake(
        "predict",
        "activations_not_thresholded",
        "You return the activations A2 themselves. Turn them into labels: "
        "predictions = (A2 > 0.5).",
        _predict_activations,
    ),
    Mistake(
        "predict",
        "predictions_flat",
        "Your predictions have shape (m,). Keep the shape (1, m) of A2: "
        "predictions = (A2 > 0.5).astype(float).",
        _predict_flat,
    ),
]
