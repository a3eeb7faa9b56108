"""Course helpers for the Keras CNN notebook: the handwritten digits as images.

`load_digits_data()` returns scikit-learn's bundled 8x8 digits (no download) as
`(X_train, Y_train, X_test, Y_test)`: images (m, 8, 8, 1) float32 in [0, 1] and one-hot labels
(m, 10). The grader trains your model on its own split and scores it on held-out images.
"""

import numpy as np


def load_digits_data(test_fraction=0.2, seed=0):
    """The 8x8 digits, scaled to [0, 1], with one-hot labels and a shuffled split."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    X = (digits.images / 16.0).astype("float32")[..., np.newaxis]
    Y = np.eye(10, dtype="float32")[digits.target]
    order = np.random.default_rng(seed).permutation(len(X))
    n_test = int(len(X) * test_fraction)
    test, train = order[:n_test], order[n_test:]
    return X[train], Y[train], X[test], Y[test]
