"""Tests for the data sets that application checks train and test on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import h5py
import numpy as np
import pytest

from grader.data.common import DatasetError
from grader.data.registry import TABLE_DATASETS as DATASETS
from grader.data.registry import load_dataset
from grader.data.tables import Dataset, load_breast_cancer_dataset, load_cat_dataset

# The logistic-regression assignment's application check requires this test accuracy.
ASSIGNMENT_ACCURACY_THRESHOLD = 0.93


def all_arrays(dataset: Dataset) -> list[np.ndarray[Any, Any]]:
    """The four arrays of a data set."""
    return [dataset.X_train, dataset.Y_train, dataset.X_test, dataset.Y_test]


# --- breast cancer -----------------------------------------------------------------------------


def test_breast_cancer_shapes() -> None:
    """Are the breast-cancer examples columns of 30 features, split 80/20?"""
    data = load_breast_cancer_dataset()
    assert data.name == "breast_cancer"
    assert data.X_train.shape == (30, 455)
    assert data.Y_train.shape == (1, 455)
    assert data.X_test.shape == (30, 114)
    assert data.Y_test.shape == (1, 114)
    assert all(array.dtype == np.float64 for array in all_arrays(data))
    assert data.description


def test_breast_cancer_is_standardized_on_the_training_split() -> None:
    """Does each feature have mean 0 and std 1 on the training split (not on the test split)?"""
    data = load_breast_cancer_dataset()
    np.testing.assert_allclose(data.X_train.mean(axis=1), 0.0, atol=1e-12)
    np.testing.assert_allclose(data.X_train.std(axis=1), 1.0, rtol=1e-12)
    assert np.abs(data.X_test.mean(axis=1)).max() > 1e-3  # the test split keeps its own drift


def test_breast_cancer_labels() -> None:
    """Are the labels 0/1 with both classes in each split, in the same proportion?"""
    data = load_breast_cancer_dataset()
    for labels in (data.Y_train, data.Y_test):
        assert set(np.unique(labels)) == {0.0, 1.0}
    assert data.Y_train.mean() == pytest.approx(data.Y_test.mean(), abs=0.01)  # stratified


def test_breast_cancer_is_deterministic() -> None:
    """Do two loads, cached or not, give identical splits?"""
    first = load_breast_cancer_dataset()
    load_breast_cancer_dataset.cache_clear()
    second = load_breast_cancer_dataset()
    for a, b in zip(all_arrays(first), all_arrays(second), strict=True):
        np.testing.assert_array_equal(a, b)


def test_breast_cancer_cache_cannot_be_corrupted() -> None:
    """Can a caller that writes into the arrays change what the next caller gets? (It must not.)"""
    data = load_breast_cancer_dataset()
    before = data.X_train.copy()
    with pytest.raises(ValueError, match="read-only"):
        data.X_train[0, 0] = 1e9
    with pytest.raises(ValueError):
        data.Y_test.setflags(write=True)
    x_test = data.X_test
    with pytest.raises(ValueError, match="read-only"):
        x_test *= 2
    mine = data.X_train.copy()  # the documented way to get an array one may change
    mine[0, 0] = 1e9
    np.testing.assert_array_equal(load_breast_cancer_dataset().X_train, before)


def test_logistic_regression_reaches_the_assignment_threshold() -> None:
    """Does plain gradient-descent logistic regression beat the assignment's accuracy bar?"""
    data = load_breast_cancer_dataset()
    w = np.zeros((data.X_train.shape[0], 1))
    b = 0.0
    m = data.X_train.shape[1]
    for _ in range(300):
        a = 1.0 / (1.0 + np.exp(-(w.T @ data.X_train + b)))
        dz = a - data.Y_train
        w -= 0.1 * (data.X_train @ dz.T) / m
        b -= 0.1 * float(dz.sum()) / m
    predictions = (1.0 / (1.0 + np.exp(-(w.T @ data.X_test + b)))) > 0.5
    accuracy = float((predictions == data.Y_test).mean())
    assert accuracy > ASSIGNMENT_ACCURACY_THRESHOLD


# --- cat / non-cat HDF5 ------------------------------------------------------------------------


def write_cat_file(
    path: Path,
    split: str,
    images: np.ndarray[Any, Any] | None = None,
    labels: np.ndarray[Any, Any] | None = None,
    *,
    skip: str = "",
) -> None:
    """Write an HDF5 file like the course's, leaving out the key named by `skip`."""
    m = 6 if split == "train" else 4
    if images is None:
        images = np.random.default_rng(0).integers(0, 256, (m, 64, 64, 3), dtype=np.uint8)
    if labels is None:
        labels = np.arange(m) % 2
    data = {
        f"{split}_set_x": images,
        f"{split}_set_y": labels,
        "list_classes": np.array([b"non-cat", b"cat"]),
    }
    with h5py.File(path, "w") as handle:
        for key, value in data.items():
            if key != skip:
                handle.create_dataset(key, data=value)


@pytest.fixture
def cat_dir(tmp_path: Path) -> Path:
    """A folder with well-formed train (6 images) and test (4 images) files."""
    write_cat_file(tmp_path / "train_catvnoncat.h5", "train")
    write_cat_file(tmp_path / "test_catvnoncat.h5", "test")
    return tmp_path


def test_cat_shapes_scaling_and_labels(cat_dir: Path) -> None:
    """Are the images flattened to columns, scaled to [0, 1], with labels as a row?"""
    data = load_cat_dataset(cat_dir)
    assert data.name == "cat_hdf5"
    assert data.X_train.shape == (12288, 6)
    assert data.X_test.shape == (12288, 4)
    assert data.Y_train.shape == (1, 6)
    assert data.Y_test.shape == (1, 4)
    np.testing.assert_array_equal(data.Y_train, [[0, 1, 0, 1, 0, 1]])
    with h5py.File(cat_dir / "train_catvnoncat.h5", "r") as handle:
        raw = handle["train_set_x"][()]
    np.testing.assert_array_equal(data.X_train[:, 2], raw[2].reshape(-1) / 255.0)
    assert data.X_train.min() >= 0.0
    assert data.X_train.max() <= 1.0
    assert all(not array.flags.writeable for array in all_arrays(data))


def test_cat_through_the_registry(cat_dir: Path) -> None:
    """Does `load_dataset("cat_hdf5", path)` load the same data?"""
    np.testing.assert_array_equal(
        load_dataset("cat_hdf5", cat_dir).X_test, load_cat_dataset(cat_dir).X_test
    )


def test_cat_missing_file(cat_dir: Path) -> None:
    """Does a missing file name the file and where it was looked for?"""
    (cat_dir / "test_catvnoncat.h5").unlink()
    with pytest.raises(DatasetError, match=r"test_catvnoncat\.h5 not found") as raised:
        load_cat_dataset(cat_dir)
    assert str(cat_dir) in str(raised.value)


@pytest.mark.parametrize("key", ["train_set_x", "train_set_y"])
def test_cat_missing_key(cat_dir: Path, key: str) -> None:
    """Does a missing key name the file, the key and the keys there are?"""
    write_cat_file(cat_dir / "train_catvnoncat.h5", "train", skip=key)
    with pytest.raises(DatasetError) as raised:
        load_cat_dataset(cat_dir)
    message = str(raised.value)
    assert "train_catvnoncat.h5" in message
    assert f"'{key}'" in message
    assert "list_classes" in message


@pytest.mark.parametrize(
    ("images", "labels", "expected"),
    [
        (np.zeros((6, 32, 32, 3), np.uint8), None, "shape (6, 32, 32, 3); expected (m, 64, 64, 3)"),
        (np.zeros((6, 12288), np.uint8), None, "shape (6, 12288); expected (m, 64, 64, 3)"),
        (None, np.zeros((1, 6), np.int64), "'train_set_y' has shape (1, 6); expected (6,)"),
        (None, np.zeros(5, np.int64), "'train_set_y' has shape (5,); expected (6,)"),
        (np.zeros((6, 64, 64, 3), np.float64), None, "type float64; expected uint8"),
        (None, np.array([0, 1, 2, 0, 1, 0]), "labels other than 0 and 1"),
    ],
    ids=["small-images", "flat-images", "row-labels", "too-few-labels", "float-pixels", "labels"],
)
def test_cat_malformed_data(
    cat_dir: Path, images: np.ndarray[Any, Any] | None, labels: Any, expected: str
) -> None:
    """Does malformed data raise DatasetError saying which key is wrong and how?"""
    write_cat_file(cat_dir / "train_catvnoncat.h5", "train", images, labels)
    with pytest.raises(DatasetError, match=r"train_catvnoncat\.h5") as raised:
        load_cat_dataset(cat_dir)
    assert expected in str(raised.value)


def test_cat_file_that_is_not_hdf5(cat_dir: Path) -> None:
    """Is a file that is not HDF5 reported as unreadable, by name?"""
    (cat_dir / "train_catvnoncat.h5").write_text("not hdf5")
    with pytest.raises(DatasetError, match=r"train_catvnoncat\.h5 is not a readable HDF5 file"):
        load_cat_dataset(cat_dir)


# --- registry ----------------------------------------------------------------------------------


def test_registry_names() -> None:
    """Does the registry hold the breast-cancer, flower and cat data sets?"""
    assert set(DATASETS) == {"breast_cancer", "cat_hdf5", "flower"}


def test_flower_is_not_linearly_separable() -> None:
    """Is the flower data set balanced, deterministic, and beyond a linear model?"""
    from sklearn.linear_model import LogisticRegression

    flower = load_dataset("flower")
    assert flower.X_train.shape == (2, 320) and flower.X_test.shape == (2, 80)
    assert flower.Y_train.mean() == 0.5
    linear = LogisticRegression().fit(flower.X_train.T, flower.Y_train.ravel())
    assert linear.score(flower.X_test.T, flower.Y_test.ravel()) < 0.75


def test_load_dataset_breast_cancer() -> None:
    """Does `load_dataset("breast_cancer")` give the cached data set?"""
    assert load_dataset("breast_cancer") is load_breast_cancer_dataset()


def test_unknown_dataset_lists_known_names() -> None:
    """Does an unknown name list the names that exist?"""
    with pytest.raises(
        DatasetError, match=r"Unknown data set .mnist.*breast_cancer, cat_hdf5, flower\."
    ):
        load_dataset("mnist")


def test_cat_requires_a_path() -> None:
    """Does the cat data set without a path say a directory is needed?"""
    with pytest.raises(DatasetError, match="give the directory"):
        load_dataset("cat_hdf5")


def test_breast_cancer_refuses_a_path(tmp_path: Path) -> None:
    """Does a path given to the bundled data set raise instead of being silently ignored?"""
    with pytest.raises(DatasetError, match="takes no path"):
        load_dataset("breast_cancer", tmp_path)


def test_the_shipped_splits_are_scikit_learns() -> None:
    """Are the shipped train/test indices exactly what scikit-learn's stratified
    train_test_split (test_size 0.2, random_state 0) gives, so reading the data without
    scikit-learn changes no verdict?"""
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split

    from grader.data.common import shipped_split

    labels = load_breast_cancer().target.astype(np.float64)
    train, test = train_test_split(
        np.arange(len(labels)), test_size=0.2, random_state=0, stratify=labels
    )
    shipped_train, shipped_test = shipped_split("breast_cancer")
    assert np.array_equal(shipped_train, train) and np.array_equal(shipped_test, test)
    flower = load_dataset("flower")
    assert flower.X_train.shape == (2, 320) and flower.X_test.shape == (2, 80)


def test_the_numpy_data_sets_load_without_scikit_learn_or_scipy() -> None:
    """Does loading the numpy assignments' data import neither scikit-learn nor SciPy (1.8 s
    of a 2 s submission)?"""
    code = (
        "import sys\n"
        "from grader.data.registry import load_dataset\n"
        "load_dataset('breast_cancer'); load_dataset('flower')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'scipy'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
