"""Write the scenario notebooks of `logistic_regression` and the two example notebooks.

    .venv/bin/python tests/scenarios/build_scenarios.py

Every scenario is the same course-style notebook (markdown, imports, data loading, one cell
per graded function, a training cell and a plot cell) with one change: a function's source
patched to make one known mistake, or an extra cell that misbehaves. The file name says what
the submission does; `expected.toml` next to the notebooks says how it should be graded (it is
maintained by hand and never written here). The output is deterministic (fixed cell ids), so
rerunning the script leaves git clean.
"""

# The notebooks hold the course's code as students write it, long lines included.
# ruff: noqa: E501

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import scenario_kit
from nbformat import v4
from scenario_kit import ROOT, SCENARIO_ROOT, apply, main, new_notebook, write_scenarios

SCENARIO_DIR = SCENARIO_ROOT / "logistic_regression"
EXAMPLES_DIR = ROOT / "examples"
GRADER_METADATA = {"assignment": "logistic_regression"}
FUNCTIONS = ("sigmoid", "initialize_with_zeros", "propagate", "optimize", "predict", "model")

# --- The correct, vectorized submission -----------------------------------------------------

CORRECT = {
    "sigmoid": '''\
# GRADED FUNCTION: sigmoid

def sigmoid(z):
    """
    Compute the sigmoid of z

    Arguments:
    z -- A scalar or numpy array of any size.

    Return:
    s -- sigmoid(z)
    """
    s = 1 / (1 + np.exp(-z))
    return s
''',
    "initialize_with_zeros": '''\
# GRADED FUNCTION: initialize_with_zeros

def initialize_with_zeros(dim):
    """
    Creates a vector of zeros of shape (dim, 1) for w and initializes b to 0.
    """
    w = np.zeros((dim, 1))
    b = 0.0
    return w, b
''',
    "propagate": '''\
# GRADED FUNCTION: propagate

def propagate(w, b, X, Y):
    """
    Implement the cost function and its gradient for the propagation explained above
    """
    m = X.shape[1]

    # FORWARD PROPAGATION (FROM X TO COST)
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -1 / m * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))

    # BACKWARD PROPAGATION (TO FIND GRAD)
    dw = 1 / m * np.dot(X, (A - Y).T)
    db = 1 / m * np.sum(A - Y)

    cost = np.squeeze(np.array(cost))
    grads = {"dw": dw,
             "db": db}
    return grads, cost
''',
    "optimize": '''\
# GRADED FUNCTION: optimize

def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    """
    This function optimizes w and b by running a gradient descent algorithm
    """
    w = copy.deepcopy(w)
    b = copy.deepcopy(b)
    costs = []

    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        dw = grads["dw"]
        db = grads["db"]

        # update rule
        w = w - learning_rate * dw
        b = b - learning_rate * db

        # Record the costs
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print("Cost after iteration %i: %f" % (i, cost))

    params = {"w": w,
              "b": b}
    grads = {"dw": dw,
             "db": db}
    return params, grads, costs
''',
    "predict": '''\
# GRADED FUNCTION: predict

def predict(w, b, X):
    """
    Predict whether the label is 0 or 1 using learned logistic regression parameters (w, b)
    """
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    Y_prediction = (A > 0.5).astype(float)
    return Y_prediction
''',
    "model": '''\
# GRADED FUNCTION: model

def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    """
    Builds the logistic regression model by calling the functions implemented previously
    """
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)
    w = params["w"]
    b = params["b"]
    Y_prediction_test = predict(w, b, X_test)
    Y_prediction_train = predict(w, b, X_train)

    if print_cost:
        print("train accuracy: {} %".format(100 - np.mean(np.abs(Y_prediction_train - Y_train)) * 100))
        print("test accuracy: {} %".format(100 - np.mean(np.abs(Y_prediction_test - Y_test)) * 100))

    d = {"costs": costs,
         "Y_prediction_test": Y_prediction_test,
         "Y_prediction_train": Y_prediction_train,
         "w": w,
         "b": b,
         "learning_rate": learning_rate,
         "num_iterations": num_iterations}
    return d
''',
}

# --- Correct submissions in other styles (whole functions replaced) -------------------------

LOOP_PROPAGATE = """\
# GRADED FUNCTION: propagate

def propagate(w, b, X, Y):
    n_x, m = X.shape
    A = sigmoid(np.dot(w.T, X) + b)

    cost = 0.0
    dw = np.zeros((n_x, 1))
    db = 0.0
    for i in range(m):
        a = float(A[0, i])
        y = float(Y[0, i])
        cost += -(y * math.log(a) + (1 - y) * math.log(1 - a))
        dw[:, 0] += (a - y) * X[:, i]
        db += a - y
    cost = cost / m
    dw = dw / m
    db = db / m

    grads = {"dw": dw, "db": db}
    return grads, cost
"""

# No numpy operation on whole arrays at all: about 10 ms per call on breast-cancer data.
NESTED_LOOP_PROPAGATE = """\
# GRADED FUNCTION: propagate

def propagate(w, b, X, Y):
    n_x, m = X.shape
    cost = 0.0
    dw = np.zeros((n_x, 1))
    db = 0.0
    for i in range(m):
        z = b
        for j in range(n_x):
            z += w[j, 0] * X[j, i]
        a = 1 / (1 + math.exp(-z))
        y = Y[0, i]
        cost += -(y * math.log(a) + (1 - y) * math.log(1 - a))
        for j in range(n_x):
            dw[j, 0] += (a - y) * X[j, i]
        db += a - y
    grads = {"dw": dw / m, "db": db / m}
    return grads, cost / m
"""

# The 2017-2019 releases: optimize's num_iterations and learning_rate had no defaults.
OLD_SIGNATURE_OPTIMIZE = """\
# GRADED FUNCTION: optimize

def optimize(w, b, X, Y, num_iterations, learning_rate, print_cost = False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        dw = grads["dw"]
        db = grads["db"]
        w = w - learning_rate * dw
        b = b - learning_rate * db
        if i % 100 == 0:
            costs.append(cost)
        if print_cost and i % 100 == 0:
            print ("Cost after iteration %i: %f" %(i, cost))
    params = {"w": w,
              "b": b}
    grads = {"dw": dw,
             "db": db}
    return params, grads, costs
"""

LOOP_PREDICT = """\
# GRADED FUNCTION: predict

def predict(w, b, X):
    m = X.shape[1]
    Y_prediction = np.zeros((1, m))
    A = sigmoid(np.dot(w.T, X) + b)
    for i in range(A.shape[1]):
        if A[0, i] > 0.5:
            Y_prediction[0, i] = 1
        else:
            Y_prediction[0, i] = 0
    return Y_prediction
"""

FLOAT32 = {
    "sigmoid": """\
# GRADED FUNCTION: sigmoid

def sigmoid(z):
    z = np.asarray(z, dtype=np.float32)  # single precision is plenty here
    return 1 / (1 + np.exp(-z))
""",
    "initialize_with_zeros": """\
# GRADED FUNCTION: initialize_with_zeros

def initialize_with_zeros(dim):
    w = np.zeros((dim, 1), dtype=np.float32)
    b = 0.0
    return w, b
""",
    "propagate": """\
# GRADED FUNCTION: propagate

def propagate(w, b, X, Y):
    w = w.astype(np.float32)
    X = X.astype(np.float32)
    Y = Y.astype(np.float32)
    b = np.float32(b)
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dw = np.dot(X, (A - Y).T) / m
    db = np.sum(A - Y) / m
    return {"dw": dw, "db": db}, cost
""",
    "optimize": """\
# GRADED FUNCTION: optimize

def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    w = w.astype(np.float32)
    b = np.float32(b)
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - np.float32(learning_rate) * grads["dw"]
        b = b - np.float32(learning_rate) * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print("Cost after iteration %i: %f" % (i, cost))
    return {"w": w, "b": b}, grads, costs
""",
    "predict": """\
# GRADED FUNCTION: predict

def predict(w, b, X):
    A = sigmoid(np.dot(w.astype(np.float32).T, X.astype(np.float32)) + np.float32(b))
    return (A > 0.5).astype(np.float32)
""",
}

STABLE_SIGMOID = '''\
# GRADED FUNCTION: sigmoid

def sigmoid(z):
    """Numerically stable: never takes exp of a large positive number."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
'''

# A check of propagate by hand, with a typo in the key: raises KeyError.
EXCEPTION_CELL = """\
w, b = np.array([[1.], [2.]]), 2.
X, Y = np.array([[1., 2., -1.], [3., 4., -3.2]]), np.array([[1, 0, 1]])
grads, cost = propagate(w, b, X, Y)
print("dw = " + str(grads["dW"]))
"""

INFINITE_PREDICT = """\
# GRADED FUNCTION: predict

def predict(w, b, X):
    m = X.shape[1]
    Y_prediction = np.zeros((1, m))
    A = sigmoid(np.dot(w.T, X) + b)
    i = 0
    while i < m:
        if A[0, i] > 0.5:
            Y_prediction[0, i] = 1
        else:
            Y_prediction[0, i] = 0
    return Y_prediction
"""

CHEATING_SIGMOID = """\
# GRADED FUNCTION: sigmoid

def sigmoid(z):
    answer = globals().get("_stolen_sigmoid")
    if answer is not None:
        return answer(z)
    return np.zeros_like(np.asarray(z, dtype=float)) + 0.5
"""

# Looks everywhere for the grader's answers; `sigmoid` above is right only if this finds them.
SNOOP_CELL = """\
import ast, glob, os, sys, time

_candidates = [
    "reference_solutions/logistic_regression.py",
    "../reference_solutions/logistic_regression.py",
    "../../reference_solutions/logistic_regression.py",
    "/work/main/reference_solutions/logistic_regression.py",
]
_here = os.path.abspath(os.getcwd())
while True:
    _candidates.append(os.path.join(_here, "reference_solutions", "logistic_regression.py"))
    if os.path.dirname(_here) == _here:
        break
    _here = os.path.dirname(_here)
for _entry in sys.path:
    _candidates.append(os.path.join(_entry, "grader", "_data", "reference_solutions", "logistic_regression.py"))
try:
    import grader.resources
    _candidates.append(str(grader.resources.reference_solutions_dir() / "logistic_regression.py"))
except Exception:
    pass
for _pattern in ("/*/reference_solutions/*.py", "/*/*/reference_solutions/*.py", "/*/*/*/reference_solutions/*.py"):
    _candidates += glob.glob(_pattern)
_deadline = time.time() + 5
for _root, _dirs, _files in os.walk("/"):
    if time.time() > _deadline:
        break
    _dirs[:] = [d for d in _dirs if d not in ("proc", "sys", "dev")]
    if "logistic_regression.py" in _files:
        _candidates.append(os.path.join(_root, "logistic_regression.py"))

stolen = {}
for _path in _candidates:
    try:
        with open(_path) as _f:
            stolen[_path] = _f.read()
    except Exception:
        pass

_stolen_sigmoid = None
for _source in stolen.values():
    try:
        _tree = ast.parse(_source)
        _node = next(n for n in _tree.body if isinstance(n, ast.FunctionDef) and n.name == "sigmoid")
        _namespace = {"np": np}
        exec("from __future__ import annotations\\n" + ast.get_source_segment(_source, _node), _namespace)
        _stolen_sigmoid = _namespace["sigmoid"]
        break
    except Exception:
        pass
print("found the answers" if _stolen_sigmoid else "found nothing")
"""

# --- Scenarios ------------------------------------------------------------------------------


@dataclass
class Scenario(scenario_kit.Scenario):
    """One notebook: replaced functions, textual patches, extra cells, metadata."""

    extra: list[tuple[str, str]] = field(default_factory=list)  # (after cell key, code)
    metadata: bool = True


def patch(function: str, old: str, new: str, **kwargs) -> Scenario:
    """A scenario that differs from the correct notebook by one textual edit."""
    return Scenario(patches=[(function, old, new)], **kwargs)


def after(key: str, code: str, **kwargs) -> Scenario:
    """A correct notebook with one extra code cell after the cell `key`."""
    return Scenario(extra=[(key, code)], **kwargs)


_UPDATE = "w = w - learning_rate * dw\n        b = b - learning_rate * db"
_OPTIMIZE_CALL = "optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)"
_MODEL_PREDICTS = (
    "Y_prediction_test = predict(w, b, X_test)\n    Y_prediction_train = predict(w, b, X_train)"
)

SCENARIOS: dict[str, Scenario] = {
    # Correct, in different styles.
    "correct-vectorized": Scenario(),
    "correct-matmul-operator": Scenario(
        patches=[
            ("propagate", "np.dot(w.T, X)", "w.T @ X"),
            ("propagate", "np.dot(X, (A - Y).T)", "X @ (A - Y).T"),
            ("predict", "np.dot(w.T, X)", "w.T @ X"),
        ]
    ),
    "correct-loops": Scenario(
        functions={"propagate": LOOP_PROPAGATE, "predict": LOOP_PREDICT}, metadata=False
    ),
    "correct-nested-loops": Scenario(
        functions={"propagate": NESTED_LOOP_PROPAGATE, "predict": LOOP_PREDICT}
    ),
    "correct-old-signature": Scenario(functions={"optimize": OLD_SIGNATURE_OPTIMIZE}),
    "correct-float32": Scenario(functions=FLOAT32),
    "correct-stable-sigmoid": Scenario(functions={"sigmoid": STABLE_SIGMOID}),
    "correct-bool-predictions": patch("predict", "(A > 0.5).astype(float)", "A > 0.5"),
    "correct-b-int": patch("initialize_with_zeros", "b = 0.0", "b = 0"),
    "no-metadata": Scenario(metadata=False),
    # One known mistake each (see MISTAKES in the reference solution).
    "sigmoid-wrong-sign": patch("sigmoid", "np.exp(-z)", "np.exp(z)"),
    "w-shape-dim": patch("initialize_with_zeros", "np.zeros((dim, 1))", "np.zeros(dim)"),
    "w-shape-row": patch("initialize_with_zeros", "np.zeros((dim, 1))", "np.zeros((1, dim))"),
    "cost-without-one-over-m": patch("propagate", "cost = -1 / m * np.sum(", "cost = -np.sum("),
    "cost-wrong-sign": patch("propagate", "cost = -1 / m *", "cost = 1 / m *"),
    "cost-not-scalar": Scenario(
        patches=[
            (
                "propagate",
                "np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))",
                "(np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T))",
            ),
            ("propagate", "    cost = np.squeeze(np.array(cost))\n", ""),
        ]
    ),
    "dw-without-one-over-m": patch("propagate", "dw = 1 / m * np.dot", "dw = np.dot"),
    "db-without-one-over-m": patch("propagate", "db = 1 / m * np.sum", "db = np.sum"),
    "dw-wrong-shape": patch("propagate", "np.dot(X, (A - Y).T)", "np.dot(A - Y, X.T)"),
    "b-not-updated": patch("optimize", "        b = b - learning_rate * db\n", ""),
    "learning-rate-hard-coded": patch(
        "optimize", _UPDATE, "w = w - 0.009 * dw\n        b = b - 0.009 * db"
    ),
    "costs-every-iteration": patch(
        "optimize",
        "if i % 100 == 0:\n            costs.append(cost)",
        "costs.append(cost)\n        if i % 100 == 0:",
    ),
    "num-iterations-ignored": patch("optimize", "range(num_iterations)", "range(100)"),
    "update-sign-flipped": patch(
        "optimize", _UPDATE, "w = w + learning_rate * dw\n        b = b + learning_rate * db"
    ),
    "threshold-not-half": patch("predict", "A > 0.5", "A > 0.6"),
    "threshold-point-seven": patch("predict", "A > 0.5", "A > 0.7"),
    "predictions-flat": patch("predict", ".astype(float)", ".astype(float).flatten()"),
    "predict-returns-activations": patch("predict", "return Y_prediction", "return A"),
    "model-num-iterations-not-passed": patch(
        "model",
        _OPTIMIZE_CALL,
        "optimize(w, b, X_train, Y_train, learning_rate=learning_rate, print_cost=print_cost)",
    ),
    "model-learning-rate-hard-coded": patch(
        "model", _OPTIMIZE_CALL, "optimize(w, b, X_train, Y_train, num_iterations, 0.5, print_cost)"
    ),
    "model-hyperparameters-not-passed": patch(
        "model", _OPTIMIZE_CALL, "optimize(w, b, X_train, Y_train, print_cost=print_cost)"
    ),
    "model-returns-initial-params": patch(
        "model",
        'w = params["w"]\n    b = params["b"]\n    ' + _MODEL_PREDICTS,
        'Y_prediction_test = predict(params["w"], params["b"], X_test)\n'
        '    Y_prediction_train = predict(params["w"], params["b"], X_train)',
    ),
    "model-prediction-sets-swapped": patch(
        "model",
        _MODEL_PREDICTS,
        "Y_prediction_test = predict(w, b, X_train)\n"
        "    Y_prediction_train = predict(w, b, X_test)",
    ),
    # Several mistakes at once: each named, each costing its own task only (the README example).
    "three-mistakes": Scenario(
        patches=[
            ("propagate", "cost = -1 / m * np.sum(", "cost = -np.sum("),
            ("predict", "A > 0.5", "A > 0.6"),
            ("model", _OPTIMIZE_CALL, "optimize(w, b, X_train, Y_train, print_cost=print_cost)"),
        ]
    ),
    "star-for-matrix-product": patch("propagate", "np.dot(w.T, X)", "w.T * X"),
    # The engine: misbehaving cells and functions.
    "exception-in-cell": after("propagate", EXCEPTION_CELL),
    "infinite-loop-in-cell": after("optimize", "# watch the cost go down\nwhile True:\n    pass\n"),
    "infinite-loop-in-function": Scenario(functions={"predict": INFINITE_PREDICT}),
    "memory-bomb": Scenario(
        extra=[
            ("propagate", "big = np.ones((10**6, 10**6))\n"),
            ("propagate", "lots = [0] * 10**11\n"),
            # 4 GiB in 80 MB steps: only a real memory limit stops this one.
            ("propagate", "hog = [np.ones(10**7) for _ in range(500)]\n"),
        ]
    ),
    "sys-exit-in-cell": after("predict", 'import sys\nsys.exit("stopping here for now")\n'),
    "os-exit-in-cell": after("model", "import os\nos._exit(3)\n"),
    "print-100mb": after("sigmoid", 'print("x" * 100_000_000)\n'),
    "reads-reference-solution": Scenario(
        functions={"sigmoid": CHEATING_SIGMOID}, extra=[("imports", SNOOP_CELL)]
    ),
}

EXAMPLES: dict[str, Scenario] = {
    "logistic_regression_correct": Scenario(),
    "logistic_regression_flawed": Scenario(
        patches=[
            ("propagate", "cost = -1 / m * np.sum(", "cost = -np.sum("),
            ("predict", "A > 0.5", "A > 0.6"),
            ("model", _OPTIMIZE_CALL, "optimize(w, b, X_train, Y_train, print_cost=print_cost)"),
        ]
    ),
}

# --- Notebook layout ------------------------------------------------------------------------

IMPORTS = """\
import numpy as np
import copy
import math
import matplotlib.pyplot as plt
from lr_utils import load_dataset
from public_tests import *

%matplotlib inline
"""

LOAD_DATA = """\
# Loading the data (cat/non-cat)
train_set_x_orig, train_set_y, test_set_x_orig, test_set_y, classes = load_dataset()

m_train = train_set_x_orig.shape[0]
m_test = test_set_x_orig.shape[0]
num_px = train_set_x_orig.shape[1]
print("Number of training examples: m_train = " + str(m_train))
print("Number of testing examples: m_test = " + str(m_test))
print("Height/Width of each image: num_px = " + str(num_px))
"""

RESHAPE_DATA = """\
# Reshape the training and test examples: each image becomes a column
train_set_x_flatten = train_set_x_orig.reshape(train_set_x_orig.shape[0], -1).T
test_set_x_flatten = test_set_x_orig.reshape(test_set_x_orig.shape[0], -1).T

# Standardize the data set
train_set_x = train_set_x_flatten / 255.
test_set_x = test_set_x_flatten / 255.
print("train_set_x shape: " + str(train_set_x.shape))
"""

TRAIN = """\
logistic_regression_model = model(train_set_x, train_set_y, test_set_x, test_set_y, num_iterations=2000, learning_rate=0.005, print_cost=True)
"""

PLOT = """\
# Plot learning curve (with costs)
costs = np.squeeze(logistic_regression_model['costs'])
plt.plot(costs)
plt.ylabel('cost')
plt.xlabel('iterations (per hundreds)')
plt.title("Learning rate =" + str(logistic_regression_model["learning_rate"]))
plt.show()
"""

HEADINGS = {
    "sigmoid": "## 3 - Building the parts of our algorithm\n\n### 3.1 - Helper functions\n\n"
    "**Exercise 1 - sigmoid**: compute $sigmoid(z) = \\frac{1}{1 + e^{-z}}$ for "
    "$z = w^T x + b$.",
    "initialize_with_zeros": "### 3.2 - Initializing parameters\n\n**Exercise 2 - "
    "initialize_with_zeros**: initialize `w` as a vector of zeros "
    "of shape (dim, 1) and `b` to 0.",
    "propagate": "### 3.3 - Forward and Backward propagation\n\n**Exercise 3 - propagate**: "
    "compute the cost $J = -\\frac{1}{m}\\sum_{i=1}^{m}(y^{(i)}\\log(a^{(i)})"
    "+(1-y^{(i)})\\log(1-a^{(i)}))$ and its gradients.",
    "optimize": "### 3.4 - Optimization\n\n**Exercise 4 - optimize**: update the parameters "
    "with gradient descent, $\\theta = \\theta - \\alpha \\, d\\theta$.",
    "predict": "**Exercise 5 - predict**: convert the activations to 0 (if activation <= 0.5) "
    "or 1 (if activation > 0.5).",
    "model": "## 4 - Merge all functions into a model\n\n**Exercise 6 - model**: put the "
    "building blocks together.",
}


def layout(functions: dict[str, str]) -> list[tuple[str, str, str]]:
    """The cells of a submission as (key, cell type, source), in notebook order."""
    cells = [
        (
            "title",
            "markdown",
            "# Logistic Regression with a Neural Network mindset\n\n"
            "You will build a logistic regression classifier to recognize "
            "cats, step by step.",
        ),
        ("packages", "markdown", "## 1 - Packages"),
        ("imports", "code", IMPORTS),
        ("overview", "markdown", "## 2 - Overview of the Problem set"),
        ("load", "code", LOAD_DATA),
        ("reshape", "code", RESHAPE_DATA),
    ]
    for name in FUNCTIONS:
        cells.append((f"{name}-heading", "markdown", HEADINGS[name]))
        cells.append((name, "code", functions[name]))
    cells.append(("train", "code", TRAIN))
    cells.append(("plot-heading", "markdown", "## 5 - Learning curve"))
    cells.append(("plot", "code", PLOT))
    return cells


def sources(scenario: Scenario) -> list[tuple[str, str, str]]:
    """Apply a scenario's replacements, patches and extra cells to the correct notebook."""
    cells = []
    for key, kind, source in layout(apply(CORRECT, scenario)):
        cells.append((key, kind, source))
        cells += [
            (f"{key}-extra", "code", code) for anchor, code in scenario.extra if anchor == key
        ]
    return cells


def notebook(scenario: Scenario) -> nbformat.NotebookNode:
    """A v4 notebook with deterministic cell ids, and the grader's metadata unless left out."""
    cells = [(kind, source) for _, kind, source in sources(scenario)]
    return new_notebook(cells, GRADER_METADATA if scenario.metadata else None)


def v3_json() -> str:
    """The correct submission as an nbformat 3 notebook (worksheets, `input`, headings)."""
    cells = []
    for index, (_, kind, source) in enumerate(sources(Scenario())):
        if kind == "code":
            cells.append(
                {
                    "cell_type": "code",
                    "collapsed": False,
                    "input": source.rstrip("\n"),
                    "language": "python",
                    "metadata": {},
                    "outputs": [],
                    "prompt_number": index,
                }
            )
        elif source.startswith("# "):
            cells.append(
                {
                    "cell_type": "heading",
                    "level": 1,
                    "metadata": {},
                    "source": source.splitlines()[0][2:],
                }
            )
        else:
            cells.append({"cell_type": "markdown", "metadata": {}, "source": source})
    document = {
        "metadata": {"name": "", "signature": "", "grader": dict(GRADER_METADATA)},
        "nbformat": 3,
        "nbformat_minor": 0,
        "worksheets": [{"cells": cells, "metadata": {}}],
    }
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


def percent_script() -> str:
    """The correct submission as a `# %%` script (magics commented out, as jupytext does)."""
    parts = [f"# grader: assignment={GRADER_METADATA['assignment']}\n"]
    for _, kind, source in sources(Scenario()):
        if kind == "markdown":
            body = "\n".join(f"# {line}".rstrip() for line in source.splitlines())
            parts.append(f"# %% [markdown]\n{body}\n")
        else:
            code = "\n".join(
                f"# {line}" if line.startswith("%") else line
                for line in source.rstrip("\n").splitlines()
            )
            parts.append(f"# %%\n{code}\n")
    return "\n".join(parts)


def write_all() -> list[Path]:
    """Write every scenario and example file; return the paths written."""
    written = []
    for directory, table in ((SCENARIO_DIR, SCENARIOS), (EXAMPLES_DIR, EXAMPLES)):
        written += write_scenarios(directory, table, notebook)
    empty = v4.new_notebook(metadata={"grader": dict(GRADER_METADATA)})
    files = {
        "empty-notebook.ipynb": nbformat.writes(empty) + "\n",
        "old-format-v3.ipynb": v3_json(),
        "malformed-json.ipynb": nbformat.writes(notebook(Scenario()))[:1500],  # cut mid-cell
        "not-a-notebook.ipynb": json.dumps({"name": "my homework", "answers": [1, 2, 3]}) + "\n",
        "correct-script.py": percent_script(),
    }
    for name, text in files.items():
        path = SCENARIO_DIR / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    main(write_all)
