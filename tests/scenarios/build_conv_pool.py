"""Write the scenario notebooks of `conv_pool`.

    .venv/bin/python tests/scenarios/build_conv_pool.py

Every scenario is the same course-style notebook (imports, one cell per graded function, a
small demo cell) with one change: a function's source patched to make one known mistake, or
the functions replaced by another correct style (vectorized with einsum and stride tricks,
masks that mark only the first maximum). The file name says what the submission does;
`conv_pool/expected.toml` says how it should be graded (kept by hand, never written here). The
output is deterministic (fixed cell ids), so rerunning the script leaves git clean.
"""

from __future__ import annotations

from pathlib import Path

from scenario_kit import (
    Scenario,
    function_cells,
    main,
    patch,
    patches_in,
    write_assignment,
)

FUNCTIONS = (
    "conv_output_size",
    "pool_output_size",
    "zero_pad",
    "conv_single_step",
    "conv_forward",
    "pool_forward",
    "create_mask_from_window",
    "distribute_value",
    "pool_backward",
    "conv_backward",
)

# --- The correct submission, as the course notebook has it (four nested loops) ---------------

CORRECT = {
    "conv_output_size": '''\
# GRADED FUNCTION: conv_output_size

def conv_output_size(n, f, pad=0, stride=1):
    """Output size of a convolution along one dimension."""
    return int((n + 2 * pad - f) / stride) + 1
''',
    "pool_output_size": '''\
# GRADED FUNCTION: pool_output_size

def pool_output_size(n, f, stride):
    """Output size of a pooling layer along one dimension."""
    return int(np.floor((n - f) / stride)) + 1
''',
    "zero_pad": '''\
# GRADED FUNCTION: zero_pad

def zero_pad(X, pad):
    """
    Argument:
    X -- python numpy array of shape (m, n_H, n_W, n_C) representing a batch of m images
    pad -- integer, amount of padding around each image on vertical and horizontal dimensions

    Returns:
    X_pad -- padded image of shape (m, n_H + 2 * pad, n_W + 2 * pad, n_C)
    """
    X_pad = np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode='constant')
    return X_pad
''',
    "conv_single_step": '''\
# GRADED FUNCTION: conv_single_step

def conv_single_step(a_slice_prev, W, b):
    """
    Apply one filter defined by parameters W on a single slice (a_slice_prev) of the output
    activation of the previous layer.
    """
    s = np.multiply(a_slice_prev, W)
    Z = np.sum(s)
    Z = Z + b
    return Z
''',
    "conv_forward": '''\
# GRADED FUNCTION: conv_forward

def conv_forward(A_prev, W, b, hparameters):
    """
    Implements the forward propagation for a convolution function

    Returns:
    Z -- conv output, numpy array of shape (m, n_H, n_W, n_C)
    cache -- cache of values needed for the conv_backward() function
    """
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    n_H = int((n_H_prev + 2 * pad - f) / stride) + 1
    n_W = int((n_W_prev + 2 * pad - f) / stride) + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = zero_pad(A_prev, pad)
    for i in range(m):
        a_prev_pad = A_prev_pad[i]
        for h in range(n_H):
            vert_start = h * stride
            vert_end = vert_start + f
            for w in range(n_W):
                horiz_start = w * stride
                horiz_end = horiz_start + f
                for c in range(n_C):
                    a_slice_prev = a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]
                    weights = W[:, :, :, c]
                    biases = b[:, :, :, c]
                    Z[i, h, w, c] = np.squeeze(conv_single_step(a_slice_prev, weights, biases))
    cache = (A_prev, W, b, hparameters)
    return Z, cache
''',
    "pool_forward": '''\
# GRADED FUNCTION: pool_forward

def pool_forward(A_prev, hparameters, mode = "max"):
    """
    Implements the forward pass of the pooling layer

    Returns:
    A -- output of the pool layer, a numpy array of shape (m, n_H, n_W, n_C)
    cache -- cache used in the backward pass of the pooling layer
    """
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    f = hparameters["f"]
    stride = hparameters["stride"]
    n_H = int(1 + (n_H_prev - f) / stride)
    n_W = int(1 + (n_W_prev - f) / stride)
    n_C = n_C_prev
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            vert_start = h * stride
            vert_end = vert_start + f
            for w in range(n_W):
                horiz_start = w * stride
                horiz_end = horiz_start + f
                for c in range(n_C):
                    a_prev_slice = A_prev[i, vert_start:vert_end, horiz_start:horiz_end, c]
                    if mode == "max":
                        A[i, h, w, c] = np.max(a_prev_slice)
                    elif mode == "average":
                        A[i, h, w, c] = np.mean(a_prev_slice)
    cache = (A_prev, hparameters)
    return A, cache
''',
    "create_mask_from_window": '''\
# GRADED FUNCTION: create_mask_from_window

def create_mask_from_window(x):
    """
    Creates a mask from an input matrix x, to identify the max entry of x.
    """
    mask = (x == np.max(x))
    return mask
''',
    "distribute_value": '''\
# GRADED FUNCTION: distribute_value

def distribute_value(dz, shape):
    """
    Distributes the input value in the matrix of dimension shape
    """
    (n_H, n_W) = shape
    average = dz / (n_H * n_W)
    a = np.ones(shape) * average
    return a
''',
    "pool_backward": '''\
# GRADED FUNCTION: pool_backward

def pool_backward(dA, cache, mode = "max"):
    """
    Implements the backward pass of the pooling layer
    """
    (A_prev, hparameters) = cache
    stride = hparameters["stride"]
    f = hparameters["f"]
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        a_prev = A_prev[i]
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    vert_start = h * stride
                    vert_end = vert_start + f
                    horiz_start = w * stride
                    horiz_end = horiz_start + f
                    if mode == "max":
                        a_prev_slice = a_prev[vert_start:vert_end, horiz_start:horiz_end, c]
                        mask = create_mask_from_window(a_prev_slice)
                        window = (i, slice(vert_start, vert_end), slice(horiz_start, horiz_end), c)
                        dA_prev[window] += mask * dA[i, h, w, c]
                    elif mode == "average":
                        da = dA[i, h, w, c]
                        shape = (f, f)
                        window = (i, slice(vert_start, vert_end), slice(horiz_start, horiz_end), c)
                        dA_prev[window] += distribute_value(da, shape)
    return dA_prev
''',
    "conv_backward": '''\
# GRADED FUNCTION: conv_backward

def conv_backward(dZ, cache):
    """
    Implement the backward propagation for a convolution function

    Returns:
    dA_prev -- gradient of the cost with respect to the input of the conv layer (A_prev)
    dW -- gradient of the cost with respect to the weights of the conv layer (W)
    db -- gradient of the cost with respect to the biases of the conv layer (b)
    """
    (A_prev, W, b, hparameters) = cache
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    (m, n_H, n_W, n_C) = dZ.shape
    dA_prev = np.zeros((m, n_H_prev, n_W_prev, n_C_prev))
    dW = np.zeros((f, f, n_C_prev, n_C))
    db = np.zeros((1, 1, 1, n_C))
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad = zero_pad(dA_prev, pad)
    for i in range(m):
        a_prev_pad = A_prev_pad[i]
        da_prev_pad = dA_prev_pad[i]
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    vert_start = h * stride
                    vert_end = vert_start + f
                    horiz_start = w * stride
                    horiz_end = horiz_start + f
                    a_slice = a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]
                    da_slice = da_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]
                    da_slice += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
        dA_prev[i, :, :, :] = da_prev_pad[pad:-pad, pad:-pad, :]
    return dA_prev, dW, db
''',
}

# --- Correct submissions in other styles ----------------------------------------------------

# Vectorized: sliding windows and einsum instead of loops; masks built with argmax (only the
# first maximum of a window is marked, which is right too).
VECTORIZED = {
    "conv_output_size": """\
# GRADED FUNCTION: conv_output_size

def conv_output_size(n, f, pad=0, stride=1):
    return (n + 2 * pad - f) // stride + 1
""",
    "pool_output_size": """\
# GRADED FUNCTION: pool_output_size

def pool_output_size(n, f, stride):
    return math.floor((n - f) / stride) + 1
""",
    "zero_pad": """\
# GRADED FUNCTION: zero_pad

def zero_pad(X, pad):
    m, n_H, n_W, n_C = X.shape
    X_pad = np.zeros((m, n_H + 2 * pad, n_W + 2 * pad, n_C))
    X_pad[:, pad:pad + n_H, pad:pad + n_W, :] = X
    return X_pad
""",
    "conv_single_step": """\
# GRADED FUNCTION: conv_single_step

def conv_single_step(a_slice_prev, W, b):
    return float(np.sum(a_slice_prev * W) + b.item())
""",
    "conv_forward": """\
# GRADED FUNCTION: conv_forward

def conv_forward(A_prev, W, b, hparameters):
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    A_pad = zero_pad(A_prev, pad)
    windows = sliding_window_view(A_pad, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    Z = np.einsum("mhwcij,ijcd->mhwd", windows, W) + b
    return Z, (A_prev, W, b, hparameters)
""",
    "pool_forward": """\
# GRADED FUNCTION: pool_forward

def pool_forward(A_prev, hparameters, mode="max"):
    f, stride = hparameters["f"], hparameters["stride"]
    windows = sliding_window_view(A_prev, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    reduce = np.max if mode == "max" else np.mean
    return reduce(windows, axis=(4, 5)), (A_prev, hparameters)
""",
    "create_mask_from_window": """\
# GRADED FUNCTION: create_mask_from_window

def create_mask_from_window(x):
    mask = np.zeros(x.shape)
    mask[np.unravel_index(np.argmax(x), x.shape)] = 1
    return mask
""",
    "distribute_value": """\
# GRADED FUNCTION: distribute_value

def distribute_value(dz, shape):
    return np.full(shape, dz / np.prod(shape))
""",
    "pool_backward": """\
# GRADED FUNCTION: pool_backward

def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    dA_prev = np.zeros_like(A_prev)
    for h in range(dA.shape[1]):
        for w in range(dA.shape[2]):
            rows = slice(h * stride, h * stride + f)
            cols = slice(w * stride, w * stride + f)
            g = dA[:, h, w, :][:, None, None, :]
            if mode == "max":
                window = A_prev[:, rows, cols, :]
                flat = window.reshape(window.shape[0], -1, window.shape[3])
                first = np.argmax(flat, axis=1)[:, None, :]
                mask = np.arange(f * f)[None, :, None] == first
                dA_prev[:, rows, cols, :] += mask.reshape(window.shape) * g
            else:
                dA_prev[:, rows, cols, :] += g / (f * f)
    return dA_prev
""",
    "conv_backward": """\
# GRADED FUNCTION: conv_backward

def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    A_pad = zero_pad(A_prev, pad)
    dA_pad = np.zeros_like(A_pad)
    dW = np.zeros_like(W)
    for h in range(dZ.shape[1]):
        for w in range(dZ.shape[2]):
            rows = slice(h * stride, h * stride + f)
            cols = slice(w * stride, w * stride + f)
            dW += np.einsum("mijk,mc->ijkc", A_pad[:, rows, cols, :], dZ[:, h, w, :])
            dA_pad[:, rows, cols, :] += np.einsum("ijkc,mc->mijk", W, dZ[:, h, w, :])
    dA_prev = dA_pad[:, pad:pad + A_prev.shape[1], pad:pad + A_prev.shape[2], :]
    db = np.sum(dZ, axis=(0, 1, 2), keepdims=True)
    return dA_prev, dW, db
""",
}

NOT_IMPLEMENTED = {
    name: source.split("\n\n", 1)[0]
    + "\n\n"
    + source.split("\n\n", 1)[1].split("\n", 1)[0]
    + "\n    raise NotImplementedError()\n"
    for name, source in CORRECT.items()
}

# --- Scenarios ------------------------------------------------------------------------------

_POOL_SLICE = "a_prev_slice = A_prev[i, vert_start:vert_end, horiz_start:horiz_end, c]"

SCENARIOS: dict[str, Scenario] = {
    "correct-course-style": Scenario(),
    "correct-vectorized": Scenario(functions=VECTORIZED),
    "not-implemented": Scenario(functions=NOT_IMPLEMENTED),
    "conv-size-without-stride": patch(
        "conv_output_size",
        "int((n + 2 * pad - f) / stride) + 1",
        "int(n + 2 * pad - f) + 1",
    ),
    "conv-size-pad-once": patch(
        "conv_output_size",
        "int((n + 2 * pad - f) / stride) + 1",
        "int((n + pad - f) / stride) + 1",
    ),
    "pool-size-ceil": patch(
        "pool_output_size",
        "int(np.floor((n - f) / stride)) + 1",
        "int(np.ceil((n - f) / stride)) + 1",
    ),
    "zero-pad-every-axis": patch(
        "zero_pad",
        "np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode='constant')",
        "np.pad(X, pad, mode='constant')",
    ),
    "single-step-bias-per-entry": patches_in(
        "conv_single_step",
        ("s = np.multiply(a_slice_prev, W)", "s = np.multiply(a_slice_prev, W) + b"),
        ("    Z = Z + b\n", ""),
    ),
    "conv-forward-stride-ignored": patches_in(
        "conv_forward",
        ("vert_start = h * stride", "vert_start = h"),
        ("horiz_start = w * stride", "horiz_start = w"),
    ),
    "conv-forward-no-padding": patches_in(
        "conv_forward",
        ("A_prev_pad = zero_pad(A_prev, pad)", "A_prev_pad = A_prev"),
        ("int((n_H_prev + 2 * pad - f) / stride)", "int((n_H_prev - f) / stride)"),
        ("int((n_W_prev + 2 * pad - f) / stride)", "int((n_W_prev - f) / stride)"),
    ),
    "pool-forward-across-channels": patch(
        "pool_forward",
        _POOL_SLICE,
        "a_prev_slice = A_prev[i, vert_start:vert_end, horiz_start:horiz_end, :]",
    ),
    "pool-average-divides-by-f": patch(
        "pool_forward", "np.mean(a_prev_slice)", "np.sum(a_prev_slice) / f"
    ),
    "pool-forward-mode-ignored": patches_in(
        "pool_forward",
        ('if mode == "max":\n', "if True:\n"),
    ),
    "mask-per-column": patch("create_mask_from_window", "np.max(x)", "np.max(x, axis=0)"),
    "distribute-not-divided": patch(
        "distribute_value", "average = dz / (n_H * n_W)", "average = dz"
    ),
    "pool-backward-overwrites": patches_in(
        "pool_backward",
        ("[window] += mask", "[window] = mask"),
        ("[window] += distribute_value", "[window] = distribute_value"),
    ),
    "conv-backward-still-padded": patches_in(
        "conv_backward",
        ("        dA_prev[i, :, :, :] = da_prev_pad[pad:-pad, pad:-pad, :]\n", ""),
        ("    return dA_prev, dW, db", "    return dA_prev_pad, dW, db"),
    ),
    "zero-pad-one-side": patch(
        "zero_pad",
        "np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode='constant')",
        "np.pad(X, ((0, 0), (0, pad), (0, pad), (0, 0)), mode='constant')",
    ),
    "pool-forward-stride-ignored": patches_in(
        "pool_forward",
        ("vert_start = h * stride", "vert_start = h"),
        ("horiz_start = w * stride", "horiz_start = w"),
    ),
    "conv-backward-stride-ignored": patches_in(
        "conv_backward",
        ("vert_start = h * stride", "vert_start = h"),
        ("horiz_start = w * stride", "horiz_start = w"),
    ),
    "conv-backward-db-divided-by-m": patch(
        "conv_backward", "    return dA_prev, dW, db", "    return dA_prev, dW, db / m"
    ),
}

# --- Notebook layout ------------------------------------------------------------------------

IMPORTS = """\
import math
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

np.random.seed(1)
"""

DEMO = """\
np.random.seed(1)
A_prev = np.random.randn(2, 5, 7, 4)
W = np.random.randn(3, 3, 4, 8)
b = np.random.randn(1, 1, 1, 8)
Z, cache_conv = conv_forward(A_prev, W, b, {"pad": 1, "stride": 2})
A, cache_pool = pool_forward(Z, {"f": 2, "stride": 1}, mode="max")
dA_prev, dW, db = conv_backward(Z, cache_conv)
print("Z's mean =", np.mean(Z), "A's shape =", A.shape, "dW's mean =", np.mean(dW))
"""

HEADINGS = {
    "conv_output_size": "## 1 - Output sizes\n\n**Exercise 1 - conv_output_size**",
    "pool_output_size": "**Exercise 2 - pool_output_size**",
    "zero_pad": "## 2 - Convolutional layer\n\n**Exercise 3 - zero_pad**",
    "conv_single_step": "**Exercise 4 - conv_single_step**",
    "conv_forward": "**Exercise 5 - conv_forward**",
    "pool_forward": "## 3 - Pooling layer\n\n**Exercise 6 - pool_forward**",
    "create_mask_from_window": "## 4 - Backpropagation\n\n**Exercise 7 - create_mask_from_window**",
    "distribute_value": "**Exercise 8 - distribute_value**",
    "pool_backward": "**Exercise 9 - pool_backward**",
    "conv_backward": "**Exercise 10 - conv_backward**",
}


def layout(functions: dict[str, str]) -> list[tuple[str, str]]:
    """The cells of a submission as (cell type, source), in notebook order."""
    cells = [
        ("markdown", "# Convolutional Neural Networks: Step by Step"),
        ("code", IMPORTS),
    ]
    cells += function_cells(FUNCTIONS, HEADINGS, functions)
    cells += [("markdown", "## 5 - Try it"), ("code", DEMO)]
    return cells


def write_all() -> list[Path]:
    """Write every scenario notebook; return the paths written."""
    return write_assignment("conv_pool", CORRECT, SCENARIOS, layout)


if __name__ == "__main__":
    main(write_all)
