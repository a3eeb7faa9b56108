"""The cell plan in a real sandbox: only the cells grading needs run, the others are recorded
with the plan's reason, and a name the plan missed is brought back by running its cells."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from grader.grading import grade_submission
from grader.notebook.calls import CallStatus
from grader.notebook.cell_plan import Decision, plan_cells
from grader.notebook.session import NotebookSession
from grader.notebook.submission import Cell
from grader.report.model import CellStatus
from grader.sandbox import SandboxConfig

pytestmark = pytest.mark.slow

SCENARIOS = Path(__file__).resolve().parent / "scenarios" / "logistic_regression"
SOURCES = (
    "import numpy as np",
    "SCALE = 3",
    "def f(x):\n    return SCALE * np.asarray(x)",
    "while True:\n    pass  # training that never ends",
    "import matplotlib.pyplot as plt\nplt.plot(f([1, 2]))\nplt.show()",
)


def session_for(plan: tuple = ()) -> NotebookSession:
    cells = tuple(Cell(index, source) for index, source in enumerate(SOURCES))
    return NotebookSession(cells, SandboxConfig(), 2.0, 30.0, plan=plan)


def test_cells_grading_does_not_need_are_not_run_and_say_why() -> None:
    """The endless training cell and the plot are not run (each with the plan's reason), the
    definitions and what they read are, and the graded function works."""
    plan = plan_cells(SOURCES, {"f"})
    with session_for(plan) as session:
        statuses = [cell.status for cell in session.cell_results]
        assert statuses == [CellStatus.OK] * 3 + [CellStatus.NOT_NEEDED] * 2
        assert session.cell_results[4].message.startswith("not needed")
        assert "plots" in session.cell_results[4].message
        assert session.call("f", ([1, 2],), {}, 2).value.tolist() == [3, 6]


def test_a_name_the_plan_missed_is_brought_back() -> None:
    """If a cell the graded function reads from was left out (a dependency the plan did not
    see), the NameError brings that cell back: the notebook runs again with it and the call
    is retried, once."""
    plan = list(plan_cells(SOURCES, {"f"}))
    plan[1] = dataclasses.replace(plan[1], decision=Decision.NOT_NEEDED, reason="not needed")
    with session_for(tuple(plan)) as session:
        assert session.cell_results[1].status is CellStatus.NOT_NEEDED
        outcome = session.call("f", ([1, 2],), {}, 2)
        assert outcome.status is CallStatus.RETURNED and outcome.value.tolist() == [3, 6]
        assert session.cell_results[1].status is CellStatus.OK
        assert session.cell_results[3].status is CellStatus.NOT_NEEDED


def test_a_hostile_cell_after_the_definitions_costs_nothing() -> None:
    """`os._exit(3)` after the definitions is not run with the plan (no rerun, same score);
    with --all-cells it kills the sandbox once and is skipped on the rerun."""
    path = SCENARIOS / "os-exit-in-cell.ipynb"
    planned = grade_submission(path, "logistic_regression")
    everything = grade_submission(path, "logistic_regression", all_cells=True)
    assert planned.score == everything.score == planned.max_score
    assert CellStatus.KILLED not in {cell.status for cell in planned.cells}
    assert CellStatus.KILLED in {cell.status for cell in everything.cells}
