"""Case generators and property checks for `initialization` (grader side only).

Every case is a list layers_dims = [n_0, ..., n_L] whose consecutive sizes differ by a factor
of 2.5 to 4 (never 2, where sqrt(2 / n_l) would equal sqrt(1 / n_{l-1}) and two mistakes would
look alike), so a W created with shape (n_{l-1}, n_l) or scaled by the wrong layer's size shows.
The networks have 3 or 4 layers (so a loop that misses the last one shows) and end in a single
unit. The largest W holds about 10^4 to 10^5 weights: large enough for the statistics below to
tell a scale of sqrt(2/n) from sqrt(1/n) (a factor 1.41, while the tolerance on the largest
layer is a few percent), small enough to travel fast.

The random initializations are checked by property, whatever seed the student uses: exact
keys and shapes, all-zero biases, and for each W a normal shape (not np.random.rand), a mean
near 0 and a standard deviation near the expected scale, each within 6 standard errors (see
grader/checks/statistics.py), so a correct answer fails about once in 10^8 gradings.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from grader.checks import messages as msg
from grader.checks.statistics import check_mean, check_normal_shape, check_std, check_zeros
from grader.checks.values import PASS, Rules, Verdict, compare_values, describe_type
from grader.spec.model import CaseInput, call

NOT_NUMERIC = "{path} has dtype {dtype}, but it should hold {want} numbers."
NOT_FINITE = "{path} contains NaN or infinite values."


def _layers_dims(rng: np.random.Generator, index: int) -> list[int]:
    """Shrinking networks for even indices, widening-then-shrinking ones for odd indices."""
    depth = 3 + index % 2 if index < 2 else int(rng.integers(3, 5))
    shrinking = index % 2 == 0
    while True:
        dims = [int(rng.integers(250, 451)) if shrinking else int(rng.integers(12, 31))]
        for _ in range(depth - 1):
            if shrinking or len(dims) == depth - 1:
                factor = rng.uniform(0.25, 0.4)
            else:
                factor = rng.uniform(2.5, 4.0)
            dims.append(max(round(dims[-1] * factor), 1))
        dims.append(1)
        sizes = [a * b for a, b in itertools.pairwise(dims)]
        if max(sizes) <= 120_000 and min(dims[:-1]) >= 8:
            return dims


def _case(rng: np.random.Generator, index: int) -> CaseInput:
    dims = _layers_dims(rng, index)
    return call(dims, note=f"layers_dims = {dims}")


def initialize_parameters_zeros(rng: np.random.Generator, index: int, visibility: str):
    """Smaller networks suffice: the answer is compared by value."""
    dims = [int(rng.integers(3, 8))]
    for _ in range(int(rng.integers(2, 4))):
        dims.append(dims[-1] + int(rng.choice([-2, -1, 1, 2, 3])))
        dims[-1] = max(dims[-1], 2)
        if dims[-1] == dims[-2]:
            dims[-1] += 1
    dims.append(1)
    return call(dims, note=f"layers_dims = {dims}")


def initialize_parameters_random(rng: np.random.Generator, index: int, visibility: str):
    """Large layers, so that the statistics are sharp."""
    return _case(rng, index)


def initialize_parameters_he(rng: np.random.Generator, index: int, visibility: str):
    """Large layers, so that the statistics are sharp."""
    return _case(rng, index)


def initialize_parameters_xavier(rng: np.random.Generator, index: int, visibility: str):
    """Large layers, so that the statistics are sharp."""
    return _case(rng, index)


def check_initialize_parameters_random(inputs: CaseInput, got: Any) -> Verdict:
    """W[l] ~ randn * 10, b[l] = 0."""
    return check_initialization(inputs.args[0], got, lambda n_in: 10.0)


def check_initialize_parameters_he(inputs: CaseInput, got: Any) -> Verdict:
    """W[l] ~ randn * sqrt(2 / n_{l-1}), b[l] = 0."""
    return check_initialization(inputs.args[0], got, lambda n_in: math.sqrt(2.0 / n_in))


def check_initialize_parameters_xavier(inputs: CaseInput, got: Any) -> Verdict:
    """W[l] ~ randn * sqrt(1 / n_{l-1}), b[l] = 0."""
    return check_initialization(inputs.args[0], got, lambda n_in: math.sqrt(1.0 / n_in))


def check_initialization(
    layers_dims: list[int], got: Any, scale: Callable[[int], float]
) -> Verdict:
    """Keys and shapes first, then zero biases, then the statistics of each W in turn."""
    layers = [(l, layers_dims[l], layers_dims[l - 1]) for l in range(1, len(layers_dims))]
    verdicts = [_check_structure(layers, got)]
    if verdicts[0].ok:
        verdicts += [check_zeros(got[f"b{l}"], f'parameters["b{l}"]') for l, _, _ in layers]
        for l, _, n_in in layers:
            verdicts += _weight_statistics(got[f"W{l}"], scale(n_in), f'parameters["W{l}"]')
    return next((verdict for verdict in verdicts if not verdict.ok), PASS)


def _weight_statistics(W: np.ndarray, std: float, path: str) -> list[Verdict]:
    """Normal shape (not uniform), mean near 0, standard deviation near `std`."""
    return [check_normal_shape(W, path), check_mean(W, 0.0, std, path), check_std(W, std, path)]


def _check_structure(layers: list[tuple[int, int, int]], got: Any) -> Verdict:
    """A dict with W1, b1, ..., WL, bL of the right shapes, finite floating-point values."""
    keys = {f"{name}{l}": None for l, _, _ in layers for name in "Wb"}
    path = "parameters"
    if not isinstance(got, dict):
        text = msg.NOT_DICT.format(path=path, keys=_keys(keys), got=describe_type(got))
        return Verdict(False, path, text, kind="type")
    missing = [key for key in keys if key not in got]
    if missing:
        text = msg.MISSING_KEYS.format(path=path, missing=_keys(missing), keys=_keys(keys))
        return Verdict(False, path, text, kind="structure")
    for l, n, n_in in layers:
        for key, shape in ((f"W{l}", (n, n_in)), (f"b{l}", (n, 1))):
            key_path = f'parameters["{key}"]'
            value = got[key]
            if not isinstance(value, np.ndarray) or value.shape != shape:
                # compare_values says what is wrong with the type or shape, with hints.
                return compare_values(np.zeros(shape), value, Rules(), key_path)
            if value.dtype.kind not in ("f" if key[0] == "W" else "biuf"):
                want = "floating-point" if key[0] == "W" else "numeric"
                text = NOT_NUMERIC.format(path=key_path, dtype=value.dtype, want=want)
                return Verdict(False, key_path, text, kind="dtype")
            if not np.all(np.isfinite(value)):
                return Verdict(False, key_path, NOT_FINITE.format(path=key_path), kind="nonfinite")
    return PASS


def _keys(keys: Any) -> str:
    return ", ".join(f'"{key}"' for key in keys)
