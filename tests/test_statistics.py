"""Statistical checks: a correct random answer passes whatever its seed; the usual slips fail."""

from __future__ import annotations

import numpy as np
import pytest

from grader.checks.statistics import (
    check_keep_fraction,
    check_mean,
    check_normal_shape,
    check_std,
    check_zeros,
)


@pytest.mark.parametrize("seed", range(20))
def test_he_initialization_passes_for_any_seed(seed: int) -> None:
    """Does a correct He initialization of a large layer pass, whatever the seed?"""
    n_prev = 500
    weights = np.random.default_rng(seed).standard_normal((400, n_prev)) * np.sqrt(2 / n_prev)
    assert check_std(weights, np.sqrt(2 / n_prev), "W1").ok
    assert check_mean(weights, 0.0, np.sqrt(2 / n_prev), "W1").ok
    assert check_normal_shape(weights, "W1").ok


def test_he_with_the_wrong_layer_size_fails() -> None:
    """Is sqrt(2/n_l) instead of sqrt(2/n_{l-1}) caught when the sizes differ?"""
    weights = np.random.default_rng(0).standard_normal((400, 500)) * np.sqrt(2 / 400)
    verdict = check_std(weights, np.sqrt(2 / 500), "W1")
    assert not verdict.ok and "standard deviation" in verdict.message


def test_uniform_instead_of_normal_fails() -> None:
    """Is np.random.rand (uniform, non-negative) told apart from randn?"""
    weights = np.random.default_rng(0).random((300, 300))
    assert not check_normal_shape(weights, "W1").ok
    symmetric = np.random.default_rng(0).uniform(-1, 1, (300, 300))
    assert not check_normal_shape(symmetric, "W1").ok


def test_zeros() -> None:
    """Are zero biases accepted and nonzero ones counted?"""
    assert check_zeros(np.zeros((3, 1)), "b1").ok
    verdict = check_zeros(np.array([[0.0], [0.1]]), "b1")
    assert not verdict.ok and "1 of its 2" in verdict.message


@pytest.mark.parametrize("seed", range(10))
def test_dropout_mask_passes_for_any_seed(seed: int) -> None:
    """Does a correct inverted-dropout mask keep about keep_prob of the units, for any seed?"""
    mask = np.random.default_rng(seed).random((200, 100)) < 0.8
    assert check_keep_fraction(mask, 0.8, "D1").ok


def test_mask_that_keeps_the_wrong_fraction_fails() -> None:
    """Is a mask that keeps 1 - keep_prob (the comparison the wrong way round) caught?"""
    mask = np.random.default_rng(0).random((200, 100)) > 0.8
    verdict = check_keep_fraction(mask, 0.8, "D1")
    assert not verdict.ok and "kept" in verdict.message
    assert not check_keep_fraction(np.full((2, 2), 0.5), 0.5, "D1").ok
