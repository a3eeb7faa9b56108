"""Keras checks: the sandbox-side probes, and what the grader process does with their answers.

The probes are imported here by file path, as the sandbox does, and run in this process with
TensorFlow; the grader process itself must never import TensorFlow (checked in a subprocess).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import pytest
from test_release import filled

from grader.data.images import load_digits_images
from grader.grading import grade_submission
from grader.notebook.calls import CallOutcome, CallStatus
from grader.notebook.session import NotebookSession
from grader.report.model import TaskOutcome
from grader.spec.load import load_assignment
from grader.spec.release import build_release

ROOT = Path(__file__).resolve().parents[1]
RELEASE = ROOT / "assignments" / "keras_cnn" / "release" / "keras_cnn.ipynb"
PROBE_PATH = ROOT / "grader" / "sandbox" / "keras_probe.py"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def probe() -> Any:
    spec = importlib.util.spec_from_file_location("keras_probe_under_test", PROBE_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def keras() -> Any:
    return pytest.importorskip("keras")


def small_cnn(keras: Any, input_shape: tuple[int, ...] = (8, 8, 1), classes: int = 10) -> Any:
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input(input_shape),
            layers.Conv2D(4, 3, padding="same"),
            layers.BatchNormalization(),
            layers.Activation("relu"),
            layers.MaxPooling2D(),
            layers.GlobalAveragePooling2D(),
            layers.Dense(classes, activation="softmax"),
        ]
    )


def test_summary_describes_every_layer(probe: Any, keras: Any) -> None:
    outer = keras.Sequential(
        [keras.Input((8, 8, 1)), keras.Sequential([keras.layers.Rescaling(1.0)])]
    )
    for layer in small_cnn(keras).layers:
        outer.add(layer)
    summary = probe.summarize(keras, outer, [8, 8, 1])
    classes = [row["class"] for row in summary["layers"]]
    assert classes[0] == "Rescaling"  # the nested model is expanded
    assert classes[1:4] == ["Conv2D", "BatchNormalization", "Activation"]
    assert summary["output_shape"] == [None, 10]
    conv = summary["layers"][1]
    assert conv["output_shape"] == [None, 8, 8, 4] and conv["params"] == 3 * 3 * 4 + 4
    assert conv["activation"] == "linear" and conv["padding"] == "same"
    assert summary["params"] == outer.count_params()


def test_summary_of_something_else_is_a_problem(probe: Any, keras: Any) -> None:
    assert probe.summarize(keras, None, [8, 8, 1]) == {"problem": "not_model", "type": "NoneType"}


def digits_options(**overrides: Any) -> dict[str, Any]:
    """What the build and fit probes receive for a short training run on the digits."""
    data = load_digits_images()
    options = {
        "input_shape": [8, 8, 1],
        "num_classes": 10,
        "seed": 0,
        "max_params": 1_000_000,
        "scale": data.scale,
        "X_train": data.X_train[:300],
        "y_train": data.y_train[:300],
        "X_test": data.X_test[:50],
        "epochs": 3,
        "batch_size": 32,
        "learning_rate": 0.001,
        "loss": "categorical_crossentropy",
        "labels": "one_hot",
        "train_seconds": 60.0,
        "compile": "reference",
    }
    return {**options, **overrides}


def build_and_fit(probe: Any, keras: Any, options: dict[str, Any]) -> dict[str, Any]:
    built = probe.run("build", lambda: small_cnn(keras), (), {}, options, {})
    return {**built, **probe.run("fit", lambda: None, (), {}, options, {})}


def test_training_returns_losses_and_test_predictions(probe: Any, keras: Any) -> None:
    result = build_and_fit(probe, keras, digits_options())
    assert result["epochs"] == 3 and len(result["loss"]) == 3
    assert result["predictions"].shape == (50, 10)
    assert np.allclose(result["predictions"].sum(axis=1), 1.0, atol=1e-4)
    assert result["device"] == "CPU" and result["recalibrated"] == 1
    assert result["batch_size"] == 32


def test_training_stops_when_the_budget_runs_out(probe: Any, keras: Any) -> None:
    result = build_and_fit(probe, keras, digits_options(train_seconds=0.0, epochs=50))
    assert result["ran_out_of_time"] and result["epochs"] <= 1


def test_a_model_over_the_budget_is_not_trained(probe: Any, keras: Any) -> None:
    """Is a model over the parameter budget refused at build, and nothing kept to train?"""
    options = digits_options(max_params=10)
    built = probe.run("build", lambda: small_cnn(keras), (), {}, options, {})
    assert built["too_big"] and "predictions" not in built
    assert "probe_fault" in probe.run("fit", lambda: None, (), {}, options, {})


def test_an_error_in_the_students_model_is_raised_as_theirs(probe: Any, keras: Any) -> None:
    """Does an exception from the student's model (a Reshape that does not fit the image)
    leave the probe as the student's own ValueError, not as a probe fault?"""

    def broken() -> Any:
        return keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Reshape((7, 7))])

    with pytest.raises(ValueError):
        probe.run("summary", broken, (), {}, {"input_shape": [8, 8, 1]}, {})


def test_a_fault_in_describing_a_real_model_is_a_probe_fault(
    probe: Any, keras: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a describing helper broken, does a correct model come back as a probe fault?"""

    def broken(layer: Any) -> dict[str, Any]:
        raise AttributeError("'str' object has no attribute 'get'")

    monkeypatch.setattr(probe.description, "describe_layer", broken)
    answer = probe.run("summary", lambda: small_cnn(keras), (), {}, {"input_shape": [8, 8, 1]}, {})
    assert answer["probe_fault"].startswith("the summary probe failed: AttributeError")


def test_recalibration_in_chunks_averages_the_batch_statistics(probe: Any, keras: Any) -> None:
    """Do the moving statistics after recalibrating in chunks of 16 equal the mean of the
    chunks' statistics (the mean of the features for the mean)?"""
    model = small_cnn(keras)
    images = np.random.default_rng(0).random((64, 8, 8, 1), dtype=np.float32) * 5 + 3
    assert probe.recalibrate_batchnorm(keras, model, images, 16) == 1
    conv, norm = model.layers[0], model.layers[1]
    features = np.asarray(conv(images)).reshape(64, -1, 4)
    assert np.allclose(np.asarray(norm.moving_mean), features.mean(axis=(0, 1)), atol=1e-3)
    chunks = features.reshape(4, -1, 4).var(axis=1).mean(axis=0)
    assert np.allclose(np.asarray(norm.moving_variance), chunks, rtol=1e-2)
    assert norm.momentum == pytest.approx(0.99)  # restored


def compile_with(keras: Any, **kwargs: Any) -> Any:
    def compile_model(model: Any) -> Any:
        model.compile(optimizer="adam", **kwargs)
        return model

    return compile_model


COMPILE_OPTIONS = {"input_shape": [8, 8, 1], "num_classes": 10, "labels": "one_hot"}


def test_compile_probe_describes_loss_metrics_and_a_training_step(probe: Any, keras: Any) -> None:
    good = probe.inspect_compile(
        keras,
        compile_with(keras, loss="categorical_crossentropy", metrics=["accuracy"]),
        COMPILE_OPTIONS,
    )
    assert good["loss"]["name"] == "categorical_crossentropy"
    assert good["metrics"] == [{"name": "accuracy", "given": "string"}]
    assert good["optimizer"] == "Adam" and good["fit_error"] is None
    logits = keras.losses.CategoricalCrossentropy(from_logits=True)
    described = probe.inspect_compile(keras, compile_with(keras, loss=logits), COMPILE_OPTIONS)
    assert described["loss"]["from_logits"] is True and described["metrics"] == []
    assert probe.inspect_compile(keras, lambda model: model, COMPILE_OPTIONS)["compiled"] is False


def test_the_lecture_compile_line_is_described_not_a_fault(probe: Any, keras: Any) -> None:
    """Is the lecture's compile line (the loss as a function, Adadelta) described, where the
    old probe raised AttributeError: 'str' object has no attribute 'get'?"""

    def compile_model(model: Any) -> Any:
        model.compile(
            loss=keras.losses.categorical_crossentropy,
            optimizer=keras.optimizers.Adadelta(),
            metrics=["accuracy"],
        )
        return model

    answer = probe.run("compile", compile_model, (), {}, COMPILE_OPTIONS, {})
    assert answer["loss"] == {
        "name": "categorical_crossentropy",
        "from_logits": False,
        "builtin": True,
        "value": None,  # no check data sent
    }
    assert answer["optimizer"] == "Adadelta" and answer["fit_error"] is None


@pytest.mark.parametrize(
    ("loss", "name"),
    [
        ("CategoricalCrossentropy", "categorical_crossentropy"),
        ("mse", "mean_squared_error"),
        ("sparse_categorical_crossentropy", "sparse_categorical_crossentropy"),
    ],
)
def test_loss_aliases_are_resolved_to_one_name(
    probe: Any, keras: Any, loss: str, name: str
) -> None:
    described = probe.inspect_compile(keras, compile_with(keras, loss=loss), COMPILE_OPTIONS)
    assert described["loss"]["name"] == name


def test_a_compile_without_loss_is_described_as_missing(probe: Any, keras: Any) -> None:
    described = probe.inspect_compile(keras, compile_with(keras, metrics=["acc"]), COMPILE_OPTIONS)
    assert described["loss"]["name"] == "" and described["loss"]["value"] is None


def test_the_students_own_loss_is_evaluated_on_the_check_data(probe: Any, keras: Any) -> None:
    """Is a loss the student wrote (a lambda: it cannot be serialized) described with its
    value on the labels and probabilities sent, for the grader to compare?"""
    check = {"y_true": np.eye(2, dtype=np.float32), "y_pred": np.full((2, 2), 0.5, np.float32)}
    options = {**COMPILE_OPTIONS, "num_classes": 2, "loss_check": check}
    own = compile_with(keras, loss=lambda y, p: keras.losses.categorical_crossentropy(y, p))
    described = probe.inspect_compile(keras, own, options)
    assert described["loss"]["name"] == "<lambda>" and described["loss"]["builtin"] is False
    assert described["loss"]["value"] == pytest.approx(np.log(2), rel=1e-5)


@pytest.mark.parametrize(
    ("metric", "name", "given"),
    [
        ("acc", "acc", "string"),
        ("Accuracy", "accuracy", "object"),
        ("CategoricalAccuracy", "categorical_accuracy", "object"),
        ("categorical_accuracy", "categorical_accuracy", "function"),
    ],
)
def test_metrics_are_named_by_what_they_compute(
    probe: Any, keras: Any, metric: str, name: str, given: str
) -> None:
    found = getattr(keras.metrics, metric, None)
    value = found() if isinstance(found, type) else (found or metric)
    described = probe.inspect_compile(
        keras,
        compile_with(keras, loss="categorical_crossentropy", metrics=[value]),
        COMPILE_OPTIONS,
    )
    assert described["metrics"] == [{"name": name, "given": given}]


def test_augment_probe_runs_the_pipeline_in_both_modes(probe: Any, keras: Any) -> None:
    images = np.random.default_rng(0).random((4, 16, 16, 3), dtype=np.float32)

    def pipeline() -> Any:
        return keras.Sequential([keras.layers.RandomFlip("horizontal")])

    result = probe.augment(keras, pipeline, {"images": images, "seed": 0})
    assert result["layers"] == ["RandomFlip"]
    assert np.allclose(result["inference"], images)
    assert not np.allclose(result["training"], images)


def test_grader_process_never_imports_tensorflow() -> None:
    """Grading a numpy assignment, and a Keras one, leaves TensorFlow out of the grader."""
    code = (
        "import sys; from grader.grading import grade_submission;"
        f"grade_submission({str(ROOT / 'examples' / 'logistic_regression_correct.ipynb')!r});"
        f"grade_submission({str(RELEASE)!r}, train=False);"
        "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


class FakeTraining:
    """Stands in for the sandbox's training probe: records what it was sent and answers with
    predictions made from the true labels (right, or shifted by one class)."""

    def __init__(self, shift: int) -> None:
        self.sent: list[dict[str, Any]] = []
        self.shift = shift

    def __call__(
        self, session: Any, function: str, action: str, args: Any, options: Any, seconds: float
    ) -> CallOutcome:
        if action == "build":
            self.sent.append(options)
            summary = {"layers": [], "params": 100, "output_shape": [None, 10]}
            return CallOutcome(CallStatus.RETURNED, value={"summary": summary, "device": "CPU"})
        if action != "fit":
            return CallOutcome(CallStatus.RAISED, message="NotImplementedError")
        self.sent.append(options)
        labels = (load_digits_images().y_test + self.shift) % 10
        value = {
            "epochs": 15,
            "loss": [2.0, 1.0, 0.5],
            "predictions": np.eye(10, dtype=np.float32)[labels],
            "train_seconds": 1.0,
        }
        return CallOutcome(CallStatus.RETURNED, value=value)


@pytest.mark.parametrize(("shift", "points"), [(0, 4.0), (1, 0.0)])
def test_accuracy_is_computed_here_and_test_labels_stay_here(
    shift: int, points: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeTraining(shift)
    monkeypatch.setattr(NotebookSession, "probe", lambda session, *args: fake(session, *args))
    report = grade_submission(RELEASE)
    training = next(t for t in report.tasks if t.name == "build_model_training")
    assert training.points == points
    assert training.training is not None and training.training.losses == (2.0, 1.0, 0.5)
    labels = load_digits_images().y_test
    for sent in fake.sent:
        assert "y_test" not in sent and "Y_test" not in sent
        for value in sent.values():
            assert not (isinstance(value, np.ndarray) and value.shape == labels.shape)
    if not points:
        assert (
            training.cases[0].mistake == "not_learning" or "only 0.0%" in training.cases[0].message
        )


def test_no_train_leaves_the_training_check_out_of_the_total() -> None:
    report = grade_submission(RELEASE, train=False)
    training = next(t for t in report.tasks if t.name == "build_model_training")
    assert training.outcome is TaskOutcome.SKIPPED and training.max_points == 0
    assert report.max_score == 12 - 4
    assert "--no-train" in training.notes[0]


def test_a_tensorflow_memory_bomb_is_contained(tmp_path: Path) -> None:
    """A cell asking TensorFlow for 14 GB fails alone (out of memory under the data limit);
    the functions defined around it are still graded."""
    notebook = filled(build_release(load_assignment("keras_cnn")).notebook, "keras_cnn")
    bomb = nbformat.v4.new_code_cell("import tensorflow as tf\nbomb = tf.ones((60000, 60000))")
    notebook.cells.insert(2, bomb)
    path = tmp_path / "bomb.ipynb"
    nbformat.write(notebook, path)
    report = grade_submission(path, "keras_cnn", train=False, all_cells=True)  # the bomb runs
    assert report.score == report.max_score == 8
    failed = [cell for cell in report.cells if cell.status.value != "ok"]
    assert len(failed) == 1 and "OOM" in failed[0].message


def test_a_training_run_stopped_from_outside_is_reported_as_too_slow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A build or training that never returns is killed by the wall clock outside the sandbox
    (train_seconds plus a margin); the student reads that the model was too big or too slow."""
    seen: list[float] = []

    def hung(session: Any, function: str, action: str, *rest: Any) -> CallOutcome:
        if action == "build":
            summary = {"layers": [], "params": 100, "output_shape": [None, 10]}
            return CallOutcome(CallStatus.RETURNED, value={"summary": summary})
        if action != "fit":
            return CallOutcome(CallStatus.RAISED, message="NotImplementedError")
        seen.append(rest[-1])
        return CallOutcome(CallStatus.TIMEOUT, seconds=rest[-1])

    monkeypatch.setattr(NotebookSession, "probe", hung)
    report = grade_submission(RELEASE)
    training = next(t for t in report.tasks if t.name == "build_model_training")
    case = training.cases[0]
    assert case.status.value == "timeout" and training.points == 0
    assert "did not finish within 210 seconds" in case.message
    assert "smaller or faster" in case.message
    assert seen == [210.0]  # train_seconds (120) + the margin for import and prediction (90)
