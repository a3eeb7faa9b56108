"""The sandbox as a student's code meets it: limits, isolation, failures that stay contained."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from grader.notebook.calls import CallStatus
from grader.notebook.session import NotebookSession
from grader.notebook.submission import Cell
from grader.report.model import CellStatus
from grader.resources import reference_solutions_dir, secret_paths, source_checkout
from grader.sandbox import SandboxConfig

pytestmark = pytest.mark.slow


# A cell that ignores both soft-limit signals (wall clock and CPU time): only a kill stops it.
STUBBORN = (
    "import signal\n"
    "signal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
    "signal.signal(signal.SIGPROF, signal.SIG_IGN)\n"
    "while True:\n    pass"
)


def session_for(
    *sources: str, cell_seconds: float = 2.0, notebook_seconds: float = 20.0, **config: object
) -> NotebookSession:
    cells = tuple(Cell(index=i, source=src) for i, src in enumerate(sources))
    settings = {"hide": tuple(secret_paths()), "source_root": source_checkout(), **config}
    return NotebookSession(cells, SandboxConfig(**settings), cell_seconds, notebook_seconds)


def statuses(session: NotebookSession) -> list[CellStatus]:
    return [cell.status for cell in session.cell_results]


def test_failing_cell_is_recorded_and_later_cells_run() -> None:
    """Does a cell that raises leave the following cells running?"""
    with session_for("x = 1", "1/0", "def f():\n    return x + 1") as session:
        assert statuses(session) == [CellStatus.OK, CellStatus.ERROR, CellStatus.OK]
        assert "ZeroDivisionError" in session.cell_results[1].message
        assert "cell 2" in (session.cell_results[1].traceback or "")
        assert session.call("f", (), {}, 2).value == 2


def test_student_traceback_shows_only_student_frames() -> None:
    """Does a traceback name the student's cells and none of the grader's files?"""
    with session_for("def g(a):\n    return a.missing", "def f(a):\n    return g(a)") as session:
        outcome = session.call("f", (1,), {}, 2)
    assert outcome.status == CallStatus.RAISED
    assert "cell 2" in (outcome.traceback or "") and "cell 1" in (outcome.traceback or "")
    assert "runner.py" not in (outcome.traceback or "")


def test_infinite_loop_in_cell_times_out_and_grading_continues() -> None:
    """Is an endless cell stopped at the cell limit without losing later definitions?"""
    with session_for(
        "while True:\n    pass", "def f():\n    return 3", cell_seconds=0.5
    ) as session:
        assert statuses(session) == [CellStatus.TIMEOUT, CellStatus.OK]
        assert session.call("f", (), {}, 2).value == 3


def test_loop_that_swallows_the_timeout_is_killed_and_skipped() -> None:
    """Is a cell that ignores the soft time limit killed from outside, then skipped on a rerun?"""
    stubborn = STUBBORN
    with session_for(
        "def f():\n    return 5", stubborn, cell_seconds=0.3, notebook_seconds=1.5
    ) as session:
        assert statuses(session) == [CellStatus.OK, CellStatus.TIMEOUT]
        assert session.boots == 2
        assert session.call("f", (), {}, 2).value == 5


def test_a_stubborn_cell_is_stopped_soon_after_its_own_limit() -> None:
    """A cell that ignores its soft limit is killed a few seconds after that limit, not at the
    end of the notebook's (much longer) limit, and the cells after it still run."""
    import time

    stubborn = STUBBORN
    start = time.monotonic()
    with session_for(stubborn, "x = 7", cell_seconds=0.5, notebook_seconds=60) as session:
        assert statuses(session) == [CellStatus.TIMEOUT, CellStatus.OK]
        assert "stopped from outside" in session.cell_results[0].message
        assert session.value("x").value == 7
    assert time.monotonic() - start < 20


def test_infinite_loop_in_function_times_out() -> None:
    """Does a graded call that never returns time out, and the next call still work?"""
    with session_for("def spin():\n    while True: pass", "def ok():\n    return 1") as session:
        assert session.call("spin", (), {}, 0.5).status == CallStatus.TIMEOUT
        assert session.call("ok", (), {}, 2).value == 1


@pytest.mark.parametrize(
    "code",
    [
        "import os\nos._exit(3)",
        "import sys\nsys.exit(1)",
        "raise SystemExit",
        "raise KeyboardInterrupt",
        "import ctypes\nctypes.string_at(0)",
    ],
)
def test_process_ending_cells_do_not_stop_grading(code: str) -> None:
    """Do exits, interrupts and segfaults in a cell still let the notebook's functions be graded?"""
    with session_for("def f():\n    return 7", code) as session:
        assert session.cell_results[1].status in (CellStatus.ERROR, CellStatus.KILLED)
        assert session.call("f", (), {}, 2).value == 7


def test_memory_bombs_fail_inside_the_sandbox() -> None:
    """Do huge allocations raise MemoryError in the student's cell instead of hurting the grader?"""
    with session_for(
        "import numpy as np\na = np.ones((10**6, 10**6))",
        "b = [0] * 10**11",
        "c = 1",
        memory_mb=1024,
    ) as session:
        assert statuses(session) == [CellStatus.ERROR, CellStatus.ERROR, CellStatus.OK]
        assert "MemoryError" in session.cell_results[0].message


def test_output_is_capped() -> None:
    """Is 100 MB of printing cut to a small excerpt?"""
    with session_for('print("x" * 100_000_000)', output_chars=1000) as session:
        output = session.cell_results[0].output
    assert len(output) < 5000 and "more characters not shown" in output


def test_reference_solutions_are_invisible() -> None:
    """Can student code read the reference solutions by path? (It must find nothing.)"""
    target = reference_solutions_dir() / "logistic_regression.py"
    code = (
        f"import os\ntry:\n    found = open({str(target)!r}).read()\n"
        "except OSError as e:\n    found = repr(e)\n"
        f"listing = os.listdir({str(target.parent)!r}) if os.path.isdir("
        f"{str(target.parent)!r}) else []"
    )
    with session_for(code, "def f():\n    return found, listing") as session:
        found, listing = session.call("f", (), {}, 2).value
        protections = session.protections
    if not any("hidden" in p for p in protections):
        pytest.fail(f"this machine hides nothing: {protections}")
    assert "def propagate" not in found and listing == []


def test_environment_is_scrubbed_and_network_is_off() -> None:
    """Does the sandbox see no grader secrets in its environment and no network?"""
    os.environ["GRADER_TEST_SECRET"] = "s3cret"
    code = (
        "import os, socket\nenv = dict(os.environ)\ntry:\n"
        "    socket.create_connection(('127.0.0.1', 9), timeout=1)\n    net = 'open'\n"
        "except OSError as e:\n    net = type(e).__name__\n"
        "def f():\n    return env, net, os.getcwd()"
    )
    try:
        with session_for(code) as session:
            env, net, cwd = session.call("f", (), {}, 2).value
    finally:
        del os.environ["GRADER_TEST_SECRET"]
    assert "GRADER_TEST_SECRET" not in env and "GRADER_HIDDEN_SEED" not in env
    assert net != "open"
    assert Path(cwd).name.startswith("grader-sandbox-")


def test_writes_outside_the_working_directory_fail() -> None:
    """Can student code change the grader's files? (It must not.)"""
    victim = Path(__file__)
    code = (
        f"try:\n    open({str(victim)!r}, 'a').write('#')\n    result = 'written'\n"
        "except OSError as e:\n    result = type(e).__name__\n"
        "open('scratch.txt', 'w').write('ok')\n"
        "def f():\n    return result, open('scratch.txt').read()"
    )
    before = victim.read_bytes()
    with session_for(code) as session:
        result, scratch = session.call("f", (), {}, 2).value
    assert victim.read_bytes() == before
    assert result != "written" and scratch == "ok"


def test_missing_modules_are_stubbed_and_reported() -> None:
    """Does a cell importing course helpers that do not exist still define its functions?"""
    code = (
        "from public_tests import *\nimport testCases\ntestCases.check(1)\ndef f():\n    return 1"
    )
    with session_for(code) as session:
        assert statuses(session) == [CellStatus.OK]
        assert set(session.stubbed) == {"public_tests", "testCases"}


def test_magics_and_headless_plots_work() -> None:
    """Do `%matplotlib inline` and plt.show() run without a display?"""
    code = (
        "%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()\n"
        "def f():\n    return 1"
    )
    with session_for(code) as session:
        assert statuses(session) == [CellStatus.OK], session.cell_results


def test_mutated_inputs_are_reported() -> None:
    """Is a function that changes its argument in place caught?"""
    with session_for("def f(a):\n    a *= 2\n    return a") as session:
        outcome = session.call("f", (np.ones(3),), {}, 2)
    assert outcome.mutated == ((0, "arrays"),)


def test_missing_and_non_callable_names() -> None:
    """Are an undefined function and a non-function told apart?"""
    with session_for("sigmoid = 3") as session:
        assert session.call("sigmoid", (0,), {}, 2).status == CallStatus.NOT_CALLABLE
        assert session.call("propagate", (), {}, 2).status == CallStatus.MISSING


def test_unsupported_return_values_are_reported_not_unpickled() -> None:
    """Does a function returning an arbitrary object arrive as a harmless placeholder?"""
    with session_for(
        "class Liar:\n    def __eq__(self, o):\n        return True\ndef f():\n    return Liar()"
    ) as session:
        value = session.call("f", (), {}, 2).value
    assert type(value).__name__ == "Unsupported" and "Liar" in value.type_name


def test_grader_temp_files_are_invisible(tmp_path: Path) -> None:
    """Can student code read what the grader (or another sandbox) leaves in /tmp? (No.)"""
    secret = tmp_path / "other-student.ipynb"
    secret.write_text("answers")
    code = f"import os\nseen = os.path.exists({str(secret)!r})\ndef f():\n    return seen"
    with session_for(code) as session:
        assert session.call("f", (), {}, 2).value is False


def test_source_checkout_and_its_history_are_invisible() -> None:
    """Does the sandbox see nothing of the grader's checkout: no answers, no .git history?"""
    root = reference_solutions_dir().parent
    code = (
        f"import os\nseen = [p for p in ({str(root / '.git')!r}, {str(root / 'tests')!r}) "
        "if os.path.exists(p)]\ndef f():\n    return seen"
    )
    with session_for(code) as session:
        assert session.call("f", (), {}, 2).value == []


def test_cgroup_limits_hold_where_the_sandbox_claims_them() -> None:
    """Where the sandbox reports a pids cgroup, no more than `tasks` processes and threads can
    exist at once, and the group is gone after the sandbox; where it does not, it says so."""
    from grader.sandbox import Sandbox, cgroups

    code = (
        "import threading, time\n"
        "started = 0\n"
        "try:\n"
        "    for _ in range(200):\n"
        "        threading.Thread(target=time.sleep, args=(5,), daemon=True).start()\n"
        "        started += 1\n"
        "except RuntimeError:\n"
        "    pass\n"
        "print('started', started)\n"
    )
    config = SandboxConfig(tasks=40)
    with Sandbox(config) as sandbox:
        name = sandbox.workdir.name
        claimed = any("(cgroup pids)" in item for item in sandbox.protections)
        reply = sandbox.request(
            {
                "op": "run_cells",
                "cell_seconds": 10,
                "skip": [],
                "cells": [{"index": 0, "source": code}],
            },
            20,
        )
    started = int(reply["cells"][0]["output"].split()[-1])
    if claimed:
        assert started < 40
        assert not any(group.exists() for group in cgroups._groups(name).values())
    else:
        assert started == 200
