"""Compare a student's value with the expected one, in a fixed order a student can follow.

type -> structure (tuple length, dict keys) -> shape -> dtype kind -> finite -> values.
The first failure stops the chain and is described in plain words; shape is always checked
before values, so broadcasting can never pass a wrong shape.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.checks import messages as msg

NUMERIC_KINDS = "biuf"


@dataclass(frozen=True)
class Tolerance:
    """Relative and absolute tolerance, widened automatically for low-precision floats."""

    rtol: float = 1e-6
    atol: float = 1e-8

    def for_dtype(self, dtype: np.dtype[Any]) -> Tolerance:
        """A float32 (or float16) answer is judged with the precision it can hold."""
        if dtype.kind == "f" and dtype.itemsize <= 4:
            floor = 1e-4 if dtype.itemsize == 4 else 1e-2
            return Tolerance(max(self.rtol, floor), max(self.atol, floor * 1e-2))
        return self


@dataclass(frozen=True)
class Verdict:
    """The result of one comparison: `ok`, or the first problem found and where."""

    ok: bool
    path: str = ""
    message: str = ""
    details: tuple[str, ...] = ()
    kind: str = ""  # type, structure, shape, dtype, nonfinite, value
    # (expected, got) at `path`: feedback shows the part that is wrong, not the whole result.
    values: tuple[Any, Any] | None = None
    # The message and details for a hidden case: the same words without the numbers that come
    # from hidden inputs or expected values (empty: derived by `hidden_view`).
    safe_message: str = ""
    safe_details: tuple[str, ...] | None = None
    # For checks of a property (a statistic of random weights, a mask's kept fraction): the
    # property expected, in words ("standard deviation about 0.045, 0.040 to 0.049").
    expected_text: str = ""


PASS = Verdict(ok=True)


@dataclass(frozen=True)
class Rules:
    """Per-assignment comparison options: tolerance and required dtype kinds by path."""

    tolerance: Tolerance = field(default_factory=Tolerance)
    dtypes: Mapping[str, str] = field(default_factory=dict)
    names: tuple[str, ...] = ()


def compare_values(expected: Any, got: Any, rules: Rules, path: str = "your result") -> Verdict:
    """Walk `expected` and `got` together and return the first mismatch, or PASS."""
    verdict = _compare_any(expected, got, rules, path)
    if not verdict.ok and verdict.values is None:
        verdict = dataclasses.replace(verdict, values=(expected, got))
    return verdict


def _compare_any(expected: Any, got: Any, rules: Rules, path: str) -> Verdict:
    if isinstance(expected, tuple | list) and not is_numeric_sequence(expected):
        return _compare_sequence(expected, got, rules, path)
    if isinstance(expected, dict):
        return _compare_dict(expected, got, rules, path)
    if isinstance(expected, np.ndarray) and expected.ndim > 0:
        return compare_arrays(expected, got, rules, path)
    if isinstance(expected, list | tuple):
        return _compare_numeric_list(expected, got, rules, path)
    if _is_real_scalar(expected):
        return compare_scalars(expected, got, rules, path)
    if expected is None:
        return (
            PASS
            if got is None
            else Verdict(
                False,
                path,
                msg.NOT_NONE.format(path=path, got=describe_type(got)),
                kind="type",
                safe_message=msg.NOT_NONE.format(path=path, got=describe_type(got, shape=False)),
            )
        )
    if expected == got:
        return PASS
    return Verdict(
        False,
        path,
        msg.NOT_EQUAL.format(path=path, expected=expected, got=got),
        kind="value",
        safe_message=msg.HIDDEN_NOT_EQUAL.format(path=path),
    )


def _child_path(path: str, rules: Rules, index: int) -> str:
    if path == "your result" and index < len(rules.names):
        return rules.names[index]
    return f"{path}[{index}]"


def _compare_sequence(expected: Any, got: Any, rules: Rules, path: str) -> Verdict:
    if not isinstance(got, tuple | list):
        return Verdict(
            False,
            path,
            msg.NOT_SEQUENCE.format(path=path, count=len(expected), got=describe_type(got)),
            kind="type",
            safe_message=msg.NOT_SEQUENCE.format(
                path=path, count=len(expected), got=describe_type(got, shape=False)
            ),
        )
    if len(got) != len(expected):
        names = f" ({', '.join(rules.names)})" if path == "your result" and rules.names else ""
        return Verdict(
            False,
            path,
            msg.WRONG_LENGTH.format(path=path, count=len(expected), names=names, got=len(got)),
            kind="structure",
            safe_message=msg.HIDDEN_WRONG_COUNT.format(path=path),
        )
    for index, (want, have) in enumerate(zip(expected, got, strict=True)):
        verdict = compare_values(want, have, rules, _child_path(path, rules, index))
        if not verdict.ok:
            return verdict
    return PASS


def _compare_dict(expected: dict[Any, Any], got: Any, rules: Rules, path: str) -> Verdict:
    if not isinstance(got, dict):
        return Verdict(
            False,
            path,
            msg.NOT_DICT.format(path=path, keys=_keys(expected), got=describe_type(got)),
            kind="type",
            safe_message=msg.NOT_DICT.format(
                path=path, keys=_keys(expected), got=describe_type(got, shape=False)
            ),
        )
    missing = [key for key in expected if key not in got]
    if missing:
        return Verdict(
            False,
            path,
            msg.MISSING_KEYS.format(path=path, missing=_keys(missing), keys=_keys(expected)),
            kind="structure",
        )
    for key, want in expected.items():
        verdict = compare_values(want, got[key], rules, f"{path}[{key!r}]".replace("'", '"'))
        if not verdict.ok:
            return verdict
    return PASS


def _keys(keys: Any) -> str:
    return ", ".join(f'"{key}"' for key in keys)


def _is_real_scalar(value: Any) -> bool:
    if isinstance(value, bool | int | float | np.bool_ | np.integer | np.floating):
        return True
    return isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in NUMERIC_KINDS


def is_numeric_sequence(value: Any) -> bool:
    """A non-empty list or tuple of plain numbers (compared as one array)."""
    return len(value) > 0 and all(_is_real_scalar(item) for item in value)


def compare_scalars(expected: Any, got: Any, rules: Rules, path: str) -> Verdict:
    """A number: Python int/float, numpy scalar or 0-d array are all accepted."""
    if isinstance(got, np.ndarray) and got.ndim > 0:
        hint = msg.SCALAR_HINT if got.size == 1 else ""
        return Verdict(
            False,
            path,
            msg.NOT_SCALAR_ARRAY.format(path=path, shape=tuple(got.shape), hint=hint),
            kind="shape",
            safe_message=msg.HIDDEN_NOT_SCALAR_ARRAY.format(path=path, hint=hint),
        )
    if not _is_real_scalar(got):
        return Verdict(
            False,
            path,
            msg.NOT_NUMBER.format(path=path, got=describe_type(got)),
            kind="type",
            safe_message=msg.NOT_NUMBER.format(path=path, got=describe_type(got, shape=False)),
        )
    dtype = np.asarray(got).dtype
    want, have = float(np.asarray(expected)), float(np.asarray(got))
    if not math.isfinite(have) and math.isfinite(want):
        return Verdict(
            False, path, msg.SCALAR_NONFINITE.format(path=path, got=have), kind="nonfinite"
        )
    tol = rules.tolerance.for_dtype(dtype).for_dtype(np.asarray(expected).dtype)
    both_nan = math.isnan(have) and math.isnan(want)
    if both_nan or have == want or math.isclose(have, want, rel_tol=tol.rtol, abs_tol=tol.atol):
        return PASS
    details = [msg.SCALAR_VALUES.format(expected=_num(want), got=_num(have))]
    details += hint_for_scale(np.asarray(want), np.asarray(have))
    safe = tuple(hint_for_scale(np.asarray(want), np.asarray(have), hidden=True))
    message = msg.WRONG_VALUE.format(path=path)
    return Verdict(False, path, message, tuple(details), "value", safe_details=safe)


def _compare_numeric_list(expected: Any, got: Any, rules: Rules, path: str) -> Verdict:
    """A list of numbers (e.g. recorded costs): any sequence or 1-D array of the same length."""
    if isinstance(got, np.ndarray):
        values = got.reshape(-1) if (got.ndim <= 2 and 1 in got.shape) or got.ndim == 1 else got
    elif isinstance(got, tuple | list) and all(_is_real_scalar(x) for x in got):
        values = np.asarray([np.asarray(x) for x in got])  # keeps float32 entries float32
    else:
        return Verdict(
            False,
            path,
            msg.NOT_SEQUENCE.format(path=path, count=len(expected), got=describe_type(got)),
            kind="type",
        )
    if values.ndim != 1 or len(values) != len(expected):
        count = len(values) if values.ndim == 1 else f"shape {values.shape}"
        return Verdict(
            False,
            path,
            msg.WRONG_COUNT.format(path=path, count=len(expected), got=count),
            kind="structure",
            safe_message=msg.HIDDEN_WRONG_COUNT.format(path=path),
        )
    want = np.array([float(np.asarray(x)) for x in expected])
    return compare_arrays(want, values, rules, path)


def compare_arrays(expected: np.ndarray, got: Any, rules: Rules, path: str) -> Verdict:
    """A numpy array: type, then exact shape, then dtype kind, then finiteness, then values."""
    if not isinstance(got, np.ndarray) or got.ndim == 0:
        return Verdict(
            False,
            path,
            msg.NOT_ARRAY.format(path=path, shape=tuple(expected.shape), got=describe_type(got)),
            kind="type",
            safe_message=msg.HIDDEN_NOT_ARRAY.format(path=path, got=describe_type(got, False)),
        )
    if got.shape != expected.shape:
        return Verdict(
            False,
            path,
            msg.WRONG_SHAPE.format(path=path, got=tuple(got.shape), expected=tuple(expected.shape)),
            tuple(hint_for_shape(expected.shape, got.shape)),
            kind="shape",
            safe_message=msg.HIDDEN_WRONG_SHAPE.format(path=path),
            safe_details=tuple(hint_for_shape(expected.shape, got.shape, hidden=True)),
        )
    required = rules.dtypes.get(path, "numeric")
    if got.dtype.kind not in NUMERIC_KINDS or (required == "float" and got.dtype.kind != "f"):
        return Verdict(
            False,
            path,
            msg.WRONG_DTYPE.format(
                path=path,
                got=got.dtype,
                want="floating-point" if required == "float" else "numeric",
            ),
            kind="dtype",
        )
    have = got.astype(np.float64)
    want = expected.astype(np.float64)
    bad_finite = ~np.isfinite(have) & np.isfinite(want)
    if bad_finite.any():
        index = _first(bad_finite)
        return Verdict(
            False,
            path,
            msg.ARRAY_NONFINITE.format(
                path=path, count=int(bad_finite.sum()), value=have[index], index=index
            ),
            kind="nonfinite",
            safe_message=msg.HIDDEN_NONFINITE.format(path=path),
        )
    tol = rules.tolerance.for_dtype(got.dtype).for_dtype(expected.dtype)
    close = np.isclose(have, want, rtol=tol.rtol, atol=tol.atol, equal_nan=True) | (have == want)
    if close.all():
        return PASS
    return Verdict(
        False,
        path,
        msg.WRONG_VALUES.format(path=path),
        tuple(_value_details(want, have, close)),
        kind="value",
        safe_details=tuple(hint_for_scale(want, have, hidden=True)),
    )


def _value_details(want: np.ndarray, have: np.ndarray, close: np.ndarray) -> list[str]:
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(have - want)
        rel = diff / np.maximum(np.abs(want), 1e-12)
    finite = np.isfinite(diff) & np.isfinite(rel)
    max_abs = float(diff[finite].max()) if finite.any() else float("nan")
    max_rel = float(rel[finite].max()) if finite.any() else float("nan")
    index = _first(~close)
    details = [
        msg.MISMATCH_COUNT.format(bad=int((~close).sum()), total=close.size),
        msg.FIRST_BAD.format(index=index, expected=_num(want[index]), got=_num(have[index])),
        msg.MAX_ERRORS.format(abs=_num(max_abs), rel=_num(max_rel)),
    ]
    return details + hint_for_scale(want, have)


def _first(mask: np.ndarray) -> tuple[int, ...]:
    return tuple(int(i) for i in np.argwhere(mask)[0])


def hint_for_shape(
    expected: tuple[int, ...], got: tuple[int, ...], hidden: bool = False
) -> list[str]:
    """Explain common shape slips: transposed, 1-D instead of a column or row, flattened.
    With `hidden`, in words that do not give the expected shape away."""
    if len(expected) == 2 and got == expected[::-1]:
        return [msg.HINT_TRANSPOSED]
    if len(got) == 1 and len(expected) == 2 and 1 in expected and got[0] == max(expected):
        return [msg.HIDDEN_RANK1 if hidden else msg.HINT_RANK1.format(expected=expected)]
    if math.prod(got) == math.prod(expected):
        return [msg.HINT_SAME_SIZE]
    if len(got) > len(expected) or any(g > e for g, e in zip(got, expected, strict=False)):
        return [msg.HINT_BROADCAST]
    return []


def hint_for_scale(want: np.ndarray, have: np.ndarray, hidden: bool = False) -> list[str]:
    """Notice a whole-number factor between the answers: a wrong sign or a missing 1/m.
    With `hidden`, without the factor (it may be a hidden size, such as m)."""
    want, have = np.asarray(want, float).ravel(), np.asarray(have, float).ravel()
    mask = np.abs(want) > 1e-12
    if not mask.any() or not np.isfinite(have).all() or not np.isfinite(want).all():
        return []
    ratios = have[mask] / want[mask]
    ratio = float(np.median(ratios))
    if ratio == 0 or not np.allclose(ratios, ratio, rtol=1e-5, atol=1e-9):
        return []
    if abs(ratio + 1) < 1e-6:
        return [msg.HINT_NEGATED]
    factor = ratio if abs(ratio) >= 1 else 1 / ratio
    if abs(factor) < 1.5 or abs(factor - round(factor)) > 1e-5 * abs(factor):
        return []  # only a whole factor (m, 2, 1/m, ...) points at a specific slip
    if hidden:
        return [msg.HIDDEN_FACTOR if abs(ratio) >= 1 else msg.HIDDEN_FRACTION]
    template = msg.HINT_FACTOR if abs(ratio) >= 1 else msg.HINT_FRACTION
    return [template.format(factor=_num(round(factor)))]


def _num(value: Any) -> str:
    number = float(value)
    if not math.isfinite(number):
        return str(number)
    if number == int(number) and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.6g}"


def describe_type(value: Any, shape: bool = True) -> str:
    """Name a value's type the way a student would recognise it (an array with its shape,
    unless `shape` is False)."""
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {tuple(value.shape)}" if shape else "a numpy array"
    if isinstance(value, bool | np.bool_):
        return "a boolean"
    if isinstance(value, int | np.integer):
        return f"the number {int(value)}"
    if isinstance(value, float | np.floating):
        return f"the number {float(value)!r}"
    if value is None:
        return "None (did you forget a `return`?)"
    if isinstance(value, tuple | list):
        return (
            f"a {type(value).__name__} of length {len(value)}"
            if shape
            else "a " + type(value).__name__
        )
    if isinstance(value, dict):
        return "a dict"
    return f"a {getattr(value, 'type_name', type(value).__name__)}"
