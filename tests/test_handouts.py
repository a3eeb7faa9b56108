"""Handouts that run anywhere: every notebook `grade release` writes runs in a plain Jupyter
kernel, outside the grader, with only the files written beside it.

Each notebook runs in a fresh `python3` kernel (ipykernel, this interpreter) whose working
directory is the handout folder and in which the grader and the libraries a student need not
have (scikit-learn, SciPy, matplotlib, h5py) cannot be imported; the kernel is shut down after
the run. A check cell's output says what `public_checks.check` found: these tests read it.
"""

from __future__ import annotations

import json
import os
import runpy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient
from test_release import ASSIGNMENTS, filled

from grader.spec.load import load_assignment
from grader.spec.release import CHECKS_MODULE, build_release

CELL_TIMEOUT_S = 600  # generous: the first cell of a Keras handout imports TensorFlow
KERNEL = "python3"
KERAS_ASSIGNMENTS = ("keras_cnn", "medical_cnn")
# What a check cell prints (grader/spec/public_checker.py), by outcome.
PASSES = "✓ {name}: all {count} public cases pass\n"
NOT_IMPLEMENTED = "{name}: not implemented yet\n"
NO_PUBLIC_CASES = "{name}: no public value checks (graded by `grade check` and the grader)\n"
# What a handout must run without (numpy, and TensorFlow for the Keras ones, are all it needs):
# in the kernel each is a package whose import raises ImportError. Keras 3 depends on h5py, so
# it comes with TensorFlow.
NOT_NEEDED = ("grader", "sklearn", "scipy", "matplotlib", "h5py")
COMES_WITH_TENSORFLOW = ("h5py",)
BLOCKER = 'raise ImportError("a handout must run without {name}")\n'
# A last cell run after the handout's own: its kernel's process id, and which blocked modules
# are in sys.modules (none can be, unless the blocking failed).
PROBE = (
    "import json, os, sys\n"
    "found = {{m.split('.')[0] for m in sys.modules}} & set({blocked})\n"
    "print(json.dumps([os.getpid(), sorted(found)]))"
)


@dataclass(frozen=True)
class Run:
    """A handout run to its end: what each check cell printed and returned, and every error."""

    checks: dict[str, tuple[str, str | None]]  # function -> (stdout, text of the result)
    errors: list[str]
    imported: list[str]  # blocked modules found in the kernel's sys.modules


def run_handout(notebook: nbformat.NotebookNode, folder: Path, blocked: tuple[str, ...]) -> Run:
    """Execute `notebook` (then the probe) in a new kernel in `folder` with the `blocked`
    modules unimportable, and check that the kernel is gone afterwards; a cell that raises
    does not stop the run, it is recorded."""
    shadows = folder.parent / "blocked"
    for name in blocked:
        (shadows / name).mkdir(parents=True)
        (shadows / name / "__init__.py").write_text(BLOCKER.format(name=name))
    notebook = nbformat.from_dict(notebook)
    notebook.cells.append(nbformat.v4.new_code_cell(PROBE.format(blocked=sorted(blocked))))
    NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_S,
        kernel_name=KERNEL,
        allow_errors=True,
        resources={"metadata": {"path": str(folder)}},
    ).execute(env={**os.environ, "PYTHONPATH": str(shadows)})
    checks, errors, stdout = {}, [], ""
    for cell in (c for c in notebook.cells if c.cell_type == "code"):
        stdout = "".join(o.text for o in cell.outputs if o.get("name") == "stdout")
        results = [o.data["text/plain"] for o in cell.outputs if o.output_type == "execute_result"]
        errors += [
            f"{cell.source.splitlines()[0]!r}: {o.ename}: {o.evalue}"
            for o in cell.outputs
            if o.output_type == "error"
        ]
        if cell.source.startswith('check("'):
            checks[cell.source.split('"')[1]] = (stdout, results[0] if results else None)
    assert stdout, f"the probe failed: {errors}"
    pid, imported = json.loads(stdout)  # the probe's, the last cell
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the kernel was shut down
    return Run(checks, errors, imported)


def released(assignment_id: str, tmp_path: Path) -> tuple[nbformat.NotebookNode, dict[str, Any]]:
    """Write the release into `tmp_path/handout`; return its notebook and the public cases by
    function (read from the written `public_checks.py`)."""
    folder = tmp_path / "handout"
    build_release(load_assignment(assignment_id)).write(folder, assignment_id)
    notebook = nbformat.read(folder / f"{assignment_id}.ipynb", as_version=4)
    return notebook, runpy.run_path(str(folder / f"{CHECKS_MODULE}.py"))["_CASES"]


def blocked_for(assignment_id: str) -> tuple[str, ...]:
    """The modules the assignment's handout must run without."""
    if assignment_id in KERAS_ASSIGNMENTS:
        return tuple(name for name in NOT_NEEDED if name not in COMES_WITH_TENSORFLOW)
    return NOT_NEEDED


def slow(assignment_id: str) -> Any:
    """The parameter, marked: every handout starts a kernel, the Keras ones import TensorFlow."""
    return pytest.param(assignment_id, marks=pytest.mark.slow, id=assignment_id)


@pytest.mark.parametrize("assignment_id", [slow(a) for a in ASSIGNMENTS])
def test_filled_handout_runs_and_passes_its_public_checks(
    assignment_id: str, tmp_path: Path
) -> None:
    """Filled with the reference, does the handout run in plain Jupyter with every cell
    succeeding and every public check passing, without the grader or scikit-learn?"""
    notebook, cases = released(assignment_id, tmp_path)
    notebook = filled(notebook, assignment_id)
    run = run_handout(notebook, tmp_path / "handout", blocked_for(assignment_id))
    assert run.errors == []
    assert run.imported == []
    expected = {
        name: (PASSES.format(name=name, count=len(cases[name])), "True")
        if name in cases
        else (NO_PUBLIC_CASES.format(name=name), None)
        for name in run.checks
    }
    assert run.checks == expected
    assert set(cases) <= set(run.checks), "a function with public cases has no check cell"
    if assignment_id not in KERAS_ASSIGNMENTS:
        assert cases, "a numpy assignment without public cases checks nothing here"


@pytest.mark.parametrize("assignment_id", [slow(a) for a in ASSIGNMENTS])
def test_unfilled_handout_says_only_not_implemented(assignment_id: str, tmp_path: Path) -> None:
    """Untouched, does the handout run to its end with no error, each check cell saying only
    that its graded function is not implemented yet?

    "Only NotImplementedError" means: no cell raises (the graded functions' NotImplementedError
    is caught by the check cells, which say "not implemented yet" and return False), every
    function with public cases says exactly that, and the others say they have no public
    value checks."""
    notebook, cases = released(assignment_id, tmp_path)
    run = run_handout(notebook, tmp_path / "handout", blocked_for(assignment_id))
    assert run.errors == []
    assert run.imported == []
    expected = {
        name: (NOT_IMPLEMENTED.format(name=name), "False")
        if name in cases
        else (NO_PUBLIC_CASES.format(name=name), None)
        for name in run.checks
    }
    assert run.checks == expected
    assert set(cases) <= set(run.checks), "a function with public cases has no check cell"


def test_digits_handed_out_are_scikit_learns(tmp_path: Path) -> None:
    """Does `cnn_utils.load_digits_data` give the same split from the `digits.csv.gz` handed
    out beside it as from scikit-learn's copy (what the sandbox, without the file, reads)?"""
    build_release(load_assignment("keras_cnn")).write(tmp_path, "keras_cnn")
    beside = runpy.run_path(str(tmp_path / "cnn_utils.py"))
    (tmp_path / "digits.csv.gz").unlink()
    alone = runpy.run_path(str(tmp_path / "cnn_utils.py"))
    from_file, from_sklearn = beside["load_digits_data"](), alone["load_digits_data"]()
    assert [a.shape for a in from_file] == [(1438, 8, 8, 1), (1438, 10), (359, 8, 8, 1), (359, 10)]
    for ours, theirs in zip(from_file, from_sklearn, strict=True):
        assert ours.dtype == theirs.dtype == np.float32
        np.testing.assert_array_equal(ours, theirs)
