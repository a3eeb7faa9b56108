"""Reference solution and known mistakes for `logistic_regression` (grader side only).

This file never reaches the sandbox. Functions that build on other graded functions take those
helpers as keyword-only arguments, so the grader can run the reference with the *student's*
helpers injected and grade each function in isolation: a wrong `propagate` then costs the
`propagate` points only, not those of `optimize` and `model` too. Injected helpers return plain
decoded values and may be wrong; if the reference raises with them the grader falls back to the
pure reference.

Conventions: examples are columns, X is (n_x, m), Y is (1, m), w is (n_x, 1) and b a scalar.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.spec.course_mistakes import COSTS_EVERY_ITERATION, SIGMOID_WRONG_SIGN
from grader.spec.model import Mistake

DEFAULT_ITERATIONS = 100
DEFAULT_LEARNING_RATE = 0.009


def sigmoid(z: Any) -> Any:
    """Elementwise logistic function.

    Args:
        z: a Python scalar or a numpy array of any shape.

    Returns:
        1 / (1 + exp(-z)), with the shape of `z`.
    """
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def initialize_with_zeros(dim: int) -> tuple[np.ndarray, float]:
    """Zero parameters for a single neuron with `dim` inputs.

    Returns:
        (w, b): w of shape (dim, 1) float, b = 0.0.
    """
    return np.zeros((dim, 1)), 0.0


def propagate(w, b, X, Y, *, sigmoid=sigmoid) -> tuple[dict[str, Any], float]:
    """Forward and backward pass: mean cross-entropy cost and its gradients.

    Args:
        w: weights (n_x, 1).
        b: bias, a scalar.
        X: inputs (n_x, m), one example per column.
        Y: labels (1, m), 0 or 1.
        sigmoid: the activation (injectable for grading in isolation).

    Returns:
        (grads, cost): grads = {"dw": (n_x, 1) array, "db": float}; cost a float.
    """
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dw = np.dot(X, (A - Y).T) / m
    db = np.sum(A - Y) / m
    return {"dw": dw, "db": float(db)}, float(cost)


def optimize(
    w,
    b,
    X,
    Y,
    num_iterations=DEFAULT_ITERATIONS,
    learning_rate=DEFAULT_LEARNING_RATE,
    print_cost=False,
    *,
    propagate=propagate,
):
    """Gradient descent on (w, b).

    The cost is recorded every 100 iterations (i % 100 == 0), computed before that iteration's
    update, as in the course notebook.

    Returns:
        (params, grads, costs): params = {"w", "b"} after training, grads the last gradients
        computed, costs a list of floats.
    """
    # Copy so that the caller's arrays are never changed (the student's may be compared later).
    w = np.array(w, dtype=float, copy=True)
    grads: dict[str, Any] = {}
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print(f"Cost after iteration {i}: {cost:f}")
    return {"w": w, "b": b}, grads, costs


def predict(w, b, X, *, sigmoid=sigmoid) -> np.ndarray:
    """Label each column of X: 1 where sigmoid(w.T X + b) > 0.5, else 0.

    Returns:
        A float (1, m) array of zeros and ones.
    """
    A = sigmoid(np.dot(w.T, X) + b)
    return (A > 0.5).astype(float).reshape(1, X.shape[1])


def model(
    X_train,
    Y_train,
    X_test,
    Y_test,
    num_iterations=2000,
    learning_rate=0.5,
    print_cost=False,
    *,
    initialize_with_zeros=initialize_with_zeros,
    optimize=optimize,
    predict=predict,
) -> dict[str, Any]:
    """Train from zeros on the training set and predict both sets.

    Returns:
        A dict with keys costs, Y_prediction_test, Y_prediction_train, w, b, learning_rate and
        num_iterations.
    """
    w, b = initialize_with_zeros(X_train.shape[0])
    params, _, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)
    w, b = params["w"], params["b"]
    return {
        "costs": costs,
        "Y_prediction_test": predict(w, b, X_test),
        "Y_prediction_train": predict(w, b, X_train),
        "w": w,
        "b": b,
        "learning_rate": learning_rate,
        "num_iterations": num_iterations,
    }


# --- Known mistakes -------------------------------------------------------------------------
# Each variant has the reference's signature (injectable helpers included) and reproduces one
# mistake exactly, so the grader can recognise it by comparing outputs.


def _sigmoid_wrong_sign(z):
    return 1 / (1 + np.exp(np.asarray(z, dtype=float)))


def _zeros_flat(dim):
    return np.zeros(dim), 0.0


def _zeros_row(dim):
    return np.zeros((1, dim)), 0.0


def _propagate_parts(w, b, X, Y, sigmoid):
    """Unscaled pieces of the reference computation, for the propagate variants."""
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    log_likelihood = np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    return m, A, log_likelihood


def _cost_without_m(w, b, X, Y, *, sigmoid=sigmoid):
    m, A, ll = _propagate_parts(w, b, X, Y, sigmoid)
    return {"dw": np.dot(X, (A - Y).T) / m, "db": float(np.sum(A - Y) / m)}, float(-ll)


def _cost_wrong_sign(w, b, X, Y, *, sigmoid=sigmoid):
    m, A, ll = _propagate_parts(w, b, X, Y, sigmoid)
    return {"dw": np.dot(X, (A - Y).T) / m, "db": float(np.sum(A - Y) / m)}, float(ll / m)


def _cost_not_scalar(w, b, X, Y, *, sigmoid=sigmoid):
    grads, cost = propagate(w, b, X, Y, sigmoid=sigmoid)
    return grads, np.array([[cost]])


def _dw_without_m(w, b, X, Y, *, sigmoid=sigmoid):
    m, A, ll = _propagate_parts(w, b, X, Y, sigmoid)
    return {"dw": np.dot(X, (A - Y).T), "db": float(np.sum(A - Y) / m)}, float(-ll / m)


def _db_without_m(w, b, X, Y, *, sigmoid=sigmoid):
    m, A, ll = _propagate_parts(w, b, X, Y, sigmoid)
    return {"dw": np.dot(X, (A - Y).T) / m, "db": float(np.sum(A - Y))}, float(-ll / m)


def _dw_wrong_shape(w, b, X, Y, *, sigmoid=sigmoid):
    m, A, ll = _propagate_parts(w, b, X, Y, sigmoid)
    return {"dw": np.dot(A - Y, X.T) / m, "db": float(np.sum(A - Y) / m)}, float(-ll / m)


def _gradient_descent(
    w,
    b,
    X,
    Y,
    num_iterations,
    learning_rate,
    propagate,
    *,
    step_sign=-1.0,
    update_b=True,
    every=100,
):
    """The reference loop with the knobs the optimize mistakes turn."""
    w = np.array(w, dtype=float, copy=True)
    grads: dict[str, Any] = {}
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w + step_sign * learning_rate * grads["dw"]
        if update_b:
            b = b + step_sign * learning_rate * grads["db"]
        if i % every == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs


def _b_not_updated(
    w,
    b,
    X,
    Y,
    num_iterations=DEFAULT_ITERATIONS,
    learning_rate=DEFAULT_LEARNING_RATE,
    print_cost=False,
    *,
    propagate=propagate,
):
    return _gradient_descent(w, b, X, Y, num_iterations, learning_rate, propagate, update_b=False)


def _learning_rate_hard_coded(
    w,
    b,
    X,
    Y,
    num_iterations=DEFAULT_ITERATIONS,
    learning_rate=DEFAULT_LEARNING_RATE,
    print_cost=False,
    *,
    propagate=propagate,
):
    return _gradient_descent(w, b, X, Y, num_iterations, DEFAULT_LEARNING_RATE, propagate)


def _costs_every_iteration(
    w,
    b,
    X,
    Y,
    num_iterations=DEFAULT_ITERATIONS,
    learning_rate=DEFAULT_LEARNING_RATE,
    print_cost=False,
    *,
    propagate=propagate,
):
    return _gradient_descent(w, b, X, Y, num_iterations, learning_rate, propagate, every=1)


def _num_iterations_ignored(
    w,
    b,
    X,
    Y,
    num_iterations=DEFAULT_ITERATIONS,
    learning_rate=DEFAULT_LEARNING_RATE,
    print_cost=False,
    *,
    propagate=propagate,
):
    return _gradient_descent(w, b, X, Y, DEFAULT_ITERATIONS, learning_rate, propagate)


def _update_sign_flipped(
    w,
    b,
    X,
    Y,
    num_iterations=DEFAULT_ITERATIONS,
    learning_rate=DEFAULT_LEARNING_RATE,
    print_cost=False,
    *,
    propagate=propagate,
):
    return _gradient_descent(w, b, X, Y, num_iterations, learning_rate, propagate, step_sign=1.0)


def _threshold(value: float):
    def variant(w, b, X, *, sigmoid=sigmoid):
        activations = sigmoid(np.dot(w.T, X) + b)
        return (activations > value).astype(float).reshape(1, X.shape[1])

    return variant


def _predictions_flat(w, b, X, *, sigmoid=sigmoid):
    return predict(w, b, X, sigmoid=sigmoid).reshape(-1)


def _predict_activations(w, b, X, *, sigmoid=sigmoid):
    return np.asarray(sigmoid(np.dot(w.T, X) + b), dtype=float)


OMIT = object()  # "the student left this argument out of the call"


def _model_variant(*, iterations=None, rate=None, initial_params=False, swap_sets=False):
    """A `model` that makes one of the typical mistakes.

    Args:
        iterations: if set, optimize runs this many iterations whatever is passed (None: the
            argument; OMIT: the argument is left out, so optimize's own default applies).
        rate: likewise for the learning rate.
        initial_params: return the zero parameters instead of the trained ones.
        swap_sets: predict the training set under the test key and vice versa.
    """

    def variant(
        X_train,
        Y_train,
        X_test,
        Y_test,
        num_iterations=2000,
        learning_rate=0.5,
        print_cost=False,
        *,
        initialize_with_zeros=initialize_with_zeros,
        optimize=optimize,
        predict=predict,
    ):
        w0, b0 = initialize_with_zeros(X_train.shape[0])
        kwargs = {}
        if iterations is not OMIT:
            kwargs["num_iterations"] = num_iterations if iterations is None else iterations
        if rate is not OMIT:
            kwargs["learning_rate"] = learning_rate if rate is None else rate
        params, _, costs = optimize(w0, b0, X_train, Y_train, print_cost=print_cost, **kwargs)
        w, b = params["w"], params["b"]
        test, train = (X_train, X_test) if swap_sets else (X_test, X_train)
        return {
            "costs": costs,
            "Y_prediction_test": predict(w, b, test),
            "Y_prediction_train": predict(w, b, train),
            "w": w0 if initial_params else w,
            "b": b0 if initial_params else b,
            "learning_rate": learning_rate,
            "num_iterations": num_iterations,
        }

    return variant


MISTAKES: list[Mistake] = [
    Mistake(
        "sigmoid",
        "wrong_sign",
        SIGMOID_WRONG_SIGN,
        _sigmoid_wrong_sign,
    ),
    Mistake(
        "initialize_with_zeros",
        "w_flat",
        "Your w has shape (dim,): np.zeros(dim) gives a 1-D array. Use np.zeros((dim, 1)) "
        "so that w is a column vector of shape (dim, 1).",
        _zeros_flat,
    ),
    Mistake(
        "initialize_with_zeros",
        "w_row",
        "Your w has shape (1, dim), a row vector. Use np.zeros((dim, 1)) so that w is a "
        "column vector with one weight per input feature.",
        _zeros_row,
    ),
    Mistake(
        "propagate",
        "cost_without_one_over_m",
        "Your cost is m times too large: divide the summed cross-entropy by m (the number of "
        "examples, X.shape[1]).",
        _cost_without_m,
    ),
    Mistake(
        "propagate",
        "cost_wrong_sign",
        "Your cost has the wrong sign (it is negative). The cross-entropy is "
        "-(1/m) * sum(Y*log(A) + (1-Y)*log(1-A)): don't forget the leading minus.",
        _cost_wrong_sign,
    ),
    Mistake(
        "propagate",
        "cost_not_scalar",
        "Your cost is a 1x1 array rather than a number. Turn it into a scalar, for example "
        "with cost = np.squeeze(cost) or cost.item().",
        _cost_not_scalar,
    ),
    Mistake(
        "propagate",
        "dw_without_one_over_m",
        "Your dw is m times too large: dw = (1/m) * X @ (A - Y).T, where m = X.shape[1].",
        _dw_without_m,
    ),
    Mistake(
        "propagate",
        "db_without_one_over_m",
        "Your db is m times too large: db = (1/m) * np.sum(A - Y), where m = X.shape[1].",
        _db_without_m,
    ),
    Mistake(
        "propagate",
        "dw_wrong_shape",
        "Your dw has shape (1, n_x) instead of (n_x, 1), the shape of w: (A - Y) @ X.T is a "
        "row. Compute dw = np.dot(X, (A - Y).T) / m instead.",
        _dw_wrong_shape,
    ),
    Mistake(
        "optimize",
        "b_not_updated",
        "Your b never changes. Update it in every iteration too: b = b - learning_rate * db.",
        _b_not_updated,
    ),
    Mistake(
        "optimize",
        "learning_rate_hard_coded",
        "Your optimize always uses a learning rate of 0.009. Use the learning_rate argument "
        "in the update: w = w - learning_rate * dw (and the same for b).",
        _learning_rate_hard_coded,
    ),
    Mistake(
        "optimize",
        "costs_every_iteration",
        COSTS_EVERY_ITERATION,
        _costs_every_iteration,
    ),
    Mistake(
        "optimize",
        "num_iterations_ignored",
        "Your optimize always runs 100 iterations. Loop over range(num_iterations) so that "
        "the argument is used.",
        _num_iterations_ignored,
    ),
    Mistake(
        "optimize",
        "update_sign_flipped",
        "Your update moves uphill: w = w + learning_rate * dw increases the cost. Gradient "
        "descent subtracts the gradient: w = w - learning_rate * dw (and the same for b).",
        _update_sign_flipped,
    ),
    Mistake(
        "predict",
        "threshold_0_6",
        "Your predictions use a threshold of 0.6. Predict 1 when the activation is above "
        "0.5 (A > 0.5) and 0 otherwise.",
        _threshold(0.6),
    ),
    Mistake(
        "predict",
        "threshold_0_7",
        "Your predictions use a threshold of 0.7. Predict 1 when the activation is above "
        "0.5 (A > 0.5) and 0 otherwise.",
        _threshold(0.7),
    ),
    Mistake(
        "predict",
        "predictions_flat",
        "Your predictions have shape (m,) instead of (1, m). Keep the row shape of "
        "w.T @ X, for example with Y_prediction = (A > 0.5).astype(float).",
        _predictions_flat,
    ),
    Mistake(
        "predict",
        "activations_not_thresholded",
        "You return the activations A themselves. Convert them to labels: 1 where A > 0.5, "
        "0 elsewhere.",
        _predict_activations,
    ),
    Mistake(
        "model",
        "num_iterations_not_passed",
        "Your model doesn't pass num_iterations to optimize, so optimize runs its default "
        "100 iterations. Call optimize(w, b, X_train, Y_train, num_iterations, "
        "learning_rate, print_cost).",
        _model_variant(iterations=OMIT),
    ),
    Mistake(
        "model",
        "learning_rate_hard_coded",
        "Your model always trains with a learning rate of 0.5. Pass the learning_rate "
        "argument on to optimize.",
        _model_variant(rate=0.5),
    ),
    Mistake(
        "model",
        "hyperparameters_not_passed",
        "Your model calls optimize without num_iterations and learning_rate, so optimize's "
        "defaults (100 and 0.009) are used. Pass both arguments on to optimize.",
        _model_variant(iterations=OMIT, rate=OMIT),
    ),
    Mistake(
        "model",
        "returns_initial_params",
        "The w and b in your dictionary are the initial zeros. Return the trained values: "
        'w = params["w"] and b = params["b"].',
        _model_variant(initial_params=True),
    ),
    Mistake(
        "model",
        "prediction_sets_swapped",
        "Your Y_prediction_test and Y_prediction_train are swapped: predict X_test for "
        "Y_prediction_test and X_train for Y_prediction_train.",
        _model_variant(swap_sets=True),
    ),
]
