"""Reference solution and known mistakes for `perceptron` (grader side only).

This file never reaches the sandbox. `perceptron_train` is graded by property (see
`check_perceptron_train` in assignments/perceptron/cases.py), so its mistakes are recognised by
`detect` functions: some look at the shapes the student returned, others rerun the mistaken
rule here and compare weights (the classic rule is deterministic once the order of the examples
and the tie convention are fixed; both conventions are tried).

Conventions: examples are columns, X is (n_x, m), Y is (1, m) with 0/1 labels, w is (n_x, 1)
and b a scalar.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.spec.model import CaseInput, Mistake

DEFAULT_EPOCHS = 100
DEFAULT_LEARNING_RATE = 1.0


def perceptron_predict(w, b, X):
    """Classify each column of X with the perceptron's step function.

    Args:
        w: weights, a numpy array of shape (n_x, 1).
        b: bias, a scalar.
        X: inputs, a numpy array of shape (n_x, m), one example per column.

    Returns:
        A numpy array of shape (1, m): 1 where w.T X + b > 0, else 0.
    """
    return (np.dot(w.T, X) + b > 0).astype(float)


def perceptron_train(X, Y, epochs=100, learning_rate=1.0):
    """Train a perceptron with the classic perceptron rule, starting from w = 0 and b = 0.

    One epoch is one pass over the examples (the columns of X) in order. For each example x
    with label y, predict y_hat (1 if w.T x + b > 0, else 0); if y_hat is wrong, update
        w = w + learning_rate * (y - y_hat) * x
        b = b + learning_rate * (y - y_hat)
    Run `epochs` epochs (you may stop early after an epoch without any mistake).

    Args:
        X: inputs, a numpy array of shape (n_x, m), one example per column.
        Y: labels, a numpy array of shape (1, m) holding 0s and 1s.
        epochs: the number of passes over the training set.
        learning_rate: the step size of each update.

    Returns:
        (w, b): w a numpy array of shape (n_x, 1), b a scalar (a Python or numpy float).
    """
    n_x, m = X.shape
    w = np.zeros((n_x, 1))
    b = 0.0
    for _ in range(epochs):
        mistakes = 0
        for i in range(m):
            x = X[:, i : i + 1]
            y = float(Y[0, i])
            y_hat = 1.0 if float(np.dot(w.T, x)[0, 0] + b) > 0 else 0.0
            if y_hat != y:
                w = w + learning_rate * (y - y_hat) * x
                b = b + learning_rate * (y - y_hat)
                mistakes += 1
        if mistakes == 0:
            break
    return w, float(b)


# --- Known mistakes -------------------------------------------------------------------------
# perceptron_predict's variants reproduce each mistake exactly. perceptron_train's are
# recognised by `detect(inputs, got)`: the student's answer failed the property check, and the
# detector tells why.


def _threshold(value: float):
    def variant(w, b, X):
        return (np.dot(w.T, X) + b > value).astype(float)

    return variant


def _predict_without_bias(w, b, X):
    return (np.dot(w.T, X) > 0).astype(float)


def _predict_scores(w, b, X):
    return np.dot(w.T, X) + b


def _predict_signs(w, b, X):
    return np.sign(np.dot(w.T, X) + b)


def _predict_flat(w, b, X):
    return perceptron_predict(w, b, X).reshape(-1)


def _predict_column(w, b, X):
    return perceptron_predict(w, b, X).T


def _run_rule(
    X: np.ndarray,
    Y: np.ndarray,
    epochs: int,
    learning_rate: float,
    *,
    strict: bool,
    rule: str = "classic",
) -> tuple[np.ndarray, float]:
    """The training loop with one knob turned: `rule` picks the update.

    classic: w += lr * (y - y_hat) * x; flipped: w -= the same; plus_minus_one: the +-1-label
    form `if y * (w.T x + b) <= 0: w += lr * y * x`. `strict` picks y_hat = 1 for a score > 0
    (True) or >= 0 (False).
    """
    w = np.zeros((X.shape[0], 1))
    b = 0.0
    for _ in range(epochs):
        for i in range(X.shape[1]):
            x, y = X[:, i : i + 1], float(Y[0, i])
            score = float(np.dot(w.T, x)[0, 0] + b)
            if rule == "plus_minus_one":
                step = y if y * score <= 0 else 0.0
            else:
                y_hat = 1.0 if (score > 0 if strict else score >= 0) else 0.0
                step = (y - y_hat) * (-1.0 if rule == "flipped" else 1.0)
            w = w + learning_rate * step * x
            b = b + learning_rate * step
    return w, b


def _arguments(inputs: CaseInput) -> tuple[np.ndarray, np.ndarray, int, float]:
    names = ("X", "Y", "epochs", "learning_rate")
    values = dict(zip(names, inputs.args, strict=False)) | inputs.kwargs
    epochs = values.get("epochs", DEFAULT_EPOCHS)
    learning_rate = values.get("learning_rate", DEFAULT_LEARNING_RATE)
    return values["X"], values["Y"], epochs, learning_rate


def _returned(got: Any) -> tuple[Any, Any]:
    if not isinstance(got, tuple | list) or len(got) != 2:
        raise ValueError("not a (w, b) pair")
    return got[0], got[1]


def _reproduces(rule: str, one_epoch: bool = False):
    """A detector: does the student's (w, b) equal the mistaken rule's, with either tie rule?"""

    def detect(inputs: CaseInput, got: Any) -> bool:
        X, Y, epochs, learning_rate = _arguments(inputs)
        w, b = _returned(got)
        w = np.asarray(w, dtype=float).reshape(-1, 1)
        b = float(np.asarray(b, dtype=float).reshape(-1)[0])
        for strict in (True, False):
            want_w, want_b = _run_rule(
                X, Y, 1 if one_epoch else epochs, learning_rate, strict=strict, rule=rule
            )
            if w.shape == want_w.shape and np.allclose(w, want_w) and np.isclose(b, want_b):
                return True
        return False

    return detect


def _w_shape(shape: str):
    def detect(inputs: CaseInput, got: Any) -> bool:
        n_x = _arguments(inputs)[0].shape[0]
        w = _returned(got)[0]
        wanted = {"flat": (n_x,), "row": (1, n_x)}[shape]
        return isinstance(w, np.ndarray) and w.shape == wanted

    return detect


def _b_is_array(inputs: CaseInput, got: Any) -> bool:
    b = _returned(got)[1]
    return isinstance(b, np.ndarray) and b.ndim >= 1 and b.size == 1


def _b_is_zero(inputs: CaseInput, got: Any) -> bool:
    b = _returned(got)[1]
    return np.ndim(b) == 0 and float(b) == 0.0


MISTAKES: list[Mistake] = [
    Mistake(
        "perceptron_predict",
        "threshold_half",
        "Your predictions threshold the score at 0.5, as logistic regression thresholds its "
        "activation. The perceptron has no sigmoid: predict 1 where w.T X + b > 0, else 0.",
        _threshold(0.5),
    ),
    Mistake(
        "perceptron_predict",
        "bias_ignored",
        "Your predictions ignore b: you threshold w.T X instead of w.T X + b. Add the bias "
        "before comparing with 0.",
        _predict_without_bias,
    ),
    Mistake(
        "perceptron_predict",
        "scores_not_thresholded",
        "You return the scores w.T X + b themselves. Convert them to labels: 1 where the score "
        "is > 0, 0 elsewhere, e.g. (np.dot(w.T, X) + b > 0).astype(float).",
        _predict_scores,
    ),
    Mistake(
        "perceptron_predict",
        "labels_minus_one",
        "Your predictions are -1 and +1 (np.sign), but the labels in this assignment are 0 and "
        "1. Predict 1 where w.T X + b > 0 and 0 elsewhere.",
        _predict_signs,
    ),
    Mistake(
        "perceptron_predict",
        "predictions_flat",
        "Your predictions have shape (m,) instead of (1, m). Keep the row shape of "
        "np.dot(w.T, X) instead of flattening it.",
        _predict_flat,
    ),
    Mistake(
        "perceptron_predict",
        "predictions_column",
        "Your predictions have shape (m, 1), a column: np.dot(X.T, w) puts the examples in "
        "rows. Compute np.dot(w.T, X) + b, which has shape (1, m).",
        _predict_column,
    ),
    Mistake(
        "perceptron_train",
        "w_flat",
        "Your w has shape (n_x,): np.zeros(n_x) gives a 1-D array. Start from "
        "w = np.zeros((n_x, 1)) and take each example as a column, x = X[:, i:i+1] (or "
        "X[:, i].reshape(-1, 1)), so that w keeps the shape (n_x, 1).",
        detect=_w_shape("flat"),
    ),
    Mistake(
        "perceptron_train",
        "w_row",
        "Your w has shape (1, n_x), a row. Use a column, w = np.zeros((n_x, 1)), so that "
        "np.dot(w.T, X) + b gives one score per example.",
        detect=_w_shape("row"),
    ),
    Mistake(
        "perceptron_train",
        "b_not_scalar",
        "Your b is a numpy array of one element, not a number: a label taken as Y[:, i] is an "
        "array of shape (1,). Take y = Y[0, i] (a number), or return float(b).",
        detect=_b_is_array,
    ),
    Mistake(
        "perceptron_train",
        "update_sign_flipped",
        "Your update has the wrong sign: it moves the hyperplane away from the examples it "
        "gets wrong. The rule is w = w + learning_rate * (y - y_hat) * x and "
        "b = b + learning_rate * (y - y_hat).",
        detect=_reproduces("flipped"),
    ),
    Mistake(
        "perceptron_train",
        "plus_minus_one_rule",
        "You use the form of the rule written for -1/+1 labels (if y * (w.T x + b) <= 0: "
        "w += learning_rate * y * x). With 0/1 labels an example with y = 0 never moves w, so "
        "negative examples are never learned. Use w += learning_rate * (y - y_hat) * x and "
        "b += learning_rate * (y - y_hat), where y_hat is your 0/1 prediction.",
        detect=_reproduces("plus_minus_one"),
    ),
    Mistake(
        "perceptron_train",
        "one_epoch_only",
        "Your training stops after the first epoch: is the return statement indented inside "
        "the epoch loop? Run all `epochs` passes over the data (stopping early only after a "
        "pass without any mistake).",
        detect=_reproduces("classic", one_epoch=True),
    ),
    Mistake(
        "perceptron_train",
        "b_not_updated",
        "Your b stays 0, so your hyperplane always passes through the origin, and this data "
        "cannot be separated by such a hyperplane. Update the bias with every update of w: "
        "b = b + learning_rate * (y - y_hat).",
        detect=_b_is_zero,
    ),
]
