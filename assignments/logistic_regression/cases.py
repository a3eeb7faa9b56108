"""Case generators for `logistic_regression`, one per task (grader side only).

Each generator is called as `generator(rng, index, visibility)` with a generator seeded from
(seed, task, index), so a case depends on nothing else. The shapes and values are chosen so
that every known mistake in `reference_solutions/logistic_regression.py` changes the output of
every case: X is never square and never has a single row (so transposes show), activations
avoid saturation (so logs stay finite), and the hyperparameters passed to `optimize` and
`model` differ from the defaults (so ignored or hard-coded arguments show).

The `model_accuracy` task has no generator: the engine trains the student's model on the data
set its spec names (see grader/data/tables.py).
"""

from __future__ import annotations

import numpy as np

from grader.spec.model import CaseInput, call


def _shape(rng: np.random.Generator, n_range: tuple[int, int], m_range: tuple[int, int]):
    """(n_x, m) with n_x >= 2 and n_x != m, so a transposed array never has the right shape."""
    while True:
        n_x = int(rng.integers(n_range[0], n_range[1] + 1))
        m = int(rng.integers(m_range[0], m_range[1] + 1))
        if n_x != m:
            return n_x, m


def _labels(rng: np.random.Generator, m: int) -> np.ndarray:
    """A (1, m) float row of 0/1 labels containing both classes."""
    Y = (rng.random(m) < 0.5).astype(float)
    Y[0], Y[1] = 1.0, 0.0  # both classes, so no gradient term vanishes by accident
    return rng.permutation(Y).reshape(1, m)


def _bias(rng: np.random.Generator, low: float = 0.2, high: float = 1.5) -> float:
    """A nonzero Python float, so 'b not updated' and 'b ignored' show."""
    return float(rng.choice([-1.0, 1.0]) * rng.uniform(low, high))


def sigmoid(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """A Python scalar first, then a 1-D array, then 2-D arrays with large magnitudes."""
    if index == 0:
        magnitude = rng.uniform(0.5, 4.0) if visibility == "public" else rng.uniform(5.0, 15.0)
        z = float(rng.choice([-1.0, 1.0]) * magnitude)
        return call(z, note="a Python float")
    if index == 1:
        z = rng.uniform(-6.0, 6.0, size=int(rng.integers(5, 9)))
        z[0] = -rng.uniform(20.0, 40.0)  # large magnitudes: exp(-z) is huge or tiny
        z[-1] = rng.uniform(20.0, 40.0)
        return call(z, note=f"a 1-D array of {z.size} values, some of large magnitude")
    rows, cols = _shape(rng, (2, 4), (3, 6))
    z = rng.normal(0.0, 3.0, size=(rows, cols))
    if index >= 3:
        z[0, :] = rng.choice([-1.0, 1.0], size=cols) * rng.uniform(30.0, 60.0, size=cols)
    return call(z, note=f"a 2-D array of shape {z.shape} with negative and positive values")


def initialize_with_zeros(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """A dimension of 2 to 8 (never 1, where a row and a column look alike)."""
    dim = int(rng.integers(2, 9))
    return call(dim, note=f"dim = {dim}")


def propagate(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Random parameters and data with n_x != m; activations stay well inside (0, 1)."""
    n_x, m = _shape(rng, (2, 6), (3, 10))
    w = rng.normal(0.0, 0.5, size=(n_x, 1))
    b = _bias(rng)
    X = rng.normal(0.0, 1.5, size=(n_x, m))
    return call(w, b, X, _labels(rng, m), note=f"n_x = {n_x} features, m = {m} examples")


_OPTIMIZE_PUBLIC = [(120, 0.05), (150, 0.02)]
_OPTIMIZE_HIDDEN = [(250, 0.03), (301, 0.01), (275, 0.05), (333, 0.02)]


def optimize(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Non-default num_iterations (> 100, and > 200 when hidden) and learning rate, nonzero b.

    The learning rates are kept small enough that even a diverging mistake (update with +,
    a sigmoid with the wrong sign) keeps every cost finite over these iterations.
    """
    table = _OPTIMIZE_PUBLIC if visibility == "public" else _OPTIMIZE_HIDDEN
    num_iterations, learning_rate = table[index % len(table)]
    n_x, m = _shape(rng, (2, 4), (5, 8))
    w = rng.normal(0.0, 0.5, size=(n_x, 1))
    b = _bias(rng)
    X = rng.normal(0.0, 1.0, size=(n_x, m))
    return call(
        w,
        b,
        X,
        _labels(rng, m),
        num_iterations=num_iterations,
        learning_rate=learning_rate,
        note=f"n_x = {n_x}, m = {m}, num_iterations = {num_iterations}, "
        f"learning_rate = {learning_rate}",
    )


def predict(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """X built column by column so that the activations hit chosen values.

    Several activations lie strictly between 0.5 and 0.6 and between 0.6 and 0.7 (a threshold
    other than 0.5 shows), some lie below 0.5 and some above 0.7; none is near 0.5 itself, so a
    float32 implementation gives the same labels.
    """
    n_x = int(rng.integers(3, 6))  # m is at least 9, so X is never square
    activations = np.concatenate(
        [
            rng.uniform(0.52, 0.58, size=2),
            rng.uniform(0.62, 0.68, size=2),
            rng.uniform(0.05, 0.46, size=int(rng.integers(3, 6))),
            rng.uniform(0.72, 0.97, size=int(rng.integers(2, 5))),
        ]
    )
    activations = rng.permutation(activations)
    m = activations.size
    w = rng.normal(0.0, 1.0, size=(n_x, 1))
    b = _bias(rng, 0.1, 1.0)
    X = rng.normal(0.0, 1.0, size=(n_x, m))
    # Move each column along w so that w.T x + b equals the logit of its chosen activation.
    targets = np.log(activations / (1 - activations))
    X += w * ((targets - (w.T @ X).ravel() - b) / float(np.sum(w * w)))
    return call(w, b, X, note=f"n_x = {n_x}, m = {m}; several activations between 0.5 and 0.7")


_MODEL_PUBLIC = [(150, 0.05)]
_MODEL_HIDDEN = [(250, 0.1), (301, 0.02)]


def model(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """A small, noisy, linearly separable-ish problem with non-default hyperparameters."""
    table = _MODEL_PUBLIC if visibility == "public" else _MODEL_HIDDEN
    num_iterations, learning_rate = table[index % len(table)]
    n_x = int(rng.integers(3, 6))
    m_train, m_test = int(rng.integers(24, 41)), int(rng.integers(8, 13))
    w_true = rng.normal(0.0, 1.0, size=(n_x, 1))

    def dataset(m: int) -> tuple[np.ndarray, np.ndarray]:
        X = rng.normal(0.0, 1.0, size=(n_x, m))
        Y = ((w_true.T @ X + rng.normal(0.0, 0.5, size=(1, m))) > 0).astype(float)
        Y[0, 0], Y[0, 1] = 1.0, 0.0  # both classes in each set
        return X, Y

    X_train, Y_train = dataset(m_train)
    X_test, Y_test = dataset(m_test)
    return call(
        X_train,
        Y_train,
        X_test,
        Y_test,
        num_iterations=num_iterations,
        learning_rate=learning_rate,
        note=f"n_x = {n_x}, {m_train} training and {m_test} test examples, "
        f"num_iterations = {num_iterations}, learning_rate = {learning_rate}",
    )
