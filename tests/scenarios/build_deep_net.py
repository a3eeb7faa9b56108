"""Write the scenario notebooks of `deep_net`.

    .venv/bin/python tests/scenarios/build_deep_net.py

Every scenario is the same course-style notebook (imports, one cell per graded function, a
small training cell) with one change: a function's source patched to make one known mistake,
or replaced by another correct style. The file name says what the submission does;
`deep_net/expected.toml` says how it should be graded (kept by hand, never written here). The
output is deterministic (fixed cell ids), so rerunning the script leaves git clean.
"""

# The notebooks hold the course's code as students write it, long lines included.
# ruff: noqa: E501

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

ASSIGNMENT = "deep_net"
FUNCTIONS = (
    "initialize_parameters_deep",
    "linear_forward",
    "linear_activation_forward",
    "L_model_forward",
    "compute_cost",
    "linear_backward",
    "linear_activation_backward",
    "L_model_backward",
    "update_parameters",
    "L_layer_model",
)

# --- The correct submission, as the course notebooks have it --------------------------------

CORRECT = {
    "initialize_parameters_deep": '''\
# GRADED FUNCTION: initialize_parameters_deep

def initialize_parameters_deep(layer_dims):
    """
    Arguments:
    layer_dims -- python array (list) containing the dimensions of each layer in our network

    Returns:
    parameters -- python dictionary containing your parameters "W1", "b1", ..., "WL", "bL"
    """
    np.random.seed(3)
    parameters = {}
    L = len(layer_dims) # number of layers in the network

    for l in range(1, L):
        parameters['W' + str(l)] = np.random.randn(layer_dims[l], layer_dims[l-1]) * 0.01
        parameters['b' + str(l)] = np.zeros((layer_dims[l], 1))

    return parameters
''',
    "linear_forward": '''\
# GRADED FUNCTION: linear_forward

def linear_forward(A, W, b):
    """
    Implement the linear part of a layer's forward propagation.

    Returns:
    Z -- the input of the activation function, also called pre-activation parameter
    cache -- a python tuple containing "A", "W" and "b"
    """
    Z = np.dot(W, A) + b
    cache = (A, W, b)
    return Z, cache
''',
    "linear_activation_forward": '''\
# GRADED FUNCTION: linear_activation_forward

def linear_activation_forward(A_prev, W, b, activation):
    """
    Implement the forward propagation for the LINEAR->ACTIVATION layer

    Returns:
    A -- the output of the activation function, also called the post-activation value
    cache -- a python tuple containing "linear_cache" and "activation_cache"
    """
    if activation == "sigmoid":
        Z, linear_cache = linear_forward(A_prev, W, b)
        A, activation_cache = sigmoid(Z)

    elif activation == "relu":
        Z, linear_cache = linear_forward(A_prev, W, b)
        A, activation_cache = relu(Z)

    cache = (linear_cache, activation_cache)
    return A, cache
''',
    "L_model_forward": '''\
# GRADED FUNCTION: L_model_forward

def L_model_forward(X, parameters):
    """
    Implement forward propagation for the [LINEAR->RELU]*(L-1)->LINEAR->SIGMOID computation

    Returns:
    AL -- activation value from the output (last) layer
    caches -- list of caches containing every cache of linear_activation_forward()
    """
    caches = []
    A = X
    L = len(parameters) // 2                  # number of layers in the neural network

    for l in range(1, L):
        A_prev = A
        A, cache = linear_activation_forward(A_prev, parameters['W' + str(l)], parameters['b' + str(l)], activation = "relu")
        caches.append(cache)

    AL, cache = linear_activation_forward(A, parameters['W' + str(L)], parameters['b' + str(L)], activation = "sigmoid")
    caches.append(cache)

    return AL, caches
''',
    "compute_cost": '''\
# GRADED FUNCTION: compute_cost

def compute_cost(AL, Y):
    """
    Implement the cost function.

    Returns:
    cost -- cross-entropy cost
    """
    m = Y.shape[1]

    cost = -1 / m * np.sum(np.multiply(Y, np.log(AL)) + np.multiply(1 - Y, np.log(1 - AL)))

    cost = np.squeeze(cost)      # To make sure your cost's shape is what we expect (e.g. this turns [[17]] into 17).
    return cost
''',
    "linear_backward": '''\
# GRADED FUNCTION: linear_backward

def linear_backward(dZ, cache):
    """
    Implement the linear portion of backward propagation for a single layer (layer l)

    Returns:
    dA_prev -- Gradient of the cost with respect to the activation (of the previous layer l-1), same shape as A_prev
    dW -- Gradient of the cost with respect to W (current layer l), same shape as W
    db -- Gradient of the cost with respect to b (current layer l), same shape as b
    """
    A_prev, W, b = cache
    m = A_prev.shape[1]

    dW = 1 / m * np.dot(dZ, A_prev.T)
    db = 1 / m * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)

    return dA_prev, dW, db
''',
    "linear_activation_backward": '''\
# GRADED FUNCTION: linear_activation_backward

def linear_activation_backward(dA, cache, activation):
    """
    Implement the backward propagation for the LINEAR->ACTIVATION layer.
    """
    linear_cache, activation_cache = cache

    if activation == "relu":
        dZ = relu_backward(dA, activation_cache)
        dA_prev, dW, db = linear_backward(dZ, linear_cache)

    elif activation == "sigmoid":
        dZ = sigmoid_backward(dA, activation_cache)
        dA_prev, dW, db = linear_backward(dZ, linear_cache)

    return dA_prev, dW, db
''',
    "L_model_backward": '''\
# GRADED FUNCTION: L_model_backward

def L_model_backward(AL, Y, caches):
    """
    Implement the backward propagation for the [LINEAR->RELU] * (L-1) -> LINEAR -> SIGMOID group

    Returns:
    grads -- A dictionary with the gradients
             grads["dA" + str(l)] = ...
             grads["dW" + str(l)] = ...
             grads["db" + str(l)] = ...
    """
    grads = {}
    L = len(caches) # the number of layers
    m = AL.shape[1]
    Y = Y.reshape(AL.shape) # after this line, Y is the same shape as AL

    dAL = - (np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))

    current_cache = caches[L - 1]
    dA_prev_temp, dW_temp, db_temp = linear_activation_backward(dAL, current_cache, "sigmoid")
    grads["dA" + str(L - 1)] = dA_prev_temp
    grads["dW" + str(L)] = dW_temp
    grads["db" + str(L)] = db_temp

    for l in reversed(range(L - 1)):
        current_cache = caches[l]
        dA_prev_temp, dW_temp, db_temp = linear_activation_backward(grads["dA" + str(l + 1)], current_cache, "relu")
        grads["dA" + str(l)] = dA_prev_temp
        grads["dW" + str(l + 1)] = dW_temp
        grads["db" + str(l + 1)] = db_temp

    return grads
''',
    "update_parameters": '''\
# GRADED FUNCTION: update_parameters

def update_parameters(params, grads, learning_rate):
    """
    Update parameters using gradient descent

    Returns:
    parameters -- python dictionary containing your updated parameters
    """
    parameters = copy.deepcopy(params)
    L = len(parameters) // 2 # number of layers in the neural network

    for l in range(L):
        parameters["W" + str(l+1)] = parameters["W" + str(l+1)] - learning_rate * grads["dW" + str(l+1)]
        parameters["b" + str(l+1)] = parameters["b" + str(l+1)] - learning_rate * grads["db" + str(l+1)]

    return parameters
''',
    "L_layer_model": '''\
# GRADED FUNCTION: L_layer_model

def L_layer_model(X, Y, layers_dims, learning_rate = 0.0075, num_iterations = 3000, print_cost=False):
    """
    Implements a L-layer neural network: [LINEAR->RELU]*(L-1)->LINEAR->SIGMOID.

    Returns:
    parameters -- parameters learnt by the model. They can then be used to predict.
    costs -- the cost every 100 iterations
    """
    np.random.seed(1)
    costs = []                         # keep track of cost

    parameters = initialize_parameters_deep(layers_dims)

    for i in range(0, num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)

        if print_cost and i % 100 == 0 or i == num_iterations - 1:
            print("Cost after iteration {}: {}".format(i, np.squeeze(cost)))
        if i % 100 == 0 or i == num_iterations:
            costs.append(cost)

    return parameters, costs
''',
}

# --- Correct submissions in other styles ----------------------------------------------------

# He initialization from an unseeded generator, the @ operator, one loop per pass.
HE_MATMUL = {
    "initialize_parameters_deep": """\
# GRADED FUNCTION: initialize_parameters_deep

def initialize_parameters_deep(layer_dims):
    rng = np.random.default_rng()
    parameters = {}
    for l in range(1, len(layer_dims)):
        fan_in = layer_dims[l - 1]
        parameters[f"W{l}"] = rng.standard_normal((layer_dims[l], fan_in)) * np.sqrt(2 / fan_in)
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters
""",
    "linear_forward": """\
# GRADED FUNCTION: linear_forward

def linear_forward(A, W, b):
    return W @ A + b, (A, W, b)
""",
    "L_model_forward": """\
# GRADED FUNCTION: L_model_forward

def L_model_forward(X, parameters):
    L = len(parameters) // 2
    A, caches = X, []
    for l in range(1, L + 1):
        activation = "sigmoid" if l == L else "relu"
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], activation)
        caches.append(cache)
    return A, caches
""",
    "linear_backward": """\
# GRADED FUNCTION: linear_backward

def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, dZ.mean(axis=1, keepdims=True)
""",
    "L_model_backward": """\
# GRADED FUNCTION: L_model_backward

def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dA = -(Y / AL - (1 - Y) / (1 - AL))
    for l in range(L, 0, -1):
        activation = "sigmoid" if l == L else "relu"
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(dA, caches[l - 1], activation)
        grads[f"dA{l - 1}"] = dA
    return grads
""",
    "update_parameters": """\
# GRADED FUNCTION: update_parameters

def update_parameters(params, grads, learning_rate):
    return {name: value - learning_rate * grads["d" + name] for name, value in params.items()}
""",
    "L_layer_model": """\
# GRADED FUNCTION: L_layer_model

def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    costs = []
    parameters = initialize_parameters_deep(layers_dims)
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        parameters = update_parameters(parameters, L_model_backward(AL, Y, caches), learning_rate)
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print(f"Cost after iteration {i}: {cost:.6f}")
    return parameters, costs
""",
}

# Single precision in the initialization (1/sqrt(n)), the cost and the backward step. (The
# forward pass stays in double precision, as numpy promotes float32 weights times float64
# inputs: a float32 forward pass saturates the sigmoid to exactly 1.0 on the breast-cancer
# outliers, log(1 - AL) becomes -inf and training ends in NaN.)
FLOAT32 = {
    "initialize_parameters_deep": """\
# GRADED FUNCTION: initialize_parameters_deep

def initialize_parameters_deep(layer_dims):
    parameters = {}
    for l in range(1, len(layer_dims)):
        W = np.random.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])
        parameters['W' + str(l)] = W.astype(np.float32)
        parameters['b' + str(l)] = np.zeros((layer_dims[l], 1), dtype=np.float32)
    return parameters
""",
    "compute_cost": """\
# GRADED FUNCTION: compute_cost

def compute_cost(AL, Y):
    AL, Y = AL.astype(np.float32), Y.astype(np.float32)
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)
""",
    "linear_backward": """\
# GRADED FUNCTION: linear_backward

def linear_backward(dZ, cache):
    A_prev, W, b = (x.astype(np.float32) for x in cache)
    dZ = dZ.astype(np.float32)
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    return np.dot(W.T, dZ), dW, db
""",
}

NOT_IMPLEMENTED = {
    name: source.split('    """', 1)[0] + "    raise NotImplementedError()\n"
    for name, source in CORRECT.items()
}

# --- Scenarios ------------------------------------------------------------------------------


_W = "np.random.randn(layer_dims[l], layer_dims[l-1]) * 0.01"
_B = "np.zeros((layer_dims[l], 1))"
_FORWARD_LAST = "parameters['b' + str(L)], activation = \"sigmoid\")"
_FORWARD_HIDDEN = "parameters['b' + str(l)], activation = \"relu\")"
_DW = "dW = 1 / m * np.dot(dZ, A_prev.T)"
_DB = "db = 1 / m * np.sum(dZ, axis=1, keepdims=True)"
_RELU_BRANCH = "dZ = relu_backward(dA, activation_cache)"
_SIGMOID_BRANCH = "dZ = sigmoid_backward(dA, activation_cache)"
_UPDATE_W = 'parameters["W" + str(l+1)] = parameters["W" + str(l+1)] - learning_rate'
_UPDATE_B = 'parameters["b" + str(l+1)] = parameters["b" + str(l+1)] - learning_rate'
_GRADS_DA = ('grads["dA" + str(L - 1)] = dA_prev_temp', 'grads["dA" + str(l + 1)], current')

SCENARIOS: dict[str, Scenario] = {
    # Correct, in different styles.
    "correct-course-style": Scenario(),
    "correct-he-init-matmul": Scenario(functions=HE_MATMUL),
    "correct-float32": Scenario(functions=FLOAT32),
    "correct-activation-first": patches(  # the activation chosen before one shared linear step
        (
            "linear_activation_forward",
            """    if activation == "sigmoid":
        Z, linear_cache = linear_forward(A_prev, W, b)
        A, activation_cache = sigmoid(Z)

    elif activation == "relu":
        Z, linear_cache = linear_forward(A_prev, W, b)
        A, activation_cache = relu(Z)
""",
            """    Z, linear_cache = linear_forward(A_prev, W, b)
    activate = {"sigmoid": sigmoid, "relu": relu}[activation]
    A, activation_cache = activate(Z)
""",
        ),
    ),
    # One known mistake each (see MISTAKES in the reference solution).
    "init-weights-transposed": patch(
        "initialize_parameters_deep", _W, "np.random.randn(layer_dims[l-1], layer_dims[l]) * 0.01"
    ),
    "init-last-layer-missing": patch(
        "initialize_parameters_deep", "range(1, L)", "range(1, L - 1)"
    ),
    "init-layer-zero": patch("initialize_parameters_deep", "range(1, L)", "range(L)"),
    "init-weights-zero": patch(
        "initialize_parameters_deep", _W, "np.zeros((layer_dims[l], layer_dims[l-1]))"
    ),
    "init-weights-not-scaled": patch(
        "initialize_parameters_deep", _W, "np.random.randn(layer_dims[l], layer_dims[l-1])"
    ),
    "init-weights-uniform": patch(
        "initialize_parameters_deep", _W, "np.random.rand(layer_dims[l], layer_dims[l-1]) * 0.01"
    ),
    "init-biases-flat": patch("initialize_parameters_deep", _B, "np.zeros(layer_dims[l])"),
    "linear-forward-without-bias": patch(
        "linear_forward", "Z = np.dot(W, A) + b", "Z = np.dot(W, A)"
    ),
    "linear-cache-order": patch("linear_forward", "cache = (A, W, b)", "cache = (W, A, b)"),
    "activation-swapped": patches(
        (
            "linear_activation_forward",
            "A, activation_cache = sigmoid(Z)",
            "A, activation_cache = RELU(Z)",
        ),
        (
            "linear_activation_forward",
            "A, activation_cache = relu(Z)",
            "A, activation_cache = sigmoid(Z)",
        ),
        ("linear_activation_forward", "RELU(Z)", "relu(Z)"),
    ),
    "activation-cache-is-a": patch(
        "linear_activation_forward",
        "cache = (linear_cache, activation_cache)",
        "cache = (linear_cache, A)",
    ),
    "activation-cache-order": patch(
        "linear_activation_forward",
        "cache = (linear_cache, activation_cache)",
        "cache = (activation_cache, linear_cache)",
    ),
    "forward-last-layer-relu": patch(
        "L_model_forward", _FORWARD_LAST, _FORWARD_LAST.replace("sigmoid", "relu")
    ),
    "forward-hidden-layers-sigmoid": patch(
        "L_model_forward", _FORWARD_HIDDEN, _FORWARD_HIDDEN.replace("relu", "sigmoid")
    ),
    "last-cache-missing": patch(
        "L_model_forward", "    caches.append(cache)\n\n    return", "\n    return"
    ),
    "cost-without-one-over-m": patch("compute_cost", "cost = -1 / m * np.sum(", "cost = -np.sum("),
    "cost-wrong-sign": patch("compute_cost", "cost = -1 / m *", "cost = 1 / m *"),
    "cost-not-scalar": patches(
        (
            "compute_cost",
            "np.sum(np.multiply(Y, np.log(AL)) + np.multiply(1 - Y, np.log(1 - AL)))",
            "(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T))",
        ),
        ("compute_cost", "    cost = np.squeeze(cost)", "    # cost = np.squeeze(cost)"),
    ),
    "dw-without-one-over-m": patch("linear_backward", _DW, "dW = np.dot(dZ, A_prev.T)"),
    "db-without-one-over-m": patch(
        "linear_backward", _DB, "db = np.sum(dZ, axis=1, keepdims=True)"
    ),
    "gradients-without-one-over-m": patches(
        ("linear_backward", _DW, "dW = np.dot(dZ, A_prev.T)"),
        ("linear_backward", _DB, "db = np.sum(dZ, axis=1, keepdims=True)"),
    ),
    "db-without-keepdims": patch("linear_backward", _DB, "db = 1 / m * np.sum(dZ, axis=1)"),
    "da-prev-with-one-over-m": patch(
        "linear_backward", "dA_prev = np.dot(W.T, dZ)", "dA_prev = 1 / m * np.dot(W.T, dZ)"
    ),
    "dw-transposed": patch("linear_backward", _DW, "dW = 1 / m * np.dot(A_prev, dZ.T)"),
    "backward-activation-swapped": patches(
        ("linear_activation_backward", _RELU_BRANCH, "dZ = SIGMOID_BACKWARD(dA, activation_cache)"),
        ("linear_activation_backward", _SIGMOID_BRANCH, _RELU_BRANCH),
        ("linear_activation_backward", "SIGMOID_BACKWARD", "sigmoid_backward"),
    ),
    "activation-backward-skipped": patches(
        ("linear_activation_backward", _RELU_BRANCH, "dZ = dA"),
        ("linear_activation_backward", _SIGMOID_BRANCH, "dZ = dA"),
    ),
    "dal-sign-flipped": patch("L_model_backward", "dAL = - (np.divide", "dAL = (np.divide"),
    "backward-last-layer-relu": patch(
        "L_model_backward", 'current_cache, "sigmoid")', 'current_cache, "relu")'
    ),
    "backward-hidden-layers-sigmoid": patch(
        "L_model_backward", 'current_cache, "relu")', 'current_cache, "sigmoid")'
    ),
    "da-keys-shifted": patches(
        ("L_model_backward", _GRADS_DA[0], 'grads["dA" + str(L)] = dA_prev_temp'),
        ("L_model_backward", _GRADS_DA[1], 'grads["dA" + str(l + 2)], current'),
        (
            "L_model_backward",
            'grads["dA" + str(l)] = dA_prev_temp',
            'grads["dA" + str(l + 1)] = dA_prev_temp',
        ),
    ),
    "update-sign-flipped": patches(
        ("update_parameters", _UPDATE_W, _UPDATE_W.replace(" - ", " + ")),
        ("update_parameters", _UPDATE_B, _UPDATE_B.replace(" - ", " + ")),
    ),
    "last-layer-not-updated": patch(
        "update_parameters", "for l in range(L):", "for l in range(L - 1):"
    ),
    "first-layer-not-updated": patch(
        "update_parameters", "for l in range(L):", "for l in range(1, L):"
    ),
    "b-not-updated": patch("update_parameters", f"        {_UPDATE_B}", "        # " + _UPDATE_B),
    "update-in-place": patch(
        "update_parameters", "parameters = copy.deepcopy(params)", "parameters = params"
    ),
    "costs-every-iteration": patch(
        "L_layer_model",
        "if i % 100 == 0 or i == num_iterations:\n            costs",
        "if True:\n            costs",
    ),
    "num-iterations-ignored": patch("L_layer_model", "range(0, num_iterations)", "range(0, 3000)"),
    "costs-only-when-printing": patch(
        "L_layer_model",
        "if i % 100 == 0 or i == num_iterations:\n            costs",
        "if print_cost and i % 100 == 0:\n            costs",
    ),
    "parameters-not-reassigned": patch(
        "L_layer_model",
        "parameters = update_parameters(parameters, grads, learning_rate)",
        "update_parameters(parameters, grads, learning_rate)",
    ),
    "learning-rate-hard-coded": patch(
        "L_layer_model",
        "update_parameters(parameters, grads, learning_rate)",
        "update_parameters(parameters, grads, 0.0075)",
    ),
    # Nothing written yet: every graded function still raises NotImplementedError.
    "not-implemented": Scenario(functions=NOT_IMPLEMENTED),
}

# --- Notebook layout ------------------------------------------------------------------------

IMPORTS = """\
import numpy as np
import h5py
import copy
import matplotlib.pyplot as plt
from testCases import *
from dnn_utils import sigmoid, sigmoid_backward, relu, relu_backward
from public_tests import *

%matplotlib inline
plt.rcParams['figure.figsize'] = (5.0, 4.0) # set default size of plots

%load_ext autoreload
%autoreload 2

np.random.seed(1)
"""

LOAD_DATA = """\
from dnn_app_utils_v3 import load_data

train_x_orig, train_y, test_x_orig, test_y, classes = load_data()
train_x = train_x_orig.reshape(train_x_orig.shape[0], -1).T / 255.
test_x = test_x_orig.reshape(test_x_orig.shape[0], -1).T / 255.
print ("train_x's shape: " + str(train_x.shape))
"""

TRAIN = """\
layers_dims = [train_x.shape[0], 20, 7, 5, 1] #  4-layer model
parameters, costs = L_layer_model(train_x, train_y, layers_dims, num_iterations = 300, print_cost = True)
"""

HEADINGS = {
    "initialize_parameters_deep": "## 3 - Initialization\n\n**Exercise 2 - "
    "initialize_parameters_deep**",
    "linear_forward": "## 4 - Forward Propagation Module\n\n**Exercise 3 - linear_forward**: "
    "$Z^{[l]} = W^{[l]}A^{[l-1]} + b^{[l]}$",
    "linear_activation_forward": "**Exercise 4 - linear_activation_forward**",
    "L_model_forward": "**Exercise 5 - L_model_forward**",
    "compute_cost": "## 5 - Cost Function\n\n**Exercise 6 - compute_cost**",
    "linear_backward": "## 6 - Backward Propagation Module\n\n**Exercise 7 - linear_backward**",
    "linear_activation_backward": "**Exercise 8 - linear_activation_backward**",
    "L_model_backward": "**Exercise 9 - L_model_backward**",
    "update_parameters": "**Exercise 10 - update_parameters**",
    "L_layer_model": "## 7 - L-layer Neural Network\n\n**Exercise - L_layer_model**",
}


def layout(functions: dict[str, str]) -> list[tuple[str, str]]:
    """The cells of a submission as (cell type, source), in notebook order."""
    cells = [
        ("markdown", "# Building your Deep Neural Network: Step by Step"),
        ("markdown", "## 1 - Packages"),
        ("code", IMPORTS),
    ]
    cells += function_cells(FUNCTIONS, HEADINGS, functions)
    cells += [("markdown", "### Train on the cat pictures"), ("code", LOAD_DATA), ("code", TRAIN)]
    return cells


def write_all() -> list[Path]:
    """Write every scenario notebook; return the paths written."""
    return write_assignment(ASSIGNMENT, CORRECT, SCENARIOS, layout)


if __name__ == "__main__":
    main(write_all)
