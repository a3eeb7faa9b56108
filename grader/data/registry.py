"""Every data set a spec may name, and the front doors that load them by name.

`TABLE_DATASETS` hold examples as columns for the numpy assignments' application checks
(`tables.Dataset`); `IMAGE_DATASETS` hold images for the Keras training checks
(`images.ImageDataset`). Each maps a name to a loader taking an optional path (the course's
files, for the data sets read from files). One name space: no name is in both.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from grader.data.cells import make_cell_images
from grader.data.common import (
    PATH_NOT_ACCEPTED,
    PATH_REQUIRED,
    UNKNOWN_DATASET,
    UNKNOWN_IMAGE_DATASET,
    DatasetError,
)
from grader.data.hdf5_images import HDF5_PATH_REQUIRED, load_course_hdf5
from grader.data.images import ImageDataset, load_digits_images
from grader.data.tables import (
    Dataset,
    load_breast_cancer_dataset,
    load_cat_dataset,
    load_flower_dataset,
)


def _built_in(name: str, load: Callable[[], Dataset]) -> Callable[[Path | None], Dataset]:
    def loader(path: Path | None) -> Dataset:
        if path is not None:
            raise DatasetError(PATH_NOT_ACCEPTED.format(name=name))
        return load()

    return loader


def _load_cat_from(path: Path | None) -> Dataset:
    if path is None:
        raise DatasetError(PATH_REQUIRED.format(name="cat_hdf5"))
    return load_cat_dataset(path)


TABLE_DATASETS: dict[str, Callable[[Path | None], Dataset]] = {
    "breast_cancer": _built_in("breast_cancer", load_breast_cancer_dataset),
    "flower": _built_in("flower", load_flower_dataset),
    "cat_hdf5": _load_cat_from,
}


def load_dataset(name: str, path: Path | None = None) -> Dataset:
    """Load a table data set by its name.

    Args:
        name: A key of `TABLE_DATASETS`.
        path: The directory of the data files, for data sets read from files ("cat_hdf5").

    Returns:
        The data set.

    Raises:
        DatasetError: The name is unknown, a path is missing or not accepted, or the files
            are missing or malformed.
    """
    loader = TABLE_DATASETS.get(name)
    if loader is None:
        known = ", ".join(sorted(TABLE_DATASETS))
        raise DatasetError(UNKNOWN_DATASET.format(name=name, known=known))
    return loader(path)


def _load_digits_from(path: Path | None) -> ImageDataset:
    if path is not None:
        raise DatasetError(PATH_NOT_ACCEPTED.format(name="digits"))
    return load_digits_images()


def _load_cells_from(path: Path | None) -> ImageDataset:
    if path is not None:
        raise DatasetError(PATH_NOT_ACCEPTED.format(name="cells"))
    return make_cell_images()


def _course_hdf5(name: str) -> Callable[[Path | None], ImageDataset]:
    def load(path: Path | None) -> ImageDataset:
        if path is None:
            raise DatasetError(HDF5_PATH_REQUIRED.format(name=name))
        return load_course_hdf5(name, path)

    return load


IMAGE_DATASETS: dict[str, Callable[[Path | None], ImageDataset]] = {
    "digits": _load_digits_from,
    "cells": _load_cells_from,
    "cells_hdf5": _course_hdf5("cells_hdf5"),
    "ink_hdf5": _course_hdf5("ink_hdf5"),
}


def load_image_dataset(name: str, path: Path | None = None) -> ImageDataset:
    """Load an image data set by its registry name.

    Args:
        name: A key of `IMAGE_DATASETS`.
        path: The HDF5 file, or the directory holding it, for data sets read from files
            ("cells_hdf5", "ink_hdf5").

    Returns:
        The data set.

    Raises:
        DatasetError: The name is unknown, a path is missing or not accepted, or the file is
            missing or malformed.
    """
    loader = IMAGE_DATASETS.get(name)
    if loader is None:
        known = ", ".join(sorted(IMAGE_DATASETS))
        raise DatasetError(UNKNOWN_IMAGE_DATASET.format(name=name, known=known))
    return loader(path)
