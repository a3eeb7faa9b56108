"""Image data sets for Keras CNN training checks (grader side only: none of it enters the sandbox).

Every `ImageDataset` holds images as `(n, H, W, C)` uint8 arrays with int64 class indices.
Pixels stay uint8 because they travel to the sandbox over a size-capped channel; the consumer
multiplies them by `scale` to get floats in [0, 1]. Arrays are read-only (`common.read_only`).

Built in here: `load_digits_images()`, scikit-learn's bundled 8x8 handwritten digits (values
0-16; Keras assignments only, so importing scikit-learn costs a numpy course nothing). The
generated malaria stand-in is in `cells.py`, the course's HDF5 files are read by
`hdf5_images.py`, and `registry.py` names them all.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from grader.data.common import DatasetError, read_only

Images = npt.NDArray[np.uint8]
Labels = npt.NDArray[np.int64]
TEST_SIZE = 0.2
SPLIT_SEED = 0

CELL_CLASSES = ("uninfected", "parasitized")
DIGIT_CLASSES = tuple(str(digit) for digit in range(10))

DIGITS_DESCRIPTION = (
    "Handwritten digits bundled with scikit-learn: {n} grayscale 8x8 images (pixel values "
    "0-16) of 10 classes, split 80/20 stratified with seed 0 ({n_train} training, {n_test} test)."
)
BAD_LIMIT = "{name} must be an integer of at least 2 (got {value!r})."


@dataclass(frozen=True, eq=False)  # eq=False: `==` on arrays is elementwise, not a bool
class ImageDataset:
    """A train/test split of images, channels last.

    Attributes:
        name: Registry name, e.g. "digits".
        description: One sentence for feedback and instructors: source, size, split.
        X_train: Images, shape (n_train, H, W, C), uint8, read-only.
        y_train: Class indices, shape (n_train,), int64, read-only.
        X_test: Images, shape (n_test, H, W, C), uint8, read-only.
        y_test: Class indices, shape (n_test,), int64, read-only.
        classes: Class names; the label is the index.
        scale: Multiply pixels by this to get floats in [0, 1] (1/16 for digits, else 1/255).
    """

    name: str
    description: str
    X_train: Images
    y_train: Labels
    X_test: Images
    y_test: Labels
    classes: tuple[str, ...]
    scale: float

    @property
    def image_shape(self) -> tuple[int, int, int]:
        """The shape of one image, (H, W, C)."""
        height, width, channels = self.X_train.shape[1:]
        return (height, width, channels)

    @property
    def num_classes(self) -> int:
        """The number of classes."""
        return len(self.classes)


# --- digits ---------------------------------------------------------------------------------------


@functools.cache
def load_digits_images() -> ImageDataset:
    """scikit-learn's bundled 8x8 handwritten digits as images, split 80/20.

    Split stratified with seed 0. Cached: every call returns the same read-only data set.

    Returns:
        The data set: 1437 training and 360 test images of shape (8, 8, 1), values 0-16.
    """
    from sklearn.datasets import load_digits  # slow import: only when the data is needed
    from sklearn.model_selection import train_test_split

    bunch = load_digits()
    images = np.rint(bunch.images).astype(np.uint8)[..., np.newaxis]
    labels = bunch.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=TEST_SIZE, random_state=SPLIT_SEED, stratify=labels
    )
    return ImageDataset(
        name="digits",
        description=DIGITS_DESCRIPTION.format(
            n=len(labels), n_train=len(y_train), n_test=len(y_test)
        ),
        X_train=read_only(x_train, np.uint8),
        y_train=read_only(y_train, np.int64),
        X_test=read_only(x_test, np.uint8),
        y_test=read_only(y_test, np.int64),
        classes=DIGIT_CLASSES,
        scale=1.0 / 16.0,
    )


# --- shared helpers -------------------------------------------------------------------------------


def check_limit(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 2:
        raise DatasetError(BAD_LIMIT.format(name=name, value=value))
