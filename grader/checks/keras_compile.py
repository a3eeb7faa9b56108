"""Checks of a Keras compile step, on the plain-data description the sandbox sends back.

What the course accepts (the lecture's `model.compile(loss=..., optimizer=..., metrics=[...])`
in every spelling it uses):

- loss: the one for the labels (categorical cross-entropy for one-hot labels, binary
  cross-entropy for 0/1 labels), given as a string ('categorical_crossentropy',
  'CategoricalCrossentropy'), a function (keras.losses.categorical_crossentropy) or an object
  (keras.losses.CategoricalCrossentropy()); the student's own loss function is accepted too
  when its value on test labels and probabilities equals the right loss's.
  Not accepted: another loss (sparse, binary or categorical for the wrong labels, a regression
  loss), or from_logits=True on a model that ends with softmax or sigmoid.
- metrics: an accuracy for the labels: 'accuracy' or 'acc', or categorical_accuracy (binary_
  accuracy for 0/1 labels) as a string, function or object; keras.metrics.Accuracy() is
  accepted with a note (it counts exact matches, so it stays near 0 on probabilities).
- optimizer: any (string or object); the training check compiles with its own.
- one training step with these settings must run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

# What a student reads about a compile step.
NOT_COMPILED = (
    "Your `{name}` did not compile the model: call model.compile(optimizer=..., loss=..., "
    "metrics=['accuracy']) on the model it receives (and return it)."
)
LOSS_MISTAKES = {
    "one_hot": {
        "sparse_categorical_crossentropy": "The labels are one-hot vectors (to_categorical), "
        "so the loss is categorical_crossentropy; sparse_categorical_crossentropy expects "
        "integer class labels.",
        "binary_crossentropy": "Binary cross-entropy is for one sigmoid output (two classes); "
        "this model has a softmax over several classes: use categorical_crossentropy.",
    },
    "binary": {
        "categorical_crossentropy": "Categorical cross-entropy needs one output per class; a "
        "binary classifier has one sigmoid output: use binary_crossentropy.",
        "sparse_categorical_crossentropy": "Sparse categorical cross-entropy needs one output "
        "per class; a binary classifier has one sigmoid output: use binary_crossentropy.",
    },
}
REGRESSION_LOSS = (
    "`{loss}` is a regression loss; a classifier is trained with cross-entropy: use {wanted}."
)
WRONG_LOSS = "The loss is `{loss}`; with these labels it should be {wanted}."
FROM_LOGITS = (
    "The loss has from_logits=True, but the model already ends with {activation}: the loss "
    "would apply it a second time. Leave from_logits at False."
)
NO_ACCURACY = "No accuracy metric for these labels: add metrics=['accuracy'] to model.compile(...)."
FIT_FAILED = "One training step with your compile settings failed: {error}"
ACCURACY_OBJECT = (
    "Note: keras.metrics.Accuracy() (or keras.metrics.accuracy) counts outputs that equal the "
    "labels exactly, so on predicted probabilities it stays near 0; metrics=['accuracy'] or "
    "keras.metrics.{accuracy}() measures how often the predicted class is right."
)

REGRESSION_LOSSES = {
    "mean_squared_error",
    "mean_absolute_error",
    "mean_squared_logarithmic_error",
    "mean_absolute_percentage_error",
    "huber",
    "log_cosh",
}
# What each kind of labels is trained with, and the accuracy metrics that measure it.
LOSSES = {"one_hot": ("categorical_crossentropy",), "binary": ("binary_crossentropy",)}
METRICS = {
    "one_hot": ("accuracy", "acc", "categorical_accuracy"),
    "binary": ("accuracy", "acc", "binary_accuracy"),
}
EXACT_ACCURACY = "accuracy"  # keras.metrics.accuracy / Accuracy(): exact matches only
ACCURACY_CLASS = {"one_hot": "CategoricalAccuracy", "binary": "BinaryAccuracy"}
LOSS_RTOL = 1e-4  # float32 loss values against float64 numpy


@dataclass(frozen=True)
class CompileRules:
    """What a spec requires of a compile step."""

    function: str  # the student's function, for messages
    labels: str = "one_hot"  # or "binary"
    output: str = "softmax"  # the fixed model's output activation
    losses: tuple[str, ...] = LOSSES["one_hot"]
    metrics: tuple[str, ...] = METRICS["one_hot"]


def loss_check_data(labels: str, num_classes: int, seed: int) -> dict[str, np.ndarray]:
    """Labels and predicted probabilities on which the student's loss is evaluated."""
    rng = np.random.default_rng(seed)
    if labels == "binary":
        y_true = (np.arange(8) % 2).astype(np.float32).reshape(-1, 1)
        y_pred = rng.uniform(0.1, 0.9, size=(8, 1)).astype(np.float32)
        return {"y_true": y_true, "y_pred": y_pred}
    y_true = np.eye(num_classes, dtype=np.float32)[np.arange(8) % num_classes]
    logits = rng.normal(size=(8, num_classes))
    y_pred = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return {"y_true": y_true, "y_pred": y_pred.astype(np.float32)}


def expected_loss(labels: str, data: dict[str, np.ndarray]) -> float:
    """The right loss's mean value on `data`, computed here (cross-entropy, as Keras does)."""
    y_true = data["y_true"].astype(np.float64)
    y_pred = np.clip(data["y_pred"].astype(np.float64), 1e-7, 1 - 1e-7)
    if labels == "binary":
        terms = y_true * np.log(y_pred) + (1 - y_true) * np.log(1 - y_pred)
        return float(-np.mean(terms))
    return float(-np.mean(np.sum(y_true * np.log(y_pred), axis=1)))


def compile_problems(
    value: dict[str, Any], rules: CompileRules, expected: float | None
) -> list[tuple[str, str]]:
    """What is wrong with the compile step, as (mistake id, message), most important first.

    Args:
        value: The sandbox's description (see `keras_probe.inspect_compile`).
        rules: What the spec accepts.
        expected: The right loss's value on the probe's check data (None: not checked).

    Returns:
        The problems; empty when the compile step is right.
    """
    if not value.get("compiled"):
        return [("not_compiled", NOT_COMPILED.format(name=rules.function))]
    problems = []
    loss = value.get("loss") or {}
    if not _right_loss(loss, rules, expected):
        problems.append(_loss_problem(str(loss.get("name") or ""), rules))
    elif loss.get("from_logits"):
        problems.append(("from_logits", FROM_LOGITS.format(activation=rules.output)))
    names = {str(m.get("name", "")) for m in _metrics(value)}
    if not names & set(rules.metrics):
        problems.append(("no_accuracy_metric", NO_ACCURACY))
    if value.get("fit_error") and not problems:
        problems.append(("training_step_fails", FIT_FAILED.format(error=value["fit_error"])))
    return problems


def compile_notes(value: dict[str, Any], rules: CompileRules) -> list[str]:
    """Remarks on an accepted compile step that cost nothing (an exact-match accuracy)."""
    exact = [m for m in _metrics(value) if m.get("name") == EXACT_ACCURACY]
    if any(m.get("given") != "string" for m in exact):
        return [ACCURACY_OBJECT.format(accuracy=ACCURACY_CLASS.get(rules.labels, "Accuracy"))]
    return []


def describe_compile(value: dict[str, Any]) -> str:
    """The compile step in one sentence, as feedback shows it."""
    if not value.get("compiled"):
        return "not compiled"
    loss = value.get("loss") or {}
    rate = value.get("learning_rate")
    metrics = ", ".join(str(m.get("name", "?")) for m in _metrics(value)) or "none"
    parts = [
        f"loss {loss.get('name') or '?'}"
        + (" (from_logits=True)" if loss.get("from_logits") else ""),
        f"metrics {metrics}",
        f"optimizer {value.get('optimizer', '?')}"
        + (f" (learning rate {rate:g})" if isinstance(rate, float) else ""),
    ]
    return "Compiled with " + "; ".join(parts) + "."


def _right_loss(loss: dict[str, Any], rules: CompileRules, expected: float | None) -> bool:
    if loss.get("name") in rules.losses:
        return True
    got = loss.get("value")
    if expected is None or not isinstance(got, float) or loss.get("builtin", True):
        return False  # a loss Keras defines is judged by its name; the student's own by value
    return bool(np.isclose(got, expected, rtol=LOSS_RTOL, atol=1e-6))


def _loss_problem(name: str, rules: CompileRules) -> tuple[str, str]:
    wanted = f"`{rules.losses[0]}`"
    known = LOSS_MISTAKES.get(rules.labels, {}).get(name)
    if known:
        return name, known
    if name in REGRESSION_LOSSES:
        return "regression_loss", REGRESSION_LOSS.format(loss=name, wanted=wanted)
    return "wrong_loss", WRONG_LOSS.format(loss=name or "missing", wanted=wanted)


def _metrics(value: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in value.get("metrics", []) if isinstance(m, dict)]
