"""Write the scenario notebooks of `perceptron`, `activations` and `initialization`.

    .venv/bin/python tests/scenarios/build_dense_basics.py

Each assignment has one correct, course-style notebook (imports, one cell per graded function,
a short demo cell); every scenario is that notebook with one change: a function's source
patched to make one known mistake, or replaced by a correct function in another style. The
file name says what the submission does; `expected.toml` in each folder says how it should be
graded (maintained by hand, never written here). `not-implemented.ipynb` leaves every graded
body as `raise NotImplementedError()`. The output is deterministic (fixed cell ids), so
rerunning the script leaves git clean.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
from scenario_kit import SCENARIO_ROOT, Scenario, apply, main, new_notebook, patch, write_scenarios


@dataclass
class Course:
    """One assignment's notebook: cells before the functions, the functions, a demo cell."""

    assignment: str
    title: str
    setup: list[str]
    functions: dict[str, str]  # correct sources, in notebook order
    demo: str
    scenarios: dict[str, Scenario]


def graded(name: str, body: str) -> str:
    """A graded cell: the course's marker comment, then the function."""
    return f"# GRADED FUNCTION: {name}\n\n{body}"


# --- perceptron ----------------------------------------------------------------------------

PERCEPTRON = {
    "perceptron_predict": graded(
        "perceptron_predict",
        '''\
def perceptron_predict(w, b, X):
    """
    Predict a 0/1 label for every column of X with the perceptron (w, b)
    """
    Z = np.dot(w.T, X) + b
    Y_prediction = (Z > 0).astype(float)
    return Y_prediction
''',
    ),
    "perceptron_train": graded(
        "perceptron_train",
        '''\
def perceptron_train(X, Y, epochs=100, learning_rate=1.0):
    """
    Train a perceptron with the perceptron rule, starting from w = 0 and b = 0
    """
    n_x, m = X.shape
    w = np.zeros((n_x, 1))
    b = 0.0

    for epoch in range(epochs):
        for i in range(m):
            x = X[:, i].reshape(-1, 1)
            y = Y[0, i]
            y_hat = 1 if np.dot(w.T, x)[0, 0] + b > 0 else 0
            if y_hat != y:
                w = w + learning_rate * (y - y_hat) * x
                b = b + learning_rate * (y - y_hat)

    return w, b
''',
    ),
}

PERCEPTRON_SETUP = [
    "import numpy as np\nimport matplotlib.pyplot as plt\n\n%matplotlib inline",
    "# A small linearly separable data set: two features, 40 examples\n"
    "np.random.seed(1)\n"
    "X_toy = np.random.randn(2, 40)\n"
    "Y_toy = (X_toy[0:1, :] + 2 * X_toy[1:2, :] > 0.5).astype(float)\n"
    'print("X_toy:", X_toy.shape, "Y_toy:", Y_toy.shape)',
]

PERCEPTRON_DEMO = """\
w, b = perceptron_train(X_toy, Y_toy, epochs=50)
accuracy = np.mean(perceptron_predict(w, b, X_toy) == Y_toy)
print("w =", w.ravel(), "b =", b)
print("training accuracy:", accuracy)"""

PREDICT_LOOP = graded(
    "perceptron_predict",
    """\
def perceptron_predict(w, b, X):
    m = X.shape[1]
    Y_prediction = np.zeros((1, m))
    for i in range(m):
        z = np.dot(w[:, 0], X[:, i]) + b
        if z > 0:
            Y_prediction[0, i] = 1
    return Y_prediction
""",
)

_RULE = """\
            y_hat = 1 if np.dot(w.T, x)[0, 0] + b > 0 else 0
            if y_hat != y:
                w = w + learning_rate * (y - y_hat) * x
                b = b + learning_rate * (y - y_hat)
"""
_SCORE = "np.dot(w.T, x)[0, 0] + b"
_EPOCH_LOOP = "    for epoch in range(epochs):\n"
_B_UPDATE = "                b = b + learning_rate * (y - y_hat)\n"

PERCEPTRON_SCENARIOS: dict[str, Scenario] = {
    # Correct, in different styles.
    "correct-vectorized": Scenario(),
    "correct-matmul-operator": Scenario(
        patches=[
            ("perceptron_predict", "np.dot(w.T, X)", "w.T @ X"),
            ("perceptron_train", _SCORE, "(w.T @ x).item() + b"),
        ]
    ),
    "correct-loops": Scenario(functions={"perceptron_predict": PREDICT_LOOP}),
    "correct-bool-predictions": patch("perceptron_predict", "(Z > 0).astype(float)", "Z > 0"),
    "correct-early-stopping": Scenario(
        patches=[
            ("perceptron_train", _EPOCH_LOOP, _EPOCH_LOOP + "        mistakes = 0\n"),
            ("perceptron_train", _B_UPDATE, _B_UPDATE + "                mistakes += 1\n"),
            (
                "perceptron_train",
                "\n    return w, b",
                "        if mistakes == 0:\n            break\n\n    return w, b",
            ),
        ]
    ),
    "correct-ties-positive": patch("perceptron_train", f"{_SCORE} > 0", f"{_SCORE} >= 0"),
    "correct-shuffled": patch("perceptron_train", "in range(m):", "in np.random.permutation(m):"),
    "correct-train-calls-predict": patch(
        "perceptron_train", f"1 if {_SCORE} > 0 else 0", "perceptron_predict(w, b, x)[0, 0]"
    ),
    "correct-always-update": patch(
        "perceptron_train",
        _RULE,
        "            y_hat = perceptron_predict(w, b, x)[0, 0]\n"
        "            error = y - y_hat\n"
        "            w += learning_rate * error * x\n"
        "            b += learning_rate * error\n",
    ),
    # One known mistake each.
    "predict-threshold-half": patch("perceptron_predict", "Z > 0", "Z > 0.5"),
    "predict-ignores-bias": patch("perceptron_predict", "np.dot(w.T, X) + b", "np.dot(w.T, X)"),
    "predict-returns-scores": patch("perceptron_predict", "return Y_prediction", "return Z"),
    "predict-minus-one-labels": patch("perceptron_predict", "(Z > 0).astype(float)", "np.sign(Z)"),
    "predict-flat": patch(
        "perceptron_predict", "(Z > 0).astype(float)", "(Z > 0).astype(float).flatten()"
    ),
    "predict-column": patch("perceptron_predict", "np.dot(w.T, X)", "np.dot(X.T, w)"),
    "update-sign-flipped": patch(
        "perceptron_train",
        _RULE,
        _RULE.replace("w + learning_rate", "w - learning_rate").replace(
            "b + learning_rate", "b - learning_rate"
        ),
    ),
    "plus-minus-one-rule": patch(
        "perceptron_train",
        _RULE,
        f"            if y * ({_SCORE}) <= 0:\n"
        "                w = w + learning_rate * y * x\n"
        "                b = b + learning_rate * y\n",
    ),
    "one-epoch-only": patch(
        "perceptron_train",
        "\n    return w, b",
        "        return w, b",
    ),
    "b-not-updated": patch("perceptron_train", _B_UPDATE, ""),
    "w-flat": Scenario(
        patches=[
            ("perceptron_train", "np.zeros((n_x, 1))", "np.zeros(n_x)"),
            ("perceptron_train", "X[:, i].reshape(-1, 1)", "X[:, i]"),
            ("perceptron_train", _SCORE, "np.dot(w, x) + b"),
        ]
    ),
    "w-row": Scenario(
        patches=[
            ("perceptron_train", "np.zeros((n_x, 1))", "np.zeros((1, n_x))"),
            ("perceptron_train", _SCORE, "np.dot(w, x)[0, 0] + b"),
            ("perceptron_train", "(y - y_hat) * x\n", "(y - y_hat) * x.T\n"),
        ]
    ),
    "b-not-scalar": patch("perceptron_train", "y = Y[0, i]", "y = Y[:, i]"),
    "loops-until-no-mistakes": Scenario(
        patches=[
            (
                "perceptron_train",
                _EPOCH_LOOP,
                "    mistakes = 1\n    while mistakes > 0:\n        mistakes = 0\n",
            ),
            ("perceptron_train", _B_UPDATE, _B_UPDATE + "                mistakes += 1\n"),
        ]
    ),
}

# --- activations ---------------------------------------------------------------------------


def _activation(name: str, params: str, doc: str, body: str) -> str:
    return graded(name, f'def {name}({params}):\n    """\n    {doc}\n    """\n{body}')


ACTIVATIONS = {
    "sigmoid": _activation(
        "sigmoid",
        "z",
        "Compute the sigmoid of z, a numpy array of any shape",
        "    A = 1 / (1 + np.exp(-z))\n    return A\n",
    ),
    "relu": _activation(
        "relu", "z", "Compute the ReLU of z", "    A = np.maximum(0, z)\n    return A\n"
    ),
    "leaky_relu": _activation(
        "leaky_relu",
        "z, alpha=0.01",
        "Compute the leaky ReLU of z, with slope alpha for negative inputs",
        "    A = np.where(z > 0, z, alpha * z)\n    return A\n",
    ),
    "tanh": _activation(
        "tanh", "z", "Compute the hyperbolic tangent of z", "    A = np.tanh(z)\n    return A\n"
    ),
    "sigmoid_backward": _activation(
        "sigmoid_backward",
        "dA, Z",
        "Backward propagation for a single SIGMOID unit",
        "    s = sigmoid(Z)\n    dZ = dA * s * (1 - s)\n    return dZ\n",
    ),
    "relu_backward": _activation(
        "relu_backward",
        "dA, Z",
        "Backward propagation for a single RELU unit",
        "    dZ = np.array(dA, copy=True)  # just converting dz to a correct object.\n"
        "    # When z <= 0, you should set dz to 0 as well.\n"
        "    dZ[Z <= 0] = 0\n"
        "    return dZ\n",
    ),
    "leaky_relu_backward": _activation(
        "leaky_relu_backward",
        "dA, Z, alpha=0.01",
        "Backward propagation for a single leaky RELU unit",
        "    dZ = np.where(Z > 0, dA, alpha * dA)\n    return dZ\n",
    ),
    "tanh_backward": _activation(
        "tanh_backward",
        "dA, Z",
        "Backward propagation for a single TANH unit",
        "    A = tanh(Z)\n    dZ = dA * (1 - A ** 2)\n    return dZ\n",
    ),
}

ACTIVATIONS_SETUP = ["import numpy as np"]

ACTIVATIONS_DEMO = """\
z = np.array([[-2.0, -0.5, 0.5, 2.0]])
dA = np.array([[0.3, -1.2, 0.8, 1.5]])
for name, g, g_backward in [("sigmoid", sigmoid, sigmoid_backward), ("relu", relu, relu_backward),
                            ("leaky_relu", leaky_relu, leaky_relu_backward),
                            ("tanh", tanh, tanh_backward)]:
    print(name, g(z), g_backward(dA, z))"""

FLOAT32 = {
    "sigmoid": "    z = z.astype(np.float32)\n    A = 1 / (1 + np.exp(-z))",
    "relu": "    A = np.maximum(np.float32(0), z.astype(np.float32))",
    "leaky_relu": "    z = z.astype(np.float32)\n    A = np.where(z > 0, z, np.float32(alpha) * z)",
    "tanh": "    A = np.tanh(z.astype(np.float32))",
    "sigmoid_backward": "    s = sigmoid(Z.astype(np.float32))\n"
    "    dZ = dA.astype(np.float32) * s * (1 - s)",
    "relu_backward": "    dZ = np.array(dA, dtype=np.float32, copy=True)\n    dZ[Z <= 0] = 0",
    "leaky_relu_backward": "    dA = dA.astype(np.float32)\n"
    "    dZ = np.where(Z > 0, dA, np.float32(alpha) * dA)",
    "tanh_backward": "    A = tanh(Z).astype(np.float32)\n"
    "    dZ = dA.astype(np.float32) * (1 - A ** 2)",
}


def _float32_activations() -> dict[str, str]:
    """Every function computing in single precision."""
    replaced = {}
    for name, source in ACTIVATIONS.items():
        head, body = source.split('    """\n', 2)[:2], source.split('    """\n', 2)[2]
        result = "A" if "\n    return A\n" in body else "dZ"
        replaced[name] = '    """\n'.join([*head, f"{FLOAT32[name]}\n    return {result}\n"])
    return replaced


ACTIVATIONS_SCENARIOS: dict[str, Scenario] = {
    # Correct, in different styles.
    "correct-numpy": Scenario(),
    "correct-masks": Scenario(
        patches=[
            ("relu", "np.maximum(0, z)", "z * (z > 0)"),
            ("leaky_relu", "np.where(z > 0, z, alpha * z)", "np.maximum(alpha * z, z)"),
            (
                "relu_backward",
                "np.array(dA, copy=True)  # just converting dz to a correct object.\n"
                "    # When z <= 0, you should set dz to 0 as well.\n"
                "    dZ[Z <= 0] = 0",
                "dA * (Z > 0)",
            ),
            (
                "leaky_relu_backward",
                "dZ = np.where(Z > 0, dA, alpha * dA)",
                "slope = np.ones_like(Z)\n    slope[Z <= 0] = alpha\n    dZ = dA * slope",
            ),
        ]
    ),
    "correct-formulas": Scenario(
        patches=[
            ("tanh", "np.tanh(z)", "(np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))"),
            ("sigmoid_backward", "sigmoid(Z)", "1 / (1 + np.exp(-Z))"),
            ("tanh_backward", "tanh(Z)", "np.tanh(Z)"),
        ]
    ),
    "correct-float32": Scenario(functions=_float32_activations()),
    "correct-slope-one-at-zero": Scenario(
        patches=[
            ("relu_backward", "dZ[Z <= 0] = 0", "dZ[Z < 0] = 0"),
            ("leaky_relu_backward", "Z > 0", "Z >= 0"),
        ]
    ),
    "correct-but-changes-dA": patch(
        "relu_backward", "np.array(dA, copy=True)  # just converting dz to a correct object.", "dA"
    ),
    # One known mistake each.
    "sigmoid-wrong-sign": patch("sigmoid", "np.exp(-z)", "np.exp(z)"),
    "relu-returns-mask": patch("relu", "np.maximum(0, z)", "z > 0"),
    "relu-minimum": patch("relu", "np.maximum(0, z)", "np.minimum(0, z)"),
    "leaky-alpha-ignored": patch("leaky_relu", "alpha * z", "0.01 * z"),
    "leaky-alpha-on-positive-side": patch("leaky_relu", "z, alpha * z)", "alpha * z, z)"),
    "leaky-negative-part-zeroed": patch("leaky_relu", "z, alpha * z)", "z, 0)"),
    "tanh-half-argument": patch("tanh", "np.tanh(z)", "2 * sigmoid(z) - 1"),
    "tanh-uses-tan": patch("tanh", "np.tanh(z)", "np.tan(z)"),
    "sigmoid-backward-missing-one-minus-s": patch("sigmoid_backward", "s * (1 - s)", "s"),
    "sigmoid-backward-ignores-dA": patch("sigmoid_backward", "dA * s", "s"),
    "sigmoid-backward-uses-Z": patch("sigmoid_backward", "dA * s * (1 - s)", "dA * Z * (1 - Z)"),
    "relu-backward-not-masked": patch("relu_backward", "    dZ[Z <= 0] = 0\n", ""),
    "relu-backward-masked-by-dA": patch("relu_backward", "dZ[Z <= 0]", "dZ[dA <= 0]"),
    "relu-backward-ignores-dA": patch(
        "relu_backward", "np.array(dA, copy=True)", "np.ones_like(Z)"
    ),
    "relu-backward-mask-inverted": patch("relu_backward", "dZ[Z <= 0]", "dZ[Z >= 0]"),
    "leaky-backward-alpha-ignored": patch("leaky_relu_backward", "alpha * dA", "0.01 * dA"),
    "leaky-backward-alpha-on-positive-side": patch(
        "leaky_relu_backward", "dA, alpha * dA)", "alpha * dA, dA)"
    ),
    "leaky-backward-negative-part-zeroed": patch("leaky_relu_backward", "alpha * dA)", "0)"),
    "leaky-backward-ignores-dA": patch("leaky_relu_backward", "dA, alpha * dA)", "1.0, alpha)"),
    "tanh-backward-square-missing": patch("tanh_backward", "A ** 2", "A"),
    "tanh-backward-uses-Z": patch("tanh_backward", "A ** 2", "Z ** 2"),
    "tanh-backward-ignores-dA": patch("tanh_backward", "dA * (1 - A ** 2)", "1 - A ** 2"),
}

# --- initialization ------------------------------------------------------------------------


SEED_COMMENT = 'This seed makes sure your "random" numbers will be the same as ours'


def _initializer(name: str, doc: str, weights: str, seed: bool = True) -> str:
    seeding = f"    np.random.seed(3)  # {SEED_COMMENT}\n" if seed else ""
    return graded(
        name,
        f'''\
def {name}(layers_dims):
    """
    {doc}

    Arguments:
    layers_dims -- python array (list) containing the size of each layer.

    Returns:
    parameters -- python dictionary containing your parameters "W1", "b1", ..., "WL", "bL"
    """
{seeding}    parameters = {{}}
    L = len(layers_dims)            # number of layers in the network

    for l in range(1, L):
        parameters['W' + str(l)] = {weights}
        parameters['b' + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
''',
    )


_RANDN = "np.random.randn(layers_dims[l], layers_dims[l - 1])"
_HE_SCALE = "np.sqrt(2. / layers_dims[l - 1])"
_XAVIER_SCALE = "np.sqrt(1. / layers_dims[l - 1])"
_LOOP = "    for l in range(1, L):\n"

INITIALIZATION = {
    "initialize_parameters_zeros": _initializer(
        "initialize_parameters_zeros",
        "Initialize all weights and biases to zero",
        "np.zeros((layers_dims[l], layers_dims[l - 1]))",
        seed=False,
    ),
    "initialize_parameters_random": _initializer(
        "initialize_parameters_random",
        "Initialize the weights to large random values",
        f"{_RANDN} * 10",
    ),
    "initialize_parameters_he": _initializer(
        "initialize_parameters_he",
        "He initialization",
        f"{_RANDN} * np.sqrt(2. / layers_dims[l - 1])",
    ),
    "initialize_parameters_xavier": _initializer(
        "initialize_parameters_xavier",
        "Xavier initialization",
        f"{_RANDN} * np.sqrt(1. / layers_dims[l - 1])",
    ),
}

INITIALIZATION_SETUP = ["import numpy as np\nimport matplotlib.pyplot as plt\n\n%matplotlib inline"]

INITIALIZATION_DEMO = """\
for init in (initialize_parameters_zeros, initialize_parameters_random,
             initialize_parameters_he, initialize_parameters_xavier):
    parameters = init([3, 2, 1])
    print(init.__name__)
    print("W1 = " + str(parameters["W1"]))
    print("b1 = " + str(parameters["b1"]))"""

_SEED_LINE = re.compile(r"    np\.random\.seed\(3\).*\n")
_HE, _XAVIER = "initialize_parameters_he", "initialize_parameters_xavier"
_RANDOM, _ZEROS = "initialize_parameters_random", "initialize_parameters_zeros"
_RANDOM_NAMES = (_RANDOM, _HE, _XAVIER)


def _all_random(old: str, new: str) -> Scenario:
    """The same edit in the three random initializers."""
    return Scenario(patches=[(name, old, new) for name in _RANDOM_NAMES])


def _unseeded() -> dict[str, str]:
    return {name: _SEED_LINE.sub("", INITIALIZATION[name]) for name in _RANDOM_NAMES}


INITIALIZATION_SCENARIOS: dict[str, Scenario] = {
    # Correct, in different styles (the course seeds inside each function).
    "correct-seeded": Scenario(),
    "correct-unseeded": Scenario(functions=_unseeded()),
    "correct-default-rng": Scenario(
        functions=_unseeded(),
        patches=[
            *[
                (
                    name,
                    "    parameters = {}\n",
                    "    rng = np.random.default_rng()\n    parameters = {}\n",
                )
                for name in _RANDOM_NAMES
            ],
            *[
                (name, _RANDN, "rng.standard_normal((layers_dims[l], layers_dims[l - 1]))")
                for name in _RANDOM_NAMES
            ],
        ],
    ),
    "correct-normal-with-scale": Scenario(
        patches=[
            *[
                (name, _LOOP, _LOOP + "        shape = (layers_dims[l], layers_dims[l - 1])\n")
                for name in _RANDOM_NAMES
            ],
            (_RANDOM, f"{_RANDN} * 10", "np.random.normal(0, 10, size=shape)"),
            (
                _HE,
                f"{_RANDN} * {_HE_SCALE}",
                "np.random.normal(0, np.sqrt(2 / layers_dims[l - 1]), shape)",
            ),
            (
                _XAVIER,
                f"{_RANDN} * {_XAVIER_SCALE}",
                "np.random.normal(0, 1 / np.sqrt(layers_dims[l - 1]), shape)",
            ),
        ]
    ),
    "correct-loop-to-L": Scenario(
        patches=[
            (
                name,
                "L = len(layers_dims)            # number of layers in the network\n\n"
                "    for l in range(1, L):",
                "L = len(layers_dims) - 1        # number of layers, input excluded\n\n"
                "    for l in range(1, L + 1):",
            )
            for name in INITIALIZATION
        ]
    ),
    # One known mistake each.
    "zeros-w-transposed": patch(
        _ZEROS,
        "np.zeros((layers_dims[l], layers_dims[l - 1]))",
        "np.zeros((layers_dims[l - 1], layers_dims[l]))",
    ),
    "zeros-b-flat": patch(_ZEROS, "np.zeros((layers_dims[l], 1))", "np.zeros(layers_dims[l])"),
    "zeros-missing-last-layer": patch(_ZEROS, "range(1, L)", "range(1, L - 1)"),
    "random-not-scaled": patch(_RANDOM, f"{_RANDN} * 10", _RANDN),
    "random-scaled-0-01": patch(_RANDOM, f"{_RANDN} * 10", f"{_RANDN} * 0.01"),
    "random-uniform": patch(_RANDOM, "np.random.randn", "np.random.rand"),
    "random-nonzero-biases": patch(
        _RANDOM, "np.zeros((layers_dims[l], 1))", "np.random.randn(layers_dims[l], 1)"
    ),
    "he-fan-out": patch(_HE, "np.sqrt(2. / layers_dims[l - 1])", "np.sqrt(2. / layers_dims[l])"),
    "he-xavier-scale": patch(
        _HE, "np.sqrt(2. / layers_dims[l - 1])", "np.sqrt(1. / layers_dims[l - 1])"
    ),
    "he-sqrt-missing": patch(_HE, "np.sqrt(2. / layers_dims[l - 1])", "(2. / layers_dims[l - 1])"),
    "he-missing-last-layer": patch(_HE, "range(1, L)", "range(1, L - 1)"),
    "he-w-transposed": patch(
        _HE,
        "np.random.randn(layers_dims[l], layers_dims[l - 1])",
        "np.random.randn(layers_dims[l - 1], layers_dims[l])",
    ),
    "xavier-fan-out": patch(
        _XAVIER, "np.sqrt(1. / layers_dims[l - 1])", "np.sqrt(1. / layers_dims[l])"
    ),
    "xavier-he-scale": patch(
        _XAVIER, "np.sqrt(1. / layers_dims[l - 1])", "np.sqrt(2. / layers_dims[l - 1])"
    ),
    "xavier-sqrt-missing": patch(
        _XAVIER, "np.sqrt(1. / layers_dims[l - 1])", "(1. / layers_dims[l - 1])"
    ),
    "xavier-glorot-average": patch(
        _XAVIER,
        "np.sqrt(1. / layers_dims[l - 1])",
        "np.sqrt(2. / (layers_dims[l - 1] + layers_dims[l]))",
    ),
}

COURSES = [
    Course(
        "perceptron",
        "# The Perceptron\n\nYou will build Rosenblatt's perceptron and train it with the "
        "perceptron rule.",
        PERCEPTRON_SETUP,
        PERCEPTRON,
        PERCEPTRON_DEMO,
        PERCEPTRON_SCENARIOS,
    ),
    Course(
        "activations",
        "# Activation functions\n\nYou will implement four activations and their backward forms.",
        ACTIVATIONS_SETUP,
        ACTIVATIONS,
        ACTIVATIONS_DEMO,
        ACTIVATIONS_SCENARIOS,
    ),
    Course(
        "initialization",
        "# Initialization\n\nYou will try four ways to initialize the parameters of a deep "
        "network.",
        INITIALIZATION_SETUP,
        INITIALIZATION,
        INITIALIZATION_DEMO,
        INITIALIZATION_SCENARIOS,
    ),
]

# --- Notebook layout ------------------------------------------------------------------------


def not_implemented(functions: dict[str, str]) -> dict[str, str]:
    """Every graded body replaced by `raise NotImplementedError()`, as the release ships it."""
    stubs = {}
    for name, source in functions.items():
        definition = re.search(r"^def .*:$", source, re.MULTILINE)
        assert definition is not None, name
        stubs[name] = graded(
            name, f"{definition.group(0)}\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"
        )
    return stubs


def sources(course: Course, scenario: Scenario) -> list[tuple[str, str]]:
    """The cells of one scenario as (cell type, source), in notebook order."""
    functions = apply(course.functions, scenario, label=f"{course.assignment}: ")
    cells = [("markdown", course.title)]
    cells += [("code", source) for source in course.setup]
    for name, source in functions.items():
        cells.append(("markdown", f"### `{name}`"))
        cells.append(("code", source))
    cells.append(("markdown", "### Try it"))
    cells.append(("code", course.demo))
    return cells


def notebook(course: Course, scenario: Scenario) -> nbformat.NotebookNode:
    """A v4 notebook with deterministic cell ids and the grader's metadata."""
    return new_notebook(sources(course, scenario), {"assignment": course.assignment})


def write_all() -> list[Path]:
    """Write every scenario of every course; return the paths written."""
    written = []
    for course in COURSES:
        scenarios = {
            **course.scenarios,
            "not-implemented": Scenario(functions=not_implemented(course.functions)),
        }
        written += write_scenarios(
            SCENARIO_ROOT / course.assignment, scenarios, functools.partial(notebook, course)
        )
    return written


if __name__ == "__main__":
    main(write_all)
