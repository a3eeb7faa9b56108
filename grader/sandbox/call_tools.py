"""Sandbox-side tools around one call of a student's function (loaded by path, like its siblings).

- `Limit`: the soft time limit of a step, in CPU seconds (with a generous wall-clock bound for
  code that sleeps or waits) or in wall seconds (TensorFlow, which runs many threads).
- `StandIns`: while a function is graded, the graded helpers that failed their own checks are
  replaced in the notebook's namespace by stand-ins that ask the grader process for the
  reference's result over the channel, so one broken helper does not cost points again in every
  function that calls it. The reference itself never comes here: only its results, as plain data.
- `Watch`: counts calls of the notebook's graded helpers and the time spent in them, so a call
  that runs out of time can be told apart as slow (still making progress) or stuck.
- `Snapshot`: did the call change its arguments, and how: by rebinding entries of a dict or list
  it was given, or by writing into the caller's arrays?
- `adapt_call`: a function written to an older signature of the course (an extra argument, or
  no default for an argument the grader leaves out) is called with those arguments filled in.

Imports only the standard library, numpy and its sibling `wire`.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import signal
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

wire = sys.modules["wire"]

MAX_STAND_IN_CALLS = 50_000  # per graded call: far more than any training loop of the course
SNAPSHOT_DEPTH = 8


class SandboxTimeout(BaseException):
    """Raised inside student code when its soft time limit passes."""


class StandInError(Exception):
    """The grader could not answer a stand-in call (e.g. arguments it cannot take)."""


def _on_timer(signum: int, frame: Any) -> None:
    raise SandboxTimeout()


class Limit:
    """A soft time limit, as a request states it: `seconds` of CPU time of this process
    (`clock` "cpu") with `wall_seconds` of wall clock as a generous outer bound (for code that
    sleeps or waits), or `seconds` of wall clock (`clock` "wall"). Raises SandboxTimeout in the
    code it guards."""

    def __init__(self, request: dict[str, Any], key: str = "seconds") -> None:
        self.seconds = max(float(request[key]), 0.001)
        self.clock = str(request.get("clock", "wall"))
        self.wall_seconds = max(float(request.get("wall_" + key, self.seconds)), self.seconds)

    def __enter__(self) -> None:
        signal.signal(signal.SIGALRM, _on_timer)
        signal.signal(signal.SIGPROF, _on_timer)
        if self.clock == "cpu":
            signal.setitimer(signal.ITIMER_PROF, self.seconds)
            signal.setitimer(signal.ITIMER_REAL, self.wall_seconds)
        else:
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc: object) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.setitimer(signal.ITIMER_PROF, 0)


class StandIns:
    """Replace helpers in `namespace` by functions the grader answers, for one call."""

    def __init__(self, namespace: dict[str, Any], names: list[str], channel: int) -> None:
        self.namespace = namespace
        self.names = [name for name in names if isinstance(name, str)]
        self.channel = channel
        self.saved: dict[str, Any] = {}
        self.calls = 0
        self.memo = wire.ArrayMemo()  # large arrays sent or received during this call

    def __enter__(self) -> StandIns:
        for name in self.names:
            if name in self.namespace:
                self.saved[name] = self.namespace[name]
            self.namespace[name] = self._stand_in(name)
        return self

    def __exit__(self, *exc: object) -> None:
        for name in self.names:
            if name in self.saved:
                self.namespace[name] = self.saved[name]
            else:
                self.namespace.pop(name, None)

    def _stand_in(self, name: str) -> Callable[..., Any]:
        original = self.namespace.get(name)

        def stand_in(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            if self.calls > MAX_STAND_IN_CALLS:
                raise StandInError(f"more than {MAX_STAND_IN_CALLS} calls of `{name}`")
            try:
                message = {
                    "event": "stand_in",
                    "name": name,
                    "args": wire.encode(tuple(args), self.memo),
                    "kwargs": wire.encode(dict(kwargs), self.memo),
                }
                payload = wire.dumps(message)
            except (wire.WireError, RecursionError, ValueError) as error:
                raise StandInError(
                    f"`{name}` was called with arguments that cannot be sent to the grader: {error}"
                ) from None
            return self._ask(payload)

        if callable(original):
            functools.update_wrapper(stand_in, original)
        stand_in.__name__ = name
        return stand_in

    def _ask(self, payload: bytes) -> Any:
        # The soft time limit must not interrupt the exchange half way (the channel would be
        # out of step): it is held back while the grader answers, and fires right after.
        blocked = {signal.SIGALRM, signal.SIGPROF}
        signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
        try:
            wire.write_all(self.channel, payload)
            while True:
                reply = wire.receive(self.channel)
                if isinstance(reply, dict) and reply.get("op") == "stand_in_reply":
                    break
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, blocked)
        if "error" in reply:
            raise StandInError(str(reply["error"]))
        return wire.decode(reply["value"], self.memo)


class Watch:
    """Count the calls of the named functions in `namespace`, the time spent in them, and when
    the last one ended (a call that stopped calling its helpers long before its time ran out
    was stuck, not slow)."""

    def __init__(self, namespace: dict[str, Any], names: list[str]) -> None:
        self.namespace = namespace
        self.names = [n for n in names if isinstance(n, str) and callable(namespace.get(n))]
        self.saved: dict[str, Any] = {}
        self.counts: dict[str, list[float]] = {}  # name -> [calls, CPU seconds, ended at]
        self.active = 0  # helper calls under way

    def __enter__(self) -> Watch:
        for name in self.names:
            self.saved[name] = self.namespace[name]
            self.namespace[name] = self._counted(name, self.namespace[name])
        return self

    def __exit__(self, *exc: object) -> None:
        for name, function in self.saved.items():
            self.namespace[name] = function

    def _counted(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        tally = self.counts.setdefault(name, [0, 0.0, 0.0])

        @functools.wraps(function)
        def counted(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            self.active += 1
            try:
                return function(*args, **kwargs)
            finally:
                self.active -= 1
                tally[2] = time.process_time()
                tally[0] += 1
                tally[1] += tally[2] - start

        return counted

    def progress(self) -> dict[str, list[float]]:
        """{name: [calls, CPU seconds, CPU seconds since the last call ended (0 while one is
        under way)]} for the helpers that were called."""
        now = time.process_time()
        return {
            name: [int(c), round(s, 3), 0.0 if self.active else round(now - ended, 3)]
            for name, (c, s, ended) in self.counts.items()
            if c
        }


class Snapshot:
    """What the arguments held before a call, to tell afterwards whether and how they changed."""

    def __init__(self, args: tuple[Any, ...]) -> None:
        self.encoded = wire.encode(args)["t"]
        self.arrays = [
            [(array, _digest(array)) for array in _arrays(arg, SNAPSHOT_DEPTH)] for arg in args
        ]

    def changes(self, args: tuple[Any, ...]) -> list[list[Any]]:
        """[[index, "arrays" | "containers"], ...] for every argument that changed."""
        after = wire.encode(args)["t"]
        changed = []
        for index, (now, then) in enumerate(zip(after, self.encoded, strict=True)):
            if now == then:
                continue
            written = any(_digest(array) != digest for array, digest in self.arrays[index])
            changed.append([index, "arrays" if written else "containers"])
        return changed


def _arrays(value: Any, depth: int) -> Iterator[np.ndarray]:
    if depth <= 0:
        return
    if isinstance(value, np.ndarray):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _arrays(item, depth - 1)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _arrays(item, depth - 1)


def _digest(array: np.ndarray) -> bytes:
    try:
        return hashlib.blake2b(np.ascontiguousarray(array).tobytes(), digest_size=16).digest()
    except Exception:  # an object array, or a subclass that misbehaves
        return b""


def adapt_call(
    function: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    adapt: dict[str, Any] | None,
) -> tuple[tuple[Any, ...], dict[str, Any], list[str]]:
    """Fill in arguments a function written to an older signature needs.

    `adapt` holds `defaults` (the current signature's default values, for arguments the call
    leaves out) and `extra` (values for parameters an older signature had). Only parameters
    without a default in the student's function, and missing from the call, are filled; the
    call is left alone when it already binds.
    """
    if not adapt:
        return args, kwargs, []
    try:
        signature = inspect.signature(function)
        signature.bind(*args, **kwargs)
        return args, kwargs, []
    except (TypeError, ValueError):
        pass
    try:
        bound = signature.bind_partial(*args, **kwargs)
    except (TypeError, ValueError, NameError):
        return args, kwargs, []
    sources = {
        **wire.decode(adapt.get("defaults", {"d": []})),
        **wire.decode(adapt.get("extra", {"d": []})),
    }
    filled = []
    kwargs = dict(kwargs)
    for name, parameter in signature.parameters.items():
        required = parameter.default is inspect.Parameter.empty and parameter.kind in (
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            inspect.Parameter.KEYWORD_ONLY,
        )
        if required and name not in bound.arguments and name in sources:
            kwargs[name] = sources[name]
            filled.append(name)
    return args, kwargs, filled
