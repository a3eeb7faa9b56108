"""Data sets for application checks (grader side only: nothing here enters the sandbox).

Every `Dataset` holds examples as columns, the course's convention: `X` is `(n_x, m)` float64
and `Y` is `(1, m)` float64 of 0/1 labels.

Arrays are read-only, so no caller can corrupt a cached data set or quietly change the data
another check sees: writing raises `ValueError`, and because each array is a view of a
read-only base, `setflags(write=True)` raises too. Take `.copy()` to get an array you may
change. `load_breast_cancer_dataset` is cached (it always gives the same split);
`load_cat_dataset` reads its files on every call.

Registry: `DATASETS` maps a name a spec may use to a loader taking an optional path;
`load_dataset(name, path)` is the front door.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import h5py
import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]

CAT_IMAGE_SHAPE = (64, 64, 3)
CAT_FILES = {"train": "train_catvnoncat.h5", "test": "test_catvnoncat.h5"}
BREAST_CANCER_TEST_SIZE = 0.2
SPLIT_SEED = 0
FLOWER_SEED = 1

BREAST_CANCER_DESCRIPTION = (
    "Wisconsin diagnostic breast cancer (scikit-learn): 30 features standardized with the "
    "training split's mean and std; Y = 1 for benign, 0 for malignant; 80/20 stratified split."
)
CAT_DESCRIPTION = (
    "Cat vs non-cat: 64x64 RGB images flattened to 12288 features scaled to [0, 1]; Y = 1 for cat."
)
UNKNOWN_DATASET = "Unknown data set '{name}'. Known data sets: {known}."
PATH_REQUIRED = "The data set '{name}' is read from files: give the directory that holds them."
PATH_NOT_ACCEPTED = "The data set '{name}' is built in and takes no path."
MISSING_FILE = "Data file {file} not found (looked in {directory})."
UNREADABLE_FILE = "Data file {file} is not a readable HDF5 file: {reason}."
MISSING_KEY = "Data file {file} has no data set '{key}' (it has: {found})."
WRONG_SHAPE = "In data file {file}, '{key}' has shape {shape}; expected {expected}."
WRONG_DTYPE = "In data file {file}, '{key}' has type {dtype}; expected uint8 pixels (0-255)."
LABELS_NOT_BINARY = "In data file {file}, '{key}' holds labels other than 0 and 1."


class DatasetError(Exception):
    """A data set is unknown or its files are missing or malformed (an instructor's problem)."""


@dataclass(frozen=True, eq=False)  # eq=False: `==` on arrays is elementwise, not a bool
class Dataset:
    """A train/test split with examples as columns.

    Attributes:
        name: Registry name.
        X_train: Features, shape (n_x, m_train), float64, read-only.
        Y_train: Labels, shape (1, m_train), float64 of 0.0/1.0, read-only.
        X_test: Features, shape (n_x, m_test), float64, read-only.
        Y_test: Labels, shape (1, m_test), float64 of 0.0/1.0, read-only.
        description: One line saying where the data come from and how they were prepared.
    """

    name: str
    X_train: Array
    Y_train: Array
    X_test: Array
    Y_test: Array
    description: str


@functools.lru_cache(maxsize=1)
def load_breast_cancer_dataset() -> Dataset:
    """The breast-cancer data set bundled with scikit-learn, split and standardized.

    Split 80/20, stratified, with a fixed seed; both splits are standardized with the training
    split's mean and std. Cached: every call returns the same read-only `Dataset`.

    Returns:
        The data set, 30 features; 455 training and 114 test examples.
    """
    from sklearn.datasets import load_breast_cancer  # slow import: only when the data is needed
    from sklearn.model_selection import train_test_split

    bunch = load_breast_cancer()
    features, labels = bunch.data.astype(np.float64), bunch.target.astype(np.float64)
    x_train, x_test, y_train, y_test = train_test_split(
        features,
        labels,
        test_size=BREAST_CANCER_TEST_SIZE,
        random_state=SPLIT_SEED,
        stratify=labels,
    )
    mean = x_train.mean(axis=0)
    std = x_train.std(axis=0)
    std[std == 0] = 1.0  # a constant feature stays 0 instead of becoming NaN
    return Dataset(
        name="breast_cancer",
        X_train=_read_only(((x_train - mean) / std).T),
        Y_train=_read_only(y_train.reshape(1, -1)),
        X_test=_read_only(((x_test - mean) / std).T),
        Y_test=_read_only(y_test.reshape(1, -1)),
        description=BREAST_CANCER_DESCRIPTION,
    )


def load_cat_dataset(directory: Path) -> Dataset:
    """The course's cat/non-cat images from `train_catvnoncat.h5` and `test_catvnoncat.h5`.

    Args:
        directory: The folder that holds both files.

    Returns:
        The data set: X of shape (12288, m) scaled to [0, 1], Y of shape (1, m).

    Raises:
        DatasetError: A file is missing or unreadable, or a key is missing or malformed.
    """
    directory = Path(directory)
    x_train, y_train = _read_cat_split(directory, "train")
    x_test, y_test = _read_cat_split(directory, "test")
    return Dataset(
        name="cat_hdf5",
        X_train=x_train,
        Y_train=y_train,
        X_test=x_test,
        Y_test=y_test,
        description=CAT_DESCRIPTION,
    )


def _read_cat_split(directory: Path, split: str) -> tuple[Array, Array]:
    file, x_key, y_key = CAT_FILES[split], f"{split}_set_x", f"{split}_set_y"
    path = directory / file
    if not path.is_file():
        raise DatasetError(MISSING_FILE.format(file=file, directory=directory))
    try:
        with h5py.File(path, "r") as handle:
            images = _read_key(handle, file, x_key)
            labels = _read_key(handle, file, y_key)
    except OSError as error:
        raise DatasetError(UNREADABLE_FILE.format(file=file, reason=error)) from error
    if images.ndim != 1 + len(CAT_IMAGE_SHAPE) or images.shape[1:] != CAT_IMAGE_SHAPE:
        expected = "(m, " + ", ".join(map(str, CAT_IMAGE_SHAPE)) + ")"
        raise DatasetError(_wrong_shape(file, x_key, images.shape, expected))
    m = images.shape[0]
    if labels.shape != (m,):
        raise DatasetError(_wrong_shape(file, y_key, labels.shape, f"({m},), one per image"))
    if images.dtype != np.uint8:
        raise DatasetError(WRONG_DTYPE.format(file=file, key=x_key, dtype=images.dtype))
    if not np.isin(labels, (0, 1)).all():
        raise DatasetError(LABELS_NOT_BINARY.format(file=file, key=y_key))
    x = images.reshape(m, -1).T / 255.0
    return _read_only(x), _read_only(labels.reshape(1, m))


def _read_key(handle: h5py.File, file: str, key: str) -> np.ndarray[Any, Any]:
    if key not in handle or not isinstance(handle[key], h5py.Dataset):
        found = ", ".join(sorted(handle.keys())) or "nothing"
        raise DatasetError(MISSING_KEY.format(file=file, key=key, found=found))
    return np.asarray(handle[key][()])


def _wrong_shape(file: str, key: str, shape: tuple[int, ...], expected: str) -> str:
    return WRONG_SHAPE.format(file=file, key=key, shape=shape, expected=expected)


def _read_only(array: Array) -> Array:
    """A read-only view of a read-only copy: neither it nor its base can be made writable."""
    base = np.array(array, dtype=np.float64, order="C")  # always a fresh, owned copy
    base.setflags(write=False)
    return base.view()


def _load_breast_cancer_from(path: Path | None) -> Dataset:
    if path is not None:
        raise DatasetError(PATH_NOT_ACCEPTED.format(name="breast_cancer"))
    return load_breast_cancer_dataset()


FLOWER_DESCRIPTION = (
    "The classic 8-petal 'flower': 400 generated 2-D points in two interleaved classes that "
    "no straight line separates; fixed seed, stratified 80/20 split."
)


@functools.lru_cache(maxsize=1)
def load_flower_dataset() -> Dataset:
    """A generated non-linear 2-D data set (the course's planar 'flower'), split 80/20.

    Returns:
        The data set: X (2, 320) train and (2, 80) test, Y 0/1.
    """
    rng = np.random.default_rng(FLOWER_SEED)
    per_class, petals, radius = 200, 4, 4.0
    points, labels = [], []
    for label in (0, 1):
        theta = np.linspace(label * 3.12, (label + 1) * 3.12, per_class)
        theta = theta + rng.normal(0.0, 0.2, per_class)
        r = radius * np.sin(petals * theta) + rng.normal(0.0, 0.2, per_class)
        points.append(np.column_stack([r * np.sin(theta), r * np.cos(theta)]))
        labels.append(np.full(per_class, float(label)))
    features, targets = np.vstack(points), np.concatenate(labels)
    from sklearn.model_selection import train_test_split  # slow import, see above

    x_train, x_test, y_train, y_test = train_test_split(
        features, targets, test_size=0.2, random_state=SPLIT_SEED, stratify=targets
    )
    return Dataset(
        name="flower",
        X_train=_read_only(x_train.T),
        Y_train=_read_only(y_train.reshape(1, -1)),
        X_test=_read_only(x_test.T),
        Y_test=_read_only(y_test.reshape(1, -1)),
        description=FLOWER_DESCRIPTION,
    )


def _load_flower_from(path: Path | None) -> Dataset:
    if path is not None:
        raise DatasetError(PATH_NOT_ACCEPTED.format(name="flower"))
    return load_flower_dataset()


def _load_cat_from(path: Path | None) -> Dataset:
    if path is None:
        raise DatasetError(PATH_REQUIRED.format(name="cat_hdf5"))
    return load_cat_dataset(path)


DATASETS: dict[str, Callable[[Path | None], Dataset]] = {
    "breast_cancer": _load_breast_cancer_from,
    "flower": _load_flower_from,
    "cat_hdf5": _load_cat_from,
}


def load_dataset(name: str, path: Path | None = None) -> Dataset:
    """Load a data set by its registry name.

    Args:
        name: A key of `DATASETS`.
        path: The directory of the data files, for data sets read from files ("cat_hdf5").

    Returns:
        The data set.

    Raises:
        DatasetError: The name is unknown, a path is missing or not accepted, or the files
            are missing or malformed.
    """
    loader = DATASETS.get(name)
    if loader is None:
        raise DatasetError(UNKNOWN_DATASET.format(name=name, known=", ".join(sorted(DATASETS))))
    return loader(path)
