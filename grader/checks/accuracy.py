"""Outcome checks: did the student's trained model predict held-out labels well enough?

The true labels stay in the grader process; only the student's predictions come back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.checks.values import Rules, compare_values

REACHED = (
    "Your model reached {accuracy:.1%} accuracy on the held-out {dataset} data "
    "(needed: {threshold:.0%})."
)
TOO_LOW = (
    "Your model reached only {accuracy:.1%} accuracy on the held-out {dataset} data; "
    "it needs {threshold:.0%}. Training does not work end to end yet: check the gradient "
    "and the update step, and that `model` passes num_iterations and learning_rate on."
)
NOT_BINARY = "Your predictions should be 0 or 1; found the value {value}."


@dataclass(frozen=True)
class AccuracyVerdict:
    """Accuracy reached and whether it clears the threshold, with a message."""

    ok: bool
    accuracy: float | None
    message: str
    details: tuple[str, ...] = ()


def check_accuracy(
    predictions: Any, labels: np.ndarray, threshold: float, dataset: str, path: str
) -> AccuracyVerdict:
    """Compare predictions with the true labels (shape first, then 0/1 values, then accuracy)."""
    if isinstance(predictions, np.ndarray) and predictions.size == labels.size:
        predictions = predictions.reshape(labels.shape)  # a flat vector already cost `predict`
    shape = compare_values(np.zeros(labels.shape), predictions, Rules(), path)
    if not shape.ok and shape.kind != "value":
        return AccuracyVerdict(False, None, shape.message, shape.details)
    values = np.asarray(predictions, dtype=np.float64)
    odd = values[(values != 0) & (values != 1)]
    if odd.size:
        return AccuracyVerdict(False, None, NOT_BINARY.format(value=odd.flat[0]))
    accuracy = float(np.mean(values == labels))
    template = REACHED if accuracy >= threshold else TOO_LOW
    message = template.format(accuracy=accuracy, dataset=dataset, threshold=threshold)
    return AccuracyVerdict(accuracy >= threshold, accuracy, message)
