"""Course helpers for the Keras CNN notebook: the handwritten digits as images.

`load_digits_data()` returns the 8x8 handwritten digits (no download) as
`(X_train, Y_train, X_test, Y_test)`: images (m, 8, 8, 1) float32 in [0, 1] and one-hot labels
(m, 10). The grader trains your model on its own split and scores it on held-out images.

The digits are the test set of the UCI "Optical Recognition of Handwritten Digits" data
(E. Alpaydin, C. Kaynak; CC BY 4.0) as bundled with scikit-learn: `digits.csv.gz`, handed out
beside this module, is scikit-learn's file (64 pixel values 0..16, then the label, per row).
Without it, scikit-learn's own copy is read.
"""

import os

import numpy as np

DIGITS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "digits.csv.gz")


def load_digits_data(test_fraction=0.2, seed=0):
    """The 8x8 digits, scaled to [0, 1], with one-hot labels and a shuffled split."""
    images, target = _digits()
    X = (images / 16.0).astype("float32")[..., np.newaxis]
    Y = np.eye(10, dtype="float32")[target]
    order = np.random.default_rng(seed).permutation(len(X))
    n_test = int(len(X) * test_fraction)
    test, train = order[:n_test], order[n_test:]
    return X[train], Y[train], X[test], Y[test]


def _digits():
    """The images (m, 8, 8) as floats 0..16 and the labels (m,): the file beside this module,
    else scikit-learn's copy of the same file."""
    if os.path.exists(DIGITS_FILE):
        table = np.loadtxt(DIGITS_FILE, delimiter=",")
        return table[:, :-1].reshape(-1, 8, 8), table[:, -1].astype(int)
    from sklearn.datasets import load_digits

    digits = load_digits()
    return digits.images, digits.target
