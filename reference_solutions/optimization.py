"""Reference solution and known mistakes for `optimization` (grader side only).

This file never reaches the sandbox. Conventions: examples are columns, X is (n_x, m) and Y is
(1, m); W[l] has shape (n_l, n_{l-1}) and b[l] shape (n_l, 1); parameter dicts use the keys
"W1", "b1", ..., gradient dicts (and the moment estimates v and s) the keys "dW1", "db1", ....

The course's update functions assign the new arrays into the `parameters` dict they receive and
return it; the grader accepts that (it only compares what is returned), so the reference works
on copies and never changes its inputs. `random_mini_batches` is random by design: it is graded
by property (see `check_random_mini_batches` in the assignment's cases.py) and its mistakes
are recognised by `detect` functions rather than by variants.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from grader.spec.model import CaseInput, Mistake

Params = dict[str, np.ndarray]


def _layers(parameters: Params) -> int:
    """The number of layers L: parameters holds W1, b1, ..., WL, bL."""
    return len(parameters) // 2


def update_parameters_with_gd(parameters, grads, learning_rate):
    """One step of (batch) gradient descent on every layer.

    For l = 1, ..., L:
        W[l] = W[l] - learning_rate * dW[l]
        b[l] = b[l] - learning_rate * db[l]

    Args:
        parameters: dict with "W1" (n_1, n_0), "b1" (n_1, 1), ..., "WL", "bL".
        grads: dict with "dW1", "db1", ..., "dWL", "dbL", shaped like the parameters.
        learning_rate: the step size alpha, a float.

    Returns:
        parameters: dict with the updated "W1", "b1", ..., "WL", "bL".
    """
    updated = dict(parameters)
    for l in range(1, _layers(parameters) + 1):
        updated[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        updated[f"b{l}"] = parameters[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return updated


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    """Shuffle the examples, then partition them into mini-batches.

    Step 1: shuffle the columns of X and Y with the same random permutation, so that each
    label stays with its example. Step 2: cut the shuffled data into consecutive batches of
    `mini_batch_size` examples; when m is not a multiple of `mini_batch_size`, the last batch
    holds the m - mini_batch_size * floor(m / mini_batch_size) remaining examples.

    Args:
        X: input data (n_x, m), one example per column.
        Y: labels (1, m).
        mini_batch_size: the number of examples in each mini-batch, an int.
        seed: seed for the shuffle (np.random.seed(seed)), so that runs can be repeated.

    Returns:
        mini_batches: a list of (mini_batch_X, mini_batch_Y) tuples, of shapes
        (n_x, k) and (1, k), where k = mini_batch_size except possibly in the last one.
    """
    m = X.shape[1]
    permutation = np.random.default_rng(seed).permutation(m)
    shuffled_X = X[:, permutation]
    shuffled_Y = Y[:, permutation].reshape((1, m))
    mini_batches = []
    for start in range(0, m, mini_batch_size):
        stop = min(start + mini_batch_size, m)
        mini_batches.append((shuffled_X[:, start:stop], shuffled_Y[:, start:stop]))
    return mini_batches


def _zeros_like_grads(parameters: Params) -> Params:
    zeros = {}
    for l in range(1, _layers(parameters) + 1):
        zeros[f"dW{l}"] = np.zeros(np.shape(parameters[f"W{l}"]))
        zeros[f"db{l}"] = np.zeros(np.shape(parameters[f"b{l}"]))
    return zeros


def initialize_velocity(parameters):
    """The velocity of momentum, initialized to zero.

    Args:
        parameters: dict with "W1", "b1", ..., "WL", "bL".

    Returns:
        v: dict with "dW1", "db1", ..., "dWL", "dbL": arrays of zeros, each of the shape of
        the corresponding parameter (v["dW1"] like parameters["W1"], ...).
    """
    return _zeros_like_grads(parameters)


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    """One step of gradient descent with momentum.

    For each parameter W (and likewise each b):
        v_dW = beta * v_dW + (1 - beta) * dW
        W = W - learning_rate * v_dW

    Args:
        parameters: dict with "W1", "b1", ..., "WL", "bL".
        grads: dict with "dW1", "db1", ..., shaped like the parameters.
        v: the current velocity, a dict with "dW1", "db1", ....
        beta: the momentum hyperparameter, a float.
        learning_rate: the step size, a float.

    Returns:
        (parameters, v): the updated parameters and the updated velocity.
    """
    updated, velocity = dict(parameters), dict(v)
    for l in range(1, _layers(parameters) + 1):
        for name in (f"W{l}", f"b{l}"):
            velocity[f"d{name}"] = beta * v[f"d{name}"] + (1 - beta) * grads[f"d{name}"]
            updated[name] = parameters[name] - learning_rate * velocity[f"d{name}"]
    return updated, velocity


def initialize_rmsprop(parameters):
    """The running average of squared gradients of RMSprop, initialized to zero.

    Args:
        parameters: dict with "W1", "b1", ..., "WL", "bL".

    Returns:
        s: dict with "dW1", "db1", ..., "dWL", "dbL": arrays of zeros shaped like the
        corresponding parameters.
    """
    return _zeros_like_grads(parameters)


def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    """One step of RMSprop.

    For each parameter W (and likewise each b), elementwise:
        s_dW = beta2 * s_dW + (1 - beta2) * dW ** 2
        W = W - learning_rate * dW / (sqrt(s_dW) + epsilon)

    Args:
        parameters: dict with "W1", "b1", ..., "WL", "bL".
        grads: dict with "dW1", "db1", ..., shaped like the parameters.
        s: the current running averages, a dict with "dW1", "db1", ....
        beta2: the decay rate of the running average, a float.
        learning_rate: the step size, a float.
        epsilon: a small number that prevents division by zero.

    Returns:
        (parameters, s): the updated parameters and the updated running averages.
    """
    updated, squares = dict(parameters), dict(s)
    for l in range(1, _layers(parameters) + 1):
        for name in (f"W{l}", f"b{l}"):
            gradient = grads[f"d{name}"]
            squares[f"d{name}"] = beta2 * s[f"d{name}"] + (1 - beta2) * np.square(gradient)
            step = gradient / (np.sqrt(squares[f"d{name}"]) + epsilon)
            updated[name] = parameters[name] - learning_rate * step
    return updated, squares


def initialize_adam(parameters):
    """The two moment estimates of Adam, initialized to zero.

    Args:
        parameters: dict with "W1", "b1", ..., "WL", "bL".

    Returns:
        (v, s): two dicts, each with "dW1", "db1", ..., "dWL", "dbL": arrays of zeros shaped
        like the corresponding parameters. v holds the moving average of the gradients, s
        that of the squared gradients.
    """
    return _zeros_like_grads(parameters), _zeros_like_grads(parameters)


def update_parameters_with_adam(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    """One step of Adam.

    For each parameter W (and likewise each b), elementwise:
        v_dW = beta1 * v_dW + (1 - beta1) * dW
        v_corrected_dW = v_dW / (1 - beta1 ** t)
        s_dW = beta2 * s_dW + (1 - beta2) * dW ** 2
        s_corrected_dW = s_dW / (1 - beta2 ** t)
        W = W - learning_rate * v_corrected_dW / (sqrt(s_corrected_dW) + epsilon)

    Args:
        parameters: dict with "W1", "b1", ..., "WL", "bL".
        grads: dict with "dW1", "db1", ..., shaped like the parameters.
        v: moving average of the gradients, a dict with "dW1", "db1", ....
        s: moving average of the squared gradients, a dict with "dW1", "db1", ....
        t: the number of Adam steps taken so far, this one included (t >= 1), an int.
        learning_rate: the step size.
        beta1: decay rate of the first moment estimate v.
        beta2: decay rate of the second moment estimate s.
        epsilon: a small number that prevents division by zero.

    Returns:
        (parameters, v, s, v_corrected, s_corrected): the updated parameters, the updated
        moving averages, and the bias-corrected averages (dicts with "dW1", "db1", ...).
    """
    updated, first, second = dict(parameters), dict(v), dict(s)
    v_corrected, s_corrected = {}, {}
    for l in range(1, _layers(parameters) + 1):
        for name in (f"W{l}", f"b{l}"):
            key, gradient = f"d{name}", grads[f"d{name}"]
            first[key] = beta1 * v[key] + (1 - beta1) * gradient
            v_corrected[key] = first[key] / (1 - beta1**t)
            second[key] = beta2 * s[key] + (1 - beta2) * np.square(gradient)
            s_corrected[key] = second[key] / (1 - beta2**t)
            step = v_corrected[key] / (np.sqrt(s_corrected[key]) + epsilon)
            updated[name] = parameters[name] - learning_rate * step
    return updated, first, second, v_corrected, s_corrected


# --- Known mistakes: update_parameters_with_gd, initializations -----------------------------
# Each variant has the reference's signature and reproduces one mistake exactly, so the grader
# recognises it by comparing outputs.


def _gd_variant(*, sign=-1.0, update_b=True, skip_last=False):
    def variant(parameters, grads, learning_rate):
        updated = dict(parameters)
        last = _layers(parameters) - (1 if skip_last else 0)
        for l in range(1, last + 1):
            updated[f"W{l}"] = parameters[f"W{l}"] + sign * learning_rate * grads[f"dW{l}"]
            if update_b:
                updated[f"b{l}"] = parameters[f"b{l}"] + sign * learning_rate * grads[f"db{l}"]
        return updated

    return variant


def _zeros_variant(*, keys_without_d=False, skip_last=False, pair=False):
    def zeros(parameters):
        result = {}
        last = _layers(parameters) - (1 if skip_last else 0)
        prefix = "" if keys_without_d else "d"
        for l in range(1, last + 1):
            result[f"{prefix}W{l}"] = np.zeros(np.shape(parameters[f"W{l}"]))
            result[f"{prefix}b{l}"] = np.zeros(np.shape(parameters[f"b{l}"]))
        return result

    def variant(parameters):
        return (zeros(parameters), zeros(parameters)) if pair else zeros(parameters)

    return variant


# --- Known mistakes: momentum, RMSprop, Adam --------------------------------------------------


def _momentum_variant(*, keep_one_minus_beta=True, swap_weights=False, raw_gradient=False):
    def variant(parameters, grads, v, beta, learning_rate):
        updated, velocity = dict(parameters), dict(v)
        for l in range(1, _layers(parameters) + 1):
            for name in (f"W{l}", f"b{l}"):
                old, gradient = v[f"d{name}"], grads[f"d{name}"]
                if swap_weights:
                    new = (1 - beta) * old + beta * gradient
                elif keep_one_minus_beta:
                    new = beta * old + (1 - beta) * gradient
                else:
                    new = beta * old + gradient
                velocity[f"d{name}"] = new
                updated[name] = parameters[name] - learning_rate * (
                    gradient if raw_gradient else new
                )
        return updated, velocity

    return variant


def _denominator(squares, epsilon, *, epsilon_inside=False, no_sqrt=False):
    if no_sqrt:
        return squares + epsilon
    if epsilon_inside:
        return np.sqrt(squares + epsilon)
    return np.sqrt(squares) + epsilon


def _rmsprop_variant(*, epsilon_inside=False, no_sqrt=False, not_squared=False):
    def variant(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
        updated, squares = dict(parameters), dict(s)
        for l in range(1, _layers(parameters) + 1):
            for name in (f"W{l}", f"b{l}"):
                gradient = grads[f"d{name}"]
                term = gradient if not_squared else np.square(gradient)
                squares[f"d{name}"] = beta2 * s[f"d{name}"] + (1 - beta2) * term
                with np.errstate(invalid="ignore"):  # sqrt of a negative "average": NaN
                    denominator = _denominator(
                        squares[f"d{name}"], epsilon, epsilon_inside=epsilon_inside, no_sqrt=no_sqrt
                    )
                updated[name] = parameters[name] - learning_rate * gradient / denominator
        return updated, squares

    return variant


def _adam_variant(
    *, epsilon_inside=False, correction_without_t=False, swap_betas=False, uncorrected=False
):
    def variant(
        parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
    ):
        b1, b2 = (beta2, beta1) if swap_betas else (beta1, beta2)
        power = 1 if correction_without_t else t
        updated, first, second = dict(parameters), dict(v), dict(s)
        v_corrected, s_corrected = {}, {}
        for l in range(1, _layers(parameters) + 1):
            for name in (f"W{l}", f"b{l}"):
                key, gradient = f"d{name}", grads[f"d{name}"]
                first[key] = b1 * v[key] + (1 - b1) * gradient
                v_corrected[key] = first[key] / (1 - b1**power)
                second[key] = b2 * s[key] + (1 - b2) * np.square(gradient)
                s_corrected[key] = second[key] / (1 - b2**power)
                mean, square = (
                    (first[key], second[key])
                    if uncorrected
                    else (v_corrected[key], s_corrected[key])
                )
                denominator = _denominator(square, epsilon, epsilon_inside=epsilon_inside)
                updated[name] = parameters[name] - learning_rate * mean / denominator
        return updated, first, second, v_corrected, s_corrected

    return variant


# --- Known mistakes: random_mini_batches (recognised by property) -----------------------------


def _batches(got: Any) -> list[tuple[np.ndarray, np.ndarray]] | None:
    """The student's mini-batches as (X, Y) float arrays, or None if they are malformed."""
    if not isinstance(got, list | tuple):
        return None
    batches = []
    for batch in got:
        if not isinstance(batch, list | tuple) or len(batch) != 2:
            return None
        bx, by = (np.asarray(part, dtype=float) for part in batch)
        if bx.ndim != 2 or by.ndim != 2 or bx.shape[1] != by.shape[1]:
            return None
        batches.append((bx, by))
    return batches


def _batch_args(inputs: CaseInput) -> tuple[np.ndarray, np.ndarray, int]:
    X, Y = inputs.args[0], inputs.args[1]
    size = inputs.args[2] if len(inputs.args) > 2 else inputs.kwargs.get("mini_batch_size", 64)
    return X, Y, int(size)


def _column_sources(X: np.ndarray, columns: np.ndarray) -> np.ndarray | None:
    """For each column of `columns`, the index of the equal column of X (None if one has none)."""
    distances = np.abs(columns[:, :, None] - X[:, None, :]).max(axis=0)
    sources = distances.argmin(axis=1)
    if not np.allclose(distances[np.arange(columns.shape[1]), sources], 0.0, atol=1e-6):
        return None
    return sources


def _concatenated(inputs: CaseInput, got: Any):
    """(X, Y, size, batches, sources of the concatenated columns), or None if malformed."""
    X, Y, size = _batch_args(inputs)
    batches = _batches(got)
    if not batches or any(bx.shape[0] != X.shape[0] for bx, _ in batches):
        return None
    columns = np.concatenate([bx for bx, _ in batches], axis=1)
    sources = _column_sources(X, columns)
    return None if sources is None else (X, Y, size, batches, sources)


def _detect_not_shuffled(inputs: CaseInput, got: Any) -> bool:
    found = _concatenated(inputs, got)
    return found is not None and np.array_equal(found[4], np.arange(found[0].shape[1]))


def _detect_y_not_shuffled(inputs: CaseInput, got: Any) -> bool:
    found = _concatenated(inputs, got)
    if found is None:
        return False
    X, Y, _, batches, sources = found
    if any(by.shape[0] != 1 for _, by in batches):
        return False
    labels = np.concatenate([by for _, by in batches], axis=1)
    moved = not np.array_equal(sources, np.arange(X.shape[1]))
    return moved and labels.shape == Y.shape and not np.allclose(labels, Y[:, sources])


def _detect_overlapping(inputs: CaseInput, got: Any) -> bool:
    found = _concatenated(inputs, got)
    return found is not None and len(set(found[4].tolist())) < found[4].size


def _sizes(inputs: CaseInput, got: Any) -> tuple[int, int, list[int]] | None:
    X, _, size = _batch_args(inputs)
    batches = _batches(got)
    return None if batches is None else (X.shape[1], size, [bx.shape[1] for bx, _ in batches])


def _detect_last_batch_dropped(inputs: CaseInput, got: Any) -> bool:
    found = _sizes(inputs, got)
    if found is None:
        return False
    m, size, sizes = found
    return m % size != 0 and sizes == [size] * (m // size)


def _detect_empty_last_batch(inputs: CaseInput, got: Any) -> bool:
    found = _sizes(inputs, got)
    if found is None:
        return False
    m, size, sizes = found
    return m % size == 0 and sizes == [size] * (m // size) + [0]


def _detect_size_ignored(inputs: CaseInput, got: Any) -> bool:
    found = _sizes(inputs, got)
    if found is None:
        return False
    m, size, sizes = found
    default = 64
    expected = [default] * (m // default) + ([m % default] if m % default else [])
    return size != default and sizes == expected


def _detect_ceil_partition(inputs: CaseInput, got: Any) -> bool:
    """Every batch of equal size: the student split into ceil(m / size) equal parts."""
    found = _sizes(inputs, got)
    if found is None:
        return False
    m, size, sizes = found
    correct = [size] * (m // size) + ([m % size] if m % size else [])
    equal = len(sizes) == math.ceil(m / size) and sum(sizes) == m and max(sizes) - min(sizes) <= 1
    return sizes != correct and equal


MISTAKES: list[Mistake] = [
    Mistake(
        "update_parameters_with_gd",
        "update_sign_flipped",
        "Your update adds the gradient, which moves uphill. Gradient descent subtracts it: "
        'parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + '
        "str(l)] (and the same for b).",
        _gd_variant(sign=1.0),
    ),
    Mistake(
        "update_parameters_with_gd",
        "b_not_updated",
        "Your biases never change. Update every b[l] as well: "
        'parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + '
        "str(l)].",
        _gd_variant(update_b=False),
    ),
    Mistake(
        "update_parameters_with_gd",
        "last_layer_not_updated",
        "Your last layer is not updated: the loop stops one layer early. With L = "
        "len(parameters) // 2 layers numbered 1 to L, loop over range(1, L + 1) (or over "
        "range(L) using l + 1 in the keys).",
        _gd_variant(skip_last=True),
    ),
    Mistake(
        "random_mini_batches",
        "not_shuffled",
        "Your mini-batches keep the examples in their original order. Shuffle first: "
        "permutation = list(np.random.permutation(m)), then shuffled_X = X[:, permutation] and "
        "shuffled_Y = Y[:, permutation], and partition the shuffled arrays.",
        detect=_detect_not_shuffled,
    ),
    Mistake(
        "random_mini_batches",
        "y_not_shuffled_with_x",
        "The labels in your mini-batches no longer belong to their examples: Y was left in its "
        "original order or shuffled with a different permutation. Apply the same permutation "
        "to both: shuffled_X = X[:, permutation] and shuffled_Y = Y[:, permutation].",
        detect=_detect_y_not_shuffled,
    ),
    Mistake(
        "random_mini_batches",
        "batches_overlap",
        "Some examples appear in more than one mini-batch: the k-th batch must be the columns "
        "k * mini_batch_size to (k + 1) * mini_batch_size of the shuffled data, i.e. "
        "shuffled_X[:, k * mini_batch_size : (k + 1) * mini_batch_size], not "
        "shuffled_X[:, k : k + mini_batch_size].",
        detect=_detect_overlapping,
    ),
    Mistake(
        "random_mini_batches",
        "last_batch_dropped",
        "Your mini-batches leave out the last m % mini_batch_size examples. When m is not a "
        "multiple of mini_batch_size, add a last, smaller batch with the remaining columns: "
        "shuffled_X[:, num_complete_minibatches * mini_batch_size :].",
        detect=_detect_last_batch_dropped,
    ),
    Mistake(
        "random_mini_batches",
        "empty_last_batch",
        "When m is a multiple of mini_batch_size you add an empty last mini-batch. Add the "
        "smaller last batch only if m % mini_batch_size != 0.",
        detect=_detect_empty_last_batch,
    ),
    Mistake(
        "random_mini_batches",
        "mini_batch_size_ignored",
        "Your mini-batches always hold 64 examples, whatever mini_batch_size is. Use the "
        "mini_batch_size argument for the number of complete batches and in the slices.",
        detect=_detect_size_ignored,
    ),
    Mistake(
        "random_mini_batches",
        "equal_split",
        "You split the examples into ceil(m / mini_batch_size) batches of (nearly) equal size. "
        "Every batch must hold exactly mini_batch_size examples, except a smaller last one "
        "with the m % mini_batch_size remaining examples.",
        detect=_detect_ceil_partition,
    ),
    Mistake(
        "initialize_velocity",
        "keys_without_d",
        'Your velocity uses the parameter names as keys ("W1", "b1", ...). It holds one entry '
        'per gradient: use v["dW" + str(l)] and v["db" + str(l)].',
        _zeros_variant(keys_without_d=True),
    ),
    Mistake(
        "initialize_velocity",
        "last_layer_missing",
        "Your velocity has no entries for the last layer: the loop stops one layer early. Loop "
        "over range(1, L + 1) with L = len(parameters) // 2 (or over range(L) using l + 1).",
        _zeros_variant(skip_last=True),
    ),
    Mistake(
        "initialize_rmsprop",
        "keys_without_d",
        'Your s uses the parameter names as keys ("W1", "b1", ...). It holds one entry per '
        'gradient: use s["dW" + str(l)] and s["db" + str(l)].',
        _zeros_variant(keys_without_d=True),
    ),
    Mistake(
        "initialize_rmsprop",
        "last_layer_missing",
        "Your s has no entries for the last layer: the loop stops one layer early. Loop over "
        "range(1, L + 1) with L = len(parameters) // 2 (or over range(L) using l + 1).",
        _zeros_variant(skip_last=True),
    ),
    Mistake(
        "initialize_adam",
        "keys_without_d",
        'Your v and s use the parameter names as keys ("W1", "b1", ...). They hold one entry '
        'per gradient: use v["dW" + str(l)], v["db" + str(l)], s["dW" + str(l)], ....',
        _zeros_variant(keys_without_d=True, pair=True),
    ),
    Mistake(
        "initialize_adam",
        "last_layer_missing",
        "Your v and s have no entries for the last layer: the loop stops one layer early. "
        "Loop over range(1, L + 1) with L = len(parameters) // 2 (or over range(L) using l + 1).",
        _zeros_variant(skip_last=True, pair=True),
    ),
    Mistake(
        "update_parameters_with_momentum",
        "missing_one_minus_beta",
        "Your velocity adds the whole gradient: v = beta * v + dW. Momentum keeps an "
        "exponentially weighted average, v = beta * v + (1 - beta) * dW.",
        _momentum_variant(keep_one_minus_beta=False),
    ),
    Mistake(
        "update_parameters_with_momentum",
        "beta_weights_swapped",
        "Your velocity weights the old velocity by (1 - beta) and the gradient by beta. It is "
        "the other way round: v = beta * v + (1 - beta) * dW.",
        _momentum_variant(swap_weights=True),
    ),
    Mistake(
        "update_parameters_with_momentum",
        "update_with_raw_gradient",
        "You update the velocity but then step with the raw gradient. The step uses the "
        'velocity: W = W - learning_rate * v["dW" + str(l)] (and the same for b).',
        _momentum_variant(raw_gradient=True),
    ),
    Mistake(
        "update_parameters_with_rmsprop",
        "epsilon_inside_sqrt",
        "Your epsilon is inside the square root: sqrt(s + epsilon). Add it after taking the "
        "root: W = W - learning_rate * dW / (np.sqrt(s) + epsilon).",
        _rmsprop_variant(epsilon_inside=True),
    ),
    Mistake(
        "update_parameters_with_rmsprop",
        "sqrt_missing",
        "You divide by s itself. RMSprop divides by its square root: "
        "W = W - learning_rate * dW / (np.sqrt(s) + epsilon).",
        _rmsprop_variant(no_sqrt=True),
    ),
    Mistake(
        "update_parameters_with_rmsprop",
        "gradient_not_squared",
        "Your s averages the gradients, not their squares. Use "
        "s = beta2 * s + (1 - beta2) * np.square(dW) (elementwise squares).",
        _rmsprop_variant(not_squared=True),
    ),
    Mistake(
        "update_parameters_with_adam",
        "epsilon_inside_sqrt",
        "Your epsilon is inside the square root: sqrt(s_corrected + epsilon). Add it after "
        "taking the root: W = W - learning_rate * v_corrected / (np.sqrt(s_corrected) + "
        "epsilon).",
        _adam_variant(epsilon_inside=True),
    ),
    Mistake(
        "update_parameters_with_adam",
        "bias_correction_without_t",
        "Your bias correction divides by (1 - beta1) and (1 - beta2). It depends on the step "
        "number t: v_corrected = v / (1 - beta1 ** t), s_corrected = s / (1 - beta2 ** t).",
        _adam_variant(correction_without_t=True),
    ),
    Mistake(
        "update_parameters_with_adam",
        "betas_swapped",
        "You swapped beta1 and beta2. beta1 belongs to the average of the gradients v "
        "(v = beta1 * v + (1 - beta1) * dW), beta2 to the average of their squares s "
        "(s = beta2 * s + (1 - beta2) * dW ** 2), and likewise in the bias corrections.",
        _adam_variant(swap_betas=True),
    ),
    Mistake(
        "update_parameters_with_adam",
        "update_uses_uncorrected",
        "You compute the bias-corrected averages but update with the uncorrected v and s. "
        "Use W = W - learning_rate * v_corrected / (np.sqrt(s_corrected) + epsilon).",
        _adam_variant(uncorrected=True),
    ),
]
