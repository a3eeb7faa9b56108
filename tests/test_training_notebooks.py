"""Which cells run when a completed course notebook, training runs and all, is graded?

The notebooks are written by `tests/scenarios/build_training_notebooks.py`: correct graded
definitions followed by what students really hand in (training runs of thousands of
iterations, plots, hyper-parameter sweeps, data read from course files that are not there,
predictions on their own picture, pip installs). The cell plan must skip all of that, run
every definition, and still give full marks. Cells are found by a piece of their source, so
the tests follow the notebooks when the builder changes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from grader.grading import grade_submission
from grader.report.model import CellResult, CellStatus, GradeReport, SubmissionStatus

ROOT = Path(__file__).resolve().parent / "scenarios"
GRADED_CELL = "# GRADED FUNCTION:"

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Completed:
    """A completed notebook and the cells whose fate the plan decides.

    Attributes:
        path: `<assignment>/<file>` under tests/scenarios.
        skipped: A piece of the source of each cell that must not run (training, plots,
            downloads, data loading, pictures).
        ran: A piece of the source of each cell that must run and succeed, besides the
            graded definitions (`# GRADED FUNCTION:` cells), which always must.
    """

    path: str
    skipped: tuple[str, ...]
    ran: tuple[str, ...] = ()

    @property
    def assignment(self) -> str:
        return self.path.split("/")[0]


COMPLETED = [
    Completed(
        "logistic_regression/completed-with-training-runs.ipynb",
        skipped=(
            "= load_dataset()",
            "logistic_regression_model = model(train_set_x",
            "plt.plot(costs)",
            "for lr in learning_rates:",
            "!pip install pillow",
            "Image.open(fname)",
            "h5py.File('datasets/train_catvnoncat.h5', 'r')",
        ),
        ran=("from public_tests import *",),
    ),
    Completed(
        "logistic_regression/release-2018-completed-reads-h5.ipynb",
        skipped=(
            "train_dataset = h5py.File('datasets/train_catvnoncat.h5'",
            "d = model(train_set_x",
            "plt.plot(costs)",
            "for lr in learning_rates:",
            "!pip install scipy",
            "ndimage.imread(fname",
        ),
        ran=("import h5py",),
    ),
    Completed(
        "two_layer_net/completed-with-training-runs.ipynb",
        skipped=(
            "X, Y = load_planar_dataset()",
            "parameters = nn_model(X, Y, n_h = 4, num_iterations = 10000",
            "clf.fit(X.T, Y.T)",
            "for i, n_h in enumerate(hidden_layer_sizes):",
            "= load_extra_datasets()",
            "parameters = nn_model(X, Y, n_h = 5, num_iterations = 10000",
        ),
        ran=("import sklearn.linear_model",),
    ),
    Completed(
        "deep_net/completed-with-training-runs.ipynb",
        skipped=(
            "= load_data()",
            "!pip install h5py pillow",
            "plt.imshow(train_x_orig[index])",
            "layers_dims = [12288, 20, 7, 5, 1]",
            "num_iterations = 2500, print_cost = True)",
            "plt.plot(np.squeeze(costs))",
            "AL, _ = L_model_forward(test_x, parameters)",
            "Image.open(fname)",
        ),
    ),
    Completed(
        "initialization/completed-with-training-runs.ipynb",
        skipped=(
            "train_X, train_Y, test_X, test_Y = load_dataset()",
            'model(train_X, train_Y, initialization = "zeros")',
            'model(train_X, train_Y, initialization = "random")',
            'model(train_X, train_Y, initialization = "he")',
            "def model(X, Y, learning_rate = 0.01, num_iterations = 15000",
            'plt.title("Model with He initialization")',
        ),
        ran=("from init_utils import",),
    ),
    Completed(
        "optimization/completed-with-training-runs.ipynb",
        skipped=(
            "train_X, train_Y = load_dataset()",
            'optimizer = "gd")',
            'optimizer = "momentum", beta = 0.9)',
            'optimizer = "adam")',
            "for mini_batch_size in [16, 32, 64, 128]:",
        ),
        ran=("import sklearn.datasets",),
    ),
    # The graded answers come from a late "results" cell: it runs, the placeholder does not.
    Completed(
        "param_counts/answers-from-results-cell.ipynb",
        skipped=(
            "lecture_conv_params = None",
            "plt.plot(widths, totals)",
            "plt.bar(list(results)",
        ),
        ran=("for name, shape, f, n_filters in lecture_layers:", 'results["conv1"]["params"]'),
    ),
]
# The cheapest of them to run in full: its training cell fails at once (the course's
# layers_dims = [12288, ...] does not fit the grader's 32x32 stand-in images).
RUN_IN_FULL = "deep_net/completed-with-training-runs.ipynb"
TRAINING_CELL = "num_iterations = 2500, print_cost = True)"


def code_cells(path: Path) -> dict[int, str]:
    """The notebook's code cells by position among all its cells (as reports number them)."""
    notebook = nbformat.read(path, as_version=4)
    return {i: c.source for i, c in enumerate(notebook.cells) if c.cell_type == "code"}


def cell_with(cells: dict[int, str], piece: str) -> int:
    """The position of the one code cell whose source contains `piece`."""
    found = [index for index, source in cells.items() if piece in source]
    assert len(found) == 1, f"{piece!r} is in cells {found}, not in exactly one"
    return found[0]


def results_by_cell(report: GradeReport) -> dict[int, CellResult]:
    return {cell.index: cell for cell in report.cells}


def grade(completed: Completed, all_cells: bool = False) -> GradeReport:
    return grade_submission(ROOT / completed.path, completed.assignment, all_cells=all_cells)


@pytest.mark.parametrize("completed", COMPLETED, ids=[c.path for c in COMPLETED])
def test_training_plots_and_downloads_are_skipped_and_definitions_run(completed: Completed) -> None:
    """Does a completed notebook get full marks with its training, plot and download cells
    not run, and every definition run without error?"""
    report = grade(completed)
    assert report.status is SubmissionStatus.GRADED, report.message
    assert report.score == pytest.approx(report.max_score)
    cells = code_cells(ROOT / completed.path)
    results = results_by_cell(report)
    for piece in completed.skipped:
        result = results[cell_with(cells, piece)]
        assert result.status is CellStatus.NOT_NEEDED, (piece, result)
        assert result.message, f"no reason given for skipping the cell with {piece!r}"
    definitions = [i for i, source in cells.items() if GRADED_CELL in source]
    needed = definitions + [cell_with(cells, piece) for piece in completed.ran]
    assert definitions
    for index in needed:
        assert results[index].status is CellStatus.OK, (cells[index][:80], results[index])


def test_with_all_cells_the_training_cell_really_runs() -> None:
    """With every cell run, does the training cell the plan skipped run (and fail here), so
    that it is the plan that keeps it out of grading?"""
    completed = next(c for c in COMPLETED if c.path == RUN_IN_FULL)
    report = grade(completed, all_cells=True)
    cells = code_cells(ROOT / completed.path)
    results = results_by_cell(report)
    training = results[cell_with(cells, TRAINING_CELL)]
    assert training.status in (CellStatus.ERROR, CellStatus.TIMEOUT), training
    assert not [r for r in report.cells if r.status is CellStatus.NOT_NEEDED]
    assert report.score == pytest.approx(report.max_score)
