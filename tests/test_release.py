"""`grade release`: the student notebook and its public checks."""

from __future__ import annotations

import ast
import contextlib
import io
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from click.testing import CliRunner

from grader import cli
from grader.grading import grade_submission
from grader.report.model import Status
from grader.resources import assignments_dir
from grader.spec.load import list_assignments, load_assignment, load_reference
from grader.spec.model import Assignment
from grader.spec.release import CHECKS_MODULE, build_release, reference_source

ASSIGNMENTS = [a.id for a in list_assignments()]


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_shipped_release_is_in_step_with_the_spec(assignment_id: str, tmp_path: Path) -> None:
    """Is the notebook shipped in assignments/<id>/release/ exactly what `grade release` writes
    now? (If not, run: grade release <id> --output assignments/<id>/release)"""
    build_release(load_assignment(assignment_id)).write(tmp_path, assignment_id)
    shipped = assignments_dir() / assignment_id / "release"
    for name in (f"{assignment_id}.ipynb", f"{CHECKS_MODULE}.py"):
        assert (shipped / name).read_text() == (tmp_path / name).read_text(), name


def test_release_contains_nothing_hidden() -> None:
    """Does the release leave out the hidden seed, hidden cases and the reference bodies?"""
    assignment = load_assignment("logistic_regression")
    release = build_release(assignment)
    text = nbformat.writes(release.notebook) + release.checks_source
    assert str(assignment.hidden_seed) not in text
    assert "MISTAKES" not in text and "np.dot(w.T, X)" not in text
    assert "raise NotImplementedError()" in text


def filled(notebook: nbformat.NotebookNode, assignment_id: str) -> nbformat.NotebookNode:
    """The release with every graded function replaced by the reference solution."""
    reference = load_reference(load_assignment(assignment_id))
    source = Path(reference.__file__ or "").read_text()
    helpers = [  # the reference module's own constants and private helpers, minus grader bits
        ast.get_source_segment(source, node) or ""
        for node in ast.parse(source).body
        if not (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("grader"))
        and "Mistake" not in (ast.get_source_segment(source, node) or "")
        and not isinstance(node, ast.Expr)
    ]
    result = nbformat.from_dict(notebook)
    for cell in result.cells:
        if cell.cell_type == "code" and cell.source.startswith("# GRADED FUNCTION: "):
            name = cell.source.split("\n", 1)[0].removeprefix("# GRADED FUNCTION: ")
            cell.source = reference_source(getattr(reference, name))
        elif cell.cell_type == "code" and cell.source.startswith("# GRADED ANSWER: "):
            name = cell.source.split("\n", 1)[0].removeprefix("# GRADED ANSWER: ")
            cell.source = f"{name} = {getattr(reference, name)!r}"
    result.cells.insert(2, nbformat.v4.new_code_cell("\n\n".join(helpers)))
    return result


def graded_releases() -> list[Any]:
    """Every assignment, for the tests that grade its release: on a fake session in this
    process, except assignments with Keras tasks, whose probes need TensorFlow in a real
    sandbox (marked slow)."""
    return [
        pytest.param(a.id, marks=[pytest.mark.slow] if keras(a) else []) for a in list_assignments()
    ]


def keras(assignment: Assignment) -> bool:
    return any(task.kind.startswith("keras_") for task in assignment.tasks)


@pytest.fixture
def graded_here(request: pytest.FixtureRequest, assignment_id: str) -> None:
    """Grade in this process (the `fake_sandbox` fixture) unless the assignment needs Keras."""
    if not keras(load_assignment(assignment_id)):
        request.getfixturevalue("fake_sandbox")


@pytest.mark.usefixtures("graded_here")
@pytest.mark.parametrize("assignment_id", graded_releases())
def test_filled_release_gets_full_marks(assignment_id: str, tmp_path: Path) -> None:
    """Does the released notebook, filled with the reference solution, earn every point?"""
    path = tmp_path / f"{assignment_id}.ipynb"
    nbformat.write(
        filled(build_release(load_assignment(assignment_id)).notebook, assignment_id), path
    )
    report = grade_submission(path)
    assert report.full_marks, [c.message for t in report.tasks for c in t.cases if c.message]


@pytest.mark.usefixtures("graded_here")
@pytest.mark.parametrize("assignment_id", graded_releases())
def test_unfilled_release_scores_zero_with_not_implemented(
    assignment_id: str, tmp_path: Path
) -> None:
    """Does the untouched release score 0, saying "not implemented", without crashing?"""
    build_release(load_assignment(assignment_id)).write(tmp_path, assignment_id)
    report = grade_submission(tmp_path / f"{assignment_id}.ipynb")
    assert report.score == 0
    messages = [case.message for task in report.tasks for case in task.cases]
    assert any("not implemented" in message for message in messages)
    assert not any(case.status is Status.GRADER_ERROR for t in report.tasks for case in t.cases)


def test_public_checks_run_in_a_plain_python(tmp_path: Path) -> None:
    """Does the cell-level check pass the reference and name a wrong answer, outside the
    grader?"""
    build_release(load_assignment("logistic_regression")).write(tmp_path, "logistic_regression")
    sys.path.insert(0, str(tmp_path))
    try:
        module = __import__(CHECKS_MODULE)
        reference = load_reference(load_assignment("logistic_regression"))
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            assert module.check("sigmoid", reference.sigmoid) is True
            assert module.check("sigmoid", lambda z: reference.sigmoid(z) * 2) is False
            assert module.check("propagate", reference.propagate) is True
        assert "✓ sigmoid" in output.getvalue() and "✗ sigmoid" in output.getvalue()
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop(CHECKS_MODULE, None)


def test_release_command_writes_both_files(tmp_path: Path) -> None:
    """Does `grade release` write the notebook and the checks module where asked?"""
    result = CliRunner().invoke(cli.main, ["release", "logistic_regression", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "logistic_regression.ipynb").is_file()
    assert (tmp_path / f"{CHECKS_MODULE}.py").is_file()
