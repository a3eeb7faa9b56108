"""What a wrong answer looks like, for the instructor's class report (grader side only).

Two things are computed when a case fails, in the grader process, and kept in the instructor
view of the report only (`CaseResult.got_digest` and `CaseResult.difference`):

- `output_digest(value, tolerance)`: a short fingerprint of the student's whole output, its
  numbers rounded to a few significant digits (fewer than the tolerance tells apart), so that
  two students whose code computes the same wrong values, up to rounding noise, get the same
  digest. The class report groups failing students by it (`grader.batch.common_mistakes`).
- `describe_difference(expected, got, sizes)`: how the wrong value relates to the expected
  one, in a few words an instructor reads ("every value is 2x the expected", "the transpose
  of the expected value", "every value is 1/64 of the expected (64 is a size of the
  inputs)"), else where the largest error is.

Neither is ever shown to a student: both may carry numbers from hidden inputs or expected
values.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from grader.checks.values import NUMERIC_KINDS, Tolerance, describe_type

DIGEST_CHARS = 16
SIZES_DEPTH = 3  # how deep `input_sizes` looks into nested arguments (parameter dicts)
MAX_FACTOR = 1e6  # a ratio beyond this is not "a factor", whatever it is

# Instructor text: how a wrong value differs from the expected one.
DIFF_AT = "`{path}`: {what}"
DIFF_TYPE = "{got} where {expected} is expected"
DIFF_SHAPE = "shape {got} where {expected} is expected"
DIFF_TRANSPOSED = "the transpose of the expected value"
DIFF_RESHAPED = "the expected values, but in shape {got} instead of {expected}"
DIFF_NONFINITE = "{count} NaN or infinite value(s) where the expected values are finite"
DIFF_ZEROS = "every value is 0"
DIFF_NEGATED = "every value is the negative of the expected"
DIFF_FACTOR = "every value is {factor}x the expected{why}"
DIFF_FRACTION = "every value is 1/{factor} of the expected{why}"
DIFF_OFFSET = "every value is the expected {sign} {offset}"
DIFF_SOME = (
    "{bad} of {total} values differ; the largest difference is {diff} at index {index} "
    "(expected {expected}, got {got})"
)
DIFF_SCALAR = "{got} where {expected} is expected"
DIFF_SCALAR_NEGATED = "the negative of the expected value ({got} where {expected} is expected)"
DIFF_OTHER = "{got} where {expected} is expected"
WHY_SIZE = " ({size} is a size of the inputs)"
WHY_SQUARE = " ({square} = {size}², {size} a size of the inputs)"


def output_digest(value: Any, tolerance: Tolerance) -> str:
    """A fingerprint of `value`: equal for values equal up to rounding noise.

    Args:
        value: the student's output, as plain data (numbers, arrays, lists, tuples, dicts).
        tolerance: the task's tolerance; numbers are rounded to fewer significant digits than
            its `rtol` tells apart, and values within a few `atol` of zero count as zero.

    Returns:
        `DIGEST_CHARS` hexadecimal characters.
    """
    digest = hashlib.sha256()
    for part in _canonical_parts(value, tolerance):
        digest.update(part)
        digest.update(b"\x00")
    return digest.hexdigest()[:DIGEST_CHARS]


def _canonical_parts(value: Any, tolerance: Tolerance) -> Iterator[bytes]:
    if isinstance(value, dict):
        yield b"dict"
        for key in sorted(value, key=repr):
            yield repr(key).encode()
            yield from _canonical_parts(value[key], tolerance)
    elif isinstance(value, tuple | list):
        yield f"seq{len(value)}".encode()
        for item in value:
            yield from _canonical_parts(item, tolerance)
    elif isinstance(value, np.ndarray) and value.dtype.kind in NUMERIC_KINDS:
        yield f"array{value.shape}".encode()
        yield _rounded(value, tolerance.for_dtype(value.dtype)).tobytes()
    elif isinstance(value, bool | np.bool_):
        yield repr(bool(value)).encode()
    elif isinstance(value, int | float | np.integer | np.floating):
        yield b"number"
        yield _rounded(np.asarray(float(value)), tolerance).tobytes()
    else:
        yield f"{type(value).__name__}:{value!r}".encode()


def _rounded(values: np.ndarray, tolerance: Tolerance) -> np.ndarray:
    """Each number as (mantissa, exponent) rounded to `_digits(tolerance)` significant digits;
    near zero as (0, 0); NaN and infinities as codes."""
    digits = _digits(tolerance)
    have = np.asarray(values, dtype=np.float64).ravel()
    finite = np.isfinite(have)
    zero = finite & (np.abs(have) <= max(10 * tolerance.atol, 1e-300))
    usable = finite & ~zero
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        exponent = np.where(usable, np.floor(np.log10(np.abs(have))), 0)
        mantissa = np.where(usable, np.round(have / 10.0 ** (exponent - digits + 1)), 0)
    carry = np.abs(mantissa) >= 10**digits  # 9.9996 rounds up to 10.000: one digit more
    mantissa = np.where(carry, np.round(mantissa / 10), mantissa)
    exponent = exponent + carry
    codes = np.select([np.isnan(have), have > 0], [1, 2], 3)  # NaN, +inf, -inf
    exponent = np.where(finite, exponent, 10_000 + codes)
    return np.stack([mantissa, exponent]).astype(np.int64)


def _digits(tolerance: Tolerance) -> int:
    """Significant digits kept: about two fewer than `rtol` tells apart (so that values within
    tolerance rarely straddle a rounding boundary), at least 3."""
    rtol = max(tolerance.rtol, 1e-15)
    return min(8, max(3, math.floor(-math.log10(rtol)) - 2))


def input_sizes(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> frozenset[int]:
    """The sizes in a call's inputs (array dimensions and whole numbers above 1), for saying
    that a wrong factor is one of them (a missing 1/m)."""
    found: set[int] = set()

    def walk(value: Any, depth: int) -> None:
        if isinstance(value, np.ndarray):
            found.update(int(n) for n in value.shape if n > 1)
        elif isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_):
            if 1 < value <= MAX_FACTOR:
                found.add(int(value))
        elif depth < SIZES_DEPTH and isinstance(value, dict):
            for item in value.values():
                walk(item, depth + 1)
        elif depth < SIZES_DEPTH and isinstance(value, tuple | list):
            for item in value:
                walk(item, depth + 1)

    walk(tuple(args), 0)
    walk(dict(kwargs), 0)
    return frozenset(found)


def describe_difference(
    expected: Any, got: Any, sizes: frozenset[int] = frozenset(), path: str = ""
) -> str:
    """How `got` differs from `expected` (the part of the answer that is wrong), in words.

    Args:
        expected: the reference's value at the place the comparison failed.
        got: the student's value there.
        sizes: sizes of the call's inputs (`input_sizes`), to name a factor that is one.
        path: where in the answer this is ("dw", "your result[1]"); named unless it is the
            whole result.
    """
    what = _difference(expected, got, sizes)
    if path and path != "your result":
        return DIFF_AT.format(path=path, what=what)
    return what


def _difference(expected: Any, got: Any, sizes: frozenset[int]) -> str:
    want, have = _as_numbers(expected), _as_numbers(got)
    if want is None or have is None:
        if want is None and have is None:
            return DIFF_OTHER.format(got=_short(got), expected=_short(expected))
        return DIFF_TYPE.format(got=describe_type(got), expected=describe_type(expected))
    if want.ndim == 0 and have.ndim == 0:
        return _scalar_difference(float(want), float(have), sizes)
    if want.shape != have.shape:
        return _shape_difference(want, have)
    return _array_difference(want, have, sizes)


def _as_numbers(value: Any) -> np.ndarray | None:
    """A number, an array of numbers or a list of numbers as a float array; else None."""
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        return np.asarray(float(value))
    if isinstance(value, np.ndarray) and value.dtype.kind in NUMERIC_KINDS:
        return value.astype(np.float64)
    if isinstance(value, list | tuple) and value and all(_as_numbers(v) is not None for v in value):
        try:
            return np.asarray(value, dtype=np.float64)
        except ValueError:  # ragged
            return None
    return None


def _shape_difference(want: np.ndarray, have: np.ndarray) -> str:
    shapes = {"got": tuple(have.shape), "expected": tuple(want.shape)}
    if have.ndim == 2 and have.T.shape == want.shape and _close(have.T, want):
        return f"{DIFF_TRANSPOSED} ({DIFF_SHAPE.format(**shapes)})"
    if have.size == want.size and _close(have.reshape(want.shape), want):
        return DIFF_RESHAPED.format(**shapes)
    return DIFF_SHAPE.format(**shapes)


def _array_difference(want: np.ndarray, have: np.ndarray, sizes: frozenset[int]) -> str:
    bad_finite = ~np.isfinite(have) & np.isfinite(want)
    if bad_finite.any():
        return DIFF_NONFINITE.format(count=int(bad_finite.sum()))
    if want.ndim == 2 and want.shape[0] == want.shape[1] > 1 and _close(have, want.T):
        return DIFF_TRANSPOSED
    if not np.any(have) and np.any(want):
        return DIFF_ZEROS
    nonzero = np.abs(want) > 1e-12
    if nonzero.any():
        ratio = float(np.median(have[nonzero] / want[nonzero]))
        if _close(have, ratio * want):
            factor = _factor_text(ratio, sizes)
            if factor:
                return factor
    offset = float(np.median(have - want))
    if offset and _close(have, want + offset):
        sign = "+" if offset > 0 else "-"
        return DIFF_OFFSET.format(sign=sign, offset=_num(abs(offset)))
    return _largest_error(want, have)


def _factor_text(ratio: float, sizes: frozenset[int]) -> str:
    """The words for a constant ratio ("every value is 2x the expected", "... 1/64 of the
    expected (64 is a size of the inputs)"); empty for a ratio of about 1."""
    if abs(ratio + 1) < 1e-6:
        return DIFF_NEGATED
    if ratio == 0 or abs(ratio - 1) < 1e-6 or not math.isfinite(ratio):
        return ""
    whole = _whole(ratio)
    if whole is not None and abs(whole) <= MAX_FACTOR:
        return DIFF_FACTOR.format(factor=whole, why=_why(abs(whole), sizes))
    inverse = _whole(1 / ratio)
    if inverse is not None and abs(inverse) <= MAX_FACTOR:
        return DIFF_FRACTION.format(factor=inverse, why=_why(abs(inverse), sizes))
    return DIFF_FACTOR.format(factor=_num(ratio), why="")


def _why(factor: int, sizes: frozenset[int]) -> str:
    if factor <= 2:
        return ""  # 2 is a size of many inputs, and a factor of 2 has many other causes
    if factor in sizes:
        return WHY_SIZE.format(size=factor)
    root = math.isqrt(factor)
    if root * root == factor and root in sizes:
        return WHY_SQUARE.format(square=factor, size=root)
    return ""


def _scalar_difference(want: float, have: float, sizes: frozenset[int]) -> str:
    numbers = {"got": _num(have), "expected": _num(want)}
    if want != 0 and math.isclose(have, -want, rel_tol=1e-6):
        return DIFF_SCALAR_NEGATED.format(**numbers)
    if want != 0 and math.isfinite(have):
        ratio = have / want
        whole, inverse = _whole(ratio), _whole(1 / ratio) if ratio else None
        if whole is not None and abs(whole) > 1 and abs(whole) <= MAX_FACTOR:
            return f"{DIFF_SCALAR.format(**numbers)}: {whole}x{_why(abs(whole), sizes)}"
        if inverse is not None and abs(inverse) > 1 and abs(inverse) <= MAX_FACTOR:
            return f"{DIFF_SCALAR.format(**numbers)}: 1/{inverse}{_why(abs(inverse), sizes)}"
    return DIFF_SCALAR.format(**numbers)


def _largest_error(want: np.ndarray, have: np.ndarray) -> str:
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(have - want)
    diff = np.where(np.isfinite(diff), diff, np.inf)
    index = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.ndim else ()
    close = np.isclose(have, want, rtol=1e-6, atol=1e-9, equal_nan=True)
    return DIFF_SOME.format(
        bad=int((~close).sum()),
        total=int(close.size),
        diff=_num(diff[index]),
        index=tuple(int(i) for i in index),
        expected=_num(want[index]),
        got=_num(have[index]),
    )


def _close(have: np.ndarray, want: np.ndarray) -> bool:
    return bool(np.allclose(have, want, rtol=1e-5, atol=1e-9, equal_nan=True))


def _whole(value: float) -> int | None:
    """`value` as a whole number when it is one (up to rounding), else None."""
    if not math.isfinite(value) or abs(value) > MAX_FACTOR:
        return None
    rounded = round(value)
    return int(rounded) if abs(value - rounded) <= 1e-6 * max(1.0, abs(value)) else None


def _num(value: Any) -> str:
    number = float(value)
    if not math.isfinite(number):
        return str(number)
    if number == int(number) and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.4g}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
