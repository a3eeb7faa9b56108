"""The Keras task kinds graded end to end on a fake session whose probes give canned answers
(what the sandbox would report about the student's model): architecture, training, compile
and augmentation, with no TensorFlow and no sandbox."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fakes import FakeSession, Graded, ProbeAnswer, task_of

from grader.data.images import load_digits_images
from grader.notebook.session import CallOutcome, CallStatus
from grader.report.model import Status, SubmissionStatus
from grader.tasks.context import GradingOptions

ASSIGNMENT = "keras_cnn"
NOTEBOOK = """
import numpy as np

def build_model(input_shape, num_classes): ...
def compile_model(model): ...
def data_augmenter(): ...
"""


def returned(value: Any) -> CallOutcome:
    return CallOutcome(CallStatus.RETURNED, value=value)


def layer(cls: str, **settings: Any) -> dict[str, Any]:
    return {"class": cls, "output_shape": [None, 4], "params": 0, **settings}


def lecture_summary(num_classes: int, output: str = "softmax") -> dict[str, Any]:
    """The probe's description of a model that follows the lecture's pattern."""
    layers = [
        layer("Conv2D", activation="linear", filters=32, padding="same"),
        layer("BatchNormalization", momentum=0.95),
        layer("Activation", activation="relu"),
        layer("MaxPooling2D", pool_size=[2, 2]),
        layer("Dropout", rate=0.25),
        layer("GlobalAveragePooling2D"),
        layer("Dense", activation="relu", units=64),
        layer("Dropout", rate=0.5),
        layer("Dense", activation=output, units=num_classes),
    ]
    return {"layers": layers, "output_shape": [None, num_classes], "params": 12_000}


def summary(output: str = "softmax") -> ProbeAnswer:
    return lambda args, options: returned(lecture_summary(int(args[1]), output))


def fit(accuracy: float) -> ProbeAnswer:
    """A fit probe whose model predicts the test digits right for about this share."""
    y_test = load_digits_images().y_test

    def answer(args: tuple[Any, ...], options: dict[str, Any]) -> CallOutcome:
        right = np.arange(len(y_test)) < accuracy * len(y_test)
        guessed = np.where(right, y_test, (y_test + 1) % 10)
        predictions = np.eye(10, dtype=np.float32)[guessed]
        return returned({"predictions": predictions, "loss": [2.0, 0.4], "epochs": 15})

    return answer


def build(args: tuple[Any, ...], options: dict[str, Any]) -> CallOutcome:
    return returned({"summary": lecture_summary(int(args[1])), "device": "CPU"})


COMPILED = returned(
    {
        "compiled": True,
        "loss": {"name": "categorical_crossentropy", "from_logits": False, "builtin": True},
        "metrics": [{"name": "accuracy", "given": "string"}],
        "optimizer": "Adam",
        "learning_rate": 0.001,
        "fit_error": None,
    }
)


def augment(train: bool = True, inference: bool = True) -> ProbeAnswer:
    """An augmentation probe: flipped images in training (or unchanged), the images
    themselves at inference (or flipped)."""

    def answer(args: tuple[Any, ...], options: dict[str, Any]) -> CallOutcome:
        images = options["images"]
        flipped = images[:, :, ::-1]
        return returned(
            {
                "training": flipped if train else images,
                "inference": images if inference else flipped,
                "layers": ["RandomFlip", "RandomRotation"],
            }
        )

    return answer


def answers(**changes: ProbeAnswer) -> dict[str, ProbeAnswer]:
    right = {
        "summary": summary(),
        "build": build,
        "fit": fit(0.97),
        "compile": COMPILED,
        "augment": augment(),
    }
    return {**right, **changes}


def test_a_lecture_model_gets_full_marks(graded: Graded) -> None:
    """Do canned answers of a well-built, well-trained, well-compiled model and a proper
    augmenter earn every point, with the training run recorded?"""
    session = FakeSession([NOTEBOOK], probes=answers())
    report = graded(session, ASSIGNMENT)
    assert report.status is SubmissionStatus.GRADED
    assert report.full_marks and report.score == 12, [t.cases[0].message for t in report.tasks]
    training = task_of(report, "build_model_training")
    assert training.training is not None and training.training.epochs == 15
    fit_options = dict(session.sent_probes)["fit"]
    assert "y_test" not in fit_options and "Y_test" not in fit_options


def test_a_linear_output_is_named_in_every_case(graded: Graded) -> None:
    """Is a model whose last Dense has no softmax failed in every architecture case, the
    mistake named?"""
    report = graded([NOTEBOOK], ASSIGNMENT, probes=answers(summary=summary("linear")))
    cases = task_of(report, "build_model").cases
    assert {case.status for case in cases} == {Status.FAILED}
    assert {case.mistake for case in cases} == {"linear_output"}


def test_a_model_that_does_not_learn_falls_short(graded: Graded) -> None:
    """Is a model reaching 50% on the held-out digits failed by the 90% threshold, with its
    accuracy said?"""
    report = graded([NOTEBOOK], ASSIGNMENT, probes=answers(fit=fit(0.5)))
    case = task_of(report, "build_model_training").cases[0]
    assert case.status is Status.FAILED
    assert "Your model reached only 50." in case.message and "it needs 90%" in case.message


@pytest.mark.parametrize(
    ("probe", "mistake"),
    [
        (augment(train=False), "no_augmentation"),
        (augment(inference=False), "changes_images_at_inference"),
    ],
    ids=["no-change-in-training", "changes-at-inference"],
)
def test_augmenter_mistakes_are_named(graded: Graded, probe: ProbeAnswer, mistake: str) -> None:
    """Is an augmenter that changes nothing in training, or changes images at inference,
    failed and named?"""
    report = graded([NOTEBOOK], ASSIGNMENT, probes=answers(augment=probe), tasks=["data_augmenter"])
    case = task_of(report, "data_augmenter").cases[0]
    assert case.status is Status.FAILED and case.mistake == mistake


def test_without_training_nothing_is_trained(graded: Graded) -> None:
    """With --no-train, is the training check skipped (no points either way) and no model
    built or fitted?"""
    session = FakeSession([NOTEBOOK], probes=answers())
    report = graded(session, ASSIGNMENT, GradingOptions(train=False))
    training = task_of(report, "build_model_training")
    assert [case.status for case in training.cases] == [Status.SKIPPED]
    assert training.max_points == 0 and report.max_score == 8 and report.full_marks
    assert not {"build", "fit"} & {action for action, _ in session.sent_probes}


def test_a_missing_keras_function_is_missing(graded: Graded) -> None:
    """Is a Keras function the notebook never defines reported as missing, not probed?"""
    cells = [NOTEBOOK.replace("def compile_model(model): ...", "")]
    report = graded(cells, ASSIGNMENT, probes=answers(), tasks=["compile_model"])
    case = task_of(report, "compile_model").cases[0]
    assert case.status is Status.MISSING and "compile_model(model)" in case.message
