"""Keras verdicts without TensorFlow or a sandbox: the compile and training rules on plain data,
whose fault a failure is (the student's, or the grader's own probe), and the batch size the
grader trains with. The sandbox is replaced by a fake session that answers probes."""

from __future__ import annotations

import importlib.util
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fakes import FakeSession, ProbeAnswer

from grader.checks.keras_compile import (
    CompileRules,
    compile_notes,
    compile_problems,
    expected_loss,
    loss_check_data,
)
from grader.checks.keras_training import smaller_batch_note, training_batch_size
from grader.data.images import load_digits_images
from grader.notebook.calls import CallOutcome, CallStatus
from grader.report.model import Status
from grader.spec.load import LoadedAssignment, load_assignment, load_cases_module, load_reference
from grader.spec.options import KerasTrainingOptions
from grader.tasks.context import GradingContext
from grader.tasks.keras_architecture import grade_architecture_task
from grader.tasks.keras_compile import grade_compile_task
from grader.tasks.keras_training import grade_training_task
from grader.tasks.messages import GRADER_FAULT

ROOT = Path(__file__).resolve().parents[1]
PROBE_PATH = ROOT / "grader" / "sandbox" / "keras_probe.py"
FAULT_PREFIX = GRADER_FAULT.split("{")[0]
ONE_HOT = CompileRules("compile_model")
BINARY = CompileRules(
    "compile_model", "binary", "sigmoid", ("binary_crossentropy",), ("accuracy", "binary_accuracy")
)

# --- compile rules ---------------------------------------------------------------------------


def described(
    loss: str, value: float | None = None, builtin: bool = True, **extra: Any
) -> dict[str, Any]:
    """The compile probe's answer for a model compiled with `loss` (a Keras loss, unless
    `builtin` is False) and metrics ['accuracy']."""
    answer = {
        "compiled": True,
        "loss": {"name": loss, "from_logits": False, "builtin": builtin, "value": value},
        "metrics": [{"name": "accuracy", "given": "string"}],
        "optimizer": "Adadelta",
        "learning_rate": 0.001,
        "fit_error": None,
    }
    return {**answer, **extra}


@pytest.mark.parametrize(
    "loss",
    ["categorical_crossentropy"],  # the probe resolves aliases, functions and objects to this
)
def test_the_right_loss_by_name_passes_with_any_optimizer(loss: str) -> None:
    """Is categorical cross-entropy with Adadelta (the lecture's compile line) accepted?"""
    assert compile_problems(described(loss), ONE_HOT, None) == []


def test_a_loss_of_another_name_passes_when_its_value_is_the_right_one() -> None:
    """Is the student's own wrapper around categorical cross-entropy accepted by value, and a
    different loss under an unknown name refused?"""
    data = loss_check_data("one_hot", 10, seed=1)
    right = expected_loss("one_hot", data)
    assert compile_problems(described("my_loss", right, builtin=False), ONE_HOT, right) == []
    wrong = compile_problems(described("my_loss", right * 2, builtin=False), ONE_HOT, right)
    assert [mistake for mistake, _ in wrong] == ["wrong_loss"]


def test_expected_loss_is_cross_entropy_of_the_check_data() -> None:
    """Is the value the student's loss is compared with the cross-entropy of the check data?"""
    data = loss_check_data("one_hot", 4, seed=0)
    manual = -np.mean(np.log(np.sum(data["y_true"] * data["y_pred"], axis=1)))
    assert expected_loss("one_hot", data) == pytest.approx(manual, rel=1e-6)
    binary = loss_check_data("binary", 1, seed=0)
    p, y = binary["y_pred"].ravel(), binary["y_true"].ravel()
    manual = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert expected_loss("binary", binary) == pytest.approx(manual, rel=1e-6)


@pytest.mark.parametrize(
    ("loss", "mistake"),
    [
        ("sparse_categorical_crossentropy", "sparse_categorical_crossentropy"),
        ("binary_crossentropy", "binary_crossentropy"),
        ("mean_squared_error", "regression_loss"),
        ("hinge", "wrong_loss"),
    ],
)
def test_wrong_losses_are_named_even_if_their_value_matches(loss: str, mistake: str) -> None:
    """Are Keras' other losses named as wrong (a loss Keras defines is judged by its name,
    never matched by value)?"""
    problems = compile_problems(described(loss, 1.0), ONE_HOT, 1.0)
    assert problems[0][0] == mistake


@pytest.mark.parametrize(
    "metrics",
    [
        [{"name": "accuracy", "given": "string"}],
        [{"name": "acc", "given": "string"}],
        [{"name": "categorical_accuracy", "given": "object"}],
        [{"name": "categorical_accuracy", "given": "function"}],
        [{"name": "categorical_accuracy", "given": "string"}],
        [{"name": "accuracy", "given": "object"}],
    ],
)
def test_every_accuracy_metric_spelling_passes(metrics: list[dict[str, str]]) -> None:
    """Are 'accuracy', 'acc', CategoricalAccuracy() / categorical_accuracy and Accuracy()
    all accepted for one-hot labels?"""
    assert (
        compile_problems(described("categorical_crossentropy", metrics=metrics), ONE_HOT, None)
        == []
    )


def test_an_exact_match_accuracy_object_passes_with_a_note() -> None:
    """Does keras.metrics.Accuracy() pass, with a note that it counts exact matches?"""
    exact = described("categorical_crossentropy", metrics=[{"name": "accuracy", "given": "object"}])
    notes = compile_notes(exact, ONE_HOT)
    assert len(notes) == 1 and "CategoricalAccuracy()" in notes[0]
    assert compile_notes(described("categorical_crossentropy"), ONE_HOT) == []


def test_binary_labels_want_binary_cross_entropy_and_binary_accuracy() -> None:
    """For a sigmoid output: binary cross-entropy and binary_accuracy pass, categorical
    accuracy is not an accuracy for these labels, and categorical cross-entropy is named."""
    metrics = [{"name": "binary_accuracy", "given": "object"}]
    assert compile_problems(described("binary_crossentropy", metrics=metrics), BINARY, None) == []
    categorical = [{"name": "categorical_accuracy", "given": "object"}]
    problems = compile_problems(described("binary_crossentropy", metrics=categorical), BINARY, None)
    assert [mistake for mistake, _ in problems] == ["no_accuracy_metric"]
    problems = compile_problems(described("categorical_crossentropy"), BINARY, None)
    assert problems[0][0] == "categorical_crossentropy"


def test_from_logits_after_softmax_and_a_missing_metric_are_named() -> None:
    """Are from_logits=True and a compile without metrics still mistakes?"""
    logits = described("categorical_crossentropy")
    logits["loss"]["from_logits"] = True
    assert compile_problems(logits, ONE_HOT, None)[0][0] == "from_logits"
    none = described("categorical_crossentropy", metrics=[])
    assert compile_problems(none, ONE_HOT, None)[0][0] == "no_accuracy_metric"


# --- the batch size the grader trains with ------------------------------------------------


def conv_summary(size: int, filters: int) -> dict[str, Any]:
    shape = [None, size, size, filters]
    return {"layers": [{"class": "Conv2D", "output_shape": shape}] * 3, "params": 1000}


def test_the_spec_batch_size_is_kept_when_it_fits() -> None:
    """Does the lecture's 64x64 model (about 1.9M activation floats per image) train with
    the spec's batch of 32 under 4 GB?"""
    lecture = {"layers": [{"output_shape": [None, 1_884_160]}]}
    assert training_batch_size(lecture, 32, 4096) == 32
    assert smaller_batch_note(lecture, 32, 32) is None


def test_a_model_with_huge_activations_trains_with_a_smaller_batch() -> None:
    """Is a model whose activations would not fit 32 at a time trained with fewer images at a
    time (never fewer than one), and does the feedback say so?"""
    huge = conv_summary(64, 2048)  # 3 x 8.4M floats per image
    batch = training_batch_size(huge, 32, 4096)
    assert 1 <= batch < 32
    note = smaller_batch_note(huge, batch, 32)
    assert note is not None and f"batch size {batch} instead of 32" in note
    assert training_batch_size(conv_summary(512, 4096), 32, 4096) == 1
    unknown = {"layers": [{"output_shape": None}]}
    assert training_batch_size(unknown, 32, 4096) == 32


# --- whose fault: a fake session answering probes (tests/fakes.py) ---------------------------

# The student's Keras functions, never run here: every probe of them has a canned answer.
KERAS_FUNCTIONS = """
def build_model(input_shape, num_classes): ...
def build_binary_model(input_shape): ...
def compile_model(model): ...
def data_augmenter(): ...
"""


def probing(answers: dict[str, ProbeAnswer]) -> FakeSession:
    """A fake session whose notebook defines the Keras functions and whose probes answer
    as told (recording what was sent)."""
    return FakeSession([KERAS_FUNCTIONS], probes=answers)


def context_for(assignment_id: str, session: FakeSession) -> GradingContext:
    assignment = load_assignment(assignment_id)
    spec = LoadedAssignment(
        assignment, load_cases_module(assignment), types.ModuleType("reference"), ()
    )
    return GradingContext(spec, session)


def task(assignment_id: str, name: str) -> Any:
    return next(t for t in load_assignment(assignment_id).tasks if t.name == name)


def returned(value: Any) -> CallOutcome:
    return CallOutcome(CallStatus.RETURNED, value=value)


FAULT = returned({"probe_fault": "the summary probe failed: KeyError: 'units'"})


def test_a_fault_in_the_probe_is_the_graders_not_the_students() -> None:
    """Does a probe that reports its own fault give grader-fault cases, never "Your
    `build_model` raised an error"?"""
    session = probing({"summary": FAULT})
    result = grade_architecture_task(
        task("keras_cnn", "build_model"), context_for("keras_cnn", session)
    )
    assert {case.status for case in result.cases} == {Status.GRADER_ERROR}
    message = result.cases[0].message
    assert message.startswith(FAULT_PREFIX) and "KeyError: 'units'" in message
    assert "Your `build_model`" not in message


def test_an_error_in_the_students_function_stays_the_students() -> None:
    """Is an exception the student's function raised still reported as theirs?"""
    raised = CallOutcome(CallStatus.RAISED, message="ValueError: bad kernel size")
    session = probing({"summary": raised})
    result = grade_architecture_task(
        task("keras_cnn", "build_model"), context_for("keras_cnn", session)
    )
    assert {case.status for case in result.cases} == {Status.ERROR}
    assert "Your `build_model` raised an error: ValueError" in result.cases[0].message


def test_a_fault_in_the_compile_probe_is_the_graders() -> None:
    """Does a compile probe that fails on its own (as the old one did on a loss function)
    give a grader fault?"""
    session = probing({"compile": FAULT})
    result = grade_compile_task(
        task("keras_cnn", "compile_model"), context_for("keras_cnn", session)
    )
    assert result.cases[0].status is Status.GRADER_ERROR


def built(params: int = 423_361, floats: int = 1_884_160) -> CallOutcome:
    summary = {
        "layers": [{"class": "Conv2D", "output_shape": [None, floats]}],
        "params": params,
        "output_shape": [None, 1],
        "input_shape": [None, 64, 64, 3],
    }
    return returned({"summary": summary, "device": "CPU"})


@pytest.mark.parametrize(
    "fit",
    [
        CallOutcome(CallStatus.CRASHED, message="the sandbox process ended (segmentation fault)"),
        returned({"probe_fault": "out of memory while training the model with batch size 32"}),
    ],
    ids=["sandbox-died", "out-of-memory"],
)
def test_running_out_of_memory_while_the_grader_trains_is_a_grader_fault(
    fit: CallOutcome,
) -> None:
    """Is an in-budget model whose training dies or runs out of memory a grader fault, never
    "Your `build_binary_model` raised an error"?"""
    session = probing({"build": built(), "fit": fit})
    context = context_for("medical_cnn", session)
    result = grade_training_task(task("medical_cnn", "build_binary_model_training"), context)
    case = result.cases[0]
    assert case.status is Status.GRADER_ERROR and case.message.startswith(FAULT_PREFIX)
    assert "build_binary_model` raised" not in case.message
    sent = [action for action, _ in session.sent_probes]
    assert sent == ["build", "fit"]  # no retry on our fault


def test_training_that_outlasts_the_wall_clock_is_the_models() -> None:
    """Is a training run killed by the outer wall clock still the model's (too slow)?"""
    hung = CallOutcome(CallStatus.TIMEOUT, seconds=330.0)
    session = probing({"build": built(), "fit": hung})
    context = context_for("medical_cnn", session)
    result = grade_training_task(task("medical_cnn", "build_binary_model_training"), context)
    assert result.cases[0].status is Status.TIMEOUT
    assert "smaller or faster" in result.cases[0].message


def test_the_fit_probe_gets_a_batch_that_fits_and_never_the_test_labels() -> None:
    """Is a model with huge activations trained with a smaller batch (said in the feedback),
    and do the test labels stay out of what the sandbox is sent?"""
    digits = load_digits_images()

    def fit(args: tuple[Any, ...], options: dict[str, Any]) -> CallOutcome:
        predictions = np.eye(10, dtype=np.float32)[digits.y_test]
        return returned({"predictions": predictions, "loss": [2.0, 0.5], "epochs": 15})

    summary = built(params=10_000, floats=40_000_000).value["summary"]
    summary["output_shape"] = [None, 10]
    session = probing({"build": returned({"summary": summary}), "fit": fit})
    result = grade_training_task(
        task("keras_cnn", "build_model_training"), context_for("keras_cnn", session)
    )
    assert result.points == result.max_points == 4
    sent = dict(session.sent_probes)["fit"]
    assert sent["batch_size"] < 32
    assert any(
        f"batch size {sent['batch_size']} instead of 32" in d for d in result.cases[0].details
    )
    for value in sent.values():
        assert not (isinstance(value, np.ndarray) and value.shape == digits.y_test.shape)


# --- the probe's own split between the student's code and ours (no TensorFlow) ----------------


@pytest.fixture()
def probe(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The sandbox-side probe module, loaded by path as the sandbox does, with a stand-in for
    Keras (these tests never reach TensorFlow)."""
    spec = importlib.util.spec_from_file_location("keras_probe_fast", PROBE_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fake_keras = types.SimpleNamespace(
        Model=object, utils=types.SimpleNamespace(set_random_seed=lambda seed: None)
    )
    monkeypatch.setattr(module, "_import_keras", lambda: fake_keras)
    return module


def test_an_exception_in_describing_code_comes_back_as_a_probe_fault(
    probe: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Does an exception in the probe's describing code come back as a probe fault?"""

    def broken(keras: Any, model: Any, input_shape: list[int]) -> dict[str, Any]:
        raise KeyError("units")

    monkeypatch.setattr(probe, "summarize", broken)
    answer = probe.run("summary", lambda: "a model", (), {}, {"input_shape": [8, 8, 1]}, {})
    assert answer == {"probe_fault": "the summary probe failed: KeyError: 'units'"}


def test_an_exception_in_the_students_function_is_raised_as_it_was(probe: Any) -> None:
    """Does the student's own exception leave the probe unchanged (same object), so the
    sandbox reports it as theirs?"""
    error = ValueError("negative dimensions are not allowed")

    def build_model() -> Any:
        raise error

    with pytest.raises(ValueError) as caught:
        probe.run("summary", build_model, (), {}, {"input_shape": [8, 8, 1]}, {})
    assert caught.value is error


def test_fit_without_a_built_model_is_a_probe_fault(probe: Any) -> None:
    """Is a fit request with no model kept by build the grader's fault?"""
    answer = probe.run("fit", lambda: None, (), {}, {}, {})
    assert "no model was kept" in answer["probe_fault"]


@pytest.mark.parametrize(
    ("error", "ours"),
    [
        (MemoryError(), True),
        (RuntimeError("OOM when allocating tensor with shape[512,64,64,64]"), True),
        (ValueError("Input 0 of layer dense is incompatible"), False),
    ],
)
def test_out_of_memory_in_training_is_ours_other_errors_the_models(
    probe: Any, error: Exception, ours: bool
) -> None:
    """Is running out of memory while the grader trains a probe fault, and any other error in
    the student's model still the student's?"""

    def step() -> None:
        raise error

    expected = probe.ProbeFault if ours else probe.StudentError
    with pytest.raises(expected):
        probe.on_model(32, step)


# --- the release says what the training check does --------------------------------------------


@pytest.mark.parametrize("assignment_id", ["keras_cnn", "medical_cnn"])
def test_the_release_docstring_states_the_training_budget(assignment_id: str) -> None:
    """Does the docstring students read (the reference's, copied into the release) state the
    spec's parameter budget, epochs, batch size, time budget and threshold?"""
    assignment = load_assignment(assignment_id)
    training = next(t for t in assignment.tasks if t.kind == "keras_training")
    spec = training.options
    reference = load_reference(assignment)  # imports no TensorFlow (names used at call time)
    docstring = " ".join(getattr(reference, training.function).__doc__.split())
    assert isinstance(spec, KerasTrainingOptions)
    assert f"more than {spec.max_params:,} parameters" in docstring
    assert f"{spec.epochs} epochs with batch size {spec.batch_size}" in docstring
    assert f"{spec.train_seconds:g} seconds of training" in docstring
    assert f"{spec.threshold:.0%} accuracy" in docstring


def test_out_of_memory_in_the_graders_training_comes_back_as_a_probe_fault(
    probe: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Does an out-of-memory while the grader trains come back as a probe fault that says so?"""

    def step() -> None:
        raise MemoryError()

    def fit(keras: Any, options: dict[str, Any]) -> dict[str, Any]:
        return dict(probe.on_model(32, step))

    monkeypatch.setattr(probe, "fit", fit)
    answer = probe.run("fit", lambda: None, (), {}, {}, {})
    assert answer["probe_fault"].startswith("out of memory while training the model with batch")
