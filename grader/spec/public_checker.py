"""Student-side public checks, copied by `grade release` into `public_checks.py`.

Appended after the wire decoder (`decode`) and followed by `_CASES`, the public cases. It runs
in the student's notebook, so it imports nothing from the grader; the grader's own, stricter
checks run when the notebook is graded.
"""

import math

import numpy as np


def check(name, function):
    """Run `function` on the public cases of `name` and print what passes and what does not."""
    cases = _CASES.get(name, [])  # noqa: F821 - defined at the end of the generated module
    if not cases:
        print(f"{name}: no public value checks (graded by `grade check` and the grader)")
        return None
    failures = 0
    for number, encoded in enumerate(cases, start=1):
        args, kwargs, expected, rtol, atol = decode(encoded)  # noqa: F821
        try:
            got = function(*args, **kwargs)
        except NotImplementedError:
            print(f"{name}: not implemented yet")
            return False
        problem = _difference(expected, got, rtol, atol, "your result")
        if problem:
            failures += 1
            print(f"✗ {name}, public case {number}: {problem}")
    if failures == 0:
        print(f"✓ {name}: all {len(cases)} public cases pass")
    return failures == 0


def _difference(expected, got, rtol, atol, path):
    """A short description of the first difference, or None."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return f"{path} should be a dict, not {type(got).__name__}"
        for key, value in expected.items():
            if key not in got:
                return f"{path} is missing the key {key!r}"
            problem = _difference(value, got[key], rtol, atol, f"{path}[{key!r}]")
            if problem:
                return problem
        return None
    if isinstance(expected, tuple | list) and not _numbers(expected):
        if not isinstance(got, tuple | list) or len(got) != len(expected):
            return f"{path} should hold {len(expected)} values"
        for index, (want, have) in enumerate(zip(expected, got, strict=True)):
            problem = _difference(want, have, rtol, atol, f"{path}[{index}]")
            if problem:
                return problem
        return None
    want = np.asarray(expected, dtype=float)
    try:
        low_precision = np.asarray(got).dtype == np.float32
        have = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return f"{path} should be numeric, not {type(got).__name__}"
    if isinstance(expected, list):
        have = have.reshape(-1)
    if have.shape != want.shape:
        return f"{path} has shape {have.shape}, expected {want.shape}"
    rtol = max(rtol, 1e-4) if low_precision else rtol
    if not np.allclose(have, want, rtol=rtol, atol=atol, equal_nan=True):
        error = float(np.max(np.abs(have - want))) if have.size else math.nan
        return f"{path} has wrong values (largest difference {error:.3g})"
    return None


def _numbers(values):
    return len(values) > 0 and all(isinstance(v, int | float | np.number) for v in values)
