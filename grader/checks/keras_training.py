"""Checks of a Keras training run, on what the sandbox sends back: the predictions on the test
images (the test labels stay in the grader process), the loss per epoch, and why a model fell
short. Also the batch size the grader trains with, chosen so the model's activations fit in
the sandbox's memory.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

DIVERGED = (
    "The training loss became NaN or infinite: training diverged (an output activation that "
    "is not a probability, such as 'relu' or 'linear', can do this)."
)
RAN_OUT = (
    "Training stopped after {done} of {epochs} epochs: the time budget of {seconds:g} s ran "
    "out. Your model is too slow to train ({params:,} parameters): make it smaller."
)
NOT_LEARNING = (
    "The training loss did not go down ({first:.3g} -> {last:.3g}): the model is not "
    "learning. Check the output layer's activation and that no layer blocks the signal."
)
SMALLER_BATCH = (
    "Trained with batch size {batch} instead of {planned}: your model's activations take "
    "{megabytes:,.0f} MB per image in training, so {planned} images at a time would not fit "
    "in the grader's memory. This costs nothing, but training is slower."
)
WRONG_SHAPE = "The model's predictions on the {n} test images have shape {shape}."
NOT_FINITE = "The model's predictions contain NaN or infinite values: " + DIVERGED
NOT_ONE_PROBABILITY = (
    "A binary classifier gives one probability per image; the predictions have shape {shape}, "
    "expected ({n}, 1)."
)
NOT_PER_CLASS = (
    "The predictions have shape {shape}; expected ({n}, {classes}), one probability per class."
)

# Training memory per image, as a multiple of the activations' float32 bytes: each layer's
# output is kept for the backward pass and gets a gradient of the same size, and convolutions
# and BatchNormalization need workspace besides (measured: the lecture's 64x64 model takes
# about 2x; 4x leaves room).
TRAINING_BYTES_PER_ACTIVATION = 4 * 4
# What the sandbox needs besides the activations: TensorFlow itself (about 0.7 GB resident,
# more as data-segment mappings), the training data, the weights and the optimizer's slots.
RESERVED_MB = 2048
MIN_ACTIVATION_MB = 512


def activation_floats(summary: dict[str, Any]) -> int | None:
    """Floats per image in the model's layer outputs, or None when a shape is unknown."""
    total = 0
    for row in summary.get("layers", []):
        shape = row.get("output_shape")
        if not isinstance(shape, list) or not all(isinstance(d, int) for d in shape[1:]):
            return None
        total += math.prod(shape[1:])
    return total


def training_batch_size(summary: dict[str, Any], planned: int, memory_mb: int) -> int:
    """The spec's batch size, or a smaller one if that many images' activations would not fit
    in the sandbox's memory (so any model within the parameter budget can be trained)."""
    floats = activation_floats(summary)
    if not floats:
        return planned
    room = max(memory_mb - RESERVED_MB, MIN_ACTIVATION_MB) * 2**20
    fits = int(room // (floats * TRAINING_BYTES_PER_ACTIVATION))
    return max(1, min(planned, fits))


def smaller_batch_note(summary: dict[str, Any], batch: int, planned: int) -> str | None:
    """Why the grader trained with a smaller batch than the spec's, or None if it did not."""
    floats = activation_floats(summary)
    if batch >= planned or not floats:
        return None
    megabytes = floats * TRAINING_BYTES_PER_ACTIVATION / 2**20
    return SMALLER_BATCH.format(batch=batch, planned=planned, megabytes=megabytes)


def held_out_accuracy(
    predictions: Any, y_test: np.ndarray, num_classes: int, labels: str
) -> tuple[float | None, str | None]:
    """Accuracy of `predictions` on the true test labels, or a message saying why there is
    none (wrong shape, NaN). Binary predictions are probabilities of class 1, cut at 0.5."""
    n = len(y_test)
    if not isinstance(predictions, np.ndarray) or predictions.shape[:1] != (n,):
        return None, WRONG_SHAPE.format(n=n, shape=getattr(predictions, "shape", None))
    if not np.all(np.isfinite(predictions)):
        return None, NOT_FINITE
    if labels == "binary":
        if predictions.size != n:
            return None, NOT_ONE_PROBABILITY.format(shape=predictions.shape, n=n)
        predicted = (predictions.reshape(n) > 0.5).astype(np.int64)
    else:
        if predictions.ndim != 2 or predictions.shape[1] != num_classes:
            message = NOT_PER_CLASS.format(shape=predictions.shape, n=n, classes=num_classes)
            return None, message
        predicted = predictions.argmax(axis=1)
    return float(np.mean(predicted == y_test)), None


def shortfall_reasons(
    value: dict[str, Any], losses: tuple[float, ...], params: int, options: dict[str, Any]
) -> list[tuple[str, str]]:
    """Why a model fell short, as (mistake id, message), most telling first."""
    reasons = []
    if value.get("ran_out_of_time"):
        message = RAN_OUT.format(
            done=int(value.get("epochs", 0)),
            epochs=int(options["epochs"]),
            seconds=float(options["train_seconds"]),
            params=params,
        )
        reasons.append(("too_slow", message))
    if losses and not all(np.isfinite(losses)):
        reasons.append(("diverged", DIVERGED))
    elif len(losses) >= 2 and losses[-1] > 0.9 * losses[0]:
        reasons.append(("not_learning", NOT_LEARNING.format(first=losses[0], last=losses[-1])))
    return reasons
