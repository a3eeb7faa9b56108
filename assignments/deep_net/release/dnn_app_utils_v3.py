"""Stand-in for the course's `dnn_app_utils_v3` module (copied next to the notebook).

The course module bundles the activation helpers, a cat / non-cat loader and complete
implementations of the network. Only the helpers and the loader are provided here (the
network is what students write and is graded); the loader returns small generated images
(8 + 4 of 32x32 pixels) in the course's layout, so a notebook's own training cells finish in
moments. It is not a secret: graded functions are checked on the grader's own inputs.
"""

from __future__ import annotations

import numpy as np
from dnn_utils import relu, relu_backward, sigmoid, sigmoid_backward

__all__ = ["load_data", "relu", "relu_backward", "sigmoid", "sigmoid_backward"]

_SEED = 20170801
_TRAIN, _TEST = 8, 4
_SIZE = 32


def _images(rng: np.random.Generator, m: int) -> tuple[np.ndarray, np.ndarray]:
    """m RGB images (m, 32, 32, 3) uint8 whose centre is brighter for a "cat", and labels."""
    labels = (rng.random(m) < 0.4).astype(np.int64)
    labels[:2] = (1, 0)
    labels = rng.permutation(labels)
    rows, cols = np.mgrid[0:_SIZE, 0:_SIZE]
    centre = (rows - _SIZE / 2) ** 2 + (cols - _SIZE / 2) ** 2 < (_SIZE / 4) ** 2
    contrast = (centre - centre.mean())[None, :, :, None]
    sign = np.where(labels == 1, 1.0, -1.0)[:, None, None, None]
    brightness = rng.normal(120.0, 20.0, size=m)[:, None, None, None]
    pixels = brightness + 10.0 * sign * contrast + rng.normal(0.0, 40.0, size=(m, _SIZE, _SIZE, 3))
    return np.clip(pixels, 0, 255).astype(np.uint8), labels.reshape(1, m)


def load_data():
    """The cat / non-cat data set, in the course's format.

    Returns:
        train_x_orig: (8, 32, 32, 3) uint8 images.
        train_y: (1, 8) int labels, 1 = cat.
        test_x_orig: (4, 32, 32, 3) uint8 images.
        test_y: (1, 4) int labels.
        classes: np.array([b'non-cat', b'cat']).
    """
    rng = np.random.default_rng(_SEED)
    train_x_orig, train_y = _images(rng, _TRAIN)
    test_x_orig, test_y = _images(rng, _TEST)
    classes = np.array([b"non-cat", b"cat"])
    return train_x_orig, train_y, test_x_orig, test_y, classes
