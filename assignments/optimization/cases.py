"""Case generators and the mini-batch property check for `optimization` (grader side only).

Each generator is called as `generator(rng, index, visibility)` with a generator seeded from
(seed, task, index). The inputs are chosen so that every known mistake in
`reference_solutions/optimization.py` changes the output of every case:

- layer sizes all differ (n_l != n_{l-1}), so transposes and swapped shapes show, and networks
  have 2 or 3 layers, so a loop that stops one layer early leaves a layer unchanged;
- biases, gradients and the incoming v and s are nonzero, so "b not updated" and a missing
  beta * v term show;
- hyperparameters are never the defaults: beta1 != beta2, t >= 3 (so 1 - beta ** t differs
  from 1 - beta), and in RMSprop and Adam the averages of squared gradients are small next to
  a large epsilon (1e-3 to 1e-2), so sqrt(s) + epsilon and sqrt(s + epsilon) differ widely;
- mini-batches: 70 to 150 examples with half of each label, mini_batch_size 8 to 32, and m not
  a multiple of it (nor one short of a multiple) except in the second public case, where
  m is a multiple and no last batch may be added.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.checks.values import PASS, Verdict, describe_type
from grader.spec.model import CaseInput, call

# --- Parameters and gradients ----------------------------------------------------------------


def _dims(rng: np.random.Generator, layers: int) -> list[int]:
    """Layer sizes n_0, ..., n_L, all different, the last one small."""
    while True:
        dims = [int(rng.integers(3, 7)) for _ in range(layers)] + [int(rng.integers(1, 3))]
        if len(set(dims)) == len(dims):
            return dims


def _parameters(rng: np.random.Generator, dims: list[int]) -> dict[str, np.ndarray]:
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = rng.normal(0.0, 1.0, size=(dims[l], dims[l - 1]))
        parameters[f"b{l}"] = rng.normal(0.0, 1.0, size=(dims[l], 1))
    return parameters


def _like(
    rng: np.random.Generator, parameters: dict[str, np.ndarray], scale: float, positive=False
) -> dict[str, np.ndarray]:
    """A dict "dW1", "db1", ... of random values shaped like the parameters."""
    values = {}
    for name, array in parameters.items():
        if positive:
            values[f"d{name}"] = rng.uniform(0.2, 1.0, size=array.shape) * scale
        else:
            values[f"d{name}"] = rng.normal(0.0, scale, size=array.shape)
    return values


def _layers(rng: np.random.Generator, visibility: str) -> int:
    return 2 if visibility == "public" else int(rng.integers(2, 4))


def update_parameters_with_gd(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """A 2- or 3-layer network, gradients of the same scale, a non-default learning rate."""
    dims = _dims(rng, _layers(rng, visibility))
    parameters = _parameters(rng, dims)
    grads = _like(rng, parameters, 1.0)
    learning_rate = float(rng.choice([0.05, 0.1, 0.3]))
    return call(
        parameters,
        grads,
        learning_rate,
        note=f"layer sizes {dims}, learning_rate = {learning_rate}",
    )


def _initialization(rng: np.random.Generator, visibility: str) -> CaseInput:
    dims = _dims(rng, _layers(rng, visibility))
    return call(_parameters(rng, dims), note=f"layer sizes {dims}")


def initialize_velocity(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Parameters of a 2- or 3-layer network with distinct layer sizes."""
    return _initialization(rng, visibility)


def initialize_rmsprop(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Parameters of a 2- or 3-layer network with distinct layer sizes."""
    return _initialization(rng, visibility)


def initialize_adam(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Parameters of a 2- or 3-layer network with distinct layer sizes."""
    return _initialization(rng, visibility)


def update_parameters_with_momentum(
    rng: np.random.Generator, index: int, visibility: str
) -> CaseInput:
    """A nonzero incoming velocity (as after some steps) and beta other than 0.9."""
    dims = _dims(rng, _layers(rng, visibility))
    parameters = _parameters(rng, dims)
    grads = _like(rng, parameters, 1.0)
    v = _like(rng, parameters, 0.5)
    beta = float(rng.choice([0.7, 0.8, 0.95]))
    learning_rate = float(rng.choice([0.05, 0.1, 0.2]))
    return call(
        parameters,
        grads,
        v,
        beta,
        learning_rate,
        note=f"layer sizes {dims}, beta = {beta}, learning_rate = {learning_rate}, "
        "a nonzero incoming v",
    )


# Public case 1 keeps the default epsilon (1e-8) with tiny gradients and averages, so that its
# placement still matters; every other case passes a large epsilon.
_RMSPROP_EPSILONS = {"public": [None, 1e-2], "hidden": [1e-2, 1e-3, 5e-3, 1e-2]}


def update_parameters_with_rmsprop(
    rng: np.random.Generator, index: int, visibility: str
) -> CaseInput:
    """Small gradients and a small positive incoming s; beta2 and epsilon not the defaults."""
    dims = _dims(rng, _layers(rng, visibility))
    parameters = _parameters(rng, dims)
    epsilon = _RMSPROP_EPSILONS[visibility][index % len(_RMSPROP_EPSILONS[visibility])]
    scale = 1e-4 if epsilon is None else 1e-2
    grads = _like(rng, parameters, scale)
    s = _like(rng, parameters, scale**2, positive=True)
    beta2 = float(rng.choice([0.9, 0.95, 0.99]))
    learning_rate = float(rng.choice([0.01, 0.02, 0.05]))
    kwargs = {} if epsilon is None else {"epsilon": epsilon}
    shown = "the default epsilon" if epsilon is None else f"epsilon = {epsilon}"
    return call(
        parameters,
        grads,
        s,
        beta2,
        learning_rate,
        **kwargs,
        note=f"layer sizes {dims}, beta2 = {beta2}, learning_rate = {learning_rate}, "
        f"{shown}, small gradients",
    )


_ADAM_STEPS = {"public": [3, 7], "hidden": [3, 5, 7, 10]}


def update_parameters_with_adam(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Step t >= 3, non-default betas (beta1 != beta2), learning rate and a large epsilon."""
    dims = _dims(rng, _layers(rng, visibility))
    parameters = _parameters(rng, dims)
    grads = _like(rng, parameters, 1e-2)
    v = _like(rng, parameters, 1e-2)
    s = _like(rng, parameters, 1e-4, positive=True)
    t = _ADAM_STEPS[visibility][index % len(_ADAM_STEPS[visibility])]
    beta1 = float(rng.choice([0.8, 0.85, 0.95]))
    beta2 = float(rng.choice([0.98, 0.99, 0.995]))
    learning_rate = float(rng.choice([0.02, 0.05]))
    epsilon = float(rng.choice([1e-3, 5e-3, 1e-2]))
    return call(
        parameters,
        grads,
        v,
        s,
        t,
        learning_rate=learning_rate,
        beta1=beta1,
        beta2=beta2,
        epsilon=epsilon,
        note=f"layer sizes {dims}, t = {t}, learning_rate = {learning_rate}, "
        f"beta1 = {beta1}, beta2 = {beta2}, epsilon = {epsilon}",
    )


# --- Mini-batches ----------------------------------------------------------------------------

_BATCH_SIZES = (8, 10, 16, 20, 32)


def random_mini_batches(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """70 to 150 distinct examples, half of each label, a non-default mini_batch_size.

    m is not a multiple of mini_batch_size, except in the second public case (m a multiple:
    then there must be no last, partial batch).
    """
    size = int(rng.choice(_BATCH_SIZES))
    if visibility == "public" and index == 1:
        m = size * int(rng.integers(max(3, 70 // size + 1), 150 // size + 1))
    else:
        m = int(rng.integers(70, 151))
        # A remainder of size - 1 would make ceil(m / size) equal parts look right.
        while m % size in (0, size - 1):
            m = int(rng.integers(70, 151))
    n_x = int(rng.integers(2, 6))
    X = rng.normal(0.0, 1.0, size=(n_x, m))
    Y = rng.permutation(np.arange(m) % 2).astype(float).reshape(1, m)
    seed = int(rng.integers(1, 1000))
    remainder = m % size
    return call(
        X,
        Y,
        mini_batch_size=size,
        seed=seed,
        note=f"n_x = {n_x}, m = {m}, mini_batch_size = {size} "
        f"({m // size} full batches"
        + (f" and one of {remainder})" if remainder else ", no partial batch)"),
    )


NOT_A_LIST = (
    "mini_batches should be a list of (mini_batch_X, mini_batch_Y) tuples, but it is {got}."
)
NOT_A_PAIR = "{path} should be a (mini_batch_X, mini_batch_Y) tuple, but it is {got}."
NOT_AN_ARRAY = "{path} should be a 2-D numpy array of shape {shape}, but it is {got}."
WRONG_BATCH_SHAPE = "{path} has shape {got}; it should have shape {shape}."
WRONG_SIZES = (
    "Your {count} mini-batches hold {sizes} examples. With m = {m} and mini_batch_size = "
    "{size} there should be {expected}: {full} full batches of {size}{last}."
)
NO_LAST = " and no partial batch, since m is a multiple of mini_batch_size"
LAST = " and a last one with the remaining {rest}"
NOT_FROM_X = (
    "{path} column {column} is not one of the columns of X: mini-batches must hold the "
    "examples of X unchanged, one example per column."
)
REPEATED = (
    "Some examples of X appear in more than one mini-batch and others in none: together the "
    "mini-batches must hold every example exactly once."
)
LABEL_MOVED = (
    "{path}[0, {column}] is {got:g}, but that column of mini_batch_X is example {source} of X, "
    "whose label is {expected:g}: shuffle the columns of Y with the same permutation as X."
)
NOT_SHUFFLED = (
    "Your mini-batches keep the examples in their original order: shuffle the columns of X "
    "and Y with one random permutation before partitioning."
)


def check_random_mini_batches(inputs: CaseInput, got: Any) -> Verdict:
    """Every example exactly once, labels with their examples, the right batch sizes, shuffled.

    No particular permutation is required (any seeding passes); with m >= 70 a random
    permutation is the identity with negligible probability.
    """
    X, Y = inputs.args[0], inputs.args[1]
    size = int(inputs.kwargs["mini_batch_size"])
    for check in (_check_structure, _check_sizes, _check_examples):
        verdict = check(X, Y, size, got)
        if not verdict.ok:
            return verdict
    return PASS


def _fail(path: str, message: str) -> Verdict:
    return Verdict(False, path, message, kind="value")


def _check_structure(X: np.ndarray, Y: np.ndarray, size: int, got: Any) -> Verdict:
    if not isinstance(got, list | tuple):
        return _fail("mini_batches", NOT_A_LIST.format(got=describe_type(got)))
    for i, batch in enumerate(got):
        path = f"mini_batches[{i}]"
        if not isinstance(batch, list | tuple) or len(batch) != 2:
            return _fail(path, NOT_A_PAIR.format(path=path, got=describe_type(batch)))
        k = batch[0].shape[1] if isinstance(batch[0], np.ndarray) and batch[0].ndim == 2 else "k"
        for part, rows in ((0, X.shape[0]), (1, 1)):
            value, shape = batch[part], f"({rows}, {k})"
            where = f"{path}[{part}]"
            if not isinstance(value, np.ndarray) or value.ndim != 2:
                return _fail(
                    where, NOT_AN_ARRAY.format(path=where, shape=shape, got=describe_type(value))
                )
            if value.shape[0] != rows or value.shape[1] != batch[0].shape[1]:
                return _fail(
                    where, WRONG_BATCH_SHAPE.format(path=where, got=value.shape, shape=shape)
                )
    return PASS


def _check_sizes(X: np.ndarray, Y: np.ndarray, size: int, got: Any) -> Verdict:
    m = X.shape[1]
    expected = [size] * (m // size) + ([m % size] if m % size else [])
    sizes = [batch[0].shape[1] for batch in got]
    if sizes == expected:
        return PASS
    last = LAST.format(rest=m % size) if m % size else NO_LAST
    return _fail(
        "mini_batches",
        WRONG_SIZES.format(
            count=len(sizes),
            sizes=_sizes_text(sizes),
            m=m,
            size=size,
            expected=len(expected),
            full=m // size,
            last=last,
        ),
    )


def _sizes_text(sizes: list[int]) -> str:
    if len(sizes) > 12:
        return ", ".join(map(str, sizes[:12])) + ", ..."
    return ", ".join(map(str, sizes)) if sizes else "no"


def _check_examples(X: np.ndarray, Y: np.ndarray, size: int, got: Any) -> Verdict:
    sources = []
    for i, (batch_x, batch_y) in enumerate(got):
        columns = np.asarray(batch_x, dtype=float)
        distances = np.abs(columns[:, :, None] - X[:, None, :]).max(axis=0)
        found = distances.argmin(axis=1)
        for column, source in enumerate(found):
            if distances[column, source] > 1e-6 * (1 + np.abs(X[:, source]).max()):
                return _fail(
                    f"mini_batches[{i}][0]",
                    NOT_FROM_X.format(path=f"mini_batches[{i}][0]", column=column),
                )
            label, expected = float(batch_y[0, column]), float(Y[0, source])
            if label != expected:
                path = f"mini_batches[{i}][1]"
                return _fail(
                    path,
                    LABEL_MOVED.format(
                        path=path, column=column, got=label, source=source, expected=expected
                    ),
                )
        sources.extend(int(s) for s in found)
    if len(set(sources)) != len(sources):
        return _fail("mini_batches", REPEATED)
    if sources == list(range(X.shape[1])):
        return _fail("mini_batches", NOT_SHUFFLED)
    return PASS
