"""Stand-in for the course's `reg_utils` module (copied next to the notebook when grading).

The functions a notebook calls have the course's names, arguments and results: the 3-layer
LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID network (initialization, forward and
backward propagation without regularization, the mean cross-entropy cost, the update and
prediction) and the data and plotting helpers. The data set is a stand-in: the course reads the
goalkeeper's 2-D points from `datasets/data.mat`; `load_2D_dataset` draws 150 training and 100
test points with numpy instead, labelled by a wavy boundary with some label noise, so that a
notebook's own training cells run in well under a second. It is not a secret: the graded
functions are checked on the grader's own inputs, never on these data.
"""

from __future__ import annotations

import numpy as np

_SEED = 20170502
_TRAIN, _TEST = 150, 100


def sigmoid(x):
    """Elementwise 1 / (1 + exp(-x))."""
    return 1 / (1 + np.exp(-x))


def relu(x):
    """Elementwise max(0, x)."""
    return np.maximum(0, x)


def initialize_parameters(layer_dims):
    """W[l] ~ N(0, 1 / n_{l-1}) of shape (n_l, n_{l-1}) and b[l] zeros, as in the course.

    Args:
        layer_dims: the layer sizes [n_0, n_1, ..., n_L].

    Returns:
        parameters: dict with "W1", "b1", ..., "WL", "bL".
    """
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(
            layer_dims[l - 1]
        )
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


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
    """Gradients of the mean cross-entropy for the 3-layer network (no regularization).

    Returns:
        gradients: dict with "dz3", "dW3", "db3", "da2", "dz2", "dW2", "db2", "da1", "dz1",
        "dW1", "db1".
    """
    m = X.shape[1]
    (z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3) = cache  # noqa: RUF059 (the course's layout)
    dz3 = a3 - Y
    dW3 = 1.0 / m * np.dot(dz3, a2.T)
    db3 = 1.0 / m * np.sum(dz3, axis=1, keepdims=True)
    da2 = np.dot(W3.T, dz3)
    dz2 = np.multiply(da2, np.int64(a2 > 0))
    dW2 = 1.0 / m * np.dot(dz2, a1.T)
    db2 = 1.0 / m * np.sum(dz2, axis=1, keepdims=True)
    da1 = np.dot(W2.T, dz2)
    dz1 = np.multiply(da1, np.int64(a1 > 0))
    dW1 = 1.0 / m * np.dot(dz1, X.T)
    db1 = 1.0 / m * np.sum(dz1, axis=1, keepdims=True)
    return {
        "dz3": dz3, "dW3": dW3, "db3": db3, "da2": da2, "dz2": dz2, "dW2": dW2, "db2": db2,
        "da1": da1, "dz1": dz1, "dW1": dW1, "db1": db1,
    }  # fmt: skip


def update_parameters(parameters, grads, learning_rate):
    """One step of gradient descent on every layer.

    Returns:
        parameters: the dict with the updated "W1", "b1", ....
    """
    n = len(parameters) // 2
    for k in range(n):
        key = str(k + 1)
        parameters["W" + key] = parameters["W" + key] - learning_rate * grads["dW" + key]
        parameters["b" + key] = parameters["b" + key] - learning_rate * grads["db" + key]
    return parameters


def compute_cost(a3, Y):
    """The mean cross-entropy over the m examples.

    Args:
        a3: output activations (1, m).
        Y: labels (1, m).

    Returns:
        cost: a float.
    """
    m = Y.shape[1]
    logprobs = np.multiply(-np.log(a3), Y) + np.multiply(-np.log(1 - a3), 1 - Y)
    return float(1.0 / m * np.nansum(logprobs))


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


def _points(rng: np.random.Generator, m: int) -> tuple[np.ndarray, np.ndarray]:
    X = rng.uniform(-0.75, 0.75, size=(2, m))
    boundary = 0.25 * np.sin(4 * X[0]) - 0.1
    Y = (X[1] > boundary).astype(int)
    flip = rng.random(m) < 0.05  # a few mislabelled points, for the network to overfit
    Y[flip] = 1 - Y[flip]
    return X, Y.reshape(1, m)


def load_2D_dataset():
    """2-D points: train_X (2, 150), train_Y (1, 150), test_X (2, 100), test_Y (1, 100)."""
    rng = np.random.default_rng(_SEED)
    train_X, train_Y = _points(rng, _TRAIN)
    test_X, test_Y = _points(rng, _TEST)
    return train_X, train_Y, test_X, test_Y


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
