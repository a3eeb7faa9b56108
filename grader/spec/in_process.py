"""A `Session` over trusted functions in the grader process: how `grade validate` grades the
instructor's own reference solution (and its known-mistake variants, and a float32 copy)
without a sandbox. Never used for student code.

The functions are called on deep copies of the inputs, exceptions become RAISED outcomes like
a student's, and changes to the inputs are reported like the sandbox reports them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.notebook.calls import CallOptions, CallOutcome, CallStatus
from grader.notebook.submission import Cell
from grader.report.model import CellResult

NO_PROBES = "Keras probes need the sandbox (TensorFlow): checked by grading the release"


@dataclass
class InProcessSession:
    """Grading against `functions` (name -> callable or value) in this process."""

    functions: dict[str, Any]
    cells: tuple[Cell, ...] = ()
    cell_results: list[CellResult] = field(default_factory=list)
    stubbed: list[str] = field(default_factory=list)
    protections: tuple[str, ...] = ("in process: trusted instructor code, no sandbox",)
    peak_memory_mb: float = 0.0  # no sandbox: nothing measured

    def call(
        self,
        function: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        seconds: float,
        options: CallOptions | None = None,
    ) -> CallOutcome:
        """Call a function on copies of its arguments; report what changed."""
        target = self.functions.get(function)
        if target is None:
            return CallOutcome(CallStatus.MISSING)
        if not callable(target):
            return CallOutcome(CallStatus.NOT_CALLABLE, message=type(target).__name__)
        args, kwargs = copy.deepcopy((args, kwargs))
        before = copy.deepcopy(args)
        try:
            value = target(*args, **kwargs)
        except Exception as error:
            return CallOutcome(CallStatus.RAISED, message=f"{type(error).__name__}: {error}")
        mutated = tuple(
            (index, "arrays")
            for index, (now, then) in enumerate(zip(args, before, strict=True))
            if not _same(now, then)
        )
        return CallOutcome(CallStatus.RETURNED, value=copy.deepcopy(value), mutated=mutated)

    def probe(
        self,
        function: str,
        action: str,
        args: tuple[Any, ...],
        options: dict[str, Any],
        seconds: float,
    ) -> CallOutcome:
        """Keras probes are not answered here (see `NO_PROBES`)."""
        return CallOutcome(CallStatus.CRASHED, message=NO_PROBES)

    def value(self, name: str, seconds: float = 5.0) -> CallOutcome:
        """A named answer's value."""
        if name not in self.functions:
            return CallOutcome(CallStatus.MISSING)
        return CallOutcome(CallStatus.RETURNED, value=copy.deepcopy(self.functions[name]))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.shape == b.shape
            and bool(np.array_equal(a, b, equal_nan=True))
        )
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    try:
        return bool(a == b)
    except Exception:  # an object whose == misbehaves: count it as unchanged
        return True


def in_float32(function: Callable[..., Any]) -> Callable[..., Any]:
    """The function computed in float32: float arrays and floats among its inputs and in its
    result rounded to float32 (what a student's float32 implementation gives)."""

    def float32(*args: Any, **kwargs: Any) -> Any:
        return _to_float32(function(*_to_float32(args), **_to_float32(kwargs)))

    return float32


def _to_float32(value: Any) -> Any:
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value.astype(np.float32)
    if isinstance(value, float):
        return np.float32(value)
    if isinstance(value, dict):
        return {key: _to_float32(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(_to_float32(item) for item in value)
    if isinstance(value, list):
        return [_to_float32(item) for item in value]
    return value
