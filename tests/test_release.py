"""`grade release`: the student notebook and its public checks."""

from __future__ import annotations

import ast
import contextlib
import io
import sys
from dataclasses import replace
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
from grader.spec.model import Assignment, AssignmentError
from grader.spec.release import (
    CHECKS_MODULE,
    build_release,
    filled_release,
    handout_files,
)

ASSIGNMENTS = [a.id for a in list_assignments()]


def written(directory: Path) -> dict[str, bytes]:
    """Every file in `directory` (not in folders below it, such as `__pycache__`), by name."""
    return {path.name: path.read_bytes() for path in directory.iterdir() if path.is_file()}


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_shipped_release_is_in_step_with_the_spec(assignment_id: str, tmp_path: Path) -> None:
    """Is assignments/<id>/release/ exactly what `grade release` writes now, file for file and
    byte for byte? (If not, run: grade release <id> --output assignments/<id>/release)"""
    build_release(load_assignment(assignment_id)).write(tmp_path, assignment_id)
    assert written(assignments_dir() / assignment_id / "release") == written(tmp_path)


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_release_writes_the_notebook_checks_and_helpers(assignment_id: str, tmp_path: Path) -> None:
    """Does the release write the notebook, `public_checks.py`, every helper module (imported
    or only provided) and the data files in helpers/, and nothing else: no cases.py, no
    reference, no file holding the hidden seed? And does a second run write the same bytes?"""
    assignment = load_assignment(assignment_id)
    paths = build_release(assignment).write(tmp_path / "first", assignment_id)
    build_release(assignment).write(tmp_path / "second", assignment_id)
    helpers = written(assignment.directory / "helpers") if assignment.helper_files() else {}
    copied = {
        *(f"{name}.py" for name in (*assignment.helper_modules, *assignment.provided_modules)),
        *(name for name in helpers if not name.endswith((".py", ".pyc"))),
    }
    files = written(tmp_path / "first")
    assert sorted(path.name for path in paths) == sorted(files)
    assert set(files) == {f"{assignment_id}.ipynb", f"{CHECKS_MODULE}.py", *copied}
    assert not {"cases.py", "reference.py", f"{assignment_id}.py"} & set(files)
    assert all(str(assignment.hidden_seed).encode() not in content for content in files.values())
    assert all(files[name] == helpers[name] for name in copied)
    assert written(tmp_path / "second") == files


def test_a_helper_module_missing_from_helpers_is_an_assignment_error() -> None:
    """Does a helper module named in assignment.toml but absent from helpers/ stop the
    release with an AssignmentError naming it (not a bare file error)?"""
    assignment = replace(load_assignment("two_layer_net"), helper_modules=("nowhere_utils",))
    with pytest.raises(AssignmentError, match=r"nowhere_utils\.py"):
        build_release(assignment)


def test_a_helper_named_like_the_checks_module_is_an_assignment_error(tmp_path: Path) -> None:
    """Is a file in helpers/ that the release would write over its own `public_checks.py`
    refused?"""
    (tmp_path / "helpers").mkdir()
    (tmp_path / "helpers" / f"{CHECKS_MODULE}.py").write_text("")
    assignment = replace(
        load_assignment("two_layer_net"), directory=tmp_path, helper_modules=(CHECKS_MODULE,)
    )
    with pytest.raises(AssignmentError, match="may not be named"):
        handout_files(assignment)


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_public_checks_need_only_numpy(assignment_id: str) -> None:
    """Does each `public_checks.py` import only the standard library and numpy?"""
    tree = ast.parse(build_release(load_assignment(assignment_id)).checks_source)
    imported = {
        name.split(".")[0]
        for node in ast.walk(tree)
        for name in (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
    }
    assert imported - set(sys.stdlib_module_names) == {"numpy"}


def test_release_contains_nothing_hidden() -> None:
    """Does the release leave out the hidden seed, hidden cases and the reference bodies?"""
    assignment = load_assignment("logistic_regression")
    release = build_release(assignment)
    text = nbformat.writes(release.notebook) + release.checks_source
    text += "".join(path.read_text() for path in release.files)
    assert str(assignment.hidden_seed) not in text
    assert "MISTAKES" not in text and "np.dot(w.T, X)" not in text
    assert "raise NotImplementedError()" in text


def filled(notebook: nbformat.NotebookNode, assignment_id: str) -> nbformat.NotebookNode:
    """The release with every graded function replaced by the reference solution."""
    return filled_release(notebook, load_reference(load_assignment(assignment_id)))


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


def test_release_command_writes_the_handout(tmp_path: Path) -> None:
    """Does `grade release` write the notebook, the checks module and the helper module where
    asked, and say so?"""
    result = CliRunner().invoke(cli.main, ["release", "logistic_regression", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in ("logistic_regression.ipynb", f"{CHECKS_MODULE}.py", "lr_utils.py"):
        assert (tmp_path / name).is_file()
        assert f"wrote {tmp_path / name}" in result.output
