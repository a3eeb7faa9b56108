"""Data sets for application checks (grader side only: nothing here enters the sandbox).

Every `Dataset` holds examples as columns, the course's convention: `X` is `(n_x, m)` float64
and `Y` is `(1, m)` float64 of 0/1 labels.

Arrays are read-only (`common.read_only`), so no caller can corrupt a cached data set or
quietly change the data another check sees. Take `.copy()` to get an array you may change.
`load_breast_cancer_dataset` and `load_flower_dataset` are cached and read no more than a CSV
file and the shipped split (no scikit-learn import); `load_cat_dataset` reads its files on
every call. The registry is `grader.data.registry`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from grader.data.common import (
    LABELS_NOT_BINARY,
    UNREADABLE_FILE,
    DatasetError,
    package_data_file,
    read_only,
    shipped_split,
)

if TYPE_CHECKING:
    import h5py  # imported where a file is opened: most gradings never need it

Array = npt.NDArray[np.float64]

CAT_IMAGE_SHAPE = (64, 64, 3)
CAT_FILES = {"train": "train_catvnoncat.h5", "test": "test_catvnoncat.h5"}
FLOWER_SEED = 1

BREAST_CANCER_DESCRIPTION = (
    "Wisconsin diagnostic breast cancer (scikit-learn): 30 features standardized with the "
    "training split's mean and std; Y = 1 for benign, 0 for malignant; 80/20 stratified split."
)
CAT_DESCRIPTION = (
    "Cat vs non-cat: 64x64 RGB images flattened to 12288 features scaled to [0, 1]; Y = 1 for cat."
)
MISSING_FILE = "Data file {file} not found (looked in {directory})."
MISSING_KEY = "Data file {file} has no data set '{key}' (it has: {found})."
WRONG_SHAPE = "In data file {file}, '{key}' has shape {shape}; expected {expected}."
WRONG_DTYPE = "In data file {file}, '{key}' has type {dtype}; expected uint8 pixels (0-255)."
BREAST_CANCER_CSV = "datasets/data/breast_cancer.csv"  # inside the scikit-learn package


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

    Read straight from scikit-learn's CSV file (without importing scikit-learn), split 80/20,
    stratified, as `common.shipped_split` says; both splits are standardized with the training
    split's mean and std. Cached: every call returns the same read-only `Dataset`.

    Returns:
        The data set, 30 features; 455 training and 114 test examples.
    """
    path = package_data_file("sklearn", BREAST_CANCER_CSV)
    table = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64)
    features, labels = table[:, :-1], table[:, -1]
    train, test = shipped_split("breast_cancer")
    x_train, x_test = features[train], features[test]
    y_train, y_test = labels[train], labels[test]
    mean = x_train.mean(axis=0)
    std = x_train.std(axis=0)
    std[std == 0] = 1.0  # a constant feature stays 0 instead of becoming NaN
    return Dataset(
        name="breast_cancer",
        X_train=read_only(((x_train - mean) / std).T),
        Y_train=read_only(y_train.reshape(1, -1)),
        X_test=read_only(((x_test - mean) / std).T),
        Y_test=read_only(y_test.reshape(1, -1)),
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
        import h5py

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
    return read_only(x), read_only(labels.reshape(1, m))


def _read_key(handle: h5py.File, file: str, key: str) -> np.ndarray[Any, Any]:
    import h5py

    if key not in handle or not isinstance(handle[key], h5py.Dataset):
        found = ", ".join(sorted(handle.keys())) or "nothing"
        raise DatasetError(MISSING_KEY.format(file=file, key=key, found=found))
    return np.asarray(handle[key][()])


def _wrong_shape(file: str, key: str, shape: tuple[int, ...], expected: str) -> str:
    return WRONG_SHAPE.format(file=file, key=key, shape=shape, expected=expected)


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
    train, test = shipped_split("flower")
    x_train, x_test, y_train, y_test = (
        features[train],
        features[test],
        targets[train],
        targets[test],
    )
    return Dataset(
        name="flower",
        X_train=read_only(x_train.T),
        Y_train=read_only(y_train.reshape(1, -1)),
        X_test=read_only(x_test.T),
        Y_test=read_only(y_test.reshape(1, -1)),
        description=FLOWER_DESCRIPTION,
    )
