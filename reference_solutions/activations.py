"""Reference solution and known mistakes for `activations` (grader side only).

This file never reaches the sandbox. The backward functions that need a forward one take it as
a keyword-only argument, so the grader can rerun the reference with the *student's* sigmoid or
tanh and grade the backward function in isolation.

The derivative of relu and leaky relu at exactly 0 is a convention; the reference takes the left
slope (0, or alpha), and the cases never contain Z == 0, so students may choose either.
"""

from __future__ import annotations

import numpy as np

from grader.spec.course_mistakes import SIGMOID_WRONG_SIGN
from grader.spec.model import Mistake

DEFAULT_ALPHA = 0.01


def sigmoid(z):
    """Elementwise logistic function.

    Args:
        z: a numpy array of any shape.

    Returns:
        A = 1 / (1 + exp(-z)), a numpy array with the shape of `z`.
    """
    return 1 / (1 + np.exp(-z))


def relu(z):
    """Elementwise rectified linear unit.

    Args:
        z: a numpy array of any shape.

    Returns:
        A = max(0, z) elementwise, a numpy array of numbers (not booleans) with the shape of `z`.
    """
    return np.maximum(0, z)


def leaky_relu(z, alpha=0.01):
    """Elementwise leaky rectified linear unit.

    Args:
        z: a numpy array of any shape.
        alpha: the slope for negative inputs (a small positive number).

    Returns:
        A numpy array with the shape of `z`: z where z > 0, alpha * z elsewhere.
    """
    return np.where(z > 0, z, alpha * z)


def tanh(z):
    """Elementwise hyperbolic tangent.

    Args:
        z: a numpy array of any shape.

    Returns:
        A = (exp(z) - exp(-z)) / (exp(z) + exp(-z)), a numpy array with the shape of `z`.
    """
    return np.tanh(z)


def sigmoid_backward(dA, Z, *, sigmoid=sigmoid):
    """Backward pass through a sigmoid unit.

    Args:
        dA: gradient of the cost with respect to the activation A = sigmoid(Z), any shape.
        Z: the pre-activation, the same shape as dA.

    Returns:
        dZ = dA * g'(Z), where g'(Z) = s * (1 - s) and s = sigmoid(Z); the shape of Z.
    """
    s = sigmoid(Z)
    return dA * s * (1 - s)


def relu_backward(dA, Z):
    """Backward pass through a ReLU unit.

    Args:
        dA: gradient of the cost with respect to the activation A = relu(Z), any shape.
        Z: the pre-activation, the same shape as dA.

    Returns:
        dZ: dA where Z > 0, and 0 where Z <= 0; the shape of Z. dA itself is left unchanged.
    """
    return np.where(Z > 0, dA, 0.0)


def leaky_relu_backward(dA, Z, alpha=0.01):
    """Backward pass through a leaky ReLU unit.

    Args:
        dA: gradient of the cost with respect to the activation A = leaky_relu(Z, alpha).
        Z: the pre-activation, the same shape as dA.
        alpha: the slope for negative inputs used in the forward pass.

    Returns:
        dZ: dA where Z > 0, alpha * dA where Z <= 0; the shape of Z.
    """
    return np.where(Z > 0, dA, alpha * dA)


def tanh_backward(dA, Z, *, tanh=tanh):
    """Backward pass through a tanh unit.

    Args:
        dA: gradient of the cost with respect to the activation A = tanh(Z), any shape.
        Z: the pre-activation, the same shape as dA.

    Returns:
        dZ = dA * (1 - tanh(Z)**2); the shape of Z.
    """
    t = tanh(Z)
    return dA * (1 - t**2)


# --- Known mistakes -------------------------------------------------------------------------
# Each variant has the reference's signature (injectable helpers included) and reproduces one
# mistake exactly, so the grader can recognise it by comparing outputs.


def _sigmoid_wrong_sign(z):
    return 1 / (1 + np.exp(z))


def _relu_mask(z):
    return z > 0


def _relu_minimum(z):
    return np.minimum(0, z)


def _leaky_alpha_ignored(z, alpha=DEFAULT_ALPHA):
    return np.where(z > 0, z, DEFAULT_ALPHA * z)


def _leaky_alpha_on_positive_side(z, alpha=DEFAULT_ALPHA):
    return np.where(z > 0, alpha * z, z)


def _leaky_is_relu(z, alpha=DEFAULT_ALPHA):
    return np.maximum(0, z)


def _tanh_half_argument(z):
    return 2 * sigmoid(z) - 1


def _tan(z):
    return np.tan(z)


def _sigmoid_backward_without_one_minus_s(dA, Z, *, sigmoid=sigmoid):
    return dA * sigmoid(Z)


def _sigmoid_backward_dA_ignored(dA, Z, *, sigmoid=sigmoid):
    s = sigmoid(Z)
    return s * (1 - s)


def _sigmoid_backward_uses_Z(dA, Z, *, sigmoid=sigmoid):
    return dA * Z * (1 - Z)


def _relu_backward_not_masked(dA, Z):
    return np.array(dA, dtype=float, copy=True)


def _relu_backward_masked_by_dA(dA, Z):
    return np.where(dA > 0, dA, 0.0)


def _relu_backward_dA_ignored(dA, Z):
    return (Z > 0).astype(float)


def _relu_backward_mask_inverted(dA, Z):
    return np.where(Z < 0, dA, 0.0)


def _leaky_backward_alpha_ignored(dA, Z, alpha=DEFAULT_ALPHA):
    return np.where(Z > 0, dA, DEFAULT_ALPHA * dA)


def _leaky_backward_alpha_on_positive_side(dA, Z, alpha=DEFAULT_ALPHA):
    return np.where(Z > 0, alpha * dA, dA)


def _leaky_backward_is_relu(dA, Z, alpha=DEFAULT_ALPHA):
    return np.where(Z > 0, dA, 0.0)


def _leaky_backward_dA_ignored(dA, Z, alpha=DEFAULT_ALPHA):
    return np.where(Z > 0, 1.0, alpha)


def _tanh_backward_square_missing(dA, Z, *, tanh=tanh):
    return dA * (1 - tanh(Z))


def _tanh_backward_uses_Z(dA, Z, *, tanh=tanh):
    return dA * (1 - Z**2)


def _tanh_backward_dA_ignored(dA, Z, *, tanh=tanh):
    return 1 - tanh(Z) ** 2


MISTAKES: list[Mistake] = [
    Mistake(
        "sigmoid",
        "wrong_sign",
        SIGMOID_WRONG_SIGN,
        _sigmoid_wrong_sign,
    ),
    Mistake(
        "relu",
        "returns_mask",
        "Your relu returns the mask z > 0 (True/False, or 1/0) instead of the values. "
        "ReLU keeps positive inputs as they are: return np.maximum(0, z).",
        _relu_mask,
    ),
    Mistake(
        "relu",
        "minimum_instead_of_maximum",
        "Your relu keeps the negative part of z (np.minimum(0, z)). ReLU keeps the positive "
        "part: np.maximum(0, z).",
        _relu_minimum,
    ),
    Mistake(
        "leaky_relu",
        "alpha_ignored",
        "Your leaky_relu always uses a slope of 0.01 for negative inputs, whatever alpha is "
        "passed. Use the alpha argument: np.where(z > 0, z, alpha * z).",
        _leaky_alpha_ignored,
    ),
    Mistake(
        "leaky_relu",
        "alpha_on_positive_side",
        "Your leaky_relu scales the positive inputs by alpha and leaves the negative ones "
        "unchanged: the two branches are swapped. Keep z where z > 0 and use alpha * z "
        "elsewhere.",
        _leaky_alpha_on_positive_side,
    ),
    Mistake(
        "leaky_relu",
        "negative_part_zeroed",
        "Your leaky_relu sets negative inputs to 0, like a plain ReLU. A leaky ReLU lets a "
        "small part through: alpha * z where z <= 0.",
        _leaky_is_relu,
    ),
    Mistake(
        "tanh",
        "half_argument",
        "Your tanh computes 2 * sigmoid(z) - 1, which is tanh(z / 2). The identity is "
        "tanh(z) = 2 * sigmoid(2 * z) - 1; or simply use np.tanh(z).",
        _tanh_half_argument,
    ),
    Mistake(
        "tanh",
        "tan_instead_of_tanh",
        "Your tanh computes np.tan, the trigonometric tangent. The hyperbolic tangent is "
        "np.tanh(z).",
        _tan,
    ),
    Mistake(
        "sigmoid_backward",
        "one_minus_s_missing",
        "Your dZ is dA * s: the derivative of the sigmoid is s * (1 - s), not s. "
        "Use dZ = dA * s * (1 - s) with s = sigmoid(Z).",
        _sigmoid_backward_without_one_minus_s,
    ),
    Mistake(
        "sigmoid_backward",
        "dA_ignored",
        "Your dZ is the derivative s * (1 - s) alone. By the chain rule it must be multiplied "
        "by the incoming gradient: dZ = dA * s * (1 - s).",
        _sigmoid_backward_dA_ignored,
    ),
    Mistake(
        "sigmoid_backward",
        "uses_Z_instead_of_s",
        "Your dZ is dA * Z * (1 - Z): the derivative is written in terms of the activation "
        "s = sigmoid(Z), not of Z. Compute s = sigmoid(Z) first, then dZ = dA * s * (1 - s).",
        _sigmoid_backward_uses_Z,
    ),
    Mistake(
        "relu_backward",
        "not_masked",
        "Your dZ equals dA: the gradient must be zeroed where Z <= 0, since ReLU is flat there. "
        "For example: dZ = np.array(dA, copy=True); dZ[Z <= 0] = 0.",
        _relu_backward_not_masked,
    ),
    Mistake(
        "relu_backward",
        "masked_by_dA",
        "Your dZ zeroes the entries where dA <= 0. The mask comes from the forward input Z, "
        "not from the gradient: keep dA where Z > 0 and set 0 where Z <= 0.",
        _relu_backward_masked_by_dA,
    ),
    Mistake(
        "relu_backward",
        "dA_ignored",
        "Your dZ is the derivative of ReLU (1 where Z > 0, else 0) alone. Multiply by the "
        "incoming gradient: dZ = dA * (Z > 0).",
        _relu_backward_dA_ignored,
    ),
    Mistake(
        "relu_backward",
        "mask_inverted",
        "Your dZ keeps dA where Z < 0 and zeroes it where Z > 0: the mask is inverted. ReLU "
        "passes the gradient where Z > 0.",
        _relu_backward_mask_inverted,
    ),
    Mistake(
        "leaky_relu_backward",
        "alpha_ignored",
        "Your dZ always uses a slope of 0.01 where Z <= 0, whatever alpha is passed. Use the "
        "alpha argument: dZ = np.where(Z > 0, dA, alpha * dA).",
        _leaky_backward_alpha_ignored,
    ),
    Mistake(
        "leaky_relu_backward",
        "alpha_on_positive_side",
        "Your dZ multiplies dA by alpha where Z > 0 and keeps it where Z <= 0: the branches "
        "are swapped. The slope is 1 for Z > 0 and alpha elsewhere.",
        _leaky_backward_alpha_on_positive_side,
    ),
    Mistake(
        "leaky_relu_backward",
        "negative_part_zeroed",
        "Your dZ is 0 where Z <= 0, as for a plain ReLU. The leaky ReLU has slope alpha "
        "there: dZ = alpha * dA where Z <= 0.",
        _leaky_backward_is_relu,
    ),
    Mistake(
        "leaky_relu_backward",
        "dA_ignored",
        "Your dZ is the slope of the leaky ReLU (1 or alpha) alone. Multiply it by the "
        "incoming gradient dA.",
        _leaky_backward_dA_ignored,
    ),
    Mistake(
        "tanh_backward",
        "square_missing",
        "Your dZ is dA * (1 - tanh(Z)): the derivative of tanh is 1 - tanh(Z)**2 (squared). "
        "Use dZ = dA * (1 - np.tanh(Z) ** 2).",
        _tanh_backward_square_missing,
    ),
    Mistake(
        "tanh_backward",
        "uses_Z_instead_of_tanh",
        "Your dZ is dA * (1 - Z**2): the derivative is 1 - A**2 with A = tanh(Z), the "
        "activation, not the input. Use dZ = dA * (1 - np.tanh(Z) ** 2).",
        _tanh_backward_uses_Z,
    ),
    Mistake(
        "tanh_backward",
        "dA_ignored",
        "Your dZ is the derivative 1 - tanh(Z)**2 alone. By the chain rule it must be "
        "multiplied by the incoming gradient: dZ = dA * (1 - np.tanh(Z) ** 2).",
        _tanh_backward_dA_ignored,
    ),
]
