"""Write the scenario notebooks of `regularization`.

    .venv/bin/python tests/scenarios/build_regularization.py

Every scenario is the same course-style notebook (imports, one cell per graded function, the
notebook's own dropout network and `model`, and two short training runs) with one change: a
function's source patched to make one known mistake, or replaced by a correct one in another
style. The file name says what the submission does; `regularization/expected.toml` says how it
should be graded (maintained by hand, never written here). The output is deterministic (fixed
cell ids).
"""

# ruff: noqa: E501  (notebook cells reproduce the course's code, long lines included)

from __future__ import annotations

from pathlib import Path

from scenario_kit import (
    Scenario,
    function_cells,
    main,
    patches_in,
    write_assignment,
)

ASSIGNMENT = "regularization"
FUNCTIONS = (
    "compute_cost_with_regularization",
    "backward_propagation_with_regularization",
    "dropout_forward",
    "dropout_backward",
)

# --- The correct submission, in the course's style -------------------------------------------

CORRECT = {
    "compute_cost_with_regularization": '''\
# GRADED FUNCTION: compute_cost_with_regularization

def compute_cost_with_regularization(A3, Y, parameters, lambd):
    """
    Implement the cost function with L2 regularization.
    """
    m = Y.shape[1]
    W1 = parameters["W1"]
    W2 = parameters["W2"]
    W3 = parameters["W3"]

    cross_entropy_cost = compute_cost(A3, Y)  # This gives you the cross-entropy part of the cost

    L2_regularization_cost = (1 / m) * (lambd / 2) * (np.sum(np.square(W1)) + np.sum(np.square(W2)) + np.sum(np.square(W3)))

    cost = cross_entropy_cost + L2_regularization_cost
    return cost
''',
    "backward_propagation_with_regularization": '''\
# GRADED FUNCTION: backward_propagation_with_regularization

def backward_propagation_with_regularization(X, Y, cache, lambd):
    """
    Implements the backward propagation of our baseline model to which we added an L2 regularization.
    """
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache

    dZ3 = A3 - Y
    dW3 = 1. / m * np.dot(dZ3, A2.T) + (lambd / m) * W3
    db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True)

    dA2 = np.dot(W3.T, dZ3)
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1. / m * np.dot(dZ2, A1.T) + (lambd / m) * W2
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True)

    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1. / m * np.dot(dZ1, X.T) + (lambd / m) * W1
    db1 = 1. / m * np.sum(dZ1, axis=1, keepdims=True)

    gradients = {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2,
                 "dZ2": dZ2, "dW2": dW2, "db2": db2, "dA1": dA1,
                 "dZ1": dZ1, "dW1": dW1, "db1": db1}
    return gradients
''',
    "dropout_forward": '''\
# GRADED FUNCTION: dropout_forward

def dropout_forward(A, keep_prob):
    """
    Inverted dropout on the activations A of one layer.
    """
    D = np.random.rand(A.shape[0], A.shape[1])  # Step 1: initialize matrix D = np.random.rand(..., ...)
    D = (D < keep_prob).astype(int)             # Step 2: convert entries of D to 0 or 1 (using keep_prob as the threshold)
    A = A * D                                   # Step 3: shut down some neurons of A
    A = A / keep_prob                           # Step 4: scale the value of neurons that haven't been shut down
    return A, D
''',
    "dropout_backward": '''\
# GRADED FUNCTION: dropout_backward

def dropout_backward(dA, D, keep_prob):
    """
    Backward propagation through inverted dropout.
    """
    dA = dA * D          # Step 1: apply mask D to shut down the same neurons as during the forward propagation
    dA = dA / keep_prob  # Step 2: scale the value of neurons that haven't been shut down
    return dA
''',
}

# --- Correct submissions in other styles -------------------------------------------------------

# A loop over every weight matrix with np.linalg.norm(W) ** 2, boolean ReLU derivatives,
# a boolean mask from a Generator, np.where and np.multiply.
ALTERNATIVE = {
    "compute_cost_with_regularization": """\
# GRADED FUNCTION: compute_cost_with_regularization

def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    weights = [parameters[key] for key in parameters if key.startswith("W")]
    squares = sum(np.linalg.norm(W) ** 2 for W in weights)
    return compute_cost(A3, Y) + lambd / (2 * m) * squares
""",
    "backward_propagation_with_regularization": """\
# GRADED FUNCTION: backward_propagation_with_regularization

def backward_propagation_with_regularization(X, Y, cache, lambd):
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    grads = {}
    grads["dZ3"] = A3 - Y
    grads["dW3"] = (grads["dZ3"] @ A2.T + lambd * W3) / m
    grads["db3"] = grads["dZ3"].mean(axis=1, keepdims=True)
    grads["dA2"] = W3.T @ grads["dZ3"]
    grads["dZ2"] = grads["dA2"] * (A2 > 0)
    grads["dW2"] = (grads["dZ2"] @ A1.T + lambd * W2) / m
    grads["db2"] = grads["dZ2"].mean(axis=1, keepdims=True)
    grads["dA1"] = W2.T @ grads["dZ2"]
    grads["dZ1"] = grads["dA1"] * (Z1 > 0)
    grads["dW1"] = (grads["dZ1"] @ X.T + lambd * W1) / m
    grads["db1"] = grads["dZ1"].mean(axis=1, keepdims=True)
    return grads
""",
    "dropout_forward": """\
# GRADED FUNCTION: dropout_forward

rng = np.random.default_rng(2024)

def dropout_forward(A, keep_prob):
    D = rng.random(A.shape) < keep_prob
    return np.where(D, A / keep_prob, 0.0), D
""",
    "dropout_backward": """\
# GRADED FUNCTION: dropout_backward

def dropout_backward(dA, D, keep_prob):
    return np.multiply(dA, D) / keep_prob
""",
}

# Single precision in the backward passes (tolerances widen for float32 answers), and a mask
# drawn with np.random.binomial.
FLOAT32 = {
    "backward_propagation_with_regularization": """\
# GRADED FUNCTION: backward_propagation_with_regularization

def backward_propagation_with_regularization(X, Y, cache, lambd):
    X = X.astype(np.float32)
    Y = Y.astype(np.float32)
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = (c.astype(np.float32) for c in cache)
    m = X.shape[1]
    k = np.float32(lambd / m)
    dZ3 = A3 - Y
    dW3 = np.dot(dZ3, A2.T) / m + k * W3
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = dA2 * (A2 > 0)
    dW2 = np.dot(dZ2, A1.T) / m + k * W2
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = dA1 * (A1 > 0)
    dW1 = np.dot(dZ1, X.T) / m + k * W1
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2,
            "db2": db2, "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
""",
    "dropout_forward": """\
# GRADED FUNCTION: dropout_forward

def dropout_forward(A, keep_prob):
    D = np.random.binomial(1, keep_prob, size=A.shape)
    return (A * D / keep_prob).astype(np.float32), D
""",
    "dropout_backward": """\
# GRADED FUNCTION: dropout_backward

def dropout_backward(dA, D, keep_prob):
    return (dA.astype(np.float32) * D) / np.float32(keep_prob)
""",
}

NOT_IMPLEMENTED = {
    name: f"# GRADED FUNCTION: {name}\n\ndef {signature}:\n    raise NotImplementedError()\n"
    for name, signature in (
        (
            "compute_cost_with_regularization",
            "compute_cost_with_regularization(A3, Y, parameters, lambd)",
        ),
        (
            "backward_propagation_with_regularization",
            "backward_propagation_with_regularization(X, Y, cache, lambd)",
        ),
        ("dropout_forward", "dropout_forward(A, keep_prob)"),
        ("dropout_backward", "dropout_backward(dA, D, keep_prob)"),
    )
}

# --- Scenarios -----------------------------------------------------------------------------------


_COST = "compute_cost_with_regularization"
_BACKWARD = "backward_propagation_with_regularization"
_L2 = "(1 / m) * (lambd / 2) * "
_SQUARES = "np.sum(np.square(W1)) + np.sum(np.square(W2)) + np.sum(np.square(W3))"
_DW = [("(lambd / m) * W3", "W3"), ("(lambd / m) * W2", "W2"), ("(lambd / m) * W1", "W1")]
_DB = [
    (
        "np.sum(dZ3, axis=1, keepdims=True)\n",
        "np.sum(dZ3, axis=1, keepdims=True) + (lambd / m) * b3\n",
    ),
    (
        "np.sum(dZ2, axis=1, keepdims=True)\n",
        "np.sum(dZ2, axis=1, keepdims=True) + (lambd / m) * b2\n",
    ),
    (
        "np.sum(dZ1, axis=1, keepdims=True)\n",
        "np.sum(dZ1, axis=1, keepdims=True) + (lambd / m) * b1\n",
    ),
]
_MASK = "D = (D < keep_prob).astype(int)"

SCENARIOS: dict[str, Scenario] = {
    # Correct, in different styles.
    "correct-course-style": Scenario(),
    "correct-alternative-style": Scenario(functions=ALTERNATIVE),
    "correct-float32": Scenario(functions=FLOAT32),
    "not-implemented": Scenario(functions=NOT_IMPLEMENTED),
    # compute_cost_with_regularization
    "cost-l2-without-half": patches_in(_COST, (_L2, "(lambd / m) * ")),
    "cost-l2-without-one-over-m": patches_in(_COST, (_L2, "(lambd / 2) * ")),
    "cost-l2-only-w3": patches_in(_COST, (_SQUARES, "np.sum(np.square(W3))")),
    "cost-l2-weights-not-squared": patches_in(
        _COST, (_SQUARES, "np.sum(W1) + np.sum(W2) + np.sum(W3)")
    ),
    "cost-l2-norm-not-squared": patches_in(
        _COST, (_SQUARES, "np.linalg.norm(W1) + np.linalg.norm(W2) + np.linalg.norm(W3)")
    ),
    # backward_propagation_with_regularization
    "dw-without-l2-term": patches_in(_BACKWARD, *[(f" + {old}", "") for old, _ in _DW]),
    "dw-l2-term-halved": patches_in(
        _BACKWARD, *[(old, f"(lambd / (2 * m)) * {w}") for old, w in _DW]
    ),
    "dw-l2-term-without-one-over-m": patches_in(
        _BACKWARD, *[(old, f"lambd * {w}") for old, w in _DW]
    ),
    "db-with-l2-term": patches_in(_BACKWARD, *_DB),
    # dropout_forward
    "dropout-mask-keeps-one-minus-keep-prob": patches_in(
        "dropout_forward", (_MASK, "D = (D > keep_prob).astype(int)")
    ),
    "dropout-mask-per-example": patches_in(
        "dropout_forward",
        ("np.random.rand(A.shape[0], A.shape[1])", "np.random.rand(1, A.shape[1])"),
    ),
    "dropout-mask-per-unit": patches_in(
        "dropout_forward",
        ("np.random.rand(A.shape[0], A.shape[1])", "np.random.rand(A.shape[0], 1)"),
    ),
    "dropout-mask-not-thresholded": patches_in("dropout_forward", (_MASK, "")),
    "dropout-not-scaled": patches_in("dropout_forward", ("    A = A / keep_prob ", "    A = A ")),
    "dropout-multiplied-by-keep-prob": patches_in(
        "dropout_forward", ("A = A / keep_prob ", "A = A * keep_prob ")
    ),
    # dropout_backward
    "dropout-backward-not-rescaled": patches_in(
        "dropout_backward", ("    dA = dA / keep_prob ", "    dA = dA ")
    ),
    "dropout-backward-mask-not-applied": patches_in(
        "dropout_backward", ("    dA = dA * D ", "    dA = dA ")
    ),
    "dropout-backward-multiplied-by-keep-prob": patches_in(
        "dropout_backward", ("dA = dA / keep_prob ", "dA = dA * keep_prob ")
    ),
}

# --- Notebook layout ---------------------------------------------------------------------------

IMPORTS = """\
import numpy as np
import matplotlib.pyplot as plt
import sklearn
import sklearn.datasets
import scipy.io
from reg_utils import sigmoid, relu, plot_decision_boundary, initialize_parameters, load_2D_dataset, predict_dec
from reg_utils import compute_cost, predict, forward_propagation, backward_propagation, update_parameters
from testCases import *

%matplotlib inline
plt.rcParams['figure.figsize'] = (7.0, 4.0)
"""

LOAD = """\
train_X, train_Y, test_X, test_Y = load_2D_dataset()
"""

TRY_COST = """\
A3, t_Y, parameters = compute_cost_with_regularization_test_case()
cost = compute_cost_with_regularization(A3, t_Y, parameters, lambd=0.1)
print("cost = " + str(cost))
"""

TRY_BACKWARD = """\
t_X, t_Y, cache = backward_propagation_with_regularization_test_case()
grads = backward_propagation_with_regularization(t_X, t_Y, cache, lambd=0.7)
print("dW1 = \\n" + str(grads["dW1"]))
print("dW3 = \\n" + str(grads["dW3"]))
"""

DROPOUT_NETWORK = '''\
def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    """
    LINEAR -> RELU + DROPOUT -> LINEAR -> RELU + DROPOUT -> LINEAR -> SIGMOID.
    """
    np.random.seed(1)
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]

    Z1 = np.dot(W1, X) + b1
    A1 = relu(Z1)
    A1, D1 = dropout_forward(A1, keep_prob)
    Z2 = np.dot(W2, A1) + b2
    A2 = relu(Z2)
    A2, D2 = dropout_forward(A2, keep_prob)
    Z3 = np.dot(W3, A2) + b3
    A3 = sigmoid(Z3)

    cache = (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
    return A3, cache


def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    """
    Backward propagation of the network with dropout.
    """
    m = X.shape[1]
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache

    dZ3 = A3 - Y
    dW3 = 1. / m * np.dot(dZ3, A2.T)
    db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dA2 = dropout_backward(dA2, D2, keep_prob)
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1. / m * np.dot(dZ2, A1.T)
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dA1 = dropout_backward(dA1, D1, keep_prob)
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1. / m * np.dot(dZ1, X.T)
    db1 = 1. / m * np.sum(dZ1, axis=1, keepdims=True)

    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2,
            "dZ2": dZ2, "dW2": dW2, "db2": db2, "dA1": dA1,
            "dZ1": dZ1, "dW1": dW1, "db1": db1}
'''

MODEL = '''\
def model(X, Y, learning_rate=0.3, num_iterations=30000, print_cost=True, lambd=0, keep_prob=1):
    """
    Implements a three-layer neural network: LINEAR->RELU->LINEAR->RELU->LINEAR->SIGMOID.
    """
    costs = []
    layers_dims = [X.shape[0], 20, 3, 1]
    parameters = initialize_parameters(layers_dims)

    for i in range(0, num_iterations):
        if keep_prob == 1:
            a3, cache = forward_propagation(X, parameters)
        elif keep_prob < 1:
            a3, cache = forward_propagation_with_dropout(X, parameters, keep_prob)

        if lambd == 0:
            cost = compute_cost(a3, Y)
        else:
            cost = compute_cost_with_regularization(a3, Y, parameters, lambd)

        assert (lambd == 0 or keep_prob == 1)  # it is possible to use both, but this assignment does one at a time
        if lambd == 0 and keep_prob == 1:
            grads = backward_propagation(X, Y, cache)
        elif lambd != 0:
            grads = backward_propagation_with_regularization(X, Y, cache, lambd)
        elif keep_prob < 1:
            grads = backward_propagation_with_dropout(X, Y, cache, keep_prob)

        parameters = update_parameters(parameters, grads, learning_rate)

        if print_cost and i % 1000 == 0:
            print("Cost after iteration {}: {}".format(i, cost))
            costs.append(cost)
    return parameters
'''

TRAIN_L2 = """\
parameters = model(train_X, train_Y, lambd=0.7, num_iterations=1000)
print("On the train set:")
predictions_train = predict(train_X, train_Y, parameters)
print("On the test set:")
predictions_test = predict(test_X, test_Y, parameters)
"""

TRAIN_DROPOUT = """\
parameters = model(train_X, train_Y, keep_prob=0.86, learning_rate=0.3, num_iterations=1000)
print("On the train set:")
predictions_train = predict(train_X, train_Y, parameters)
print("On the test set:")
predictions_test = predict(test_X, test_Y, parameters)
"""

HEADINGS = {
    "compute_cost_with_regularization": "## 1 - L2 Regularization\n\n**Exercise 1 - "
    "compute_cost_with_regularization**: $J = -\\frac{1}{m}\\sum (y \\log a^{[3]} + (1-y) "
    "\\log(1 - a^{[3]})) + \\frac{1}{m}\\frac{\\lambda}{2}\\sum_l\\sum_k\\sum_j "
    "W_{k,j}^{[l]2}$",
    "backward_propagation_with_regularization": "**Exercise 2 - "
    "backward_propagation_with_regularization**: add $\\frac{\\lambda}{m} W$ to each $dW$.",
    "dropout_forward": "## 2 - Dropout\n\n**Exercise 3 - dropout_forward**: inverted dropout "
    "with a mask $D$ that keeps each unit with probability `keep_prob`.",
    "dropout_backward": "**Exercise 4 - dropout_backward**: apply the same mask and scale.",
}

TRIES = {
    "compute_cost_with_regularization": TRY_COST,
    "backward_propagation_with_regularization": TRY_BACKWARD,
}


def layout(functions: dict[str, str]) -> list[tuple[str, str]]:
    """The cells of a submission as (cell type, source), in notebook order."""
    cells = [
        (
            "markdown",
            "# Regularization\n\nDeep learning models have so much flexibility and "
            "capacity that overfitting can be a serious problem.",
        ),
        ("code", IMPORTS),
        ("code", LOAD),
    ]
    cells += function_cells(FUNCTIONS, HEADINGS, functions, TRIES)
    cells += [
        ("markdown", "## 3 - Training with each kind of regularization"),
        ("code", DROPOUT_NETWORK),
        ("code", MODEL),
        ("code", TRAIN_L2),
        ("code", TRAIN_DROPOUT),
    ]
    return cells


def write_all() -> list[Path]:
    """Write every scenario notebook; return the paths written."""
    return write_assignment(ASSIGNMENT, CORRECT, SCENARIOS, layout)


if __name__ == "__main__":
    main(write_all)
