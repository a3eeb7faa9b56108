"""Scenario notebooks, named for their behaviour, graded end to end against `expected.toml`."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from grader.grading import grade_submission
from grader.report.model import CellStatus, GradeReport
from grader.report.render import render

ROOT = Path(__file__).resolve().parent / "scenarios"
SCENARIOS = ROOT / "logistic_regression"
# Every assignment's scenarios: {(assignment id, file name): expectation}.
EXPECTED: dict[tuple[str, str], dict[str, Any]] = {
    (folder.parent.name, name): entry
    for folder in sorted(ROOT.glob("*/expected.toml"))
    for name, entry in tomllib.loads(folder.read_text()).items()
}

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("folder", sorted(p.parent.name for p in ROOT.glob("*/expected.toml")))
def test_every_scenario_has_an_expectation(folder: str) -> None:
    """Is every scenario file covered by expected.toml, and every entry backed by a file?"""
    files = {p.name for p in (ROOT / folder).iterdir() if p.suffix in (".ipynb", ".py")}
    assert files == {name for assignment, name in EXPECTED if assignment == folder}


def diagnosed(report: GradeReport) -> set[str]:
    return {f"{t.name}:{c.mistake}" for t in report.tasks for c in t.cases if c.mistake}


@pytest.mark.parametrize(
    ("assignment", "name"), sorted(EXPECTED), ids=[f"{a}/{n}" for a, n in sorted(EXPECTED)]
)
def test_scenario(assignment: str, name: str) -> None:
    """Does each scenario get its expected status, score and named mistakes?"""
    expected = EXPECTED[(assignment, name)]
    train = expected.get("train", True)  # Keras scenarios: most need the architecture only
    all_cells = expected.get("all_cells", False)  # hostile cells: run them, not the plan
    path = ROOT / assignment / name
    report = grade_submission(path, assignment, train=train, all_cells=all_cells)
    assert report.status.value == expected["status"], report.message
    assert report.score == pytest.approx(expected["score"]), render(report, "text")
    assert set(expected["mistakes"]) <= diagnosed(report), render(report, "text")
    for fmt in ("text", "md", "html", "json", "gradescope"):
        assert render(report, fmt)


def grade(name: str) -> GradeReport:
    all_cells = EXPECTED[("logistic_regression", name)].get("all_cells", False)
    return grade_submission(SCENARIOS / name, "logistic_regression", all_cells=all_cells)


def test_reading_the_reference_solution_finds_nothing() -> None:
    """Does a notebook hunting for the answer files come back empty-handed?"""
    report = grade("reads-reference-solution.ipynb")
    outputs = "\n".join(cell.output for cell in report.cells)
    assert "found nothing" in outputs and "found the answers" not in outputs


def test_os_exit_cell_is_reported_and_skipped() -> None:
    """Is a cell that ends the process named in the report, with the rest still graded?"""
    report = grade("os-exit-in-cell.ipynb")
    killed = [cell for cell in report.cells if cell.status is CellStatus.KILLED]
    assert len(killed) == 1 and "exit code 3" in killed[0].message


def test_huge_output_is_capped_in_the_report() -> None:
    """Is 100 MB of printing reduced to a short excerpt in the report?"""
    report = grade("print-100mb.ipynb")
    assert max(len(cell.output) for cell in report.cells) <= 5000


def test_dependent_function_is_graded_with_the_students_helpers() -> None:
    """Does a wrong propagate leave optimize and model with full points?"""
    report = grade("cost-without-one-over-m.ipynb")
    points = {task.name: task.points for task in report.tasks}
    assert points["propagate"] == 0 and points["optimize"] == 2 and points["model"] == 2
