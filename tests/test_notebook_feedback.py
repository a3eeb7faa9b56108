"""Feedback inside the student's own notebook (`--format notebook`, `notebook-html`): where each
feedback cell goes, what it says and hides, and that a feedback notebook handed in again is
graded as the original and gets one set of feedback cells. Reports are built by hand; no
sandbox."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat
import pytest
from click.testing import CliRunner

from grader import cli
from grader.batch import store
from grader.batch.jobs import Provenance
from grader.cli import grading as cli_grading
from grader.notebook.submission import is_feedback_cell, load_submission
from grader.report.model import (
    CaseResult,
    CellResult,
    CellStatus,
    GradeReport,
    Status,
    SubmissionStatus,
    TaskResult,
    Visibility,
)
from grader.report.notebook import SubmittedFile, feedback_notebook
from grader.report.notebook_html import notebook_html

ROOT = Path(__file__).resolve().parent.parent
FLAWED = ROOT / "examples" / "logistic_regression_flawed.ipynb"
SCENARIOS = ROOT / "tests" / "scenarios" / "logistic_regression"

HIDDEN_INPUTS = "SENTINEL_HIDDEN_INPUTS_5b1e"
HIDDEN_EXPECTED = "SENTINEL_HIDDEN_EXPECTED_c04d"
HIDDEN_GOT = "SENTINEL_HIDDEN_GOT_77aa"
HIDDEN_SEED = 8675309
PROTECTION = "SENTINEL_PROTECTION_pid_namespace"
SECRETS = (HIDDEN_INPUTS, HIDDEN_EXPECTED, HIDDEN_GOT, str(HIDDEN_SEED), PROTECTION)
DIAGNOSIS = "your dw equals X (A - Y)^T without the 1/m."
STUDENT_OUTPUT = "cost after iteration 0: 0.693147"

SIGMOID = "import numpy as np\n\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))"
SIGMOID_AGAIN = "def sigmoid(z):\n    return 0.5 * (1 + np.tanh(z / 2))"
PROPAGATE = "def propagate(w, b, X, Y):\n    return {'dw': X @ (w.T @ X - Y).T}"
RATE = "learning_rate = 0.005"


# --- building notebooks and reports ---------------------------------------------------------------
def _notebook_bytes(minor: int = 5) -> bytes:
    """A student's notebook: markdown between code cells, an output, sigmoid defined twice."""
    v4 = nbformat.v4
    cells = [
        v4.new_markdown_cell("# My logistic regression\n\nBy *Ann*."),
        v4.new_code_cell(SIGMOID),
        v4.new_markdown_cell("## Propagation"),
        v4.new_code_cell(
            PROPAGATE,
            execution_count=3,
            outputs=[v4.new_output("stream", name="stdout", text=STUDENT_OUTPUT + "\n")],
        ),
        v4.new_code_cell(SIGMOID_AGAIN),
        v4.new_code_cell(RATE),
        v4.new_code_cell("from lr_utils import predict"),
    ]
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook = v4.new_notebook(cells=cells, metadata={"kernelspec": kernel})
    if minor < 5:
        notebook.nbformat_minor = minor
        for cell in notebook.cells:
            del cell["id"]
    return nbformat.writes(notebook).encode()


def _task(name: str, function: str, cases: tuple[CaseResult, ...]) -> TaskResult:
    points = sum(case.points for case in cases)
    maximum = sum(case.max_points for case in cases)
    return TaskResult(name, f"Task {name}", points, maximum, cases, function=function)


def _passed(case_id: str = "public-1") -> CaseResult:
    return CaseResult(case_id, Visibility.PUBLIC, Status.PASSED, 1.0, 1.0)


def _report(content: bytes, *tasks: TaskResult) -> GradeReport:
    """A graded report of `content`, with a failed propagate (a public case with the named
    mistake and a hidden case full of sentinels) unless other tasks are given."""
    if not tasks:
        public = CaseResult(
            "public-1",
            Visibility.PUBLIC,
            Status.FAILED,
            0.0,
            1.0,
            message="dw has the right shape (2, 1) but the wrong values.",
            diagnosis=DIAGNOSIS,
            mistake="forgot-one-over-m",
            inputs="w = [[1.], [2.]]",
            expected="dw = [[0.99]]",
            got="dw = [[2.99]]",
        )
        hidden = CaseResult(
            "hidden-1",
            Visibility.HIDDEN,
            Status.FAILED,
            0.0,
            2.0,
            message=f"dw is wrong: expected {HIDDEN_EXPECTED}",
            student_message="dw has the wrong values.",
            details=(f"inputs {HIDDEN_INPUTS}",),
            inputs=HIDDEN_INPUTS,
            expected=HIDDEN_EXPECTED,
            got=HIDDEN_GOT,
            diagnosis=DIAGNOSIS,
        )
        tasks = (
            _task("sigmoid", "sigmoid", (_passed(),)),
            _task("propagate", "propagate", (public, hidden)),
            _task("learning_rate", "learning_rate", (_passed(),)),
            _task("predict", "predict", (_passed(),)),
            _task("nn_model", "nn_model", (_passed(),)),
        )
    return GradeReport(
        assignment="logistic_regression",
        assignment_title="Logistic Regression",
        assignment_version="1",
        submission="/home/ann/hw1.ipynb",
        submission_sha256=hashlib.sha256(content).hexdigest(),
        status=SubmissionStatus.GRADED,
        score=sum(task.points for task in tasks),
        max_score=sum(task.max_points for task in tasks),
        tasks=tasks,
        cells=(CellResult(6, CellStatus.ERROR, 0.1, "ModuleNotFoundError: lr_utils"),),
        notices=("The module `lr_utils` was provided by the grader.",),
        protections=(PROTECTION,),
        hidden_seed=HIDDEN_SEED,
    )


def _built(content: bytes, report: GradeReport | None = None) -> Any:
    submitted = SubmittedFile("hw1.ipynb", content)
    return nbformat.reads(feedback_notebook(report or _report(content), submitted), as_version=4)


def _feedback_after(notebook: Any) -> dict[str, str]:
    """For each task's feedback cell, the source of the cell just before it."""
    found = {}
    for before, cell in zip(notebook.cells, notebook.cells[1:], strict=False):
        task = cell.metadata.get("grader", {}).get("task")
        if task and not is_feedback_cell(before):
            found[task] = before.source
        elif task:
            found[task] = found[before.metadata["grader"]["task"]]
    return found


def _cell_of(notebook: Any, task: str) -> str:
    return next(
        c.source for c in notebook.cells if c.metadata.get("grader", {}).get("task") == task
    )


# --- where the feedback goes, and what it says ----------------------------------------------------
def test_each_feedback_cell_follows_the_last_cell_defining_its_function() -> None:
    """Does each task's feedback follow the cell that defines its function (the last of two
    definitions, as grading uses it; for a variable task the cell that assigns it)?"""
    notebook = _built(_notebook_bytes())
    assert _feedback_after(notebook) == {
        "sigmoid": SIGMOID_AGAIN,
        "propagate": PROPAGATE,
        "learning_rate": RATE,
    }
    assert notebook.cells[0].metadata["grader"] == {"feedback": True, "summary": True}
    assert all(is_feedback_cell(cell) for cell in notebook.cells if "grader" in cell.metadata)


def test_tasks_no_cell_defines_go_into_the_summary() -> None:
    """A function imported from a helper module and one nowhere in the notebook: is their
    feedback in the summary cell, saying why, and not after any cell?"""
    notebook = _built(_notebook_bytes())
    summary = notebook.cells[0].source
    for name in ("predict", "nn_model"):
        assert f"No cell of your notebook defines `{name}`" in summary
        assert f"## Task {name}" in summary
    assert "predict" not in _feedback_after(notebook)
    assert "Score: 4 / 7" in summary and "| Task propagate | 0 / 3 | ✗ not passed |" in summary
    assert "lr_utils" in summary  # the notices and the cells that did not run cleanly


def test_a_feedback_cell_names_the_mistake_and_hides_hidden_values() -> None:
    """Does propagate's cell say what is wrong and the named mistake, in the student view:
    public inputs shown, nothing of the hidden case's inputs, values, seed or protections?"""
    content = _notebook_bytes()
    text = feedback_notebook(_report(content), SubmittedFile("hw1.ipynb", content))
    cell = _cell_of(nbformat.reads(text, as_version=4), "propagate")
    assert "0 / 3 points" in cell and "dw has the right shape (2, 1) but the wrong values" in cell
    assert "Likely mistake:** your dw equals X (A - Y)^T without the 1/m." in cell
    assert "forgot-one-over-m" not in cell  # the mistake's id is for instructors
    assert "w = [[1.], [2.]]" in cell  # a public case's inputs
    assert "This is a hidden case" in text
    for secret in (*SECRETS, "/home/ann"):
        assert secret not in text, secret


def test_the_students_notebook_is_all_there_and_valid() -> None:
    """Are all the student's cells kept, markdown and outputs included, in order, and does
    the result validate (also from a 4.4 notebook, whose cells had no ids)?"""
    for minor in (5, 4):
        content = _notebook_bytes(minor)
        original = nbformat.reads(content.decode(), as_version=4)
        notebook = _built(content)
        nbformat.validate(notebook)
        kept = [cell for cell in notebook.cells if not is_feedback_cell(cell)]
        assert [(c.cell_type, c.source) for c in kept] == [
            (c.cell_type, c.source) for c in original.cells
        ]
        assert kept[3].outputs[0].text == STUDENT_OUTPUT + "\n"
        assert len({cell.id for cell in notebook.cells}) == len(notebook.cells)


def test_a_feedback_notebook_graded_again_gets_one_set_of_feedback(tmp_path: Path) -> None:
    """Handed in again: are its code cells loaded exactly as the original's (same numbers),
    and does its feedback notebook hold one summary and one cell per task, as before?"""
    content = _notebook_bytes()
    first = feedback_notebook(_report(content), SubmittedFile("hw1.ipynb", content)).encode()
    assert _loaded_cells(tmp_path / "first.ipynb", first) == _loaded_cells(
        tmp_path / "original.ipynb", content
    )
    second = feedback_notebook(_report(first), SubmittedFile("hw1.ipynb", first))
    assert second.encode() == first
    feedback = [c for c in json.loads(second)["cells"] if c["metadata"].get("grader")]
    assert len(feedback) == 4  # the summary, sigmoid, propagate, learning_rate


def _loaded_cells(path: Path, content: bytes) -> list[tuple[int, str]]:
    """The code cells grading loads from `content`, with their numbers."""
    path.write_bytes(content)
    submission = load_submission(path)
    assert submission.ok, submission.error
    return [(cell.index, cell.source) for cell in submission.cells]


def test_a_script_becomes_a_notebook_of_its_cells() -> None:
    """A `.py` handed in: are its cells notebook cells (markdown from `# %% [markdown]`), with
    the feedback after the defining cell?"""
    script = f"# %% [markdown]\n# # Ann's answers\n\n# %%\n{SIGMOID}\n\n# %%\n{PROPAGATE}\n"
    content = script.encode()
    report = _report(content)
    notebook = nbformat.reads(
        feedback_notebook(report, SubmittedFile("hw1.py", content)), as_version=4
    )
    nbformat.validate(notebook)
    kinds = [
        (cell.cell_type, cell.source)
        for cell in notebook.cells[1:]
        if "grader" not in cell.metadata
    ]
    assert kinds == [("markdown", "# Ann's answers"), ("code", SIGMOID), ("code", PROPAGATE)]
    assert _feedback_after(notebook) == {"sigmoid": SIGMOID, "propagate": PROPAGATE}


def test_an_invalid_or_changed_file_gets_the_summary_alone() -> None:
    """Not a notebook (an invalid result), or changed since it was graded: is the notebook
    the summary cell alone, saying why?"""
    invalid = replace(
        _report(b"{ not json"),
        status=SubmissionStatus.INVALID,
        tasks=(),
        score=0.0,
        message="The file is not valid JSON (line 1, column 3).",
    )
    notebook = _built(b"{ not json", invalid)
    assert len(notebook.cells) == 1 and "could not be graded" in notebook.cells[0].source
    assert "not valid JSON" in notebook.cells[0].source
    content = _notebook_bytes()
    changed = _built(content + b"\n", _report(content))
    assert len(changed.cells) == 1 and "changed after it was graded" in changed.cells[0].source


def test_a_notebook_off_the_format_is_rebuilt_without_its_outputs() -> None:
    """A notebook whose outputs break the format (graded all the same): is the feedback
    notebook valid, with the student's cells but not the outputs, and saying so? With only its
    metadata off the format, are its outputs kept?"""
    data = json.loads(_notebook_bytes())
    data["metadata"]["kernelspec"] = {"name": "python3"}  # no display_name
    notebook = _built(json.dumps(data).encode())
    nbformat.validate(notebook)
    assert notebook.cells[4].outputs[0].text == STUDENT_OUTPUT + "\n"
    assert "outputs are left out" not in notebook.cells[0].source
    data["cells"][3]["outputs"] = [{"output_type": "stream", "text": 5}]
    notebook = _built(json.dumps(data).encode())
    nbformat.validate(notebook)
    assert "outputs are left out" in notebook.cells[0].source
    assert _feedback_after(notebook)["propagate"] == PROPAGATE
    assert all(cell.get("outputs", []) == [] for cell in notebook.cells)


# --- the notebook as an HTML page ----------------------------------------------------------------
class _Page(HTMLParser):
    """The scripts of a page, and every attribute that could run code."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[tuple[str, str | None], ...]] = []
        self.active: list[tuple[str, str, str | None]] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "script":
            self.scripts.append(tuple(attrs))
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.active.append((tag, name, value))


def _parsed(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _hostile_notebook() -> bytes:
    """Markdown, raw cells, outputs and metadata that would run script in a careless page."""
    v4 = nbformat.v4
    xss = (
        '<img src=x onerror="alert(1)"><script>alert(2)</script><a href="javascript:alert(3)">x</a>'
    )
    widget = {"model_id": "</script><script>alert(4)</script>", "version_major": 2}
    outputs = [
        v4.new_output("display_data", data={"text/html": xss, "text/plain": "table"}),
        v4.new_output("display_data", data={"application/javascript": "alert(5)"}),
        v4.new_output("display_data", data={"application/vnd.jupyter.widget-view+json": widget}),
        v4.new_output("display_data", data={"text/vnd.mermaid": "<script>alert(6)</script>"}),
        v4.new_output("display_data", data={"text/markdown": xss}),
        v4.new_output(
            "display_data",
            data={"image/png": '"><script>alert(7)</script>'},
            metadata={"image/png": {"width": '"><script>alert(8)</script>'}},
        ),
    ]
    cells = [
        v4.new_markdown_cell(f"# Ann\n\n{xss}", metadata={"tags": ['"><script>alert(9)']}),
        v4.new_raw_cell(xss),
        v4.new_code_cell(SIGMOID, outputs=outputs),
        v4.new_code_cell('page = "</pre></div><script>alert(11)</script>"'),
    ]
    metadata = {"title": "</title><script>alert(10)</script>", "widgets": {"state": {}}}
    return nbformat.writes(v4.new_notebook(cells=cells, metadata=metadata)).encode()


def test_the_notebook_page_runs_nothing_from_the_notebook() -> None:
    """Script in markdown, raw cells, code, HTML, Markdown, JavaScript, widget and Mermaid
    outputs, image data, cell tags and the title: does the page hold only nbconvert's own
    scripts and no attribute that runs code, while the student's text and our feedback still
    show as HTML?"""
    content = _hostile_notebook()
    report = _report(content, _task("sigmoid", "sigmoid", (_passed(),)))
    page = notebook_html(feedback_notebook(report, SubmittedFile("a.ipynb", content)), "LR")
    assert page is not None
    plain_content = nbformat.writes(nbformat.v4.new_notebook()).encode()
    plain_report = _report(plain_content, _task("sigmoid", "sigmoid", (_passed(),)))
    plain = notebook_html(feedback_notebook(plain_report, None), "LR")
    assert plain is not None
    hostile, baseline = _parsed(page), _parsed(plain)
    assert hostile.scripts == baseline.scripts and hostile.active == []
    assert "<script>alert" not in page and "alert(5)" not in page
    assert {"h1", "h2", "table", "img"} <= hostile.tags
    assert "Grader feedback: Task sigmoid" in page and "celltag_grader-feedback" in page


def test_the_page_shows_the_feedback_and_the_students_cells() -> None:
    """Is the example notebook's page one HTML document with its headings, its code and the
    feedback on propagate, the mistake named?"""
    content = _notebook_bytes()
    page = notebook_html(
        feedback_notebook(_report(content), SubmittedFile("a.ipynb", content)), "LR"
    )
    assert page is not None and page.startswith("<!DOCTYPE html>")
    assert "My logistic regression" in page and "propagate" in page
    assert "your dw equals X (A - Y)^T without the 1/m." in page
    assert "&lt;h2" not in page and "&lt;p&gt;" not in page
    for secret in SECRETS:
        assert secret not in page


# --- the command line ----------------------------------------------------------------------------
def test_notebook_formats_need_an_output_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--format notebook` without `-o`: a usage error that says so, before any grading?"""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("must not grade")

    monkeypatch.setattr(cli_grading, "grade_submission", refuse)
    for fmt in ("notebook", "notebook-html"):
        result = CliRunner().invoke(cli.main, ["submit", str(FLAWED), "--format", fmt])
        assert result.exit_code == 2 and "add --output FILE" in result.output


def test_submit_writes_the_notebook_with_its_feedback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`grade submit NB --format notebook -o FILE` and `notebook-html`: the student's notebook
    with its feedback, and its page, whatever `--instructor` says?"""
    content = _notebook_bytes()
    (tmp_path / "hw1.ipynb").write_bytes(content)
    monkeypatch.setattr(cli_grading, "grade_submission", lambda *a, **k: _report(content))
    for fmt, name in (("notebook", "out.ipynb"), ("notebook-html", "out.html")):
        args = ["submit", str(tmp_path / "hw1.ipynb"), "--format", fmt, "-o", str(tmp_path / name)]
        result = CliRunner().invoke(cli.main, [*args, "--instructor"])
        assert result.exit_code == 1, result.output
        text = (tmp_path / name).read_text()
        assert DIAGNOSIS in text and not any(secret in text for secret in SECRETS)
    notebook = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert _feedback_after(notebook)["propagate"] == PROPAGATE


def test_grading_in_other_formats_does_not_import_nbconvert() -> None:
    """Does `grade submit` pay for nbconvert only when a notebook page is asked for?"""
    code = (
        "import sys, grader.cli.grading, grader.report.notebook, grader.batch.store;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('nbconvert', 'bleach')))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert found.stdout.strip() == "[]"


# --- a batch's notebook feedback -----------------------------------------------------------------
def test_a_batch_stores_and_rewrites_the_notebook_feedback(tmp_path: Path) -> None:
    """`store.save` with the bytes graded: the notebook and its page beside the other feedback
    and a copy of the file; `rerender` writes them again from the copy alone; a script handed
    in later replaces the copy, and a student with nothing to grade keeps none?"""
    content = _notebook_bytes()
    feedback, copies = tmp_path / "feedback", tmp_path / "submitted"
    store.save(
        tmp_path, "ann", Provenance("ann"), _report(content), SubmittedFile("x.ipynb", content)
    )
    assert (copies / "ann.ipynb").read_bytes() == content
    written = (feedback / "ann.ipynb").read_bytes()
    assert _feedback_after(nbformat.reads(written.decode(), as_version=4))["propagate"] == PROPAGATE
    page = (feedback / "ann~notebook.html").read_text()
    assert DIAGNOSIS in page and "My logistic regression" in page
    assert sorted(p.name for p in feedback.iterdir()) == [
        "ann.html",
        "ann.ipynb",
        "ann.md",
        "ann~notebook.html",
    ]
    for path in feedback.iterdir():
        path.unlink()
    store.rerender(tmp_path, store.load_all(tmp_path))
    assert (feedback / "ann.ipynb").read_bytes() == written
    assert (feedback / "ann~notebook.html").read_text() == page

    script = f"# %%\n{SIGMOID}\n".encode()
    store.save(tmp_path, "ann", Provenance("ann"), _report(script), SubmittedFile("x.py", script))
    assert sorted(p.name for p in copies.iterdir()) == ["ann.py"]
    refused = replace(_report(b""), status=SubmissionStatus.INVALID, tasks=(), message="gone")
    store.save(tmp_path, "ann", Provenance("ann"), refused, None)
    assert list(copies.iterdir()) == []
    alone = nbformat.reads((feedback / "ann.ipynb").read_text(), as_version=4)
    assert len(alone.cells) == 1 and "could not be graded" in alone.cells[0].source


# --- end to end, in sandboxes --------------------------------------------------------------------
@pytest.mark.slow
def test_submit_and_resubmit_a_feedback_notebook(tmp_path: Path) -> None:
    """Through the CLI and the sandbox: the flawed example's feedback notebook names its
    mistakes after their cells; graded again, the same score and one set of feedback cells;
    its page is written too."""
    first, second, page = tmp_path / "fb.ipynb", tmp_path / "fb2.ipynb", tmp_path / "fb.html"
    runner = CliRunner()
    result = runner.invoke(
        cli.main, ["submit", str(FLAWED), "--format", "notebook", "-o", str(first)]
    )
    assert result.exit_code == 1, result.output
    notebook = nbformat.read(first, as_version=4)
    nbformat.validate(notebook)
    after = _feedback_after(notebook)
    assert after["propagate"].startswith("# GRADED FUNCTION: propagate")
    assert after["model_accuracy"].startswith("# GRADED FUNCTION: model")
    assert "m times too large" in _cell_of(notebook, "propagate")
    result = runner.invoke(
        cli.main, ["submit", str(first), "--format", "notebook", "-o", str(second)]
    )
    assert result.exit_code == 1 and "6/12" in result.output, result.output
    again = nbformat.read(second, as_version=4)
    assert again.cells[1:] == notebook.cells[1:]
    assert sum(1 for cell in again.cells if is_feedback_cell(cell)) == 1 + len(after)
    result = runner.invoke(
        cli.main, ["check", str(first), "--format", "notebook-html", "-o", str(page)]
    )
    assert result.exit_code == 1, result.output
    assert "Grader feedback" in page.read_text() and "<!DOCTYPE html>" in page.read_text()


@pytest.mark.slow
def test_grade_batch_writes_notebook_feedback_and_grade_report_rewrites_it(tmp_path: Path) -> None:
    """`grade batch` on a notebook, a buggy notebook and a script: each student's notebook
    with its feedback and its page beside the other feedback files; `grade report` writes them
    again, the same, without grading."""
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "ann.ipynb").write_bytes(FLAWED.read_bytes())
    (folder / "bob.ipynb").write_bytes((SCENARIOS / "dw-wrong-shape.ipynb").read_bytes())
    (folder / "cat.py").write_bytes((SCENARIOS / "correct-script.py").read_bytes())
    output = tmp_path / "graded"
    args = ["batch", str(folder), "-a", "logistic_regression", "-o", str(output), "-q"]
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 0, result.output
    feedback = output / "feedback"
    written = {}
    for student in ("ann", "bob", "cat"):
        notebook = nbformat.read(feedback / f"{student}.ipynb", as_version=4)
        nbformat.validate(notebook)
        assert set(_feedback_after(notebook)) >= {"sigmoid", "propagate", "predict"}
        written[student] = (feedback / f"{student}.ipynb").read_bytes()
        assert "Grader feedback" in (feedback / f"{student}~notebook.html").read_text()
    assert "wrong shape" in _cell_of(nbformat.reads(written["bob"].decode(), 4), "propagate")
    for path in feedback.iterdir():
        path.unlink()
    result = CliRunner().invoke(cli.main, ["report", str(output)])
    assert result.exit_code == 0, result.output
    assert {s: (feedback / f"{s}.ipynb").read_bytes() for s in written} == written


def test_a_notebook_nbconvert_cannot_render_gets_the_plain_page(tmp_path: Path) -> None:
    """A markdown cell naming an attachment that is not there (nbconvert gives up): does the
    batch still write a page, the plain HTML feedback, and the notebook itself?"""
    v4 = nbformat.v4
    cells = [v4.new_markdown_cell("![plot](attachment:gone.png)"), v4.new_code_cell(SIGMOID)]
    content = nbformat.writes(v4.new_notebook(cells=cells)).encode()
    report = _report(content, _task("sigmoid", "sigmoid", (_passed(),)))
    assert notebook_html(feedback_notebook(report, SubmittedFile("a.ipynb", content)), "LR") is None
    store.save(tmp_path, "ann", Provenance("ann"), report, SubmittedFile("a.ipynb", content))
    page = (tmp_path / "feedback" / "ann~notebook.html").read_text()
    assert page == (tmp_path / "feedback" / "ann.html").read_text()
    notebook = nbformat.read(tmp_path / "feedback" / "ann.ipynb", as_version=4)
    assert _feedback_after(notebook) == {"sigmoid": SIGMOID}
