"""Write the scenario notebooks of `two_layer_net`.

    .venv/bin/python tests/scenarios/build_two_layer_net.py

Every scenario is the same course-style notebook (imports, the flower data, one cell per graded
function, a training cell, a plot and an accuracy print) with one change: a function's source
patched to make one known mistake, or replaced by another correct style. The file name says
what the submission does; `two_layer_net/expected.toml` says how it should be graded (kept by
hand, never written here). The output is deterministic (fixed cell ids), so rerunning the
script leaves git clean.
"""

from __future__ import annotations

from pathlib import Path

from scenario_kit import (
    Scenario,
    function_cells,
    main,
    patch,
    patches,
    write_assignment,
)

ASSIGNMENT = "two_layer_net"
FUNCTIONS = (
    "layer_sizes",
    "initialize_parameters",
    "forward_propagation",
    "compute_cost",
    "backward_propagation",
    "update_parameters",
    "nn_model",
    "predict",
)

# --- The correct submission, as the course notebook has it ----------------------------------

CORRECT = {
    "layer_sizes": '''\
# GRADED FUNCTION: layer_sizes

def layer_sizes(X, Y):
    """
    Arguments:
    X -- input dataset of shape (input size, number of examples)
    Y -- labels of shape (output size, number of examples)

    Returns:
    n_x -- the size of the input layer
    n_h -- the size of the hidden layer
    n_y -- the size of the output layer
    """
    n_x = X.shape[0]
    n_h = 4
    n_y = Y.shape[0]
    return (n_x, n_h, n_y)
''',
    "initialize_parameters": '''\
# GRADED FUNCTION: initialize_parameters

def initialize_parameters(n_x, n_h, n_y):
    """
    Returns:
    params -- python dictionary containing your parameters W1, b1, W2, b2
    """
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))

    parameters = {"W1": W1,
                  "b1": b1,
                  "W2": W2,
                  "b2": b2}
    return parameters
''',
    "forward_propagation": '''\
# GRADED FUNCTION: forward_propagation

def forward_propagation(X, parameters):
    """
    Returns:
    A2 -- The sigmoid output of the second activation
    cache -- a dictionary containing "Z1", "A1", "Z2" and "A2"
    """
    W1 = parameters["W1"]
    b1 = parameters["b1"]
    W2 = parameters["W2"]
    b2 = parameters["b2"]

    Z1 = np.dot(W1, X) + b1
    A1 = np.tanh(Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = sigmoid(Z2)

    cache = {"Z1": Z1,
             "A1": A1,
             "Z2": Z2,
             "A2": A2}
    return A2, cache
''',
    "compute_cost": '''\
# GRADED FUNCTION: compute_cost

def compute_cost(A2, Y):
    """
    Computes the cross-entropy cost

    Returns:
    cost -- cross-entropy cost
    """
    m = Y.shape[1]

    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    cost = - np.sum(logprobs) / m

    cost = float(np.squeeze(cost))
    return cost
''',
    "backward_propagation": '''\
# GRADED FUNCTION: backward_propagation

def backward_propagation(parameters, cache, X, Y):
    """
    Returns:
    grads -- python dictionary containing your gradients with respect to different parameters
    """
    m = X.shape[1]

    W1 = parameters["W1"]
    W2 = parameters["W2"]
    A1 = cache["A1"]
    A2 = cache["A2"]

    dZ2 = A2 - Y
    dW2 = 1 / m * np.dot(dZ2, A1.T)
    db2 = 1 / m * np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2))
    dW1 = 1 / m * np.dot(dZ1, X.T)
    db1 = 1 / m * np.sum(dZ1, axis=1, keepdims=True)

    grads = {"dW1": dW1,
             "db1": db1,
             "dW2": dW2,
             "db2": db2}
    return grads
''',
    "update_parameters": '''\
# GRADED FUNCTION: update_parameters

def update_parameters(parameters, grads, learning_rate = 1.2):
    """
    Updates parameters using the gradient descent update rule

    Returns:
    parameters -- python dictionary containing your updated parameters
    """
    W1 = copy.deepcopy(parameters["W1"])
    b1 = parameters["b1"]
    W2 = copy.deepcopy(parameters["W2"])
    b2 = parameters["b2"]

    dW1 = grads["dW1"]
    db1 = grads["db1"]
    dW2 = grads["dW2"]
    db2 = grads["db2"]

    W1 = W1 - learning_rate * dW1
    b1 = b1 - learning_rate * db1
    W2 = W2 - learning_rate * dW2
    b2 = b2 - learning_rate * db2

    parameters = {"W1": W1,
                  "b1": b1,
                  "W2": W2,
                  "b2": b2}
    return parameters
''',
    "nn_model": '''\
# GRADED FUNCTION: nn_model

def nn_model(X, Y, n_h, num_iterations = 10000, print_cost=False):
    """
    Returns:
    parameters -- parameters learnt by the model. They can then be used to predict.
    """
    np.random.seed(3)
    n_x = layer_sizes(X, Y)[0]
    n_y = layer_sizes(X, Y)[2]

    parameters = initialize_parameters(n_x, n_h, n_y)

    for i in range(0, num_iterations):
        A2, cache = forward_propagation(X, parameters)
        cost = compute_cost(A2, Y)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads)

        if print_cost and i % 1000 == 0:
            print ("Cost after iteration %i: %f" %(i, cost))

    return parameters
''',
    "predict": '''\
# GRADED FUNCTION: predict

def predict(parameters, X):
    """
    Using the learned parameters, predicts a class for each example in X

    Returns
    predictions -- vector of predictions of our model (red: 0 / blue: 1)
    """
    A2, cache = forward_propagation(X, parameters)
    predictions = (A2 > 0.5)
    return predictions
''',
}

# --- Correct submissions in other styles ----------------------------------------------------

MATMUL = {
    "initialize_parameters": """\
# GRADED FUNCTION: initialize_parameters

rng = np.random.default_rng()  # a fresh, unseeded generator: different weights every run

def initialize_parameters(n_x, n_h, n_y):
    return {"W1": rng.standard_normal((n_h, n_x)) * 0.01,
            "b1": np.zeros((n_h, 1)),
            "W2": rng.standard_normal((n_y, n_h)) * 0.01,
            "b2": np.zeros((n_y, 1))}
""",
    "forward_propagation": """\
# GRADED FUNCTION: forward_propagation

def forward_propagation(X, parameters):
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = 1 / (1 + np.exp(-Z2))
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
""",
    "backward_propagation": """\
# GRADED FUNCTION: backward_propagation

def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    dZ2 = cache["A2"] - Y
    dZ1 = (parameters["W2"].T @ dZ2) * (1 - cache["A1"] ** 2)
    return {"dW1": dZ1 @ X.T / m,
            "db1": dZ1.mean(axis=1, keepdims=True),
            "dW2": dZ2 @ cache["A1"].T / m,
            "db2": dZ2.mean(axis=1, keepdims=True)}
""",
    "update_parameters": """\
# GRADED FUNCTION: update_parameters

def update_parameters(parameters, grads, learning_rate=1.2):
    return {name: value - learning_rate * grads["d" + name]
            for name, value in parameters.items()}
""",
    "predict": """\
# GRADED FUNCTION: predict

def predict(parameters, X):
    A2, _ = forward_propagation(X, parameters)
    return np.round(A2)
""",
}

FLOAT32 = {
    "forward_propagation": """\
# GRADED FUNCTION: forward_propagation

def forward_propagation(X, parameters):
    X = X.astype(np.float32)
    W1, b1 = parameters["W1"].astype(np.float32), parameters["b1"].astype(np.float32)
    W2, b2 = parameters["W2"].astype(np.float32), parameters["b2"].astype(np.float32)
    Z1 = np.dot(W1, X) + b1
    A1 = np.tanh(Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
""",
    "compute_cost": """\
# GRADED FUNCTION: compute_cost

def compute_cost(A2, Y):
    A2, Y = A2.astype(np.float32), Y.astype(np.float32)
    m = Y.shape[1]
    return -np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / m
""",
    "backward_propagation": """\
# GRADED FUNCTION: backward_propagation

def backward_propagation(parameters, cache, X, Y):
    X, Y = X.astype(np.float32), Y.astype(np.float32)
    W2 = parameters["W2"].astype(np.float32)
    A1, A2 = cache["A1"].astype(np.float32), cache["A2"].astype(np.float32)
    m = X.shape[1]
    dZ2 = A2 - Y
    dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2))
    return {"dW1": np.dot(dZ1, X.T) / m,
            "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
            "dW2": np.dot(dZ2, A1.T) / m,
            "db2": np.sum(dZ2, axis=1, keepdims=True) / m}
""",
}

# Explicit loops over the output rows for the cost and over the hidden units for the gradients.
LOOPS = {
    "compute_cost": """\
# GRADED FUNCTION: compute_cost

def compute_cost(A2, Y):
    m = Y.shape[1]
    total = 0.0
    for row in range(Y.shape[0]):
        total += np.sum(Y[row] * np.log(A2[row]) + (1 - Y[row]) * np.log(1 - A2[row]))
    return -total / m
""",
    "backward_propagation": """\
# GRADED FUNCTION: backward_propagation

def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    W2, A1, A2 = parameters["W2"], cache["A1"], cache["A2"]
    n_h = A1.shape[0]
    dZ2 = A2 - Y
    dW1 = np.zeros((n_h, X.shape[0]))
    db1 = np.zeros((n_h, 1))
    for j in range(n_h):  # one hidden unit at a time
        dz1 = np.dot(W2[:, j], dZ2) * (1 - A1[j] ** 2)
        dW1[j] = np.dot(X, dz1) / m
        db1[j, 0] = np.sum(dz1) / m
    dW2 = np.dot(dZ2, A1.T) / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
""",
}

NOT_IMPLEMENTED = {
    name: source.split('    """', 1)[0] + "    raise NotImplementedError()\n"
    for name, source in CORRECT.items()
}

# --- Scenarios ------------------------------------------------------------------------------


_W_INIT = ("np.random.randn(n_h, n_x) * 0.01", "np.random.randn(n_y, n_h) * 0.01")
_B_INIT = ("np.zeros((n_h, 1))", "np.zeros((n_y, 1))")
_UPDATES = "W1 = W1 - learning_rate * dW1\n    b1 = b1 - learning_rate * db1\n    W2 = W2 - learning_rate * dW2\n    b2 = b2 - learning_rate * db2"  # noqa: E501
_SUMS = ("np.sum(dZ2, axis=1, keepdims=True)", "np.sum(dZ1, axis=1, keepdims=True)")


def _init(old: tuple[str, str], new: tuple[str, str]) -> Scenario:
    return patches(*(("initialize_parameters", o, n) for o, n in zip(old, new, strict=True)))


SCENARIOS: dict[str, Scenario] = {
    # Correct, in different styles.
    "correct-course-style": Scenario(),
    "correct-matmul-default-rng": Scenario(functions=MATMUL),
    "correct-float32": Scenario(functions=FLOAT32),
    "correct-loops": Scenario(functions=LOOPS),
    # One known mistake each (see MISTAKES in the reference solution).
    "n-x-from-m": patch("layer_sizes", "n_x = X.shape[0]", "n_x = X.shape[1]"),
    "n-y-hard-coded": patch("layer_sizes", "n_y = Y.shape[0]", "n_y = 1"),
    "n-y-from-m": patch("layer_sizes", "n_y = Y.shape[0]", "n_y = Y.shape[1]"),
    "weights-zero": _init(_W_INIT, ("np.zeros((n_h, n_x))", "np.zeros((n_y, n_h))")),
    "weights-not-scaled": _init(
        _W_INIT, ("np.random.randn(n_h, n_x)", "np.random.randn(n_y, n_h)")
    ),
    "weights-uniform": _init(
        _W_INIT, ("np.random.rand(n_h, n_x) * 0.01", "np.random.rand(n_y, n_h) * 0.01")
    ),
    "weights-transposed": _init(
        _W_INIT, ("np.random.randn(n_x, n_h) * 0.01", "np.random.randn(n_h, n_y) * 0.01")
    ),
    "biases-flat": _init(_B_INIT, ("np.zeros(n_h)", "np.zeros(n_y)")),
    "biases-random": _init(_B_INIT, ("np.random.randn(n_h, 1)", "np.random.randn(n_y, 1)")),
    "hidden-sigmoid": patch("forward_propagation", "A1 = np.tanh(Z1)", "A1 = sigmoid(Z1)"),
    "hidden-relu": patch("forward_propagation", "A1 = np.tanh(Z1)", "A1 = np.maximum(0, Z1)"),
    "output-tanh": patch("forward_propagation", "A2 = sigmoid(Z2)", "A2 = np.tanh(Z2)"),
    "forward-without-biases": patches(
        ("forward_propagation", "Z1 = np.dot(W1, X) + b1", "Z1 = np.dot(W1, X)"),
        ("forward_propagation", "Z2 = np.dot(W2, A1) + b2", "Z2 = np.dot(W2, A1)"),
    ),
    "cost-without-one-over-m": patch(
        "compute_cost", "cost = - np.sum(logprobs) / m", "cost = - np.sum(logprobs)"
    ),
    "cost-wrong-sign": patch(
        "compute_cost", "cost = - np.sum(logprobs) / m", "cost = np.sum(logprobs) / m"
    ),
    "cost-not-scalar": patches(
        (
            "compute_cost",
            "np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)",
            "np.dot(np.log(A2), Y.T) + np.dot(np.log(1 - A2), (1 - Y).T)",
        ),
        ("compute_cost", "cost = - np.sum(logprobs) / m", "cost = - logprobs / m"),
        ("compute_cost", "    cost = float(np.squeeze(cost))\n", ""),
    ),
    "cost-first-term-only": patch("compute_cost", " + np.multiply(np.log(1 - A2), 1 - Y)", ""),
    "correct-tanh-derivative-from-z1": patch(
        "backward_propagation", "(1 - np.power(A1, 2))", '(1 - np.power(np.tanh(cache["Z1"]), 2))'
    ),
    "one-minus-z1-squared": patch(
        "backward_propagation", "(1 - np.power(A1, 2))", '(1 - np.power(cache["Z1"], 2))'
    ),
    "tanh-derivative-not-squared": patch(
        "backward_propagation", "(1 - np.power(A1, 2))", "(1 - A1)"
    ),
    "gradients-without-one-over-m": patches(
        *(
            ("backward_propagation", f"{name} = 1 / m * ", f"{name} = ")
            for name in ("dW2", "db2", "dW1", "db1")
        )
    ),
    "db-without-keepdims": patches(
        *(("backward_propagation", s, s.replace(", keepdims=True", "")) for s in _SUMS)
    ),
    "update-sign-flipped": patch("update_parameters", _UPDATES, _UPDATES.replace(" - ", " + ")),
    "learning-rate-hard-coded": patch(
        "update_parameters", _UPDATES, _UPDATES.replace("learning_rate", "1.2")
    ),
    "update-in-place": Scenario(
        functions={
            "update_parameters": """\
# GRADED FUNCTION: update_parameters

def update_parameters(parameters, grads, learning_rate = 1.2):
    parameters["W1"] -= learning_rate * grads["dW1"]
    parameters["b1"] -= learning_rate * grads["db1"]
    parameters["W2"] -= learning_rate * grads["dW2"]
    parameters["b2"] -= learning_rate * grads["db2"]
    return parameters
"""
        }
    ),
    "n-h-ignored": patch(
        "nn_model",
        "n_x = layer_sizes(X, Y)[0]\n    n_y = layer_sizes(X, Y)[2]",
        "n_x, n_h, n_y = layer_sizes(X, Y)",
    ),
    "nn-model-parameters-not-reassigned": patch(
        "nn_model",
        "parameters = update_parameters(parameters, grads)",
        "update_parameters(parameters, grads)",
    ),
    "threshold-not-half": patch("predict", "(A2 > 0.5)", "(A2 > 0.6)"),
    "predict-returns-activations": patch("predict", "return predictions", "return A2"),
    "predictions-flat": patch(
        "predict", "predictions = (A2 > 0.5)", "predictions = (A2 > 0.5).ravel()"
    ),
    # Nothing written yet: every graded function still raises NotImplementedError.
    "not-implemented": Scenario(functions=NOT_IMPLEMENTED),
}

# --- Notebook layout ------------------------------------------------------------------------

IMPORTS = """\
# Package imports
import numpy as np
import copy
import math
import matplotlib.pyplot as plt
from testCases_v2 import *
from public_tests import *
from planar_utils import plot_decision_boundary, sigmoid, load_planar_dataset, load_extra_datasets

%matplotlib inline
"""

LOAD_DATA = """\
X, Y = load_planar_dataset()
shape_X = X.shape
shape_Y = Y.shape
m = Y.shape[1]  # training set size
print('The shape of X is: ' + str(shape_X))
print('The shape of Y is: ' + str(shape_Y))
print('I have m = %d training examples!' % (m))
"""

TRAIN = """\
# Build a model with a n_h-dimensional hidden layer
parameters = nn_model(X, Y, n_h = 4, num_iterations = 10000, print_cost=True)

# Plot the decision boundary
plot_decision_boundary(lambda x: predict(parameters, x.T), X, Y)
plt.title("Decision Boundary for hidden layer size " + str(4))
"""

ACCURACY = """\
# Print accuracy
predictions = predict(parameters, X)
print('Accuracy: %d' % float(np.mean(predictions == Y) * 100) + '%')
"""

HEADINGS = {
    "layer_sizes": "## 4 - Neural Network model\n\n### 4.1 - Defining the neural network "
    "structure\n\n**Exercise 2 - layer_sizes**: n_x, n_h = 4, n_y.",
    "initialize_parameters": "### 4.2 - Initialize the model's parameters\n\n**Exercise 3 - "
    "initialize_parameters**: small random weights, zero biases.",
    "forward_propagation": "### 4.3 - The Loop\n\n**Exercise 4 - forward_propagation**: "
    "tanh in the hidden layer, sigmoid at the output.",
    "compute_cost": "### 4.4 - Compute the Cost\n\n**Exercise 5 - compute_cost**: "
    "$J = -\\frac{1}{m} \\sum (y \\log a^{[2]} + (1-y) \\log (1 - a^{[2]}))$.",
    "backward_propagation": "### 4.5 - Implement Backpropagation\n\n**Exercise 6 - "
    "backward_propagation**: $dZ^{[1]} = W^{[2]T} dZ^{[2]} * "
    "(1 - A^{[1]2})$.",
    "update_parameters": "### 4.6 - Update Parameters\n\n**Exercise 7 - update_parameters**: "
    "$\\theta = \\theta - \\alpha \\frac{\\partial J}{\\partial \\theta}$.",
    "nn_model": "### 4.7 - Integration\n\n**Exercise 8 - nn_model**.",
    "predict": "## 5 - Test the Model\n\n**Exercise 9 - predict**: 1 if activation > 0.5.",
}


def layout(functions: dict[str, str]) -> list[tuple[str, str]]:
    """The cells of a submission as (cell type, source), in notebook order."""
    cells = [
        ("markdown", "# Planar data classification with one hidden layer"),
        ("markdown", "## 1 - Packages"),
        ("code", IMPORTS),
        ("markdown", "## 2 - Load the Dataset"),
        ("code", LOAD_DATA),
    ]
    cells += function_cells(FUNCTIONS, HEADINGS, functions)
    cells += [("markdown", "### 5.1 - Train and plot"), ("code", TRAIN), ("code", ACCURACY)]
    return cells


def write_all() -> list[Path]:
    """Write every scenario notebook; return the paths written."""
    return write_assignment(ASSIGNMENT, CORRECT, SCENARIOS, layout)


if __name__ == "__main__":
    main(write_all)
