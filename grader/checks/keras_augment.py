"""Checks of a Keras data augmentation pipeline, on what the sandbox sends back: the pipeline's
outputs on random images in training mode and in inference mode. Augmentation keeps the image
shape, changes images at random in training, and passes them through unchanged at inference.
"""

from __future__ import annotations

from typing import Any

import numpy as np

AUGMENT_SHAPE = (
    "In {mode} mode your pipeline changed the image shape from {before} to {after}; "
    "augmentation must keep the size (RandomFlip, RandomRotation, RandomTranslation and "
    "RandomZoom do)."
)
AUGMENT_INFERENCE = (
    "In inference mode (training=False) your pipeline changed the images; random "
    "augmentation layers pass images through unchanged at inference, so a layer that always "
    "changes images (e.g. Rescaling) does not belong in the augmenter."
)
AUGMENT_NO_CHANGE = (
    "In training mode your pipeline did not change any of the {count} test images: add random "
    "layers such as RandomFlip('horizontal') and RandomRotation(0.2)."
)
AUGMENT_NOT_CALLABLE = (
    "Your `{name}` returned {type}, which cannot be applied to images: return a "
    "keras.Sequential of preprocessing layers."
)


def augmentation_problems(
    function: str, value: dict[str, Any], images: np.ndarray
) -> list[tuple[str, str]]:
    """What is wrong with an augmentation pipeline, as (mistake id, message).

    Args:
        function: The student's function, for messages.
        value: The sandbox's answer: the pipeline's outputs on `images` in training and in
            inference mode, or the problem with what the function returned.
        images: The images the pipeline was run on.

    Returns:
        The problems, most important first; empty when the pipeline is right.
    """
    if "problem" in value:
        message = AUGMENT_NOT_CALLABLE.format(name=function, type=value.get("type"))
        return [("not_callable", message)]
    problems = []
    training, inference = value.get("training"), value.get("inference")
    for mode, out in (("training", training), ("inference", inference)):
        if not isinstance(out, np.ndarray) or out.shape != images.shape:
            after = out.shape[1:] if isinstance(out, np.ndarray) else type(out).__name__
            message = AUGMENT_SHAPE.format(mode=mode, before=images.shape[1:], after=after)
            return [("changes_shape", message)]
    assert isinstance(training, np.ndarray) and isinstance(inference, np.ndarray)
    if not np.allclose(inference, images, atol=1e-5):
        problems.append(("changes_images_at_inference", AUGMENT_INFERENCE))
    changed = np.abs(training - images).reshape(len(images), -1).max(axis=1) > 1e-3
    if not changed.any():
        problems.append(("no_augmentation", AUGMENT_NO_CHANGE.format(count=len(images))))
    return problems
