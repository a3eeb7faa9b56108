"""Stand-in for the course's `lr_utils` module (copied next to the notebook when grading).

The course version reads the cat / non-cat images from `datasets/train_catvnoncat.h5` and
`datasets/test_catvnoncat.h5`. This stand-in returns a small data set with the same layout,
dtypes and classes (but 8 + 4 images of 32x32 pixels instead of 209 + 50 of 64x64), generated
deterministically with numpy, so that a student's data and training cells run in a fraction
of a second in the grader. Notebooks that take sizes from the arrays' shapes, as the course
template does, run unchanged. It is not a secret: the graded
functions are checked on the grader's own inputs, never on these images.
"""

from __future__ import annotations

import numpy as np

_SEED = 20170801
_TRAIN, _TEST = 8, 4  # few examples: a notebook's own 2000-iteration training cell stays fast
_SIZE = 32  # the real images are 64x64; smaller keeps notebook training cells fast


def _images(rng: np.random.Generator, m: int) -> tuple[np.ndarray, np.ndarray]:
    """m RGB images (m, 32, 32, 3) uint8 and their labels (1, m).

    A "cat" has a brighter centre than its surroundings and a "non-cat" a darker one, under
    pixel noise, so a trained model does clearly better than chance on the test images.
    """
    labels = (rng.random(m) < 0.4).astype(np.int64)
    labels[:2] = (1, 0)  # both classes in every split
    labels = rng.permutation(labels)
    rows, cols = np.mgrid[0:_SIZE, 0:_SIZE]
    centre = (rows - _SIZE / 2) ** 2 + (cols - _SIZE / 2) ** 2 < (_SIZE / 4) ** 2
    # Zero mean over the image, so the overall brightness alone tells nothing.
    contrast = (centre - centre.mean())[None, :, :, None]
    sign = np.where(labels == 1, 1.0, -1.0)[:, None, None, None]
    brightness = rng.normal(120.0, 20.0, size=m)[:, None, None, None]
    pixels = brightness + 10.0 * sign * contrast + rng.normal(0.0, 40.0, size=(m, _SIZE, _SIZE, 3))
    return np.clip(pixels, 0, 255).astype(np.uint8), labels.reshape(1, m)


def load_dataset():
    """The data set, in the course's format.

    Returns:
        train_set_x_orig: (8, 32, 32, 3) uint8 images.
        train_set_y: (1, 8) int labels, 1 = cat.
        test_set_x_orig: (4, 32, 32, 3) uint8 images.
        test_set_y: (1, 4) int labels.
        classes: np.array([b'non-cat', b'cat']).
    """
    rng = np.random.default_rng(_SEED)
    train_set_x_orig, train_set_y = _images(rng, _TRAIN)
    test_set_x_orig, test_set_y = _images(rng, _TEST)
    classes = np.array([b"non-cat", b"cat"])
    return train_set_x_orig, train_set_y, test_set_x_orig, test_set_y, classes
