"""What the table and image data sets share: the error, read-only arrays, the split shipped
with the grader, and the messages about files and paths."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import numpy as np

SPLITS_FILE = Path(__file__).with_name("splits.json")

UNKNOWN_DATASET = "Unknown data set '{name}'. Known data sets: {known}."
UNKNOWN_IMAGE_DATASET = "Unknown image data set '{name}'. Known image data sets: {known}."
PATH_REQUIRED = "The data set '{name}' is read from files: give the directory that holds them."
PATH_NOT_ACCEPTED = "The data set '{name}' is built in and takes no path."
UNREADABLE_FILE = "Data file {file} is not a readable HDF5 file: {reason}."
LABELS_NOT_BINARY = "In data file {file}, '{key}' holds labels other than 0 and 1."


class DatasetError(Exception):
    """A data set is unknown or its files are missing or malformed (an instructor's problem)."""


def read_only(array: Any, dtype: type[np.generic] = np.float64) -> Any:
    """A copy backed by immutable bytes: neither it nor its base can ever be made writable
    (writing raises `ValueError`, and so does `setflags(write=True)`)."""
    copy = np.ascontiguousarray(array, dtype=dtype)
    return np.frombuffer(copy.tobytes(), dtype=dtype).reshape(copy.shape)


@functools.cache
def shipped_split(name: str) -> tuple[np.ndarray, np.ndarray]:
    """The (train, test) example indices of a built-in data set, in order.

    They are the indices scikit-learn's `train_test_split(test_size=0.2, random_state=0,
    stratify=labels)` gives (tests/test_datasets.py checks it), shipped in `splits.json` so
    that grading a numpy assignment never imports scikit-learn and SciPy (1.8 s of a 2 s
    submission).
    """
    split = json.loads(SPLITS_FILE.read_text(encoding="utf-8"))[name]
    return np.asarray(split["train"], dtype=np.intp), np.asarray(split["test"], dtype=np.intp)


def package_data_file(package: str, relative: str) -> Path:
    """A data file shipped inside an installed package, found without importing it."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise DatasetError(f"the package {package!r}, which holds {relative}, is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / relative
