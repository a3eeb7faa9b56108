"""Stand-in for the course's `opt_utils_v1a` module (copied next to the notebook when grading).

The functions a notebook calls have the course's names, arguments and results: a 3-layer
LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID network (initialization, forward and
backward propagation, the summed cross-entropy cost, prediction) and the data and plotting
helpers. The data set is a stand-in: `load_dataset` draws 120 points of two interleaved half
moons with numpy (the course uses 300 from sklearn's make_moons), so a notebook's own training
cell runs in well under a second. It is not a secret: the graded functions are checked on the
grader's own inputs, never on these data.
"""

from __future__ import annotations

import numpy as np

_SEED = 3
_EXAMPLES = 120


def sigmoid(x):
    """Elementwise 1 / (1 + exp(-x))."""
    return 1 / (1 + np.exp(-x))


def relu(x):
    """Elementwise max(0, x)."""
    return np.maximum(0, x)


def load_params_and_grads(seed=1):
    """Random parameters and gradients of a 2-layer network (3 -> 2 -> 3), as in the course."""
    np.random.seed(seed)
    W1 = np.random.randn(2, 3)
    b1 = np.random.randn(2, 1)
    W2 = np.random.randn(3, 3)
    b2 = np.random.randn(3, 1)
    dW1 = np.random.randn(2, 3)
    db1 = np.random.randn(2, 1)
    dW2 = np.random.randn(3, 3)
    db2 = np.random.randn(3, 1)
    return W1, b1, W2, b2, dW1, db1, dW2, db2


def initialize_parameters(layer_dims):
    """He initialization: W[l] ~ N(0, 2 / n_{l-1}) of shape (n_l, n_{l-1}), b[l] zeros.

    Args:
        layer_dims: the layer sizes [n_0, n_1, ..., n_L].

    Returns:
        parameters: dict with "W1", "b1", ..., "WL", "bL".
    """
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * np.sqrt(
            2 / layer_dims[l - 1]
        )
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


def compute_cost(a3, Y):
    """The cross-entropy summed (not averaged) over the examples, as in the course's v1a.

    Args:
        a3: output activations (1, m).
        Y: labels (1, m).

    Returns:
        cost_total: a float.
    """
    logprobs = np.multiply(-np.log(a3), Y) + np.multiply(-np.log(1 - a3), 1 - Y)
    return float(np.sum(logprobs))


def forward_propagation(X, parameters):
    """LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID.

    Returns:
        (a3, cache): the output (1, m) and (z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3).
    """
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    z1 = np.dot(W1, X) + b1
    a1 = relu(z1)
    z2 = np.dot(W2, a1) + b2
    a2 = relu(z2)
    z3 = np.dot(W3, a2) + b3
    a3 = sigmoid(z3)
    cache = (z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3)
    return a3, cache


def backward_propagation(X, Y, cache):
    """Gradients of the mean cross-entropy for the 3-layer network.

    Returns:
        gradients: dict with "dz3", "dW3", "db3", "da2", "dz2", "dW2", "db2", "da1", "dz1",
        "dW1", "db1".
    """
    m = X.shape[1]
    (z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3) = cache  # noqa: RUF059 (the course's layout)
    dz3 = 1.0 / m * (a3 - Y)
    dW3 = np.dot(dz3, a2.T)
    db3 = np.sum(dz3, axis=1, keepdims=True)
    da2 = np.dot(W3.T, dz3)
    dz2 = np.multiply(da2, np.int64(a2 > 0))
    dW2 = np.dot(dz2, a1.T)
    db2 = np.sum(dz2, axis=1, keepdims=True)
    da1 = np.dot(W2.T, dz2)
    dz1 = np.multiply(da1, np.int64(a1 > 0))
    dW1 = np.dot(dz1, X.T)
    db1 = np.sum(dz1, axis=1, keepdims=True)
    return {
        "dz3": dz3, "dW3": dW3, "db3": db3, "da2": da2, "dz2": dz2, "dW2": dW2, "db2": db2,
        "da1": da1, "dz1": dz1, "dW1": dW1, "db1": db1,
    }  # fmt: skip


def predict(X, y, parameters):
    """Predict labels with the trained network and print the accuracy.

    Returns:
        p: (1, m) array of 0/1 predictions.
    """
    a3, _ = forward_propagation(X, parameters)
    p = (a3 > 0.5).astype(int)
    print("Accuracy: " + str(np.mean(p[0, :] == y[0, :])))
    return p


def predict_dec(parameters, X):
    """Predictions as booleans (for plot_decision_boundary)."""
    a3, _ = forward_propagation(X, parameters)
    return a3 > 0.5


def load_dataset():
    """Two interleaved half moons with noise: train_X (2, 120), train_Y (1, 120)."""
    rng = np.random.default_rng(_SEED)
    half = _EXAMPLES // 2
    angles = rng.uniform(0, np.pi, size=_EXAMPLES)
    outer = np.stack([np.cos(angles[:half]), np.sin(angles[:half])])
    inner = np.stack([1 - np.cos(angles[half:]), 0.5 - np.sin(angles[half:])])
    train_X = np.concatenate([outer, inner], axis=1) + rng.normal(0, 0.2, size=(2, _EXAMPLES))
    train_Y = np.concatenate([np.zeros(half), np.ones(_EXAMPLES - half)]).reshape(1, -1)
    return train_X, train_Y


def plot_decision_boundary(model, X, y):
    """Shade the plane by the model's predictions and scatter the examples."""
    import matplotlib.pyplot as plt

    x_min, x_max = X[0, :].min() - 1, X[0, :].max() + 1
    y_min, y_max = X[1, :].min() - 1, X[1, :].max() + 1
    xx, yy = np.meshgrid(np.linspace(x_min, x_max, 100), np.linspace(y_min, y_max, 100))
    Z = np.asarray(model(np.c_[xx.ravel(), yy.ravel()])).reshape(xx.shape)
    plt.contourf(xx, yy, Z, cmap=plt.cm.Spectral)
    plt.ylabel("x2")
    plt.xlabel("x1")
    plt.scatter(X[0, :], X[1, :], c=np.ravel(y), cmap=plt.cm.Spectral)
    plt.show()
