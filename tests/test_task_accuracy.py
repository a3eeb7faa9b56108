"""The `accuracy` task kind on a fake session: the student's own training code run on real data,
accuracy computed in the grader process, and a shortfall that a named mistake of the trained
function explains not charged twice."""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import pytest
from fakes import FakeSession, Graded, fake_session, patched, scenario_cells, task_of

from grader.data.registry import load_dataset
from grader.report.model import Status
from grader.tasks.context import GradingOptions

ASSIGNMENT = "logistic_regression"
NOT_CHARGED = "Not charged here: your `model` already lost points for this mistake"


@pytest.fixture(scope="module")
def correct() -> list[str]:
    return scenario_cells(ASSIGNMENT, "correct-vectorized.ipynb")


def test_a_correct_model_passes_and_never_sees_the_test_labels(
    graded: Graded, correct: list[str]
) -> None:
    """Does a correct model reach the threshold on the breast-cancer data, trained in the
    student's code, with random stand-in labels in place of Y_test?"""
    session = fake_session(correct, ASSIGNMENT)
    task = task_of(graded(session, ASSIGNMENT, tasks=["model_accuracy"]), "model_accuracy")
    case = task.cases[0]
    assert case.status is Status.PASSED and task.points == 2
    assert case.got == "accuracy 97.4%" and case.expected == "accuracy >= 93%"
    assert "on the breast-cancer data" in (case.inputs or "")
    (call,) = [c for c in session.called if c.function == "model"]
    y_test = load_dataset("breast_cancer").Y_test
    assert call.args[3].shape == y_test.shape and not np.array_equal(call.args[3], y_test)


def test_a_model_that_does_not_learn_fails_and_points_at_failed_functions(
    graded: Graded, correct: list[str]
) -> None:
    """Does a model predicting 0 for everything fail the check, and is the failed `model`
    named as a likely cause?"""
    cells = patched(
        correct,
        "Y_prediction_test = predict(w, b, X_test)",
        "Y_prediction_test = np.zeros((1, X_test.shape[1]))",
    )
    report = graded(cells, ASSIGNMENT, tasks=["model", "model_accuracy"])
    case = task_of(report, "model_accuracy").cases[0]
    assert case.status is Status.FAILED and case.points == 0
    assert "only" in case.message and "it needs 93%" in case.message
    assert any("fail their own checks" in d and "`model`" in d for d in case.details)


def test_a_shortfall_from_a_named_mistake_of_model_is_not_charged_again(graded: Graded) -> None:
    """When `model` lost points for not passing its hyperparameters on, and the reference
    with that mistake falls short too, is the accuracy check passed with a note saying so;
    and charged when `model` was not graded (nothing charged yet)?"""
    cells = scenario_cells(ASSIGNMENT, "model-hyperparameters-not-passed.ipynb")
    both = graded(cells, ASSIGNMENT, tasks=["model", "model_accuracy"])
    assert task_of(both, "model").cases[0].mistake == "hyperparameters_not_passed"
    case = task_of(both, "model_accuracy").cases[0]
    assert case.status is Status.PASSED and case.got == "accuracy 92.1%"
    assert any(d.startswith(NOT_CHARGED) for d in case.details)
    alone = task_of(graded(cells, ASSIGNMENT, tasks=["model_accuracy"]), "model_accuracy")
    assert alone.cases[0].status is Status.FAILED and alone.points == 0


def test_a_failed_predict_is_replaced_by_the_references_for_the_predictions(
    graded: Graded,
) -> None:
    """With predictions from the student's `predict` (two_layer_net's flower check), does a
    predict that fails its own checks cost its own points only, the reference predicting in
    its place?"""
    cells = scenario_cells("two_layer_net", "predict-returns-activations.ipynb")
    report = graded(cells, "two_layer_net", tasks=["predict", "nn_model_flower"])
    assert task_of(report, "predict").points == 0
    flower = task_of(report, "nn_model_flower")
    assert flower.cases[0].status is Status.PASSED and flower.points == 2


def write_cat_files(directory: Path) -> None:
    """Tiny course-format HDF5 files with a learnable signal: cats have a redder centre."""
    rng = np.random.default_rng(0)
    for prefix, m in (("train", 16), ("test", 8)):
        labels = np.arange(m) % 2
        images = rng.normal(128, 40, size=(m, 64, 64, 3))
        images[:, 16:48, 16:48, 0] += np.where(labels, 60, -60)[:, None, None]
        with h5py.File(directory / f"{prefix}_catvnoncat.h5", "w") as handle:
            handle[f"{prefix}_set_x"] = np.clip(images, 0, 255).astype(np.uint8)
            handle[f"{prefix}_set_y"] = labels
            handle["list_classes"] = np.array([b"non-cat", b"cat"])


def test_application_check_uses_course_hdf5_files(
    tmp_path: Path, graded: Graded, correct: list[str]
) -> None:
    """With --data, does the application check train on the course's cat files?"""
    write_cat_files(tmp_path)
    session = FakeSession(correct)
    options = GradingOptions(data_dir=tmp_path)
    report = graded(session, ASSIGNMENT, options, tasks=["model_accuracy"])
    case = task_of(report, "model_accuracy").cases[0]
    assert "cat" in (case.inputs or "") and case.status is Status.PASSED, case.message
    assert session.called[0].kwargs == {"num_iterations": 2000, "learning_rate": 0.005}
