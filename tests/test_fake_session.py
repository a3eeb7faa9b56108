"""The fake session answers like the sandbox (tests/test_calls.py and tests/test_sandbox.py ask
the same of the real one): cells recorded, stand-ins, watched helpers, changed arguments, older
signatures, and errors stated as "Type: text"."""

from __future__ import annotations

import numpy as np
import pytest
from fakes import FakeSession, fake_session

from grader.notebook.session import CallOptions, CallStatus
from grader.report.model import CellStatus

NOTEBOOK = """
import numpy as np

def helper(x):
    raise ValueError("the student's helper is broken")

def uses_helper(n, x):
    total = 0.0
    for _ in range(n):
        total += float(np.sum(helper(x)))
    return total

def helper_name():
    return helper.__name__

def slow_helper(x):
    return x

def calls_slow_helper(n):
    for i in range(n):
        slow_helper(i)
    return n

def replaces_entries(d):
    d["W"] = d["W"] - 1.0
    return d["W"]

def writes_arrays(d):
    d["W"] -= 1.0
    return d["W"]

def old_signature(A2, Y, parameters):
    return float(np.sum(A2 * Y)) + len(parameters)

def draw():
    return float(np.random.rand())

not_a_function = 3
"""


@pytest.fixture
def session() -> FakeSession:
    return FakeSession([NOTEBOOK])


def doubled(name: str, args: tuple, kwargs: dict) -> object:
    assert name == "helper"
    return np.asarray(args[0]) * 2


def test_cells_are_recorded_like_the_sandboxs() -> None:
    """Is a failing cell recorded with its error, and do the cells after it still run?"""
    fake = FakeSession(["x = 1", "%matplotlib inline\ny = 1 / 0", "z = x + 1"])
    assert [c.status for c in fake.cell_results] == [CellStatus.OK, CellStatus.ERROR, CellStatus.OK]
    assert fake.cell_results[1].message == "ZeroDivisionError: division by zero"
    assert "cell 2, line 2" in (fake.cell_results[1].traceback or "")
    assert fake.value("z").value == 2


def test_missing_modules_are_stubbed_and_helper_modules_provided() -> None:
    """Does a cell importing a module that does not exist run on, a stub in its place, while
    the assignment's helper modules are importable, and is sys.modules left alone?"""
    import sys

    fake = fake_session(
        ["from public_tests import *\nfrom lr_utils import load_dataset\nfound = 1"],
        "logistic_regression",
    )
    assert fake.cell_results[0].status is CellStatus.OK, fake.cell_results[0].message
    assert fake.stubbed == ["public_tests"]
    assert callable(fake.namespace["load_dataset"])
    assert "lr_utils" not in sys.modules and "public_tests" not in sys.modules


def test_a_broken_helper_is_answered_by_the_grader_and_put_back(session: FakeSession) -> None:
    """Does a stand-in answer the helper's calls during the call, and only during it?"""
    x = np.ones((3, 4))
    options = CallOptions(stand_ins=("helper",), answer=doubled)
    outcome = session.call("uses_helper", (5, x), {}, 20, options)
    assert outcome.status is CallStatus.RETURNED
    assert outcome.value == pytest.approx(5 * 2 * x.size)
    assert session.call("helper_name", (), {}, 5, options).value == "helper"
    after = session.call("uses_helper", (1, x), {}, 5)
    assert after.status is CallStatus.RAISED
    assert after.message == "ValueError: the student's helper is broken"


def test_a_stand_in_that_cannot_answer_raises_in_the_students_code(session: FakeSession) -> None:
    """Is a call the grader cannot answer an error of the call, with the reason?"""

    def refuse(name: str, args: tuple, kwargs: dict) -> object:
        raise TypeError("takes 1 positional argument but 2 were given")

    options = CallOptions(stand_ins=("helper",), answer=refuse)
    outcome = session.call("uses_helper", (1, np.ones(3)), {}, 5, options)
    assert outcome.status is CallStatus.RAISED
    assert outcome.message.startswith("StandInError: TypeError: takes 1 positional")


def test_a_simulated_timeout_says_how_far_it_got() -> None:
    """Does `stop` end a call as a timeout, with the calls of its watched helpers, and a
    stop at 0 end it before anything ran?"""
    fake = FakeSession([NOTEBOOK], stop={"calls_slow_helper": 7})
    options = CallOptions(watch=("slow_helper",))
    outcome = fake.call("calls_slow_helper", (10**6,), {}, 3, options)
    assert outcome.status is CallStatus.TIMEOUT and outcome.seconds == 3
    assert outcome.progress["slow_helper"][0] == 7
    assert fake.call("calls_slow_helper", (3,), {}, 3, CallOptions()).value == 3  # put back
    stuck = FakeSession([NOTEBOOK], stop={"calls_slow_helper": 0})
    outcome = stuck.call("calls_slow_helper", (3,), {}, 3, options)
    assert outcome.status is CallStatus.TIMEOUT and outcome.progress == {}


def test_how_arguments_changed_is_told_apart(session: FakeSession) -> None:
    """Are new dict entries told apart from writes into the caller's arrays, and is the
    caller's own value never changed?"""
    given = {"W": np.zeros(3)}
    replaced = session.call("replaces_entries", (given,), {}, 5)
    written = session.call("writes_arrays", (given,), {}, 5)
    untracked = session.call("writes_arrays", (given,), {}, 5, CallOptions(track_mutation=False))
    assert replaced.mutated == ((0, "containers"),)
    assert written.mutated == ((0, "arrays"),)
    assert untracked.mutated == ()
    assert np.array_equal(given["W"], np.zeros(3))


def test_an_older_signature_gets_its_extra_argument(session: FakeSession) -> None:
    """Is a function written to an older signature called with the extra argument filled?"""
    A2, Y = np.ones((1, 4)), np.ones((1, 4))
    plain = session.call("old_signature", (A2, Y), {}, 5)
    adapted = session.call(
        "old_signature", (A2, Y), {}, 5, CallOptions(extra={"parameters": {"W1": 1}})
    )
    assert plain.status is CallStatus.RAISED and "parameters" in plain.message
    assert adapted.value == pytest.approx(5.0) and adapted.adapted == ("parameters",)


def test_missing_and_not_callable_names(session: FakeSession) -> None:
    """Are a missing function and a variable called as one told apart, as in the sandbox?"""
    assert session.call("nowhere", (), {}, 5).status is CallStatus.MISSING
    outcome = session.call("not_a_function", (), {}, 5)
    assert outcome.status is CallStatus.NOT_CALLABLE and outcome.message == "int"
    assert session.value("nowhere").status is CallStatus.MISSING


def test_the_notebooks_random_state_is_its_own() -> None:
    """Does a notebook's np.random.seed govern its own draws and leave the test's alone?"""
    np.random.seed(0)
    ours = np.random.rand()
    np.random.seed(0)
    fake = FakeSession(["import numpy as np\nnp.random.seed(5)", NOTEBOOK])
    first = fake.call("draw", (), {}, 5).value
    assert np.random.rand() == ours  # the test's own sequence went on undisturbed
    np.random.seed(5)
    assert first == np.random.rand()


def test_cells_and_calls_have_a_cpu_time_limit() -> None:
    """Is a cell that never ends stopped at its CPU-time limit and recorded as timed out,
    and a call that never ends a timeout, as in the sandbox?"""
    forever = "def spin():\n    while True:\n        pass\n"
    fake = FakeSession([forever, "spin()", "after = 1"], cell_seconds=0.2)
    statuses = [cell.status for cell in fake.cell_results]
    assert statuses == [CellStatus.OK, CellStatus.TIMEOUT, CellStatus.OK]
    assert fake.call("spin", (), {}, 0.2).status is CallStatus.TIMEOUT
