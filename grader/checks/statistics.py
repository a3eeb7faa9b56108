"""Statistical checks for answers that are random by design (initializations, dropout masks).

Each check allows `SIGMAS` standard errors, so a correct implementation passes with
overwhelming probability (about 1 in 10^9 fails at 6 sigma) whatever seed it uses, while the
usual mistakes (a std of sqrt(2/n_l) instead of sqrt(2/n_{l-1}), rand instead of randn, a
mask that keeps 1 - keep_prob) are off by many standard errors on large layers.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from grader.checks.values import PASS, Verdict

SIGMAS = 6.0

STD_WRONG = (
    "{path} has a standard deviation of {got:.4g}; it should be about {expected:.4g} "
    "(allowing for randomness: {low:.4g} to {high:.4g})."
)
MEAN_WRONG = "{path} has a mean of {got:.4g}; it should be about {expected:.4g} (within {tol:.2g})."
NOT_ZERO = "{path} should be all zeros, but {count} of its {total} entries are not."
NOT_SYMMETRIC = (
    "{path} looks uniformly distributed (like np.random.rand): its values should come from a "
    "normal distribution (np.random.randn), centred on 0."
)
FRACTION_WRONG = (
    "{fraction:.1%} of {path} is kept; it should be about {expected:.1%} "
    "(allowing for randomness: {low:.1%} to {high:.1%})."
)
# What a property check expected, for the "Expected" line of feedback.
EXPECTED_STD = "a standard deviation of about {expected:.4g} ({low:.4g} to {high:.4g})"
EXPECTED_MEAN = "a mean of about {expected:.4g} (within {tol:.2g})"
EXPECTED_NORMAL = "values drawn from a normal distribution centred on 0 (np.random.randn)"
EXPECTED_ZEROS = "all zeros"
EXPECTED_FRACTION = "about {expected:.1%} of the entries kept ({low:.1%} to {high:.1%})"
NOT_BINARY = "{path} should hold only 0s and 1s (or booleans), but it holds {value}."


def check_std(values: Any, expected: float, path: str) -> Verdict:
    """Is the sample standard deviation of `values` (mean 0 assumed) close to `expected`?"""
    sample = np.asarray(values, dtype=np.float64).ravel()
    n = max(sample.size, 2)
    got = float(np.sqrt(np.mean(sample**2)))
    spread = SIGMAS * expected / math.sqrt(2 * n)  # standard error of a normal sample's std
    low, high = expected - spread, expected + spread
    if low <= got <= high:
        return PASS
    return Verdict(
        False,
        path,
        STD_WRONG.format(path=path, got=got, expected=expected, low=low, high=high),
        kind="statistic",
        expected_text=EXPECTED_STD.format(expected=expected, low=low, high=high),
    )


def check_mean(values: Any, expected: float, std: float, path: str) -> Verdict:
    """Is the sample mean of `values` within SIGMAS standard errors of `expected`?"""
    sample = np.asarray(values, dtype=np.float64).ravel()
    tolerance = SIGMAS * std / math.sqrt(max(sample.size, 1))
    got = float(sample.mean())
    if abs(got - expected) <= tolerance:
        return PASS
    return Verdict(
        False,
        path,
        MEAN_WRONG.format(path=path, got=got, expected=expected, tol=tolerance),
        kind="statistic",
        expected_text=EXPECTED_MEAN.format(expected=expected, tol=tolerance),
    )


def check_normal_shape(values: Any, path: str) -> Verdict:
    """Tell a normal sample from a uniform one by its kurtosis (3 vs 1.8) and sign balance.

    The kurtosis of n normal values has a standard error of about sqrt(24 / n); below 1000
    values the two distributions are too close to tell apart safely, so smaller samples pass.
    """
    sample = np.asarray(values, dtype=np.float64).ravel()
    if sample.size < 1000:
        return PASS
    centred = sample - sample.mean()
    kurtosis = float(np.mean(centred**4) / max(np.mean(centred**2) ** 2, 1e-300))
    if np.all(sample >= 0) or kurtosis < 3.0 - SIGMAS * math.sqrt(24 / sample.size):
        return Verdict(
            False,
            path,
            NOT_SYMMETRIC.format(path=path),
            kind="statistic",
            expected_text=EXPECTED_NORMAL,
        )
    return PASS


def check_zeros(values: Any, path: str) -> Verdict:
    """Is every entry exactly zero?"""
    array = np.asarray(values, dtype=np.float64)
    count = int(np.count_nonzero(array))
    if count == 0:
        return PASS
    return Verdict(
        False,
        path,
        NOT_ZERO.format(path=path, count=count, total=array.size),
        kind="value",
        expected_text=EXPECTED_ZEROS,
    )


def check_keep_fraction(mask: Any, keep_prob: float, path: str) -> Verdict:
    """Is `mask` binary, keeping a fraction of entries near `keep_prob`?"""
    array = np.asarray(mask, dtype=np.float64)
    odd = array[(array != 0) & (array != 1)]
    if odd.size:
        return Verdict(False, path, NOT_BINARY.format(path=path, value=odd.flat[0]), kind="value")
    n = max(array.size, 1)
    spread = SIGMAS * math.sqrt(keep_prob * (1 - keep_prob) / n)
    fraction = float(array.mean())
    low, high = keep_prob - spread, keep_prob + spread
    if low <= fraction <= high:
        return PASS
    return Verdict(
        False,
        path,
        FRACTION_WRONG.format(fraction=fraction, path=path, expected=keep_prob, low=low, high=high),
        kind="statistic",
        expected_text=EXPECTED_FRACTION.format(expected=keep_prob, low=low, high=high),
    )
