"""Case generators for `activations`, one per task, named like the task (grader side only).

Every known mistake in reference_solutions/activations.py changes the output of every case:

- arrays are never square, so nothing transposed passes, and the first case of each forward
  function is 1-D;
- no entry of z or Z is within 0.1 of 0, so the derivative of relu and leaky relu at 0 (a
  convention) never matters, and positive entries are never exactly 1 (a 0/1 mask shows);
- every leaky case passes a non-default alpha (0.05 to 0.3), so a hard-coded 0.01 shows;
- dA is never all ones and has both signs, with every combination of sign(dA) and sign(Z)
  present, so an ignored dA or a mask taken from dA instead of Z shows;
- |Z| stays below 5 in the backward cases, so derivatives are never vanishingly small.
"""

from __future__ import annotations

import numpy as np

from grader.spec.model import CaseInput, call


def _shape(rng: np.random.Generator, index: int) -> tuple[int, ...]:
    """1-D for the first case, then 2-D with rows != columns."""
    if index == 0:
        return (int(rng.integers(6, 11)),)
    while True:
        rows, cols = int(rng.integers(2, 6)), int(rng.integers(3, 8))
        if rows != cols:
            return rows, cols


def _away_from_zero(
    rng: np.random.Generator, shape: tuple[int, ...], low: float, high: float
) -> np.ndarray:
    """Magnitudes in [low, high] with random signs, both signs present."""
    values = rng.uniform(low, high, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    flat = values.reshape(-1)
    flat[0], flat[1] = abs(flat[0]), -abs(flat[1])
    return values


def _z(rng: np.random.Generator, index: int, visibility: str, high: float = 4.0) -> np.ndarray:
    """Forward inputs; hidden cases after the first add a few large magnitudes (up to 25)."""
    z = _away_from_zero(rng, _shape(rng, index), 0.1, high)
    if visibility == "hidden" and index > 0:
        z.reshape(-1)[-1] = float(rng.choice([-1.0, 1.0]) * rng.uniform(15.0, 25.0))
    return z


def _note(array: np.ndarray, extra: str = "") -> str:
    shape = f"shape {array.shape}" if array.ndim > 1 else f"a 1-D array of {array.size} values"
    return f"{shape}, positive and negative values{extra}"


def _alpha(rng: np.random.Generator) -> float:
    return float(np.round(rng.uniform(0.05, 0.3), 3))


def sigmoid(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Values of both signs; hidden cases include a large magnitude."""
    z = _z(rng, index, visibility)
    return call(z, note=_note(z))


def relu(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Values of both signs, positive values never exactly 1."""
    z = _z(rng, index, visibility)
    return call(z, note=_note(z))


def leaky_relu(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Values of both signs and a non-default alpha."""
    z, alpha = _z(rng, index, visibility), _alpha(rng)
    return call(z, alpha=alpha, note=_note(z, f", alpha = {alpha}"))


def tanh(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Values of both signs, |z| at most 25 (the exp formula stays finite)."""
    z = _z(rng, index, visibility)
    return call(z, note=_note(z))


def _backward_inputs(rng: np.random.Generator, index: int) -> tuple[np.ndarray, np.ndarray]:
    """(dA, Z) of one shape, with every combination of signs of dA and Z present."""
    shape = _shape(rng, index + 1)  # always 2-D: a layer's gradient
    Z = _away_from_zero(rng, shape, 0.1, 4.0)
    dA = rng.normal(0.0, 1.5, size=shape)
    dA[np.abs(dA) < 0.05] += 0.5  # no (near-)zero gradients
    flat_Z, flat_dA = Z.reshape(-1), dA.reshape(-1)
    signs = [(1.0, 1.0), (1.0, -1.0), (-1.0, 1.0), (-1.0, -1.0)]
    for k, (z_sign, dA_sign) in enumerate(signs):
        flat_Z[k] = z_sign * abs(flat_Z[k])
        flat_dA[k] = dA_sign * abs(flat_dA[k])
    permutation = rng.permutation(Z.size)
    return flat_dA[permutation].reshape(shape), flat_Z[permutation].reshape(shape)


def sigmoid_backward(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """dA with both signs, Z away from 0."""
    dA, Z = _backward_inputs(rng, index)
    return call(dA, Z, note=f"dA and Z of shape {Z.shape}")


def relu_backward(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Every combination of sign(dA) and sign(Z); no Z == 0."""
    dA, Z = _backward_inputs(rng, index)
    return call(dA, Z, note=f"dA and Z of shape {Z.shape}; no entry of Z is 0")


def leaky_relu_backward(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """As relu_backward, with a non-default alpha."""
    dA, Z = _backward_inputs(rng, index)
    alpha = _alpha(rng)
    return call(dA, Z, alpha=alpha, note=f"dA and Z of shape {Z.shape}, alpha = {alpha}")


def tanh_backward(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """dA with both signs, Z away from 0."""
    dA, Z = _backward_inputs(rng, index)
    return call(dA, Z, note=f"dA and Z of shape {Z.shape}")
