"""The course's HDF5 image files (`load_course_hdf5`): malaria cells and ink tiles.

Images must be `(N, 64, 64, 3)`, either uint8 or floats in [0, 1] (turned into uint8 as
`round(x * 255)`); labels must be 0/1, shaped `(N,)`, `(N, 1)` or `(1, N)`. The exact key
layout of the course's files is not fixed, so these layouts are accepted (the first that
matches, in this order):

- an explicit split: `train_set_x`, `train_set_y`, `test_set_x`, `test_set_y`
  (the course's cat files), or `X_train`, `y_train`, `X_test`, `y_test`;
- one set of images and labels, split here 80/20, stratified, with seed 0: `X` and `y`,
  `x` and `y`, `X` and `Y`, `images` and `labels`, or `data` and `labels`.

`path` may be the file itself or a directory holding exactly one `.h5`/`.hdf5` file. A split
larger than `max_train` / `max_test` is subsampled, stratified, with seed 0, and the
description says so. Only the labels are read whole; images are read in blocks and only the
chosen ones are kept. Every split comes back shuffled with seed 0: course files are often
sorted by class, and Keras' `validation_split` takes the last examples without shuffling.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from grader.data.common import LABELS_NOT_BINARY, UNREADABLE_FILE, DatasetError, read_only
from grader.data.images import (
    CELL_CLASSES,
    SPLIT_SEED,
    TEST_SIZE,
    ImageDataset,
    Images,
    Labels,
    check_limit,
)

if TYPE_CHECKING:
    import h5py  # imported where a file is opened: most gradings never need it

HDF5_IMAGE_SHAPE = (64, 64, 3)
SAMPLE_SEED = 0
READ_BLOCK = 1024  # images per HDF5 read: 12.6 MB of 64x64x3 uint8

SPLIT_LAYOUTS = (
    ("train_set_x", "train_set_y", "test_set_x", "test_set_y"),
    ("X_train", "y_train", "X_test", "y_test"),
)
COMBINED_LAYOUTS = (("X", "y"), ("x", "y"), ("X", "Y"), ("images", "labels"), ("data", "labels"))
INK_CLASSES = ("no ink", "ink")
HDF5_DESCRIPTION = "{what} from {file}: 64x64 RGB, {classes}; {split}; {train}; {test}."
CELLS_HDF5_WHAT = "Malaria cell images"
INK_HDF5_WHAT = "Histopathology tiles with and without ink"
PATH_NOT_FOUND = "Data file or directory {path} not found."
HDF5_PATH_REQUIRED = (
    "The image data set '{name}' is read from a file: give the HDF5 file or the directory "
    "that holds it."
)

NO_HDF5_FILE = "No .h5 or .hdf5 file in {directory} (it has: {found})."
SEVERAL_HDF5_FILES = (
    "Several .h5/.hdf5 files in {directory} ({found}): give the path of the one to use."
)
NO_LAYOUT = (
    "Data file {file} has none of the expected image/label data sets (it has: {found}). "
    "Expected one of: {layouts}."
)
WRONG_IMAGE_SHAPE = "In data file {file}, '{key}' has shape {shape}; expected (N, 64, 64, 3)."
WRONG_IMAGE_DTYPE = (
    "In data file {file}, '{key}' has type {dtype}; expected uint8 pixels (0-255) or floats "
    "in [0, 1]."
)
PIXELS_OUT_OF_RANGE = (
    "In data file {file}, '{key}' holds floats outside [0, 1] (or NaN); float pixels must be "
    "scaled to [0, 1]."
)
WRONG_LABEL_SHAPE = (
    "In data file {file}, '{key}' has shape {shape}; expected {n} labels, shaped ({n},), "
    "({n}, 1) or (1, {n})."
)
LABELS_NOT_NUMBERS = "In data file {file}, '{key}' has type {dtype}; expected numeric 0/1 labels."
ONE_CLASS_ONLY = "In data file {file}, '{key}' holds only label {label}; both 0 and 1 are needed."
TOO_FEW_TO_SPLIT = (
    "Data file {file} has too few images per class to split 80/20 stratified ({counts})."
)


# --- course HDF5 files ----------------------------------------------------------------------------


# The course's HDF5 image files: what each holds, and its class names (0, then 1).
COURSE_HDF5 = {
    "cells_hdf5": (CELLS_HDF5_WHAT, CELL_CLASSES),
    "ink_hdf5": (INK_HDF5_WHAT, INK_CLASSES),
}


def load_course_hdf5(
    name: str, path: Path, *, max_train: int = 2000, max_test: int = 500
) -> ImageDataset:
    """One of the course's HDF5 image sets (`COURSE_HDF5`): 64x64 RGB images, 0/1 labels.

    Args:
        name: "cells_hdf5" (0 = uninfected, 1 = parasitized: the malaria cell images) or
            "ink_hdf5" (0 = no ink, 1 = ink: the histopathology tiles).
        path: The HDF5 file, or a directory holding exactly one `.h5`/`.hdf5` file. See the
            module docstring for the accepted layouts.
        max_train: At most this many training images, sampled stratified with seed 0.
        max_test: At most this many test images, sampled stratified with seed 0.

    Returns:
        The data set, pixels uint8, scale 1/255, with the set's class names.

    Raises:
        DatasetError: The file is missing, unreadable, or its data are missing or malformed.
    """
    what, classes = COURSE_HDF5[name]
    return _load_hdf5_images(path, name, what, classes, max_train=max_train, max_test=max_test)


def _load_hdf5_images(
    path: Path,
    name: str,
    what: str,
    classes: tuple[str, str],
    *,
    max_train: int,
    max_test: int,
) -> ImageDataset:
    check_limit("max_train", max_train)
    check_limit("max_test", max_test)
    file_path = _find_hdf5_file(Path(path))
    file = file_path.name
    try:
        import h5py

        with h5py.File(file_path, "r") as handle:
            keys = _find_layout(handle, file)
            if len(keys) == 4:
                x_train_key, y_train_key, x_test_key, y_test_key = keys
                train = _pick(handle, file, x_train_key, y_train_key, max_train, "training")
                test = _pick(handle, file, x_test_key, y_test_key, max_test, "test")
                split = "the file's own train/test split"
            else:
                x_key, y_key = keys
                train, test = _split_and_pick(handle, file, x_key, y_key, max_train, max_test)
                split = "split 80/20 stratified with seed 0"
    except OSError as error:
        raise DatasetError(UNREADABLE_FILE.format(file=file, reason=error)) from error
    (x_train, y_train, train_note), (x_test, y_test, test_note) = train, test
    description = HDF5_DESCRIPTION.format(
        what=what,
        file=file,
        classes=f"1 = {classes[1]}, 0 = {classes[0]}",
        split=split,
        train=train_note,
        test=test_note,
    )
    return ImageDataset(
        name=name,
        description=description,
        X_train=read_only(x_train, np.uint8),
        y_train=read_only(y_train, np.int64),
        X_test=read_only(x_test, np.uint8),
        y_test=read_only(y_test, np.int64),
        classes=classes,
        scale=1.0 / 255.0,
    )


def _find_hdf5_file(path: Path) -> Path:
    if path.is_file():
        return path
    if not path.is_dir():
        raise DatasetError(PATH_NOT_FOUND.format(path=path))
    candidates = sorted(
        entry
        for entry in path.iterdir()
        if entry.is_file() and entry.suffix.lower() in (".h5", ".hdf5")
    )
    if not candidates:
        found = ", ".join(sorted(entry.name for entry in path.iterdir())) or "nothing"
        raise DatasetError(NO_HDF5_FILE.format(directory=path, found=found))
    if len(candidates) > 1:
        found = ", ".join(entry.name for entry in candidates)
        raise DatasetError(SEVERAL_HDF5_FILES.format(directory=path, found=found))
    return candidates[0]


def _find_layout(handle: h5py.File, file: str) -> tuple[str, ...]:
    """The keys of the first accepted layout the file has (see the module docstring)."""
    import h5py

    for layout in (*SPLIT_LAYOUTS, *COMBINED_LAYOUTS):
        if all(isinstance(handle.get(key), h5py.Dataset) for key in layout):
            return layout
    found = ", ".join(sorted(handle.keys())) or "nothing"
    layouts = "; ".join(
        " + ".join(f"'{key}'" for key in layout) for layout in (*SPLIT_LAYOUTS, *COMBINED_LAYOUTS)
    )
    raise DatasetError(NO_LAYOUT.format(file=file, found=found, layouts=layouts))


def _pick(
    handle: h5py.File, file: str, x_key: str, y_key: str, limit: int, split: str
) -> tuple[Images, Labels, str]:
    """One split of the file's own split, subsampled to `limit` and shuffled."""
    images, labels = _checked(handle, file, x_key, y_key)
    rng = np.random.default_rng(SAMPLE_SEED)
    chosen, note = _sample(labels, limit, split, rng)
    return _read_images(images, chosen, file, x_key), labels[chosen], note


def _split_and_pick(
    handle: h5py.File, file: str, x_key: str, y_key: str, max_train: int, max_test: int
) -> tuple[tuple[Images, Labels, str], tuple[Images, Labels, str]]:
    """Both splits of one set of images: 80/20 stratified, then subsampled and shuffled."""
    from sklearn.model_selection import train_test_split  # slow import, see load_digits_images

    images, labels = _checked(handle, file, x_key, y_key)
    try:
        train_index, test_index = train_test_split(
            np.arange(len(labels)), test_size=TEST_SIZE, random_state=SPLIT_SEED, stratify=labels
        )
    except ValueError as error:
        counts = ", ".join(f"{int((labels == c).sum())} of class {c}" for c in (0, 1))
        raise DatasetError(TOO_FEW_TO_SPLIT.format(file=file, counts=counts)) from error
    rng = np.random.default_rng(SAMPLE_SEED)
    splits = []
    for index, limit, split in (
        (train_index, max_train, "training"),
        (test_index, max_test, "test"),
    ):
        chosen, note = _sample(labels[index], limit, split, rng)
        rows = index[chosen]
        splits.append((_read_images(images, rows, file, x_key), labels[rows], note))
    return splits[0], splits[1]


def _checked(handle: h5py.File, file: str, x_key: str, y_key: str) -> tuple[h5py.Dataset, Labels]:
    """The images (still on disk) and the labels (read), after checking shapes and types."""
    images, raw = handle[x_key], handle[y_key]
    if images.ndim != 4 or images.shape[1:] != HDF5_IMAGE_SHAPE or images.shape[0] == 0:
        raise DatasetError(WRONG_IMAGE_SHAPE.format(file=file, key=x_key, shape=images.shape))
    if images.dtype != np.uint8 and images.dtype.kind != "f":
        raise DatasetError(WRONG_IMAGE_DTYPE.format(file=file, key=x_key, dtype=images.dtype))
    n = images.shape[0]
    if raw.shape not in ((n,), (n, 1), (1, n)):
        raise DatasetError(WRONG_LABEL_SHAPE.format(file=file, key=y_key, shape=raw.shape, n=n))
    if raw.dtype.kind not in "biuf":
        raise DatasetError(LABELS_NOT_NUMBERS.format(file=file, key=y_key, dtype=raw.dtype))
    values = np.asarray(raw[()]).reshape(n)
    if not np.isin(values, (0, 1)).all():
        raise DatasetError(LABELS_NOT_BINARY.format(file=file, key=y_key))
    labels = values.astype(np.int64)
    present = np.unique(labels)
    if len(present) < 2:
        raise DatasetError(ONE_CLASS_ONLY.format(file=file, key=y_key, label=int(present[0])))
    return images, labels


def _sample(
    labels: Labels, limit: int, split: str, rng: np.random.Generator
) -> tuple[npt.NDArray[np.intp], str]:
    """Shuffled positions of at most `limit` labels, stratified, and a note saying what was kept."""
    n = len(labels)
    if n <= limit:
        return rng.permutation(n), f"all {n} {split} images"
    chosen = np.concatenate(
        [
            rng.choice(np.flatnonzero(labels == label), size=count, replace=False)
            for label, count in enumerate(_allocate(labels, limit))
        ]
    )
    return rng.permutation(chosen), f"{limit} of {n} {split} images, sampled"


def _allocate(labels: Labels, limit: int) -> list[int]:
    """How many of each class (0 and 1) a stratified sample of `limit` takes: at least one each."""
    sizes = np.array([(labels == 0).sum(), (labels == 1).sum()])
    exact = limit * sizes / sizes.sum()
    counts = np.maximum(np.floor(exact).astype(int), 1)
    while counts.sum() < limit:  # hand out the rest by the largest shortfall, within each class
        shortfall = np.where(counts < sizes, exact - counts, -np.inf)
        counts[int(np.argmax(shortfall))] += 1
    while counts.sum() > limit:  # only when the max(..., 1) added one
        counts[int(np.argmax(counts))] -= 1
    return [int(count) for count in counts]


def _read_images(images: h5py.Dataset, rows: npt.NDArray[np.intp], file: str, key: str) -> Images:
    """The images at `rows` (in that order) as uint8, reading the file in blocks."""
    order = np.argsort(rows, kind="stable")
    wanted = rows[order]
    out = np.empty((len(rows), *HDF5_IMAGE_SHAPE), dtype=np.uint8)
    done = 0
    for start in range(0, images.shape[0], READ_BLOCK):
        stop = start + READ_BLOCK
        hits = wanted[done:][wanted[done:] < stop]
        if len(hits) == 0:
            continue
        block = np.asarray(images[start : min(stop, images.shape[0])])[hits - start]
        out[order[done : done + len(hits)]] = _to_uint8(block, file, key)
        done += len(hits)
        if done == len(wanted):
            break
    return out


def _to_uint8(block: np.ndarray[Any, Any], file: str, key: str) -> Images:
    if block.dtype == np.uint8:
        return block
    if not (np.all(block >= 0.0) and np.all(block <= 1.0)):  # NaN fails both
        raise DatasetError(PIXELS_OUT_OF_RANGE.format(file=file, key=key))
    return np.rint(block.astype(np.float64) * 255.0).astype(np.uint8)
