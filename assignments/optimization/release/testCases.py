"""Stand-in for the course's `testCases` module of the optimization notebook.

Each function returns small inputs for one exercise, with the course's shapes (a 2-layer
network 3 -> 2 -> 3) and seeding, so that a notebook's "try it out" cells run. The mini-batch
test case uses 5 features instead of the course's 12288 to stay light. These are not the
grader's cases, which are generated separately.
"""

from __future__ import annotations

import numpy as np


def _parameters_and_grads(seed):
    np.random.seed(seed)
    W1 = np.random.randn(2, 3)
    b1 = np.random.randn(2, 1)
    W2 = np.random.randn(3, 3)
    b2 = np.random.randn(3, 1)
    dW1 = np.random.randn(2, 3)
    db1 = np.random.randn(2, 1)
    dW2 = np.random.randn(3, 3)
    db2 = np.random.randn(3, 1)
    parameters = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    return parameters, grads


def update_parameters_with_gd_test_case():
    """(parameters, grads, learning_rate)."""
    parameters, grads = _parameters_and_grads(1)
    return parameters, grads, 0.01


def random_mini_batches_test_case():
    """(X_assess (5, 148), Y_assess (1, 148), mini_batch_size 64)."""
    np.random.seed(1)
    mini_batch_size = 64
    X = np.random.randn(5, 148)
    Y = np.random.randn(1, 148) < 0.5
    return X, Y, mini_batch_size


def initialize_velocity_test_case():
    """parameters of the 3 -> 2 -> 3 network."""
    np.random.seed(1)
    return {
        "W1": np.random.randn(2, 3),
        "b1": np.random.randn(2, 1),
        "W2": np.random.randn(3, 3),
        "b2": np.random.randn(3, 1),
    }


def update_parameters_with_momentum_test_case():
    """(parameters, grads, v) with v all zeros."""
    parameters, grads = _parameters_and_grads(1)
    v = {key: np.zeros_like(value) for key, value in grads.items()}
    return parameters, grads, v


def initialize_rmsprop_test_case():
    """parameters of the 3 -> 2 -> 3 network."""
    return initialize_velocity_test_case()


def update_parameters_with_rmsprop_test_case():
    """(parameters, grads, s) with s all zeros."""
    return update_parameters_with_momentum_test_case()


def initialize_adam_test_case():
    """parameters of the 3 -> 2 -> 3 network."""
    return initialize_velocity_test_case()


def update_parameters_with_adam_test_case():
    """(parameters, grads, v, s, t) with v and s all zeros and t = 2."""
    parameters, grads = _parameters_and_grads(1)
    v = {key: np.zeros_like(value) for key, value in grads.items()}
    s = {key: np.zeros_like(value) for key, value in grads.items()}
    return parameters, grads, v, s, 2
