"""Write scenario notebooks in the style of older releases of the course.

    .venv/bin/python tests/scenarios/build_course_releases.py

Each is a correct course-style scenario of its assignment with its cells edited the way an
earlier release of the course (2017-2020) wrote them: other helper module names
(`dnn_utils_v2`, `testCases_v4a`, `init_utils`), older signatures (`compute_cost(A2, Y,
parameters)`), and the update written on the dict it is given. Course notebooks of every
release must grade unedited. The expected grading is in each folder's `expected.toml` (kept by
hand). The output is deterministic, so rerunning the script leaves git clean.
"""

from __future__ import annotations

import json
from pathlib import Path

from scenario_kit import SCENARIO_ROOT, main

# (assignment, new file, source file, [(old, new), ...]): every edit must apply at least once.
VARIANTS: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    (
        "deep_net",
        "release-2018-dnn-utils-v2.ipynb",
        "correct-course-style.ipynb",
        [
            ("from testCases import *", "from testCases_v4a import *"),
            (
                "from dnn_utils import sigmoid, sigmoid_backward, relu, relu_backward",
                "from dnn_utils_v2 import sigmoid, sigmoid_backward, relu, relu_backward",
            ),
            ("from public_tests import *\n", ""),
            # before 2021: the update wrote into the dict it was given
            (
                "def update_parameters(params, grads, learning_rate):",
                "def update_parameters(parameters, grads, learning_rate):",
            ),
            ("    parameters = copy.deepcopy(params)\n", ""),
        ],
    ),
    (
        "deep_net",
        "update-writes-caller-arrays.ipynb",
        "correct-course-style.ipynb",
        [
            (
                'parameters["W" + str(l+1)] = parameters["W" + str(l+1)]'
                ' - learning_rate * grads["dW" + str(l+1)]',
                'params["W" + str(l+1)] -= learning_rate * grads["dW" + str(l+1)]\n'
                '        parameters["W" + str(l+1)] = params["W" + str(l+1)]',
            ),
        ],
    ),
    (
        "two_layer_net",
        "release-2017-compute-cost-signature.ipynb",
        "correct-course-style.ipynb",
        [
            ("from testCases_v2 import *", "from testCases import *"),
            ("from public_tests import *\n", ""),
            ("def compute_cost(A2, Y):", "def compute_cost(A2, Y, parameters):"),
            ("cost = compute_cost(A2, Y)", "cost = compute_cost(A2, Y, parameters)"),
        ],
    ),
    (
        "two_layer_net",
        "release-2017-compute-cost-without-one-over-m.ipynb",
        "correct-course-style.ipynb",
        [
            ("def compute_cost(A2, Y):", "def compute_cost(A2, Y, parameters):"),
            ("cost = compute_cost(A2, Y)", "cost = compute_cost(A2, Y, parameters)"),
            ("cost = - np.sum(logprobs) / m", "cost = - np.sum(logprobs)"),
        ],
    ),
]

# The initialization notebook of the course trains a 3-layer network from `init_utils` with
# each initialization; it is appended to a correct scenario of that assignment.
INIT_UTILS_CELLS = [
    "from init_utils import sigmoid, relu, compute_loss, forward_propagation, "
    "backward_propagation\nfrom init_utils import update_parameters, predict, load_dataset, "
    "plot_decision_boundary, predict_dec\ntrain_X, train_Y, test_X, test_Y = load_dataset()\n",
    "def model(X, Y, learning_rate = 0.01, num_iterations = 15000, print_cost = True, "
    'initialization = "he"):\n'
    "    grads = {}\n    costs = []\n    layers_dims = [X.shape[0], 10, 5, 1]\n"
    "    parameters = initialize_parameters_he(layers_dims)\n"
    "    for i in range(0, num_iterations):\n"
    "        a3, cache = forward_propagation(X, parameters)\n"
    "        cost = compute_loss(a3, Y)\n"
    "        grads = backward_propagation(X, Y, cache)\n"
    "        parameters = update_parameters(parameters, grads, learning_rate)\n"
    "        if print_cost and i % 1000 == 0:\n"
    '            print("Cost after iteration {}: {}".format(i, cost))\n'
    "            costs.append(cost)\n"
    "    return parameters\n",
    "parameters = model(train_X, train_Y, num_iterations = 2000)\n"
    'print ("On the train set:")\npredictions_train = predict(train_X, train_Y, parameters)\n',
]


def _edited(source: dict, edits: list[tuple[str, str]]) -> dict:
    notebook = json.loads(json.dumps(source))
    for old, new in edits:
        applied = 0
        for cell in notebook["cells"]:
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            if old in text:
                cell["source"] = text.replace(old, new)
                applied += 1
        if not applied:
            raise ValueError(f"edit not applied: {old!r}")
    return notebook


def _with_init_utils(source: dict) -> dict:
    notebook = json.loads(json.dumps(source))
    for index, text in enumerate(INIT_UTILS_CELLS):
        notebook["cells"].append(
            {
                "cell_type": "code",
                "execution_count": None,
                "id": f"init-utils-{index}",
                "metadata": {},
                "outputs": [],
                "source": text,
            }
        )
    return notebook


def _write(path: Path, notebook: dict) -> Path:
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def write_all() -> list[Path]:
    """Write every variant; return the paths written."""
    written = []
    for assignment, name, source, edits in VARIANTS:
        folder = SCENARIO_ROOT / assignment
        notebook = json.loads((folder / source).read_text(encoding="utf-8"))
        written.append(_write(folder / name, _edited(notebook, edits)))
    folder = SCENARIO_ROOT / "initialization"
    notebook = json.loads((folder / "correct-seeded.ipynb").read_text(encoding="utf-8"))
    written.append(_write(folder / "release-init-utils-training.ipynb", _with_init_utils(notebook)))
    return written


if __name__ == "__main__":
    main(write_all)
