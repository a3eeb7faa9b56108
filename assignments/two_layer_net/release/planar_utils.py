"""Stand-in for the course's `planar_utils` module (copied next to the notebook when grading).

The course version draws the 400-point "flower" with `np.random.seed(1)` and plots with
scikit-learn's help. This stand-in keeps the same functions and array layouts (X is (2, m),
Y is (1, m) uint8) but generates a smaller flower (80 points) with a private generator, so a
notebook's own training cells finish in moments and the global numpy seed is left alone.
Plotting draws a plain scatter plot (no decision boundary). It is not a secret: the graded
functions are checked on the grader's own inputs, never on these points.
"""

from __future__ import annotations

import numpy as np

_SEED = 1
_POINTS = 80  # the course uses 400; fewer keeps the notebook's 10000-iteration cells fast
_PETALS = 4
_RADIUS = 4.0


def sigmoid(x):
    """The logistic function 1 / (1 + exp(-x)), elementwise.

    Args:
        x: a scalar or numpy array of any shape.

    Returns:
        s: sigmoid(x), with the shape of x.
    """
    return 1 / (1 + np.exp(-x))


def _flower(rng: np.random.Generator, m: int) -> tuple[np.ndarray, np.ndarray]:
    per_class = m // 2
    X = np.zeros((m, 2))
    Y = np.zeros((m, 1), dtype="uint8")
    for label in range(2):
        rows = slice(per_class * label, per_class * (label + 1))
        t = np.linspace(label * 3.12, (label + 1) * 3.12, per_class)
        t = t + rng.normal(0.0, 0.2, per_class)
        r = _RADIUS * np.sin(_PETALS * t) + rng.normal(0.0, 0.2, per_class)
        X[rows] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[rows] = label
    return X.T, Y.T


def load_planar_dataset():
    """The 2-class "flower" data set.

    Returns:
        X: (2, 80) float array, one point per column.
        Y: (1, 80) uint8 array of labels (0 red, 1 blue).
    """
    return _flower(np.random.default_rng(_SEED), _POINTS)


def load_extra_datasets():
    """Five small 2-D data sets, as in the course: each a tuple (X (m, 2), Y (m,)).

    Returns:
        noisy_circles, noisy_moons, blobs, gaussian_quantiles, no_structure.
    """
    rng = np.random.default_rng(_SEED + 1)
    m = 60
    angle = rng.uniform(0.0, 2 * np.pi, m)
    inner = (np.arange(m) % 2).astype(int)
    radius = np.where(inner == 1, 0.5, 1.0)
    circles = np.c_[radius * np.cos(angle), radius * np.sin(angle)] + rng.normal(0, 0.3, (m, 2))
    moon = np.arange(m) % 2
    theta = rng.uniform(0.0, np.pi, m)
    moons = np.c_[np.cos(theta) + moon, np.sin(theta) * (1 - 2 * moon) - 0.5 * moon]
    moons = moons + rng.normal(0, 0.2, (m, 2))
    blob_labels = np.arange(m) % 6
    centres = rng.normal(0.0, 3.0, (6, 2))
    blobs = centres[blob_labels] + rng.normal(0.0, 0.5, (m, 2))
    gauss = rng.normal(0.0, 1.0, (m, 2))
    quantiles = (np.sum(gauss**2, axis=1) > np.median(np.sum(gauss**2, axis=1))).astype(int)
    none = rng.random((m, 2))
    return (
        (circles, inner),
        (moons, moon),
        (blobs, blob_labels % 2),
        (gauss, quantiles),
        (none, rng.integers(0, 2, m)),
    )


def plot_decision_boundary(model, X, y):
    """Stand-in for the course's plot: a scatter plot of the points, coloured by label.

    Args:
        model: a function from an (m, 2) array of points to labels (not called here).
        X: (2, m) points.
        y: (1, m) labels.
    """
    import matplotlib.pyplot as plt

    plt.scatter(X[0, :], X[1, :], c=np.ravel(y), s=20, cmap=plt.cm.Spectral)
    plt.ylabel("x2")
    plt.xlabel("x1")
