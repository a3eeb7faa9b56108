"""Image data sets for Keras CNN training checks (grader side only: none of it enters the sandbox).

Every `ImageDataset` holds images as `(n, H, W, C)` uint8 arrays with int64 class indices.
Pixels stay uint8 because they travel to the sandbox over a size-capped channel; the consumer
multiplies them by `scale` to get floats in [0, 1]. Arrays are read-only, as in
`grader.datasets`: writing raises `ValueError`, and so does `setflags(write=True)`.

Built in:

- `load_digits_images()`: scikit-learn's bundled 8x8 handwritten digits (values 0-16).
- `make_cell_images()`: a generated stand-in for the malaria cell images, so that a CNN check
  runs without the course's files. One cell per 64x64 RGB image; parasitized cells hold 1-3
  small dark purple spots. The overall brightness and tint vary from image to image, so the mean
  colour does not give the class away: a model has to find the spots.

Read from the course's HDF5 files (`load_course_hdf5`): images must be
`(N, 64, 64, 3)`, either uint8 or floats in [0, 1] (turned into uint8 as `round(x * 255)`);
labels must be 0/1, shaped `(N,)`, `(N, 1)` or `(1, N)`. The exact key layout of the course's
files is not fixed, so these layouts are accepted (the first that matches, in this order):

- an explicit split: `train_set_x`, `train_set_y`, `test_set_x`, `test_set_y`
  (the course's cat files), or `X_train`, `y_train`, `X_test`, `y_test`;
- one set of images and labels, split here 80/20, stratified, with seed 0: `X` and `y`,
  `x` and `y`, `X` and `Y`, `images` and `labels`, or `data` and `labels`.

`path` may be the file itself or a directory holding exactly one `.h5`/`.hdf5` file. A split
larger than `max_train` / `max_test` is subsampled, stratified, with seed 0, and the
description says so. Only the labels are read whole; images are read in blocks and only the
chosen ones are kept. Every split comes back shuffled with seed 0: course files are often
sorted by class, and Keras' `validation_split` takes the last examples without shuffling.

Registry: `IMAGE_DATASETS` maps a name a spec may use to a loader taking an optional path;
`load_image_dataset(name, path)` is the front door.
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

from grader.data.tables import LABELS_NOT_BINARY, PATH_NOT_ACCEPTED, UNREADABLE_FILE, DatasetError

Images = npt.NDArray[np.uint8]
Labels = npt.NDArray[np.int64]

HDF5_IMAGE_SHAPE = (64, 64, 3)
TEST_SIZE = 0.2
SPLIT_SEED = 0
SAMPLE_SEED = 0
READ_BLOCK = 1024  # images per HDF5 read: 12.6 MB of 64x64x3 uint8
CELL_SIZE = 64
CELL_RENDER_BLOCK = 64  # generated images rendered at a time (bounds the temporary arrays)
NOISE = 0.025  # std of the pixel noise of generated images, on the [0, 1] scale

SPLIT_LAYOUTS = (
    ("train_set_x", "train_set_y", "test_set_x", "test_set_y"),
    ("X_train", "y_train", "X_test", "y_test"),
)
COMBINED_LAYOUTS = (("X", "y"), ("x", "y"), ("X", "Y"), ("images", "labels"), ("data", "labels"))

CELL_CLASSES = ("uninfected", "parasitized")
INK_CLASSES = ("no ink", "ink")
DIGIT_CLASSES = tuple(str(digit) for digit in range(10))

DIGITS_DESCRIPTION = (
    "Handwritten digits bundled with scikit-learn: {n} grayscale 8x8 images (pixel values "
    "0-16) of 10 classes, split 80/20 stratified with seed 0 ({n_train} training, {n_test} test)."
)
CELLS_DESCRIPTION = (
    "Generated stand-in for the malaria cell images: {n_train} training and {n_test} test "
    "64x64 RGB images of one cell each, balanced, seed {seed}; 1 = parasitized (1-3 small dark "
    "purple spots), 0 = uninfected; brightness and tint vary, so the mean colour does not tell."
)
HDF5_DESCRIPTION = "{what} from {file}: 64x64 RGB, {classes}; {split}; {train}; {test}."
CELLS_HDF5_WHAT = "Malaria cell images"
INK_HDF5_WHAT = "Histopathology tiles with and without ink"

UNKNOWN_IMAGE_DATASET = "Unknown image data set '{name}'. Known image data sets: {known}."
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
        X_train=_read_only(x_train, np.uint8),
        y_train=_read_only(y_train, np.int64),
        X_test=_read_only(x_test, np.uint8),
        y_test=_read_only(y_test, np.int64),
        classes=DIGIT_CLASSES,
        scale=1.0 / 16.0,
    )


# --- generated cells ------------------------------------------------------------------------------


def make_cell_images(n_train: int = 600, n_test: int = 200, seed: int = 0) -> ImageDataset:
    """A generated stand-in for the malaria cell images: one cell per 64x64 RGB image.

    Each image is a light, noisy background with a pink-purple cell disc (radius 18-28 px, near
    the middle, random tint, soft edge) and a few faint lighter patches. A parasitized cell
    (label 1) also holds 1-3 dark purple spots of radius 2-4 px. The brightness of the whole
    image varies, so the mean colour does not separate the classes; the spots do. Each split is
    balanced (one more uninfected image when its size is odd). The default call is cached.

    Args:
        n_train: Number of training images (at least 2).
        n_test: Number of test images (at least 2).
        seed: Seed of the generator: the same arguments always give the same images.

    Returns:
        The data set, pixels uint8, scale 1/255, classes ("uninfected", "parasitized").

    Raises:
        DatasetError: A size is smaller than 2.
    """
    if (n_train, n_test, seed) == (600, 200, 0):
        return _default_cell_images()
    return _make_cell_images(n_train, n_test, seed)


@functools.cache
def _default_cell_images() -> ImageDataset:
    return _make_cell_images(600, 200, 0)


def _make_cell_images(n_train: int, n_test: int, seed: int) -> ImageDataset:
    _check_limit("n_train", n_train)
    _check_limit("n_test", n_test)
    rng = np.random.default_rng(seed)
    labels = np.concatenate([_balanced_labels(n_train, rng), _balanced_labels(n_test, rng)])
    params = _draw_cell_params(labels, rng)
    images = np.concatenate(
        [
            _render_cells(params, slice(start, start + CELL_RENDER_BLOCK), rng)
            for start in range(0, len(labels), CELL_RENDER_BLOCK)
        ]
    )
    return ImageDataset(
        name="cells",
        description=CELLS_DESCRIPTION.format(n_train=n_train, n_test=n_test, seed=seed),
        X_train=_read_only(images[:n_train], np.uint8),
        y_train=_read_only(labels[:n_train], np.int64),
        X_test=_read_only(images[n_train:], np.uint8),
        y_test=_read_only(labels[n_train:], np.int64),
        classes=CELL_CLASSES,
        scale=1.0 / 255.0,
    )


def _balanced_labels(n: int, rng: np.random.Generator) -> Labels:
    return rng.permutation(np.arange(n, dtype=np.int64) % 2)


def _draw_cell_params(labels: Labels, rng: np.random.Generator) -> dict[str, np.ndarray[Any, Any]]:
    """Every random choice of every image except the pixel noise, drawn in a fixed order."""
    n = len(labels)
    max_spots, max_patches = 3, 4
    radius = rng.uniform(18.0, 28.0, n)
    centre = CELL_SIZE / 2 + rng.uniform(-5.0, 5.0, (n, 2))
    params: dict[str, np.ndarray[Any, Any]] = {
        "brightness": rng.uniform(0.68, 1.0, n),  # the whole image: hides the spots' darkening
        "background": np.array([0.93, 0.89, 0.92]) + rng.uniform(-0.05, 0.05, (n, 3)),
        "cell": np.array([0.86, 0.56, 0.72]) + rng.uniform(-0.08, 0.08, (n, 3)),
        "spot": np.array([0.32, 0.12, 0.40]) + rng.uniform(-0.06, 0.06, (n, 3)),
        "radius": radius,
        "centre": centre,
        "edge": rng.uniform(1.0, 3.0, n),
    }
    # Faint lighter patches in every cell (both classes), and the dark spots of parasitized ones.
    n_patches = rng.integers(0, max_patches + 1, n)
    params["patch_on"] = np.arange(max_patches) < n_patches[:, None]
    params["patch_radius"] = rng.uniform(2.0, 5.0, (n, max_patches))
    params["patch_gain"] = rng.uniform(0.03, 0.08, (n, max_patches))
    params["patch_centre"] = _points_in_disc(centre, radius, params["patch_radius"] + 2.0, rng)
    n_spots = rng.integers(1, max_spots + 1, n) * labels
    params["spot_on"] = np.arange(max_spots) < n_spots[:, None]
    params["spot_radius"] = rng.uniform(2.0, 4.0, (n, max_spots))
    params["spot_centre"] = _points_in_disc(centre, radius, params["spot_radius"] + 3.0, rng)
    return params


def _points_in_disc(
    centre: np.ndarray[Any, Any],
    radius: np.ndarray[Any, Any],
    margin: np.ndarray[Any, Any],
    rng: np.random.Generator,
) -> np.ndarray[Any, Any]:
    """Uniform points, shape (n, k, 2), at least `margin` (n, k) inside each cell's edge."""
    reach = radius[:, None] - margin
    distance = reach * np.sqrt(rng.uniform(0.0, 1.0, margin.shape))
    angle = rng.uniform(0.0, 2 * np.pi, margin.shape)
    offset = np.stack([distance * np.cos(angle), distance * np.sin(angle)], axis=-1)
    return np.asarray(centre[:, None, :] + offset)


def _render_cells(
    params: dict[str, np.ndarray[Any, Any]], block: slice, rng: np.random.Generator
) -> Images:
    """The images of one block of the drawn parameters (the noise is drawn here, in order)."""
    p = {key: value[block].astype(np.float32) for key, value in params.items()}
    n = len(p["radius"])
    pixel = np.arange(CELL_SIZE, dtype=np.float32) + 0.5  # pixel centres

    def coverage(centre: np.ndarray[Any, Any], radius: np.ndarray[Any, Any], edge: Any) -> Any:
        """How much of each pixel a disc covers: 1 inside, 0 outside, a linear ramp between."""
        dx = pixel - centre[..., 0, None, None]  # (..., 1, W)
        dy = pixel[:, None] - centre[..., 1, None, None]  # (..., H, 1)
        distance = np.sqrt(dx * dx + dy * dy)
        return np.clip(0.5 + (radius[..., None, None] - distance) / edge, 0.0, 1.0)

    def colour(name: str) -> Any:
        return p[name][:, None, None, :]

    cell = coverage(p["centre"], p["radius"], p["edge"][:, None, None])[..., None]
    image = colour("background") * (1.0 - cell) + colour("cell") * cell
    patches = coverage(p["patch_centre"], p["patch_radius"], 1.5) * p["patch_on"][..., None, None]
    light = np.einsum("nkhw,nk->nhw", patches, p["patch_gain"])
    image += light[..., None] * cell
    spots = coverage(p["spot_centre"], p["spot_radius"], 1.0) * p["spot_on"][..., None, None]
    dark = spots.max(axis=1, initial=0.0)[..., None]
    image = image * (1.0 - dark) + colour("spot") * dark
    image *= p["brightness"][:, None, None, None]
    image += NOISE * rng.standard_normal((n, CELL_SIZE, CELL_SIZE, 3), dtype=np.float32)
    return np.rint(np.clip(image, 0.0, 1.0) * 255.0).astype(np.uint8)


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
    _check_limit("max_train", max_train)
    _check_limit("max_test", max_test)
    file_path = _find_hdf5_file(Path(path))
    file = file_path.name
    try:
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
        X_train=_read_only(x_train, np.uint8),
        y_train=_read_only(y_train, np.int64),
        X_test=_read_only(x_test, np.uint8),
        y_test=_read_only(y_test, np.int64),
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


# --- shared helpers -------------------------------------------------------------------------------


def _check_limit(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 2:
        raise DatasetError(BAD_LIMIT.format(name=name, value=value))


def _read_only(array: Any, dtype: type[np.generic]) -> Any:
    """A copy backed by immutable bytes: neither it nor its base can ever be made writable."""
    copy = np.asarray(array, dtype=dtype)
    return np.frombuffer(copy.tobytes(), dtype=dtype).reshape(copy.shape)


# --- registry -------------------------------------------------------------------------------------


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
