"""How long does planning a notebook's cells take? (Issue 15: run only what grading needs.)

Builds a 100-cell course-like notebook (ten chapters of imports, data loading, graded
definitions with helpers, test calls, training, plots and magics), or reads one with
`--notebook`, and prints the median milliseconds of `plan_cells` over `--runs` runs on new
sources (nothing cached), with the number of cells that run, and on sources seen before (each
cell's facts are cached, as in a batch where students share most cells).

Usage:
    python bench/bench_cell_plan.py [--runs 50] [--notebook PATH --functions a,b --variables c]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from grader.notebook.cell_plan import plan_cells
from grader.notebook.submission import load_submission

CHAPTER = [
    "import numpy as np\nimport copy\nimport matplotlib.pyplot as plt\n%matplotlib inline",
    "train_x{n}, train_y{n}, test_x{n}, test_y{n}, classes = load_dataset()\n"
    "m_train{n} = train_x{n}.shape[0]\nprint('m_train = ' + str(m_train{n}))",
    "index = 25\nplt.imshow(train_x{n}[index])\nprint('y = ' + str(train_y{n}[:, index]))",
    "def _key{n}(kind, l):\n    return kind + str(l)\n\nEPSILON{n} = 1e-8",
    "def sigmoid{n}(z):\n    s = 1 / (1 + np.exp(-z))\n    return s\n\n"
    "def initialize{n}(dims):\n    np.random.seed(3)\n    parameters = {{}}\n"
    "    for l in range(1, len(dims)):\n"
    "        parameters[_key{n}('W', l)] = np.random.randn(dims[l], dims[l - 1]) * 0.01\n"
    "        parameters[_key{n}('b', l)] = np.zeros((dims[l], 1))\n    return parameters",
    "params = initialize{n}([5, 4, 3])\nprint(params['W1'])\n%timeit sigmoid{n}(np.zeros(10))",
    "def propagate{n}(w, b, X, Y):\n    m = X.shape[1]\n    A = sigmoid{n}(np.dot(w.T, X) + b)\n"
    "    cost = -np.sum(Y * np.log(A + EPSILON{n}) + (1 - Y) * np.log(1 - A + EPSILON{n})) / m\n"
    "    dw = np.dot(X, (A - Y).T) / m\n    db = np.sum(A - Y) / m\n"
    "    return {{'dw': dw, 'db': db}}, cost\n\n"
    "def model{n}(X, Y, num_iterations=2000, learning_rate=0.5):\n"
    "    w, b = np.zeros((X.shape[0], 1)), 0.0\n    costs = []\n"
    "    for i in range(num_iterations):\n        grads, cost = propagate{n}(w, b, X, Y)\n"
    "        w = w - learning_rate * grads['dw']\n        b = b - learning_rate * grads['db']\n"
    "        if i % 100 == 0:\n            costs.append(cost)\n"
    "    return {{'w': w, 'b': b, 'costs': costs}}",
    "d{n} = model{n}(train_x{n}, train_y{n}, num_iterations=2000, learning_rate=0.005)",
    "plt.plot(np.squeeze(d{n}['costs']))\nplt.ylabel('cost')\nplt.show()",
    "learning_rates = [0.01, 0.001]\nmodels = {{}}\nfor lr in learning_rates:\n"
    "    models[str(lr)] = model{n}(train_x{n}, train_y{n}, learning_rate=lr)\n"
    "    plt.plot(np.squeeze(models[str(lr)]['costs']), label=str(lr))",
]


def course_notebook(chapters: int = 10) -> tuple[list[str], list[str], list[str]]:
    """Cells, graded functions and graded variables of a generated notebook."""
    cells = [cell.format(n=n) for n in range(chapters) for cell in CHAPTER]
    functions = [f"{name}{n}" for n in range(chapters) for name in ("sigmoid", "model")]
    return cells, functions, [f"m_train{n}" for n in range(chapters)]


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--notebook", type=Path)
    parser.add_argument("--functions", default="")
    parser.add_argument("--variables", default="")
    args = parser.parse_args()
    if args.notebook:
        cells = [cell.source for cell in load_submission(args.notebook).cells]
        functions = [name for name in args.functions.split(",") if name]
        variables = [name for name in args.variables.split(",") if name]
    else:
        cells, functions, variables = course_notebook()
    fresh = []  # every run plans new sources: no cell's facts are cached
    for run in range(args.runs):
        renamed = [f"{cell}\n# run {run}" for cell in cells]
        start = time.perf_counter()
        plan = plan_cells(renamed, functions, variables)
        fresh.append(time.perf_counter() - start)
    cached = []  # the same sources again: a batch where students share most cells
    for _ in range(args.runs):
        start = time.perf_counter()
        plan_cells(cells, functions, variables)
        cached.append(time.perf_counter() - start)
    median = statistics.median(fresh) * 1000
    print(f"cells:            {len(cells)} ({sum(cell.run for cell in plan)} run)")
    print(f"plan_cells:       {median:.1f} ms median of {args.runs} runs (new sources)")
    print(f"per cell:         {median / max(len(cells), 1) * 1000:.0f} us")
    print(f"cells seen before: {statistics.median(cached) * 1000:.1f} ms median")


if __name__ == "__main__":
    main()
