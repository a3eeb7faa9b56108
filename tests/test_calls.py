"""A graded call in the sandbox: stand-ins answered by the grader, watched helpers, CPU-time
limits, how arguments changed, and functions written to an older signature."""

from __future__ import annotations

import time

import numpy as np
import pytest

from grader.notebook.calls import CallOptions, CallStatus
from grader.notebook.session import NotebookSession
from grader.notebook.submission import Cell
from grader.resources import secret_paths, source_checkout
from grader.sandbox import SandboxConfig

pytestmark = pytest.mark.slow

NOTEBOOK = """
import numpy as np, time

def helper(x):
    raise ValueError("the student's helper is broken")

def uses_helper(n, x):
    total = 0.0
    for _ in range(n):
        total += float(np.sum(helper(x)))
    return total

def helper_name():
    return helper.__name__

def spin(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass

def sleeps(seconds):
    time.sleep(seconds)
    return "slept"

def slow_helper(x):
    spin(0.05)
    return x

def calls_slow_helper(n):
    for i in range(n):
        slow_helper(i)

def replaces_entries(d):
    d["W"] = d["W"] - 1.0
    return d["W"]

def writes_arrays(d):
    d["W"] -= 1.0
    return d["W"]

def old_signature(A2, Y, parameters):
    return float(np.sum(A2 * Y)) + len(parameters)
"""


def session(cell_seconds: float = 5.0) -> NotebookSession:
    config = SandboxConfig(hide=tuple(secret_paths()), source_root=source_checkout())
    return NotebookSession((Cell(0, NOTEBOOK),), config, cell_seconds, 30.0)


def doubled(name: str, args: tuple, kwargs: dict) -> object:
    assert name == "helper"
    return np.asarray(args[0]) * 2


def test_a_broken_helper_is_answered_by_the_grader_and_put_back() -> None:
    """Does a stand-in answer the helper's calls during the call, and only during it?"""
    x = np.ones((30, 455))  # 109 kB: sent once, then by reference
    options = CallOptions(stand_ins=("helper",), answer=doubled)
    with session() as sandbox:
        outcome = sandbox.call("uses_helper", (500, x), {}, 20, options)
        assert outcome.status is CallStatus.RETURNED
        assert outcome.value == pytest.approx(500 * 2 * x.size)
        assert sandbox.call("helper_name", (), {}, 5, options).value == "helper"
        after = sandbox.call("uses_helper", (1, x), {}, 5)
        assert after.status is CallStatus.RAISED and "is broken" in after.message


def test_a_stand_in_that_cannot_answer_raises_in_the_students_code() -> None:
    """Is a call the grader cannot answer an error of the call, with the reason?"""

    def refuse(name: str, args: tuple, kwargs: dict) -> object:
        raise TypeError("takes 1 positional argument but 2 were given")

    with session() as sandbox:
        options = CallOptions(stand_ins=("helper",), answer=refuse)
        outcome = sandbox.call("uses_helper", (1, np.ones(3)), {}, 5, options)
        assert outcome.status is CallStatus.RAISED
        assert "StandInError" in outcome.message and "positional argument" in outcome.message
        # the channel is still in step: the next call works
        assert sandbox.call("sleeps", (0,), {}, 5).value == "slept"


def test_a_timeout_during_stand_in_calls_leaves_the_channel_in_step() -> None:
    """Does a call cut short while the grader answers its stand-ins leave the sandbox usable?"""

    def slow(name: str, args: tuple, kwargs: dict) -> object:
        time.sleep(0.02)
        return np.asarray(args[0]) * 2

    with session() as sandbox:
        options = CallOptions(stand_ins=("helper",), answer=slow)
        outcome = sandbox.call("uses_helper", (10**6, np.ones(3)), {}, 1, options)
        assert outcome.status is CallStatus.TIMEOUT
        assert sandbox.call("sleeps", (0,), {}, 5).value == "slept"


def test_limits_count_cpu_time_not_waiting() -> None:
    """Does a call that waits (no CPU) outlive its CPU limit, and one that computes not?"""
    with session() as sandbox:
        assert sandbox.call("sleeps", (2.0,), {}, 1).value == "slept"
        start = time.monotonic()
        assert sandbox.call("spin", (30,), {}, 1).status is CallStatus.TIMEOUT
        assert time.monotonic() - start < 10


def test_a_slow_call_says_how_far_it_got() -> None:
    """Does a call that runs out of time report the calls of its watched helpers, and that the
    last one ended moments before (it was still calling them: slow, not stuck)?"""
    with session() as sandbox:
        options = CallOptions(watch=("slow_helper",))
        outcome = sandbox.call("calls_slow_helper", (10**6,), {}, 1, options)
        assert outcome.status is CallStatus.TIMEOUT
        calls, seconds, idle = outcome.progress["slow_helper"]
        assert 5 <= calls <= 40 and seconds > 0.3 and idle < 0.2


def test_how_arguments_changed_is_told_apart() -> None:
    """Are new dict entries told apart from writes into the caller's arrays?"""
    with session() as sandbox:
        replaced = sandbox.call("replaces_entries", ({"W": np.zeros(3)},), {}, 5)
        written = sandbox.call("writes_arrays", ({"W": np.zeros(3)},), {}, 5)
    assert replaced.mutated == ((0, "containers"),)
    assert written.mutated == ((0, "arrays"),)


def test_an_older_signature_gets_its_extra_argument() -> None:
    """Is a function written to an older signature called with the extra argument filled?"""
    A2, Y = np.ones((1, 4)), np.ones((1, 4))
    with session() as sandbox:
        plain = sandbox.call("old_signature", (A2, Y), {}, 5)
        adapted = sandbox.call(
            "old_signature", (A2, Y), {}, 5, CallOptions(extra={"parameters": {"W1": 1}})
        )
    assert plain.status is CallStatus.RAISED and "parameters" in plain.message
    assert adapted.value == pytest.approx(5.0) and adapted.adapted == ("parameters",)
