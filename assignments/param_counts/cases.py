"""Case generators for `param_counts`, one per function task (grader side only).

Every argument is a Python int. The values are drawn so that every known mistake in
`reference_solutions/param_counts.py` changes the result of every case:

- dense layers have n_in != n_out (a bias per input differs from a bias per unit);
- networks have 3 to 5 layer sizes, neighbours always different;
- conv layers have f >= 2, n_C_prev >= 2 and n_filters >= 2 (one filter, flat filters, f not
  squared and a bias per channel all show);
- convolutions get non-square inputs whose output is non-square too, n_C_prev != n_filters,
  a stride of 2 or 3 that does not divide n + 2 * pad - f (floor and ceil differ) and a pad of
  1 to 4, drawn again until all the wrong shapes differ from the right one and each other.

The two named answers (`lecture_conv_params`, `lecture_output_shape`) are variable tasks: the
engine reads the notebook's variables, so they have no generator.
"""

from __future__ import annotations

import itertools

import numpy as np

from grader.spec.model import CaseInput, call


def _distinct_pair(rng: np.random.Generator, low: int, high: int) -> tuple[int, int]:
    """Two different ints in [low, high]."""
    first, second = (int(v) for v in rng.choice(np.arange(low, high + 1), size=2, replace=False))
    return first, second


def dense_layer_params(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """n_in != n_out; the hidden cases include wide layers (hundreds of inputs)."""
    high = 12 if visibility == "public" else 400
    n_in, n_out = _distinct_pair(rng, 2, high)
    return call(n_in, n_out, note=f"n_in = {n_in}, n_out = {n_out}")


def network_params(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """A list of 3 to 5 layer sizes with no two neighbours equal; the last one is 1 on even
    indices (a binary classifier, like the lecture's n -> 3 -> 2 -> 1)."""
    length = int(rng.integers(3, 6))
    while True:
        dims = [int(v) for v in rng.integers(2, 30 if visibility == "public" else 200, size=length)]
        if index % 2 == 0:
            dims[-1] = 1
        if all(a != b for a, b in itertools.pairwise(dims)):
            return call(dims, note=f"layer_dims = {dims}")


def conv_layer_params(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """f in 2..7, n_C_prev in 2..64 and n_filters in 2..128, n_C_prev not f nor n_filters
    (f * n_C_prev would equal f * f, and a flat filter an unsquared one)."""
    f = int(rng.integers(2, 8))
    while True:
        n_C_prev = int(rng.choice([2, 3, 4, 8, 16, 32, 64]))
        n_filters = int(rng.integers(2, 129))
        if n_C_prev not in (n_filters, f):
            return call(
                f,
                n_C_prev,
                n_filters,
                note=f"f = {f}, n_C_prev = {n_C_prev}, n_filters = {n_filters}",
            )


def _output_size(n: int, f: int, stride: int, pad: int) -> int:
    return (n + 2 * pad - f) // stride + 1


# The spatial size as the right formula and the known wrong ones compute it (stride ignored,
# pad added once, pad ignored, ceil, true division, no + 1).
_SIZE_FORMULAS = (
    _output_size,
    lambda n, f, s, p: n + 2 * p - f + 1,
    lambda n, f, s, p: (n + p - f) // s + 1,
    lambda n, f, s, p: (n - f) // s + 1,
    lambda n, f, s, p: -((f - n - 2 * p) // s) + 1,
    lambda n, f, s, p: (n + 2 * p - f) / s + 1,
    lambda n, f, s, p: (n + 2 * p - f) // s,
)


def _all_mistakes_show(shape: tuple[int, int, int], f: int, n_filters: int, s: int, p: int) -> bool:
    """Do the right shape and every wrong one (the size formulas, swapped height and width,
    the input's depth) differ from each other, with positive sizes?

    One spatial size alone cannot separate them all with a pad below the stride (adding pad
    once then changes nothing), so height and width are picked with different remainders.
    """
    n_H, n_W, n_C = shape
    shapes = [(g(n_H, f, s, p), g(n_W, f, s, p), n_filters) for g in _SIZE_FORMULAS]
    right = shapes[0]
    shapes += [(right[1], right[0], n_filters), (right[0], right[1], n_C)]
    positive = min(min(h, w) for h, w, _ in shapes) > 0
    return positive and len(set(shapes)) == len(shapes)


def conv_output_shape(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """A non-square (n_H_prev, n_W_prev, n_C_prev) input, stride 2 or 3 and pad 1 to 4 passed
    by keyword; drawn again until every mistake shows (see `_all_mistakes_show`)."""
    while True:
        n_H_prev, n_W_prev = (int(v) for v in rng.integers(7, 64, size=2))
        f = int(rng.choice([2, 3, 4, 5, 7]))
        stride = int(rng.choice([2, 3]))
        pad = int(rng.choice([1, 2, 3, 4]))
        n_C_prev = int(rng.choice([1, 3, 8, 16]))
        n_filters = int(rng.choice([4, 6, 10, 32]))
        if _all_mistakes_show((n_H_prev, n_W_prev, n_C_prev), f, n_filters, stride, pad):
            shape = (n_H_prev, n_W_prev, n_C_prev)
            return call(
                shape,
                f,
                n_filters,
                stride=stride,
                pad=pad,
                note=f"input_shape = {shape}, f = {f}, n_filters = {n_filters}, "
                f"stride = {stride}, pad = {pad}",
            )
