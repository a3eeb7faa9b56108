"""Tests for the image data sets that Keras CNN training checks train and test on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import h5py
import numpy as np
import pytest

from grader.data import hdf5_images as image_datasets
from grader.data.cells import make_cell_images
from grader.data.common import DatasetError
from grader.data.hdf5_images import load_course_hdf5
from grader.data.images import ImageDataset, load_digits_images
from grader.data.registry import IMAGE_DATASETS, load_image_dataset

LUMINANCE = np.array([0.299, 0.587, 0.114])


def all_arrays(data: ImageDataset) -> list[np.ndarray[Any, Any]]:
    """The four arrays of a data set."""
    return [data.X_train, data.y_train, data.X_test, data.y_test]


def assert_well_formed(data: ImageDataset, image_shape: tuple[int, int, int]) -> None:
    """Uint8 images of `image_shape`, int64 labels in range, one label per image, all read-only."""
    assert data.image_shape == image_shape
    for images, labels in ((data.X_train, data.y_train), (data.X_test, data.y_test)):
        assert images.dtype == np.uint8
        assert labels.dtype == np.int64
        assert images.shape == (len(labels), *image_shape)
        assert labels.ndim == 1
        assert labels.min() >= 0
        assert labels.max() < data.num_classes
    assert all(not array.flags.writeable for array in all_arrays(data))
    assert data.description


# --- digits --------------------------------------------------------------------------------------


def test_digits_shapes_and_scale() -> None:
    """Are the digits 8x8x1 uint8 images of values 0-16, split 1437/360, with scale 1/16?"""
    data = load_digits_images()
    assert_well_formed(data, (8, 8, 1))
    assert data.name == "digits"
    assert data.X_train.shape == (1437, 8, 8, 1)
    assert data.X_test.shape == (360, 8, 8, 1)
    assert data.num_classes == 10
    assert data.classes == tuple("0123456789")
    assert data.scale == 1 / 16
    assert data.X_train.max() == 16
    assert (data.X_test * data.scale).max() == 1.0


def test_digits_match_scikit_learn() -> None:
    """Are the images scikit-learn's, every one of them, each with its own label?"""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    data = load_digits_images()
    images = np.concatenate([data.X_train, data.X_test])[..., 0].reshape(len(bunch.target), -1)
    labels = np.concatenate([data.y_train, data.y_test])
    ours = sorted(zip(map(bytes, images), labels, strict=True))
    theirs = sorted(zip(map(bytes, bunch.data.astype(np.uint8)), bunch.target, strict=True))
    assert ours == theirs


def test_digits_split_is_stratified() -> None:
    """Does each class have the same share of the training and the test split?"""
    data = load_digits_images()
    train_share = np.bincount(data.y_train, minlength=10) / len(data.y_train)
    test_share = np.bincount(data.y_test, minlength=10) / len(data.y_test)
    np.testing.assert_allclose(train_share, test_share, atol=0.005)


def test_digits_are_cached_and_read_only() -> None:
    """Is the same object returned, and can no caller corrupt it?"""
    data = load_digits_images()
    assert load_digits_images() is data
    with pytest.raises(ValueError, match="read-only"):
        data.X_train[0, 0, 0, 0] = 99
    with pytest.raises(ValueError):
        data.y_test.setflags(write=True)
    with pytest.raises(ValueError):
        data.X_test.base.setflags(write=True)


# --- generated cells -----------------------------------------------------------------------------


def test_cells_shapes_and_balance() -> None:
    """Are the default cells 600/200 balanced 64x64x3 uint8 images with scale 1/255?"""
    data = make_cell_images()
    assert_well_formed(data, (64, 64, 3))
    assert data.name == "cells"
    assert data.X_train.shape == (600, 64, 64, 3)
    assert data.X_test.shape == (200, 64, 64, 3)
    assert data.classes == ("uninfected", "parasitized")
    assert data.scale == 1 / 255
    assert np.bincount(data.y_train).tolist() == [300, 300]
    assert np.bincount(data.y_test).tolist() == [100, 100]
    assert not np.array_equal(data.y_train[:20], np.arange(20) % 2)  # shuffled, not alternating


def test_cells_odd_sizes_and_bad_sizes() -> None:
    """Does an odd split get one more uninfected image, and a split under 2 raise?"""
    data = make_cell_images(5, 3, seed=1)
    assert np.bincount(data.y_train).tolist() == [3, 2]
    assert np.bincount(data.y_test).tolist() == [2, 1]
    with pytest.raises(DatasetError, match="n_test must be an integer of at least 2"):
        make_cell_images(10, 1)


def test_cells_are_deterministic() -> None:
    """Do the same arguments give the same images, another seed other images, the default cached?"""
    first, second = make_cell_images(12, 4, seed=3), make_cell_images(12, 4, seed=3)
    assert first is not second
    for a, b in zip(all_arrays(first), all_arrays(second), strict=True):
        np.testing.assert_array_equal(a, b)
    other = make_cell_images(12, 4, seed=4)
    assert not np.array_equal(first.X_train, other.X_train)
    assert make_cell_images() is make_cell_images(600, 200, 0)


def test_cells_look_like_cells() -> None:
    """Is the border light background, the middle pinkish (red above green), with pixel noise?"""
    data = make_cell_images()
    pixels = data.X_train.astype(np.float64)
    corners = pixels[:, :3, :3].reshape(-1, 3)
    middle = pixels[:, 29:35, 29:35].reshape(-1, 3)
    assert corners.mean() > middle.mean()
    assert corners.mean() > 150
    assert (middle[:, 0] > middle[:, 1]).mean() > 0.95
    assert pixels[:, :3, :3].std(axis=(1, 2)).mean() > 2  # noise, not a flat colour


def dark_pixels(images: np.ndarray[Any, Any], threshold: float = 0.3) -> np.ndarray[Any, Any]:
    """How many pixels of each image are darker than `threshold` (luminance on [0, 1])."""
    luminance = (images / 255.0) @ LUMINANCE
    return (luminance < threshold).reshape(len(images), -1).sum(axis=1)


def test_cells_mean_colour_does_not_give_the_class_away() -> None:
    """Does a logistic regression on each image's mean colour stay near chance (< 70%)?"""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    data = make_cell_images()

    def mean_colour(images: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        return images.reshape(len(images), -1, 3).mean(axis=1)

    model = make_pipeline(StandardScaler(), LogisticRegression())
    model.fit(mean_colour(data.X_train), data.y_train)
    assert model.score(mean_colour(data.X_test), data.y_test) < 0.70


def test_cells_dark_spots_give_the_class_away() -> None:
    """Does counting dark pixels (the parasites) separate the classes (> 90%)?"""
    data = make_cell_images()
    train_counts, test_counts = dark_pixels(data.X_train), dark_pixels(data.X_test)
    candidates = np.unique(train_counts)
    train_accuracy = [((train_counts >= c) == data.y_train).mean() for c in candidates]
    cut = candidates[int(np.argmax(train_accuracy))]
    assert ((test_counts >= cut) == data.y_test).mean() > 0.9
    assert np.median(dark_pixels(data.X_test[data.y_test == 0])) == 0


# --- course HDF5 files ---------------------------------------------------------------------------


def marked_images(n: int, labels: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Random images; pixel (0, 0) holds the image's index (red) and its label (green)."""
    images = np.random.default_rng(n).integers(0, 256, (n, 64, 64, 3), dtype=np.uint8)
    images[:, 0, 0, 0] = np.arange(n)
    images[:, 0, 0, 1] = labels
    return images


def write_h5(path: Path, **arrays: Any) -> Path:
    """An HDF5 file holding `arrays` under their names."""
    with h5py.File(path, "w") as handle:
        for key, value in arrays.items():
            handle.create_dataset(key, data=value)
    return path


def assert_marks_match(data: ImageDataset) -> np.ndarray[Any, Any]:
    """Does each image keep its own label? Returns the file indices of all images loaded."""
    for images, labels in ((data.X_train, data.y_train), (data.X_test, data.y_test)):
        np.testing.assert_array_equal(images[:, 0, 0, 1], labels)
    indices = np.concatenate([data.X_train[:, 0, 0, 0], data.X_test[:, 0, 0, 0]])
    assert len(np.unique(indices)) == len(indices)  # no image twice
    return indices


@pytest.mark.parametrize(
    ("x_key", "y_key"), image_datasets.COMBINED_LAYOUTS, ids=lambda key: str(key)
)
def test_hdf5_one_set_is_split_80_20(tmp_path: Path, x_key: str, y_key: str) -> None:
    """Is one set of images and labels, under any accepted name, split 80/20 stratified?"""
    labels = np.arange(50) % 2
    write_h5(tmp_path / "cells.h5", **{x_key: marked_images(50, labels), y_key: labels})
    data = load_course_hdf5("cells_hdf5", tmp_path / "cells.h5")
    assert_well_formed(data, (64, 64, 3))
    assert data.name == "cells_hdf5"
    assert (len(data.y_train), len(data.y_test)) == (40, 10)
    assert np.bincount(data.y_test).tolist() == [5, 5]
    assert sorted(assert_marks_match(data)) == list(range(50))
    assert "split 80/20" in data.description
    assert "all 40 training images" in data.description


@pytest.mark.parametrize("layout", image_datasets.SPLIT_LAYOUTS, ids=lambda keys: keys[0])
def test_hdf5_explicit_split_is_kept(tmp_path: Path, layout: tuple[str, ...]) -> None:
    """Does a file with its own train/test split keep exactly that split (shuffled)?"""
    x_train, y_train, x_test, y_test = layout
    train_labels = np.array([0] * 6 + [1] * 6)  # sorted by class, as course files often are
    test_labels = np.array([1, 0, 1, 0, 1])
    test_images = marked_images(5, test_labels)
    test_images[:, 0, 0, 0] += 100  # tell test images from training images
    arrays = {
        x_train: marked_images(12, train_labels),
        y_train: train_labels,
        x_test: test_images,
        y_test: test_labels,
    }
    data = load_course_hdf5("ink_hdf5", write_h5(tmp_path / "ink.hdf5", **arrays))
    assert data.name == "ink_hdf5"
    assert data.classes == ("no ink", "ink")
    assert_marks_match(data)
    assert sorted(data.X_train[:, 0, 0, 0]) == list(range(12))
    assert sorted(data.X_test[:, 0, 0, 0]) == list(range(100, 105))
    assert not np.array_equal(data.y_train, train_labels)  # shuffled
    assert "own train/test split" in data.description


def test_hdf5_explicit_split_wins_over_one_set(tmp_path: Path) -> None:
    """With both layouts in one file, is the explicit split used?"""
    labels = np.arange(10) % 2
    images = marked_images(10, labels)
    path = write_h5(
        tmp_path / "both.h5",
        X=images,
        y=labels,
        X_train=images[:6],
        y_train=labels[:6],
        X_test=images[6:],
        y_test=labels[6:],
    )
    data = load_course_hdf5("cells_hdf5", path)
    assert sorted(data.X_test[:, 0, 0, 0]) == [6, 7, 8, 9]


def test_hdf5_float_pixels_become_uint8(tmp_path: Path) -> None:
    """Are float pixels in [0, 1] turned back into the same uint8 values?"""
    labels = np.arange(20) % 2
    images = marked_images(20, labels)
    write_h5(tmp_path / "cells.h5", X=images.astype(np.float32) / 255, y=labels)
    data = load_course_hdf5("cells_hdf5", tmp_path / "cells.h5")
    for loaded in (data.X_train, data.X_test):
        assert loaded.dtype == np.uint8
        np.testing.assert_array_equal(loaded, images[loaded[:, 0, 0, 0]])


@pytest.mark.parametrize("shape", ["row", "column"])
def test_hdf5_labels_as_row_or_column(tmp_path: Path, shape: str) -> None:
    """Are labels shaped (1, N) or (N, 1) flattened to (N,)?"""
    labels = np.arange(20) % 2
    stored = labels.reshape(1, -1) if shape == "row" else labels.reshape(-1, 1)
    write_h5(tmp_path / "cells.h5", images=marked_images(20, labels), labels=stored.astype(float))
    data = load_course_hdf5("cells_hdf5", tmp_path / "cells.h5")
    assert data.y_train.shape == (16,)
    assert_marks_match(data)


def test_hdf5_subsampling_is_stratified_and_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Is a large file subsampled per class, read in blocks, deterministic, and described?"""
    monkeypatch.setattr(image_datasets, "READ_BLOCK", 7)  # many blocks, with gaps between hits
    labels = (np.arange(200) % 4 == 0).astype(np.int64)  # a quarter parasitized
    write_h5(tmp_path / "cells.h5", X=marked_images(200, labels), y=labels)
    data = load_course_hdf5("cells_hdf5", tmp_path / "cells.h5", max_train=20, max_test=8)
    assert (len(data.y_train), len(data.y_test)) == (20, 8)
    assert np.bincount(data.y_train).tolist() == [15, 5]
    assert np.bincount(data.y_test).tolist() == [6, 2]
    assert_marks_match(data)
    assert "20 of 160 training images, sampled" in data.description
    assert "8 of 40 test images, sampled" in data.description
    again = load_course_hdf5("cells_hdf5", tmp_path / "cells.h5", max_train=20, max_test=8)
    np.testing.assert_array_equal(again.X_train, data.X_train)


def test_hdf5_sampling_keeps_a_rare_class(tmp_path: Path) -> None:
    """Does a small sample of a very unbalanced split still hold both classes?"""
    labels = np.zeros(60, np.int64)
    labels[:2] = 1
    arrays = {"X_train": marked_images(60, labels), "y_train": labels}
    arrays |= {"X_test": marked_images(4, [0, 1, 0, 1]), "y_test": np.array([0, 1, 0, 1])}
    data = load_course_hdf5("cells_hdf5", write_h5(tmp_path / "cells.h5", **arrays), max_train=3)
    assert np.bincount(data.y_train).tolist() == [2, 1]


def test_hdf5_directory_with_one_file(tmp_path: Path) -> None:
    """Is the one HDF5 file of a directory found, other files ignored, via the registry too?"""
    labels = np.arange(10) % 2
    write_h5(tmp_path / "malaria.HDF5", X=marked_images(10, labels), y=labels)
    (tmp_path / "README.txt").write_text("course data")
    data = load_image_dataset("cells_hdf5", tmp_path)
    assert "malaria.HDF5" in data.description
    assert len(data.y_train) + len(data.y_test) == 10


def test_hdf5_directory_with_two_files(tmp_path: Path) -> None:
    """Does a directory with two HDF5 files raise, naming both?"""
    labels = np.arange(10) % 2
    for name in ("a.h5", "b.hdf5"):
        write_h5(tmp_path / name, X=marked_images(10, labels), y=labels)
    with pytest.raises(DatasetError, match=r"Several .* \(a\.h5, b\.hdf5\)"):
        load_course_hdf5("cells_hdf5", tmp_path)


def test_hdf5_directory_without_file(tmp_path: Path) -> None:
    """Does a directory without HDF5 files raise, listing what it has?"""
    (tmp_path / "cells.npz").write_text("")
    with pytest.raises(DatasetError, match=r"No \.h5 or \.hdf5 file .*cells\.npz"):
        load_course_hdf5("ink_hdf5", tmp_path)


def test_hdf5_missing_path(tmp_path: Path) -> None:
    """Does a path that does not exist raise, naming it?"""
    with pytest.raises(DatasetError, match=r"nope\.h5 not found"):
        load_course_hdf5("cells_hdf5", tmp_path / "nope.h5")


def test_hdf5_file_that_is_not_hdf5(tmp_path: Path) -> None:
    """Is a file that is not HDF5 reported as unreadable, by name?"""
    (tmp_path / "cells.h5").write_text("not hdf5")
    with pytest.raises(DatasetError, match=r"cells\.h5 is not a readable HDF5 file"):
        load_course_hdf5("cells_hdf5", tmp_path / "cells.h5")


def test_hdf5_missing_key_names_the_keys_found(tmp_path: Path) -> None:
    """Does a file without an accepted layout say what it has and what was expected?"""
    labels = np.arange(10) % 2
    write_h5(tmp_path / "cells.h5", pictures=marked_images(10, labels), y=labels)
    with pytest.raises(DatasetError) as raised:
        load_course_hdf5("cells_hdf5", tmp_path / "cells.h5")
    message = str(raised.value)
    assert "cells.h5" in message
    assert "it has: pictures, y" in message
    assert "'train_set_x'" in message
    assert "'images' + 'labels'" in message


def two_keys(images: Any, labels: Any) -> dict[str, Any]:
    """The arrays of a file with the one-set layout."""
    return {"X": images, "y": labels}


GOOD_LABELS = np.arange(10) % 2


@pytest.mark.parametrize(
    ("images", "labels", "expected"),
    [
        (
            np.zeros((10, 32, 32, 3), np.uint8),
            GOOD_LABELS,
            "shape (10, 32, 32, 3); expected (N, 64",
        ),
        (
            np.zeros((10, 3, 64, 64), np.uint8),
            GOOD_LABELS,
            "shape (10, 3, 64, 64); expected (N, 64",
        ),
        (np.zeros((10, 12288), np.uint8), GOOD_LABELS, "'X' has shape (10, 12288)"),
        (np.zeros((10, 64, 64, 3), np.int16), GOOD_LABELS, "type int16; expected uint8"),
        (np.full((10, 64, 64, 3), 2.0), GOOD_LABELS, "floats outside [0, 1]"),
        (np.full((10, 64, 64, 3), np.nan), GOOD_LABELS, "floats outside [0, 1]"),
        (None, np.arange(10) % 3, "'y' holds labels other than 0 and 1"),
        (None, np.full(10, 0.5), "'y' holds labels other than 0 and 1"),
        (None, GOOD_LABELS[:9], "'y' has shape (9,); expected 10 labels"),
        (None, GOOD_LABELS.reshape(2, 5), "'y' has shape (2, 5); expected 10 labels"),
        (None, np.array([b"a"] * 10), "expected numeric 0/1 labels"),
        (None, np.ones(10, np.int64), "'y' holds only label 1"),
    ],
    ids=[
        "small-images",
        "channels-first",
        "flat-images",
        "int16-pixels",
        "floats-over-1",
        "nan-pixels",
        "label-2",
        "label-half",
        "too-few-labels",
        "labels-2x5",
        "string-labels",
        "one-class",
    ],
)
def test_hdf5_malformed_data(tmp_path: Path, images: Any, labels: Any, expected: str) -> None:
    """Does malformed data raise DatasetError naming the file, the key and what is wrong?"""
    if images is None:
        images = marked_images(10, GOOD_LABELS)
    write_h5(tmp_path / "bad.h5", **two_keys(images, labels))
    with pytest.raises(DatasetError, match=r"bad\.h5") as raised:
        load_course_hdf5("cells_hdf5", tmp_path / "bad.h5")
    assert expected in str(raised.value)


def test_hdf5_too_few_images_to_split(tmp_path: Path) -> None:
    """Does a class with a single image, which a stratified split cannot share, raise clearly?"""
    labels = np.array([0, 0, 0, 0, 1])
    write_h5(tmp_path / "tiny.h5", X=marked_images(5, labels), y=labels)
    with pytest.raises(DatasetError, match=r"too few images.*4 of class 0, 1 of class 1"):
        load_course_hdf5("cells_hdf5", tmp_path / "tiny.h5")


def test_hdf5_bad_limit(tmp_path: Path) -> None:
    """Is a sample size under 2 refused before the file is read?"""
    with pytest.raises(DatasetError, match="max_test must be an integer of at least 2"):
        load_course_hdf5("cells_hdf5", tmp_path / "never-read.h5", max_test=0)


# --- registry ------------------------------------------------------------------------------------


def test_registry_names() -> None:
    """Does the registry hold the four image data sets?"""
    assert set(IMAGE_DATASETS) == {"digits", "cells", "cells_hdf5", "ink_hdf5"}


def test_load_image_dataset_built_in() -> None:
    """Does the front door give the cached built-in data sets?"""
    assert load_image_dataset("digits") is load_digits_images()
    assert load_image_dataset("cells") is make_cell_images()


def test_unknown_image_dataset_lists_known_names() -> None:
    """Does an unknown name list the names that exist?"""
    with pytest.raises(
        DatasetError,
        match=r"Unknown image data set 'malaria'.*cells, cells_hdf5, digits, ink_hdf5\.",
    ):
        load_image_dataset("malaria")


@pytest.mark.parametrize("name", ["digits", "cells"])
def test_built_in_sets_refuse_a_path(tmp_path: Path, name: str) -> None:
    """Does a path given to a built-in data set raise instead of being silently ignored?"""
    with pytest.raises(DatasetError, match=f"'{name}' is built in and takes no path"):
        load_image_dataset(name, tmp_path)


@pytest.mark.parametrize("name", ["cells_hdf5", "ink_hdf5"])
def test_file_sets_require_a_path(name: str) -> None:
    """Does a file-based data set without a path say a file or directory is needed?"""
    with pytest.raises(DatasetError, match=f"'{name}' is read from a file: give the HDF5 file"):
        load_image_dataset(name)


def test_import_does_not_load_scikit_learn() -> None:
    """Does importing the module stay fast (scikit-learn is imported only when needed)?"""
    code = "import sys, grader.data.images; print('sklearn' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"
