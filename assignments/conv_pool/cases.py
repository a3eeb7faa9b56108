"""Case generators and property checks for `conv_pool` (grader side only).

Each generator is called as `generator(rng, index, visibility)` with a generator seeded from
(seed, task, index). The inputs are chosen so that the known mistakes in
`reference_solutions/conv_pool.py` change the output:

- images are never square (n_H != n_W), with several examples and several channels, and the
  filters map n_C_prev channels to a different n_C, so swapped or merged axes show;
- convolutions use stride 2 or 3 and pad 1 or 2 (never the defaults), so an ignored stride,
  an ignored padding or padding on one side only changes the result;
- the output-size cases have strides 2 and 3 with sizes where floor and ceil differ;
- pooling windows overlap in the backward cases (stride < f), so overwriting instead of
  accumulating shows; the forward max-pool cases include the lecture's 2x2 pools with stride
  1, 2 and 3 (an ignored stride shows on strides 2 and 3 only);
- ties: the hidden mask and `pool_backward_ties` cases use small integer values, so a window
  often has its maximum twice. A mask marking one maximum and one marking all of them are both
  right, so those tasks are checked by property, against both answers.

The checks recompute the expected values with short formulas of their own (not with the
reference), so they are an independent verification of the reference too.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from grader.checks import Rules, compare_values
from grader.checks.values import PASS, Verdict, describe_type
from grader.spec.model import CaseInput, call

NOT_A_NUMBER = (
    "Your result should be a number (a float, a numpy scalar or an array with one entry), "
    "but it is {got}."
)
WRONG_NUMBER = "Your result is {got:.6g}, but it should be {expected:.6g}."
NOT_A_MASK = "Your mask should be a numpy array of shape {shape}, but it is {got}."
MASK_SHAPE = "Your mask has shape {got}, but it should have the shape of x, {shape}."
MASK_NOT_BINARY = "Your mask should hold only True/False (or 1/0) values."
MASK_WRONG = (
    "Your mask should mark the maximum of x (the value {maximum:g}): True where x equals its "
    "maximum (marking only one of several equal maxima is fine too), False elsewhere."
)
TIES_WRONG = (
    "Your dA_prev is wrong on these inputs, whose windows often hold their maximum more than "
    "once. Each dA[i, h, w, c] goes to the maximum of its window (to every copy of it, or to the "
    "first one: both are accepted), and overlapping windows add up. If your "
    "create_mask_from_window fails its own checks, fix it first."
)
NOT_A_TRIPLE = "Your result should be the tuple (dA_prev, dW, db), but it is {got}."
PARTS_WRONG = "Wrong: {parts}."
NUMERIC_STEP = 1e-5
NUMERIC_DISAGREES = (
    "A numerical gradient check agrees: at {part}{index} the finite-difference gradient is "
    "{numeric:.6g}, yours is {got:.6g}."
)
PART_HINTS = {
    "dA_prev": (
        "dA_prev should be the sum, over every window and filter, of W[:, :, :, c] * "
        "dZ[i, h, w, c] added to the window's position in the padded input, with the padding "
        "removed at the end."
    ),
    "dW": (
        "dW should be the sum, over the examples and positions, of a_slice * dZ[i, h, w, c], "
        "where a_slice is the window of the padded input."
    ),
    "db": "db should be the sum of dZ over m, n_H and n_W, with shape (1, 1, 1, n_C).",
}


# --- Shapes and helpers ----------------------------------------------------------------------


def _hw(rng: np.random.Generator, low: int, high: int) -> tuple[int, int]:
    """(n_H, n_W) with n_H != n_W."""
    while True:
        n_H, n_W = (int(v) for v in rng.integers(low, high + 1, size=2))
        if n_H != n_W:
            return n_H, n_W


def _images(rng: np.random.Generator, m: int, n_H: int, n_W: int, n_C: int) -> np.ndarray:
    return rng.normal(0.0, 1.0, size=(m, n_H, n_W, n_C))


def _conv_sizes(rng: np.random.Generator, stride: int, pad: int, f: int) -> tuple[int, int]:
    """(n_H_prev, n_W_prev), different, where floor((n + 2 pad - f) / stride) is inexact."""
    while True:
        n_H, n_W = _hw(rng, 4, 7)
        if all((n + 2 * pad - f) % stride for n in (n_H, n_W)):
            return n_H, n_W


def _pad(X: np.ndarray, pad: int) -> np.ndarray:
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)))


# --- Output sizes ----------------------------------------------------------------------------


def conv_output_size(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Strides 2 and 3 and pads 1 to 3 where no mistake gives the right size."""
    while True:
        n, f = int(rng.integers(5, 30)), int(rng.choice([2, 3, 5]))
        pad, stride = int(rng.integers(1, 4)), int(rng.choice([2, 3]))
        right = (n + 2 * pad - f) // stride + 1
        wrong = {
            n + 2 * pad - f + 1,
            (n + pad - f) // stride + 1,
            math.ceil((n + 2 * pad - f) / stride) + 1,
        }
        if right not in wrong:
            break
    if index % 2:
        return call(n, f, pad, stride, note=f"n = {n}, f = {f}, pad = {pad}, stride = {stride}")
    return call(
        n, f, pad=pad, stride=stride, note=f"n = {n}, f = {f}, pad = {pad}, stride = {stride}"
    )


def pool_output_size(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Strides 2 and 3 where floor and ceil differ."""
    while True:
        n, f, stride = int(rng.integers(6, 30)), int(rng.choice([2, 3])), int(rng.choice([2, 3]))
        if (n - f) % stride:
            return call(n, f, stride, note=f"n = {n}, f = {f}, stride = {stride}")


# --- Convolution -----------------------------------------------------------------------------


def zero_pad(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Several examples and channels, non-square images, pad 1 to 3."""
    n_H, n_W = _hw(rng, 2, 5)
    m, n_C, pad = int(rng.integers(2, 4)), int(rng.integers(2, 4)), int(rng.integers(1, 4))
    X = _images(rng, m, n_H, n_W, n_C)
    return call(X, pad, note=f"X of shape {X.shape}, pad = {pad}")


def conv_single_step(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """A slice and a filter of shape (f, f, n_C_prev) and a nonzero bias of shape (1, 1, 1)."""
    f, n_C_prev = int(rng.integers(2, 5)), int(rng.integers(2, 5))
    a = rng.normal(0.0, 1.0, size=(f, f, n_C_prev))
    W = rng.normal(0.0, 1.0, size=(f, f, n_C_prev))
    b = rng.choice([-1.0, 1.0]) * rng.uniform(0.5, 2.0, size=(1, 1, 1))
    return call(a, W, b, note=f"a_slice_prev and W of shape {a.shape}, b of shape (1, 1, 1)")


def check_conv_single_step(inputs: CaseInput, got: Any) -> Verdict:
    """One number (a float, numpy scalar or size-1 array) equal to sum(a * W) + b."""
    a, W, b = inputs.args
    expected = float(np.sum(a * W) + np.sum(b))
    try:
        array = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        array = None
    if array is None or array.size != 1 or isinstance(got, bool | str):
        return Verdict(
            False, "your result", NOT_A_NUMBER.format(got=describe_type(got)), kind="type"
        )
    have = float(array.reshape(-1)[0])
    if math.isclose(have, expected, rel_tol=1e-6, abs_tol=1e-8):
        return PASS
    return Verdict(
        False,
        "your result",
        WRONG_NUMBER.format(got=have, expected=expected),
        kind="value",
        values=(expected, have),
    )


def _conv_case(
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, int]]:
    """A small convolution: m = 2, non-square images, stride 2 or 3, pad 1 or 2."""
    stride, pad = int(rng.choice([2, 3])), int(rng.integers(1, 3))
    f = int(rng.choice([2, 3]))
    n_H, n_W = _conv_sizes(rng, stride, pad, f)
    n_C_prev, n_C = int(rng.integers(2, 4)), int(rng.integers(2, 4))
    A_prev = _images(rng, 2, n_H, n_W, n_C_prev)
    W = rng.normal(0.0, 1.0, size=(f, f, n_C_prev, n_C))
    b = rng.normal(0.0, 1.0, size=(1, 1, 1, n_C))
    return A_prev, W, b, {"stride": stride, "pad": pad}


def conv_forward(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Non-square inputs, n_C_prev != n_C or not, stride 2 or 3, pad 1 or 2, nonzero biases."""
    A_prev, W, b, hparameters = _conv_case(rng)
    return call(
        A_prev,
        W,
        b,
        hparameters,
        note=f"A_prev {A_prev.shape}, W {W.shape}, stride {hparameters['stride']}, "
        f"pad {hparameters['pad']}",
    )


def _conv_gradients(dZ: np.ndarray, cache: tuple[Any, ...]) -> dict[str, np.ndarray]:
    """dA_prev, dW and db, vectorized over examples and filters (independent of the loops)."""
    A_prev, W, _, hparameters = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    A_pad = _pad(A_prev, pad)
    dA_pad, dW = np.zeros(A_pad.shape), np.zeros(W.shape)
    for h in range(dZ.shape[1]):
        for w in range(dZ.shape[2]):
            rows, cols = slice(h * stride, h * stride + f), slice(w * stride, w * stride + f)
            dW += np.einsum("mijk,mc->ijkc", A_pad[:, rows, cols, :], dZ[:, h, w, :])
            dA_pad[:, rows, cols, :] += np.einsum("ijkc,mc->mijk", W, dZ[:, h, w, :])
    n_H_prev, n_W_prev = A_prev.shape[1:3]
    return {
        "dA_prev": dA_pad[:, pad : pad + n_H_prev, pad : pad + n_W_prev, :],
        "dW": dW,
        "db": dZ.sum(axis=(0, 1, 2)).reshape(1, 1, 1, -1),
    }


def conv_backward(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """A convolution's cache and a random dZ of its output shape."""
    A_prev, W, b, hparameters = _conv_case(rng)
    stride, pad, f = hparameters["stride"], hparameters["pad"], W.shape[0]
    n_H = (A_prev.shape[1] + 2 * pad - f) // stride + 1
    n_W = (A_prev.shape[2] + 2 * pad - f) // stride + 1
    dZ = rng.normal(0.0, 1.0, size=(A_prev.shape[0], n_H, n_W, W.shape[3]))
    return call(
        dZ,
        (A_prev, W, b, hparameters),
        note=f"dZ {dZ.shape}, A_prev {A_prev.shape}, W {W.shape}, stride {stride}, pad {pad}",
    )


def check_conv_backward(inputs: CaseInput, got: Any) -> Verdict:
    """(dA_prev, dW, db) equal to the gradients; the feedback names every wrong part."""
    if not isinstance(got, tuple | list) or len(got) != 3:
        return Verdict(
            False, "your result", NOT_A_TRIPLE.format(got=describe_type(got)), kind="type"
        )
    expected = _conv_gradients(*inputs.args)
    wrong = []
    for (name, want), have in zip(expected.items(), got, strict=True):
        verdict = compare_values(want, have, Rules(), name)
        if not verdict.ok:
            wrong.append((name, verdict))
    if not wrong:
        return PASS
    name, first = wrong[0]
    parts = ", ".join(n for n, _ in wrong)
    message = f"{PARTS_WRONG.format(parts=parts)} {first.message} {PART_HINTS[name]}"
    details = (
        *first.details,
        *_numerical_evidence(inputs, dict(zip(expected, got, strict=True)), [n for n, _ in wrong]),
    )
    return Verdict(False, name, message, details, first.kind, first.values)


def _conv_loss(
    A_prev: np.ndarray, W: np.ndarray, b: np.ndarray, hparameters: dict[str, int], dZ: np.ndarray
) -> float:
    """sum(Z * dZ) for Z = conv(A_prev, W) + b, so its gradients are (dA_prev, dW, db)."""
    stride, pad, f = hparameters["stride"], hparameters["pad"], W.shape[0]
    windows = np.lib.stride_tricks.sliding_window_view(_pad(A_prev, pad), (f, f), axis=(1, 2))
    windows = windows[:, ::stride, ::stride][:, : dZ.shape[1], : dZ.shape[2]]
    Z = np.einsum("mhwkij,ijkc->mhwc", windows, W) + b
    return float(np.sum(Z * dZ))


def _numerical_evidence(inputs: CaseInput, got: dict[str, Any], parts: list[str]) -> list[str]:
    """An independent numerical gradient check of the wrong parts: central differences of
    sum(Z * dZ) at a few entries, compared with the student's values there."""
    dZ, (A_prev, W, b, hparameters) = inputs.args
    arrays = {"dA_prev": A_prev, "dW": W, "db": b}
    evidence = []
    for part in parts:
        have = got[part]
        if not isinstance(have, np.ndarray) or have.shape != arrays[part].shape:
            continue
        rng = np.random.default_rng(0)
        for flat in rng.choice(have.size, size=min(3, have.size), replace=False):
            index = np.unravel_index(int(flat), have.shape)
            values = {k: v.copy() for k, v in arrays.items()}
            values[part][index] += NUMERIC_STEP
            plus = _conv_loss(values["dA_prev"], values["dW"], values["db"], hparameters, dZ)
            values[part][index] -= 2 * NUMERIC_STEP
            minus = _conv_loss(values["dA_prev"], values["dW"], values["db"], hparameters, dZ)
            numeric = (plus - minus) / (2 * NUMERIC_STEP)
            if not math.isclose(numeric, float(have[index]), rel_tol=1e-5, abs_tol=1e-6):
                evidence.append(
                    NUMERIC_DISAGREES.format(
                        part=part,
                        index=tuple(int(i) for i in index),
                        numeric=numeric,
                        got=float(have[index]),
                    )
                )
                break
    return evidence


# --- Pooling ---------------------------------------------------------------------------------

_MAX_POOLS = [(2, 2), (2, 1), (2, 2), (2, 3), (3, 2)]  # (f, stride): the lecture's 2x2 pools
_AVERAGE_POOLS = [(3, 2), (2, 2), (3, 3), (2, 3), (3, 2)]


def _pool_input(
    rng: np.random.Generator, f: int, stride: int, integers: bool = False
) -> np.ndarray:
    n_H, n_W = _hw(rng, f + 2 * stride, f + 3 * stride + 1)
    n_C = int(rng.integers(2, 4))
    if integers:
        return rng.integers(-3, 4, size=(2, n_H, n_W, n_C)).astype(float)
    return _images(rng, 2, n_H, n_W, n_C)


def _pool_case(rng: np.random.Generator, f: int, stride: int, mode: str | None) -> CaseInput:
    A_prev = _pool_input(rng, f, stride)
    hparameters = {"f": f, "stride": stride}
    note = f"A_prev {A_prev.shape}, f = {f}, stride = {stride}"
    if mode is None:
        return call(A_prev, hparameters, note=note + ", mode left to its default")
    return call(A_prev, hparameters, mode=mode, note=note + f', mode = "{mode}"')


def pool_forward_max(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Max pools: 2x2 with stride 2 (mode left out), 1 and 3, and 3x3 with stride 2."""
    offset = 0 if visibility == "public" else 1
    f, stride = _MAX_POOLS[(index + offset) % len(_MAX_POOLS)]
    return _pool_case(rng, f, stride, None if index == 0 else "max")


def pool_forward_average(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Average pools with strides 2 and 3 (never 1, where an ignored stride would not show)."""
    offset = 0 if visibility == "public" else 1
    f, stride = _AVERAGE_POOLS[(index + offset) % len(_AVERAGE_POOLS)]
    return _pool_case(rng, f, stride, "average")


def create_mask_from_window(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """A window of 2 to 4 rows and columns; hidden windows hold small integers (ties)."""
    rows, cols = (int(v) for v in rng.integers(2, 5, size=2))
    if visibility == "public" or index == 0:
        x = rng.normal(0.0, 1.0, size=(rows, cols))
        return call(x, note=f"x of shape {x.shape}, one maximum")
    x = rng.integers(-2, 3, size=(rows, cols)).astype(float)
    # The maximum twice, in one column: a per-column maximum then marks other columns too.
    x[rng.choice(rows, size=2, replace=False), int(rng.integers(cols))] = 3.0
    return call(x, note=f"x of shape {x.shape}, integer values, its maximum twice")


def check_create_mask_from_window(inputs: CaseInput, got: Any) -> Verdict:
    """A boolean or 0/1 mask of x's shape marking all maxima of x, or exactly one of them."""
    x = inputs.args[0]
    if not isinstance(got, np.ndarray):
        return Verdict(
            False, "mask", NOT_A_MASK.format(shape=x.shape, got=describe_type(got)), kind="type"
        )
    if got.shape != x.shape:
        return Verdict(False, "mask", MASK_SHAPE.format(got=got.shape, shape=x.shape), kind="shape")
    if got.dtype.kind not in "biuf" or not np.all((got == 0) | (got == 1)):
        return Verdict(False, "mask", MASK_NOT_BINARY, kind="dtype")
    marked, maxima = got.astype(bool), x == np.max(x)
    if np.array_equal(marked, maxima) or (marked.sum() == 1 and np.all(maxima[marked])):
        return PASS
    expected = maxima
    return Verdict(
        False,
        "mask",
        MASK_WRONG.format(maximum=float(np.max(x))),
        kind="value",
        values=(expected, got),
    )


def distribute_value(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """A nonzero dz and a non-square window shape."""
    n_H, n_W = _hw(rng, 2, 5)
    dz = float(rng.choice([-1.0, 1.0]) * rng.uniform(0.5, 3.0))
    return call(dz, (n_H, n_W), note=f"dz = {dz:.4g}, shape = ({n_H}, {n_W})")


_BACKWARD_POOLS = [(3, 2), (4, 3), (3, 2), (2, 1)]


def _pool_backward_case(
    rng: np.random.Generator, index: int, mode: str, integers: bool
) -> CaseInput:
    f, stride = _BACKWARD_POOLS[index % 3]  # overlapping windows with stride > 1
    A_prev = _pool_input(rng, f, stride, integers)
    hparameters = {"f": f, "stride": stride}
    n_H = (A_prev.shape[1] - f) // stride + 1
    n_W = (A_prev.shape[2] - f) // stride + 1
    dA = rng.normal(0.0, 1.0, size=(A_prev.shape[0], n_H, n_W, A_prev.shape[3]))
    return call(
        dA,
        (A_prev, hparameters),
        mode=mode,
        note=f"dA {dA.shape}, A_prev {A_prev.shape}, f = {f}, stride = {stride}, "
        f'mode = "{mode}"' + (", integer A_prev (ties)" if integers else ""),
    )


def pool_backward_max(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Max mode on real-valued inputs (no ties), overlapping windows, stride 2 or 3."""
    return _pool_backward_case(rng, index, "max", integers=False)


def pool_backward_average(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Average mode, overlapping windows, stride 2 or 3."""
    return _pool_backward_case(rng, index, "average", integers=False)


def pool_backward_ties(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Max mode on small integers: many windows have their maximum more than once."""
    return _pool_backward_case(rng, index, "max", integers=True)


def _max_pool_gradient(dA: np.ndarray, cache: tuple[Any, ...], first_only: bool) -> np.ndarray:
    """dA_prev of a max pool: to every maximum of each window, or to the first one only."""
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    dA_prev = np.zeros(A_prev.shape)
    for i, h, w, c in np.ndindex(*dA.shape):
        rows, cols = slice(h * stride, h * stride + f), slice(w * stride, w * stride + f)
        window = A_prev[i, rows, cols, c]
        mask = window == window.max()
        if first_only:
            mask = np.zeros(window.shape, dtype=bool)
            mask[np.unravel_index(np.argmax(window), window.shape)] = True
        dA_prev[i, rows, cols, c] += mask * dA[i, h, w, c]
    return dA_prev


def check_pool_backward_ties(inputs: CaseInput, got: Any) -> Verdict:
    """dA_prev equal to the gradient to every maximum or to the first maximum of each window."""
    dA, cache = inputs.args
    every = _max_pool_gradient(dA, cache, first_only=False)
    verdict = compare_values(every, got, Rules(), "dA_prev")
    if verdict.ok or compare_values(_max_pool_gradient(dA, cache, True), got, Rules()).ok:
        return PASS
    if verdict.kind != "value":
        return verdict
    return Verdict(False, "dA_prev", TIES_WRONG, verdict.details, "value", verdict.values)
