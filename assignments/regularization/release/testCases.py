"""Stand-in for the course's `testCases` module of the regularization notebook.

Each function returns small inputs for one exercise with the course's shapes (3 features,
5 examples, layers of 2, 3 and 1 units) and seeding, so that a notebook's "try it out" cells
run. Unlike the course's, the caches come from a real forward pass. These are not the grader's
cases, which are generated separately.
"""

from __future__ import annotations

import numpy as np


def _parameters():
    return {
        "W1": np.random.randn(2, 3),
        "b1": np.random.randn(2, 1),
        "W2": np.random.randn(3, 2),
        "b2": np.random.randn(3, 1),
        "W3": np.random.randn(1, 3),
        "b3": np.random.randn(1, 1),
    }


def _cache(X, parameters):
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = np.dot(W1, X) + b1
    A1 = np.maximum(0, Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = np.maximum(0, Z2)
    Z3 = np.dot(W3, A2) + b3
    A3 = 1 / (1 + np.exp(-Z3))
    return (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)


def compute_cost_with_regularization_test_case():
    """(A3, Y_assess, parameters)."""
    np.random.seed(1)
    Y_assess = np.array([[1, 1, 0, 1, 0]])
    parameters = _parameters()
    a3 = np.array([[0.40682402, 0.01629284, 0.16722898, 0.10118111, 0.40682402]])
    return a3, Y_assess, parameters


def backward_propagation_with_regularization_test_case():
    """(X_assess, Y_assess, cache)."""
    np.random.seed(1)
    X_assess = np.random.randn(3, 5)
    Y_assess = np.array([[1, 1, 0, 1, 0]])
    return X_assess, Y_assess, _cache(X_assess, _parameters())


def forward_propagation_with_dropout_test_case():
    """(X_assess, parameters)."""
    np.random.seed(1)
    X_assess = np.random.randn(3, 5)
    return X_assess, _parameters()


def backward_propagation_with_dropout_test_case():
    """(X_assess, Y_assess, parameters)."""
    np.random.seed(1)
    X_assess = np.random.randn(3, 5)
    Y_assess = np.array([[1, 1, 0, 1, 0]])
    return X_assess, Y_assess, _parameters()


def dropout_forward_test_case():
    """(A, keep_prob): activations of 4 units on 5 examples, keep_prob 0.7."""
    np.random.seed(1)
    return np.maximum(0, np.random.randn(4, 5)), 0.7


def dropout_backward_test_case():
    """(dA, D, keep_prob)."""
    np.random.seed(1)
    dA = np.random.randn(4, 5)
    D = (np.random.rand(4, 5) < 0.7).astype(int)
    return dA, D, 0.7
