"""Reference solution and known mistakes for `conv_pool` (grader side only).

This file never reaches the sandbox. Functions that build on other graded functions take those
helpers as keyword-only arguments, so the grader can run the reference with the *student's*
helpers injected and grade each function in isolation (a wrong `conv_single_step` costs its own
point, not the `conv_forward` points too).

Conventions, as in the course: a batch of images is (m, n_H, n_W, n_C); filters W are
(f, f, n_C_prev, n_C); biases b are (1, 1, 1, n_C); hyperparameters are dicts ("stride" and
"pad" for a convolution, "f" and "stride" for a pooling layer).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.spec.model import Mistake

# Said of the same mistake in several tasks.
STRIDE_IGNORED = (
    "Your windows don't use the stride: the window of output (h, w) starts at vert_start = h "
    "* stride and horiz_start = w * stride."
)
POOLED_ACROSS_CHANNELS = (
    "You pool over the channels too, so every channel gets the same value. Pool each channel "
    "on its own: a_prev_slice = A_prev[i, vert_start:vert_end, horiz_start:horiz_end, c]."
)
OVERLAPS_OVERWRITTEN = (
    "Where windows overlap, your dA_prev keeps only the last window's gradient. Add each "
    "window's part with += so that overlapping contributions accumulate."
)


def conv_output_size(n, f, pad=0, stride=1):
    """Size of a convolution's output along one spatial dimension.

    Args:
        n: the input size (n_H_prev or n_W_prev).
        f: the filter size.
        pad: the zero padding added on each side.
        stride: the step between two filter positions.

    Returns:
        An int: floor((n + 2 * pad - f) / stride) + 1.
    """
    return int((n + 2 * pad - f) // stride + 1)


def pool_output_size(n, f, stride):
    """Size of a pooling layer's output along one spatial dimension (no padding).

    Args:
        n: the input size (n_H_prev or n_W_prev).
        f: the pooling window size.
        stride: the step between two windows.

    Returns:
        An int: floor((n - f) / stride) + 1.
    """
    return int((n - f) // stride + 1)


def zero_pad(X, pad):
    """Pad every image of X with zeros around its height and width.

    Args:
        X: a batch of images, shape (m, n_H, n_W, n_C).
        pad: the number of zeros added on each side (top, bottom, left and right).

    Returns:
        X_pad of shape (m, n_H + 2 * pad, n_W + 2 * pad, n_C); X itself is not changed.
    """
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant")


def conv_single_step(a_slice_prev, W, b):
    """Apply one filter to one slice of the previous activation.

    Args:
        a_slice_prev: the slice of input data, shape (f, f, n_C_prev).
        W: the filter's weights, shape (f, f, n_C_prev).
        b: the filter's bias, shape (1, 1, 1).

    Returns:
        Z, a number: the sum over all entries of a_slice_prev * W, plus the bias b.
    """
    return float(np.sum(a_slice_prev * W) + np.asarray(b).item())


def conv_forward(
    A_prev, W, b, hparameters, *, zero_pad=zero_pad, conv_single_step=conv_single_step
):
    """Forward pass of a convolution layer.

    Args:
        A_prev: the previous layer's activations, shape (m, n_H_prev, n_W_prev, n_C_prev).
        W: the filters, shape (f, f, n_C_prev, n_C).
        b: the biases, shape (1, 1, 1, n_C).
        hparameters: a dict with keys "stride" and "pad".

    Returns:
        (Z, cache): Z of shape (m, n_H, n_W, n_C), with n_H = floor((n_H_prev + 2 * pad - f) /
        stride) + 1 and likewise n_W; cache = (A_prev, W, b, hparameters) for conv_backward.
    """
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = zero_pad(A_prev, pad)
    for i in range(m):
        for h in range(n_H):
            vert_start = h * stride
            for w in range(n_W):
                horiz_start = w * stride
                a_slice = A_prev_pad[i, vert_start : vert_start + f, horiz_start : horiz_start + f]
                for c in range(n_C):
                    value = conv_single_step(a_slice, W[:, :, :, c], b[:, :, :, c])
                    Z[i, h, w, c] = np.asarray(value).item()
    return Z, (A_prev, W, b, hparameters)


def pool_forward(A_prev, hparameters, mode="max"):
    """Forward pass of a pooling layer, channel by channel, without padding.

    Args:
        A_prev: the input, shape (m, n_H_prev, n_W_prev, n_C).
        hparameters: a dict with keys "f" (the window size) and "stride".
        mode: "max" or "average".

    Returns:
        (A, cache): A of shape (m, n_H, n_W, n_C), with n_H = floor((n_H_prev - f) / stride)
        + 1 and likewise n_W; cache = (A_prev, hparameters) for pool_backward.
    """
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, stride = hparameters["f"], hparameters["stride"]
    n_H = (n_H_prev - f) // stride + 1
    n_W = (n_W_prev - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C))
    reduce = np.max if mode == "max" else np.mean
    for h in range(n_H):
        for w in range(n_W):
            window = A_prev[:, h * stride : h * stride + f, w * stride : w * stride + f, :]
            A[:, h, w, :] = reduce(window, axis=(1, 2))
    return A, (A_prev, hparameters)


def create_mask_from_window(x):
    """Mark where the maximum of a pooling window is.

    Args:
        x: a window, shape (f, f).

    Returns:
        A mask of x's shape: True (or 1) at the maximum of x, False (or 0) elsewhere.
    """
    return x == np.max(x)


def distribute_value(dz, shape):
    """Spread a gradient evenly over an average-pooling window.

    Args:
        dz: a number, the gradient of one output of the average pool.
        shape: (n_H, n_W), the shape of the window.

    Returns:
        An array of that shape, every entry dz / (n_H * n_W).
    """
    n_H, n_W = shape
    return np.ones(shape) * dz / (n_H * n_W)


def pool_backward(
    dA,
    cache,
    mode="max",
    *,
    create_mask_from_window=create_mask_from_window,
    distribute_value=distribute_value,
):
    """Backward pass of a pooling layer.

    Args:
        dA: the gradient of the cost with respect to the pooling output, shape (m, n_H, n_W,
            n_C).
        cache: (A_prev, hparameters), as returned by pool_forward.
        mode: "max" or "average".

    Returns:
        dA_prev, the gradient with respect to A_prev, shape of A_prev: in max mode each dA
        goes to the maximum of its window; in average mode it is spread evenly over the window.
        Overlapping windows add up.
    """
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            vs = h * stride
            for w in range(n_W):
                hs = w * stride
                for c in range(n_C):
                    if mode == "max":
                        window = A_prev[i, vs : vs + f, hs : hs + f, c]
                        mask = np.asarray(create_mask_from_window(window))
                        dA_prev[i, vs : vs + f, hs : hs + f, c] += mask * dA[i, h, w, c]
                    else:
                        spread = distribute_value(dA[i, h, w, c], (f, f))
                        dA_prev[i, vs : vs + f, hs : hs + f, c] += np.asarray(spread)
    return dA_prev


def conv_backward(dZ, cache, *, zero_pad=zero_pad):
    """Backward pass of a convolution layer.

    Args:
        dZ: the gradient of the cost with respect to Z, shape (m, n_H, n_W, n_C).
        cache: (A_prev, W, b, hparameters), as returned by conv_forward.

    Returns:
        (dA_prev, dW, db): the gradients with respect to A_prev (m, n_H_prev, n_W_prev,
        n_C_prev), W (f, f, n_C_prev, n_C) and b (1, 1, 1, n_C).
    """
    return _conv_backward(dZ, cache, zero_pad)


def _conv_backward(dZ, cache, zero_pad, *, stride_in_slice=True, unpad=True, accumulate_dW=True):
    """The course's loops, with the knobs the conv_backward mistakes turn."""
    A_prev, W, _, hparameters = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    step = stride if stride_in_slice else 1
    f = W.shape[0]
    m, n_H, n_W, n_C = dZ.shape
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    dW = np.zeros(W.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                vs, hs = h * step, w * step
                a_slice = A_prev_pad[i, vs : vs + f, hs : hs + f, :]
                for c in range(n_C):
                    dA_prev_pad[i, vs : vs + f, hs : hs + f, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    if accumulate_dW:
                        dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
                    else:
                        dW[:, :, :, c] = a_slice * dZ[i, h, w, c]
    db = np.sum(dZ, axis=(0, 1, 2)).reshape(1, 1, 1, n_C)
    dA_prev = dA_prev_pad
    if unpad and pad > 0:
        dA_prev = dA_prev_pad[:, pad:-pad, pad:-pad, :]
    return dA_prev, dW, db


# --- Known mistakes -------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    """A Python float from a number or a size-1 array; None for anything else."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return float(array.reshape(-1)[0]) if array.size == 1 else None


def _single_step_is(expected) -> Any:
    """A detector: does the student's conv_single_step return `expected(a, W, b)`?"""

    def detect(inputs, got) -> bool:
        a, W, b = inputs.args
        have = _number(got)
        return have is not None and bool(np.isclose(have, expected(a, W, float(np.sum(b)))))

    return detect


def _conv_output_no_stride(n, f, pad=0, stride=1):
    return int(n + 2 * pad - f + 1)


def _conv_output_single_pad(n, f, pad=0, stride=1):
    return int((n + pad - f) // stride + 1)


def _conv_output_ceil(n, f, pad=0, stride=1):
    return int(np.ceil((n + 2 * pad - f) / stride) + 1)


def _pool_output_no_stride(n, f, stride):
    return int(n - f + 1)


def _pool_output_ceil(n, f, stride):
    return int(np.ceil((n - f) / stride) + 1)


def _pad_every_axis(X, pad):
    return np.pad(X, pad, mode="constant")


def _pad_one_side(X, pad):
    return np.pad(X, ((0, 0), (0, pad), (0, pad), (0, 0)), mode="constant")


def _conv_forward_variant(*, step_stride=True, pad_input=True, bias_repeats=False):
    """A vectorized conv_forward with one of the typical mistakes."""

    def variant(A_prev, W, b, hparameters, *, zero_pad=zero_pad, conv_single_step=None):
        stride, pad = hparameters["stride"], hparameters["pad"]
        if not pad_input:
            pad = 0
        f, _, n_C_prev, n_C = W.shape
        A = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
        n_H = (A.shape[1] - f) // stride + 1
        n_W = (A.shape[2] - f) // stride + 1
        step = stride if step_stride else 1
        Z = np.zeros((A.shape[0], n_H, n_W, n_C))
        for h in range(n_H):
            for w in range(n_W):
                window = A[:, h * step : h * step + f, w * step : w * step + f, :]
                Z[:, h, w, :] = np.tensordot(window, W, axes=([1, 2, 3], [0, 1, 2]))
        times = f * f * n_C_prev if bias_repeats else 1
        return Z + times * b, (A_prev, W, b, hparameters)

    return variant


def _pool_forward_variant(*, mode_used=None, step_stride=True, divisor=None, across_channels=False):
    """A pool_forward with one of the typical mistakes."""

    def variant(A_prev, hparameters, mode="max"):
        f, stride = hparameters["f"], hparameters["stride"]
        mode = mode_used or mode
        m, n_H_prev, n_W_prev, n_C = A_prev.shape
        n_H, n_W = (n_H_prev - f) // stride + 1, (n_W_prev - f) // stride + 1
        step = stride if step_stride else 1
        A = np.zeros((m, n_H, n_W, n_C))
        axes = (1, 2, 3) if across_channels else (1, 2)
        for h in range(n_H):
            for w in range(n_W):
                window = A_prev[:, h * step : h * step + f, w * step : w * step + f, :]
                if mode == "max":
                    value = np.max(window, axis=axes, keepdims=True)
                else:
                    count = divisor(f) if divisor else f * f * (n_C if across_channels else 1)
                    value = np.sum(window, axis=axes, keepdims=True) / count
                A[:, h, w, :] = np.broadcast_to(value[:, 0, 0, :], (m, n_C))
        return A, (A_prev, hparameters)

    return variant


def _mask_per_column(x):
    return x == np.max(x, axis=0)


def _mask_of_minimum(x):
    return x == np.min(x)


def _distribute_not_divided(dz, shape):
    return np.ones(shape) * dz


def _distribute_by_height(dz, shape):
    return np.ones(shape) * dz / shape[0]


def _pool_backward_variant(*, step_stride=True, overwrite=False, unscaled_average=False):
    """A pool_backward with one of the typical mistakes."""

    def variant(dA, cache, mode="max", *, create_mask_from_window=None, distribute_value=None):
        A_prev, hparameters = cache
        f, stride = hparameters["f"], hparameters["stride"]
        step = stride if step_stride else 1
        m, n_H, n_W, n_C = dA.shape
        dA_prev = np.zeros(A_prev.shape)
        for i in range(m):
            for h in range(n_H):
                for w in range(n_W):
                    vs, hs = h * step, w * step
                    for c in range(n_C):
                        if mode == "max":
                            window = A_prev[i, vs : vs + f, hs : hs + f, c]
                            part = (window == np.max(window)) * dA[i, h, w, c]
                        else:
                            scale = 1 if unscaled_average else f * f
                            part = np.ones((f, f)) * dA[i, h, w, c] / scale
                        if overwrite:
                            dA_prev[i, vs : vs + f, hs : hs + f, c] = part
                        else:
                            dA_prev[i, vs : vs + f, hs : hs + f, c] += part
        return dA_prev

    return variant


def _conv_backward_variant(**knobs):
    def variant(dZ, cache, *, zero_pad=zero_pad):
        return _conv_backward(dZ, cache, zero_pad, **knobs)

    return variant


def _conv_backward_db_mean(dZ, cache, *, zero_pad=zero_pad):
    dA_prev, dW, db = _conv_backward(dZ, cache, zero_pad)
    return dA_prev, dW, db / dZ.shape[0]


MISTAKES: list[Mistake] = [
    Mistake(
        "conv_output_size",
        "stride_ignored",
        "Your size ignores the stride: the filter moves `stride` pixels at a time, so divide "
        "by it: floor((n + 2 * pad - f) / stride) + 1.",
        _conv_output_no_stride,
    ),
    Mistake(
        "conv_output_size",
        "pad_not_doubled",
        "Your size adds the padding once. Zeros are added on both sides, so the padded size "
        "is n + 2 * pad: floor((n + 2 * pad - f) / stride) + 1.",
        _conv_output_single_pad,
    ),
    Mistake(
        "conv_output_size",
        "ceil_instead_of_floor",
        "Your size rounds up. A filter position must fit entirely inside the padded input, "
        "so round down: use // (or int(np.floor(...))), not np.ceil.",
        _conv_output_ceil,
    ),
    Mistake(
        "pool_output_size",
        "stride_ignored",
        "Your size ignores the stride: the window moves `stride` pixels at a time, so "
        "compute floor((n - f) / stride) + 1.",
        _pool_output_no_stride,
    ),
    Mistake(
        "pool_output_size",
        "ceil_instead_of_floor",
        "Your size rounds up. A window must fit entirely inside the input, so round down: "
        "use // (or int(np.floor(...))), not np.ceil.",
        _pool_output_ceil,
    ),
    Mistake(
        "zero_pad",
        "every_axis_padded",
        "You pad every axis, including the examples and the channels. Pad only the height "
        "and width: np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode='constant').",
        _pad_every_axis,
    ),
    Mistake(
        "zero_pad",
        "one_side_padded",
        "You pad only after the image (bottom and right). Add `pad` zeros on both sides: "
        "(pad, pad) for the height and for the width.",
        _pad_one_side,
    ),
    Mistake(
        "conv_single_step",
        "bias_added_to_every_entry",
        "Your result adds the bias once per entry of the slice (sum(a_slice_prev * W + b)). "
        "Sum the products first, then add b once: np.sum(a_slice_prev * W) + b.",
        detect=_single_step_is(lambda a, W, b: np.sum(a * W) + a.size * b),
    ),
    Mistake(
        "conv_single_step",
        "bias_missing",
        "Your result leaves out the bias: Z = np.sum(a_slice_prev * W) + b.",
        detect=_single_step_is(lambda a, W, b: np.sum(a * W)),
    ),
    Mistake(
        "conv_forward",
        "stride_ignored",
        "Your filter positions don't use the stride: the window of output (h, w) starts at "
        "vert_start = h * stride and horiz_start = w * stride.",
        _conv_forward_variant(step_stride=False),
    ),
    Mistake(
        "conv_forward",
        "no_padding",
        "You convolve A_prev without padding it. Pad first with "
        "A_prev_pad = zero_pad(A_prev, pad), take the slices from A_prev_pad, and compute "
        "n_H and n_W with the padding: floor((n_H_prev + 2 * pad - f) / stride) + 1.",
        _conv_forward_variant(pad_input=False),
    ),
    Mistake(
        "conv_forward",
        "bias_added_per_entry",
        "Your Z adds each filter's bias f * f * n_C_prev times. Add b once per output value: "
        "Z = sum(a_slice * W) + b.",
        _conv_forward_variant(bias_repeats=True),
    ),
    Mistake(
        "pool_forward_max",
        "stride_ignored",
        STRIDE_IGNORED,
        _pool_forward_variant(step_stride=False),
    ),
    Mistake(
        "pool_forward_max",
        "pooled_across_channels",
        POOLED_ACROSS_CHANNELS,
        _pool_forward_variant(across_channels=True),
    ),
    Mistake(
        "pool_forward_average",
        "stride_ignored",
        STRIDE_IGNORED,
        _pool_forward_variant(step_stride=False),
    ),
    Mistake(
        "pool_forward_average",
        "pooled_across_channels",
        POOLED_ACROSS_CHANNELS,
        _pool_forward_variant(across_channels=True),
    ),
    Mistake(
        "pool_forward_average",
        "mode_ignored",
        'Your pool_forward takes the maximum even when mode == "average". Use np.mean of '
        "the window in average mode and np.max only in max mode.",
        _pool_forward_variant(mode_used="max"),
    ),
    Mistake(
        "pool_forward_average",
        "average_wrong_count",
        "Your average divides the window's sum by f instead of f * f, the number of values "
        "in the window. Use np.mean(a_prev_slice).",
        _pool_forward_variant(divisor=lambda f: f),
    ),
    Mistake(
        "create_mask_from_window",
        "max_per_column",
        "Your mask marks the maximum of every column (np.max(x, axis=0)). The mask marks the "
        "maximum of the whole window: x == np.max(x).",
        _mask_per_column,
    ),
    Mistake(
        "create_mask_from_window",
        "mask_of_minimum",
        "Your mask marks the minimum. Max pooling passes the gradient to the maximum: "
        "mask = (x == np.max(x)).",
        _mask_of_minimum,
    ),
    Mistake(
        "distribute_value",
        "not_divided",
        "Every entry of your array is dz itself. In an average pool each of the n_H * n_W "
        "inputs contributed 1 / (n_H * n_W) of the output: fill the array with "
        "dz / (n_H * n_W).",
        _distribute_not_divided,
    ),
    Mistake(
        "distribute_value",
        "divided_by_height_only",
        "Your entries are dz / n_H. Divide by the number of entries of the window, n_H * n_W.",
        _distribute_by_height,
    ),
    Mistake(
        "pool_backward_max",
        "stride_ignored",
        STRIDE_IGNORED,
        _pool_backward_variant(step_stride=False),
    ),
    Mistake(
        "pool_backward_max",
        "overlaps_overwritten",
        OVERLAPS_OVERWRITTEN,
        _pool_backward_variant(overwrite=True),
    ),
    Mistake(
        "pool_backward_average",
        "stride_ignored",
        STRIDE_IGNORED,
        _pool_backward_variant(step_stride=False),
    ),
    Mistake(
        "pool_backward_average",
        "overlaps_overwritten",
        OVERLAPS_OVERWRITTEN,
        _pool_backward_variant(overwrite=True),
    ),
    Mistake(
        "pool_backward_average",
        "average_not_divided",
        "In average mode your dA_prev gives every input of a window the whole gradient. "
        "Spread it evenly: distribute_value(dA[i, h, w, c], (f, f)) gives dz / (f * f) each.",
        _pool_backward_variant(unscaled_average=True),
    ),
    Mistake(
        "pool_backward_ties",
        "overlaps_overwritten",
        OVERLAPS_OVERWRITTEN,
        _pool_backward_variant(overwrite=True),
    ),
    Mistake(
        "conv_backward",
        "stride_ignored",
        "Your slices don't use the stride: the window of dZ[i, h, w, c] starts at "
        "vert_start = h * stride and horiz_start = w * stride, in both dA_prev_pad and "
        "a_prev_pad.",
        _conv_backward_variant(stride_in_slice=False),
    ),
    Mistake(
        "conv_backward",
        "dA_prev_still_padded",
        "Your dA_prev still has the padding. Remove it at the end: "
        "dA_prev[i] = da_prev_pad[pad:-pad, pad:-pad, :].",
        _conv_backward_variant(unpad=False),
    ),
    Mistake(
        "conv_backward",
        "dW_overwritten",
        "Your dW keeps only the last window's contribution: dW[:, :, :, c] = ... overwrites "
        "it. Accumulate over every example and position: dW[:, :, :, c] += a_slice * "
        "dZ[i, h, w, c].",
        _conv_backward_variant(accumulate_dW=False),
    ),
    Mistake(
        "conv_backward",
        "db_divided_by_m",
        "Your db is divided by m. b is added to every output value, so db is the plain sum "
        "of dZ over the examples, the height and the width: np.sum(dZ, axis=(0, 1, 2)) "
        "with shape (1, 1, 1, n_C).",
        _conv_backward_db_mean,
    ),
]
