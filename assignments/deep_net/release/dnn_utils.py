"""The course's `dnn_utils` activation helpers (copied next to the notebook when grading).

The same four functions as the course module, with the same behaviour: the forward helpers
return the activation and the cache to keep for the backward pass (the pre-activation Z), and
the backward helpers take that cache back. They are not graded: students call them from their
graded functions. The grader's reference solution defines the same four functions, so a
notebook that imports these helpers computes exactly what the reference does.
"""

from __future__ import annotations

import numpy as np


def sigmoid(Z):
    """Sigmoid activation, elementwise.

    Args:
        Z: numpy array of any shape.

    Returns:
        A: 1 / (1 + exp(-Z)), same shape as Z.
        cache: Z itself, kept for the backward pass.
    """
    A = 1 / (1 + np.exp(-Z))
    return A, Z


def relu(Z):
    """ReLU activation, elementwise.

    Args:
        Z: numpy array of any shape.

    Returns:
        A: max(0, Z), same shape as Z.
        cache: Z itself, kept for the backward pass.
    """
    A = np.maximum(0, Z)
    return A, Z


def relu_backward(dA, Z):
    """Backward pass of a single ReLU unit layer.

    Args:
        dA: gradient of the cost with respect to the activation A, any shape.
        Z: the cache returned by relu (the pre-activation), same shape as dA.

    Returns:
        dZ: gradient of the cost with respect to Z: dA where Z > 0, 0 elsewhere.
    """
    dZ = np.array(dA, copy=True)
    dZ[Z <= 0] = 0
    return dZ


def sigmoid_backward(dA, Z):
    """Backward pass of a single sigmoid unit layer.

    Args:
        dA: gradient of the cost with respect to the activation A, any shape.
        Z: the cache returned by sigmoid (the pre-activation), same shape as dA.

    Returns:
        dZ: gradient of the cost with respect to Z: dA * s * (1 - s) with s = sigmoid(Z).
    """
    s = 1 / (1 + np.exp(-Z))
    dZ = dA * s * (1 - s)
    return dZ
