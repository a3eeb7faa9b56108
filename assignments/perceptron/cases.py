"""Case generators for `perceptron`, one per task, and the property check of perceptron_train.

`perceptron_predict` is compared by value. Its inputs are built so that every known mistake in
reference_solutions/perceptron.py changes the output: some scores lie between 0 and 0.5 (a
threshold of 0.5 shows), some flip sign when b is dropped (|b| is larger than those scores),
there are negative scores (-1/+1 labels show) and X is never square.

`perceptron_train` is checked by property (`check_perceptron_train`), since the order of the
examples, the tie convention at a score of exactly 0 and the learning rate all change the
exact weights without making them wrong:

- separable cases: linearly separable data with a margin, where the classic rule converges in
  a few epochs for any order of the examples and either tie convention (the generator checks
  that the in-order run converges within a third of `epochs`; 4,000 shuffled runs needed at
  most 10 epochs), but never after a single epoch (so stopping after one epoch shows),
  and that the flipped update and the -1/+1-label rule do not separate it. Each holds a
  positive and a negative example on the same ray from the origin, so no hyperplane through
  the origin separates the data (a b that is never updated shows). The returned (w, b) must
  classify every example.
- non-separable cases (XOR-like): the function must stop after `epochs` epochs and return a
  well-formed (w, b): w of shape (n_x, 1), b a number, all finite.

The learning rate never changes the predictions of a perceptron started from zeros (it scales
w and b together), so ignoring it cannot be seen; the cases vary it anyway.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.checks import messages as msg
from grader.checks.values import PASS, Verdict, describe_type, hint_for_shape
from grader.spec.model import CaseInput, call

MARGIN = 0.8  # distance of every example from the true hyperplane (unit normal)

NOT_SEPARATED = (
    "Your (w, b) puts {bad} of the {m} training examples on the wrong side (for example column "
    "{index}: its label is {label:g}, but w.T x + b = {score:.4g}). This data is linearly "
    "separable with a margin, so after {epochs} epochs of the perceptron rule every example "
    "must be classified correctly: perceptron_predict(w, b, X) must equal Y."
)
NOT_FINITE = "{path} contains NaN or infinite values: training should give finite weights."
NOT_NUMERIC = "{path} has dtype {dtype}, but it should hold numbers."


# --- perceptron_predict ---------------------------------------------------------------------


def perceptron_predict(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """X built column by column so that the scores w.T x + b hit chosen values.

    Two scores lie in (0.1, 0.4), two in (-0.4, -0.1) and one in (0.55, 0.8), and |b| >= 0.9:
    dropping b flips the labels of the small scores on b's side, a threshold of 0.5 mislabels
    the small positive scores, and the two differ (on the score in (0.55, 0.8) when b > 0, on
    the small negative scores when b < 0). No score is within 0.1 of 0, so float32 arithmetic
    gives the same labels.
    """
    n_x = int(rng.integers(2, 6))
    scores = np.concatenate(
        [
            rng.uniform(0.1, 0.4, size=2),
            -rng.uniform(0.1, 0.4, size=2),
            rng.uniform(0.55, 0.8, size=1),
            rng.uniform(0.6, 4.0, size=int(rng.integers(2, 5))),
            -rng.uniform(0.6, 4.0, size=int(rng.integers(2, 5))),
        ]
    )
    scores = rng.permutation(scores)  # at least 8 examples: X is never square
    m = scores.size
    w = rng.normal(0.0, 1.0, size=(n_x, 1))
    b = float(rng.choice([-1.0, 1.0]) * rng.uniform(0.9, 2.0))
    X = rng.normal(0.0, 1.0, size=(n_x, m))
    # Move each column along w so that w.T x + b equals its chosen score.
    X += w * ((scores - (w.T @ X).ravel() - b) / float(np.sum(w * w)))
    return call(w, b, X, note=f"n_x = {n_x}, m = {m}, b = {b:.3f}; some scores close to 0")


# --- perceptron_train -----------------------------------------------------------------------

# (epochs, learning_rate) of the separable cases, then of the non-separable ones; None: the
# default is left to the student's signature.
_SEPARABLE = {"public": [(None, None)], "hidden": [(60, 0.1), (150, 2.0), (40, 0.5)]}
_XOR = {"public": [(50, 0.5)], "hidden": [(120, 0.05)]}


def perceptron_train(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """Separable cases first, then one XOR-like case (the last of each visibility)."""
    table = _SEPARABLE[visibility]
    if index < len(table):
        epochs, learning_rate = table[index]
        X, Y = _separable_data(rng, epochs or 100)
        kind = "linearly separable"
    else:
        epochs, learning_rate = _XOR[visibility][index - len(table)]
        X, Y = _xor_data(rng)
        kind = "not linearly separable (XOR-like)"
    kwargs = {}
    if epochs is not None:
        kwargs = {"epochs": epochs, "learning_rate": learning_rate}
    settings = ", ".join(f"{k} = {v}" for k, v in kwargs.items()) or "default epochs and rate"
    note = f"{kind}: n_x = {X.shape[0]}, m = {X.shape[1]}, {settings}"
    return call(X, Y, note=note, **kwargs)


def _separable_data(rng: np.random.Generator, epochs: int) -> tuple[np.ndarray, np.ndarray]:
    """Examples at least MARGIN from a hyperplane that passes 1.5 to 2.5 from the origin."""
    while True:
        n_x, m = int(rng.integers(2, 6)), int(rng.integers(20, 33))
        normal = rng.normal(size=n_x)
        normal /= np.linalg.norm(normal)
        offset = float(rng.choice([-1.0, 1.0]) * rng.uniform(1.5, 2.5))
        # Points around the foot of the perpendicular from the origin, away from the plane.
        X = -offset * normal[:, None] + rng.normal(0.0, 1.0, size=(n_x, 6 * m))
        X = X[:, np.abs(normal @ X + offset) > MARGIN][:, :m]
        if X.shape[1] < m or not _add_ray_pair(rng, X, normal, offset):
            continue
        Y = (normal @ X + offset > 0).astype(float).reshape(1, m)
        if _mistakes_show(X, Y, epochs):
            return X, Y


def _mistakes_show(X: np.ndarray, Y: np.ndarray, epochs: int) -> bool:
    """Does the classic rule converge in 2 to epochs // 3 epochs (either tie convention), while
    the flipped and the -1/+1 rules end without separating the data?"""
    for strict in (True, False):
        converged = _train_in_order(X, Y, epochs, strict=strict)[2]
        if converged is None or not 2 <= converged <= epochs // 3:
            return False
    for rule in ("flipped", "plus_minus_one"):
        w, b, _ = _train_in_order(X, Y, epochs, rule=rule)
        if _separates(w, b, X, Y):
            return False
    return True


def _add_ray_pair(rng: np.random.Generator, X: np.ndarray, normal: np.ndarray, offset: float):
    """Replace a column by s * p, where p is on the far side of the plane and s * p on the
    origin's side, both at least MARGIN away. Returns whether a pair was found."""
    scores = normal @ X + offset
    for i in rng.permutation(np.flatnonzero(np.sign(scores) != np.sign(offset))):
        for s in (0.2, 0.3, 0.4, 0.5):
            near = s * (scores[i] - offset) + offset
            if np.sign(near) == np.sign(offset) and abs(near) > MARGIN:
                j = int(rng.choice(np.delete(np.arange(X.shape[1]), i)))
                X[:, j] = s * X[:, i]
                return True
    return False


def _xor_data(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Four clusters at (+-1.5, +-1.5), labelled 1 where the signs differ, plus a noise row."""
    m = int(rng.integers(16, 25))
    corners = rng.choice([-1.5, 1.5], size=(2, m))
    corners[:, :4] = [[-1.5, -1.5, 1.5, 1.5], [-1.5, 1.5, -1.5, 1.5]]  # every cluster present
    X = np.vstack([corners + rng.normal(0.0, 0.3, size=(2, m)), rng.normal(0.0, 1.0, (1, m))])
    Y = (np.sign(corners[0]) != np.sign(corners[1])).astype(float).reshape(1, m)
    return X, Y


def _train_in_order(
    X: np.ndarray, Y: np.ndarray, epochs: int, *, strict: bool = True, rule: str = "classic"
) -> tuple[np.ndarray, float, int | None]:
    """Run a training rule over the examples in order, from zeros, with learning rate 1.

    rule "classic" is the perceptron rule (`strict`: y_hat = 1 for a score > 0, else >= 0);
    "flipped" subtracts its update; "plus_minus_one" is the form written for -1/+1 labels
    (if y * score <= 0: w += y * x). Returns (w, b, the index of the first epoch without an
    update, or None if every epoch made one).
    """
    w, b = np.zeros(X.shape[0]), 0.0
    for epoch in range(epochs):
        updates = 0
        for i in range(X.shape[1]):
            y, score = float(Y[0, i]), float(w @ X[:, i] + b)
            if rule == "plus_minus_one":
                step = y if y * score <= 0 else 0.0
            else:
                step = y - (1.0 if (score > 0 if strict else score >= 0) else 0.0)
                step = -step if rule == "flipped" else step
            if step:
                w, b, updates = w + step * X[:, i], b + step, updates + 1
        if updates == 0:
            return w, b, epoch
    return w, b, None


def _separates(w: np.ndarray, b: float, X: np.ndarray, Y: np.ndarray) -> bool:
    return bool(np.all((w @ X + b > 0) == (Y.ravel() > 0)))


def check_perceptron_train(inputs: CaseInput, got: Any) -> Verdict:
    """Well-formed (w, b) always; on separable data, every example classified correctly."""
    X, Y = inputs.args[0], inputs.args[1]
    verdict = _check_form(got, X.shape[0])
    if not verdict.ok:
        return verdict
    epochs = inputs.kwargs.get("epochs", 100)
    if _train_in_order(X, Y, epochs)[2] is None:
        return PASS  # not separable: terminating with a well-formed answer is all we ask
    w, b = got
    scores = (np.asarray(w, dtype=float).T @ X + float(b)).ravel()
    wrong = (scores > 0) != (Y.ravel() > 0)
    if not wrong.any():
        return PASS
    index = int(np.flatnonzero(wrong)[0])
    message = NOT_SEPARATED.format(
        bad=int(wrong.sum()),
        m=X.shape[1],
        index=index,
        label=float(Y[0, index]),
        score=scores[index],
        epochs=epochs,
    )
    return Verdict(False, "your result", message, kind="property")


def _check_form(got: Any, n_x: int) -> Verdict:
    """(w, b) with w a finite (n_x, 1) numeric array and b a finite number."""
    if not isinstance(got, tuple | list):
        text = msg.NOT_SEQUENCE.format(path="your result", count=2, got=describe_type(got))
        return Verdict(False, "your result", text, kind="type")
    if len(got) != 2:
        text = msg.WRONG_LENGTH.format(path="your result", count=2, names=" (w, b)", got=len(got))
        return Verdict(False, "your result", text, kind="structure")
    w, b = got
    if not isinstance(w, np.ndarray) or w.ndim == 0:
        text = msg.NOT_ARRAY.format(path="w", shape=(n_x, 1), got=describe_type(w))
        return Verdict(False, "w", text, kind="type")
    if w.shape != (n_x, 1):
        text = msg.WRONG_SHAPE.format(path="w", got=w.shape, expected=(n_x, 1))
        return Verdict(False, "w", text, tuple(hint_for_shape((n_x, 1), w.shape)), kind="shape")
    if w.dtype.kind not in "biuf":
        return Verdict(False, "w", NOT_NUMERIC.format(path="w", dtype=w.dtype), kind="dtype")
    if isinstance(b, np.ndarray) and b.ndim > 0:
        hint = msg.SCALAR_HINT if b.size == 1 else ""
        text = msg.NOT_SCALAR_ARRAY.format(path="b", shape=b.shape, hint=hint)
        return Verdict(False, "b", text, kind="shape")
    if isinstance(b, bool | np.bool_) or not isinstance(
        b, int | float | np.integer | np.floating | np.ndarray
    ):
        return Verdict(False, "b", msg.NOT_NUMBER.format(path="b", got=describe_type(b)))
    for path, value in (("w", w), ("b", b)):
        if not np.all(np.isfinite(np.asarray(value, dtype=float))):
            return Verdict(False, path, NOT_FINITE.format(path=path), kind="nonfinite")
    return PASS
