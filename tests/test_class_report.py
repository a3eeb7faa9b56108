"""The class report (report.html): what it lists, how it links, and that it stays one page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest
from class_of_results import build_class
from click.testing import CliRunner
from fakes import patched, scenario_cells
from markupsafe import escape

from grader import cli
from grader.batch import store
from grader.batch.class_report import class_summary, write_class_report
from grader.batch.jobs import Provenance
from grader.batch.names import student_keys
from grader.batch.store import Stored
from grader.notebook.submission import ONLY_COMMENTS
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
from grader.similarity import batch as similarity_batch
from grader.similarity.batch import SIMILARITY_JSON, ClassSimilarity, class_similarity

ACCUSING = ("cheat", "plagiar", "copied", "guilty", "dishonest", "stole")
HOSTILE = "<img src=x onerror=alert(1)>"


def report_of(
    status: SubmissionStatus = SubmissionStatus.GRADED,
    message: str = "",
    cells: tuple[CellResult, ...] = (),
    cases: tuple[CaseResult, ...] = (),
) -> GradeReport:
    tasks = (TaskResult("sigmoid", "sigmoid", 1.0, 1.0, cases),) if cases else ()
    return GradeReport(
        "logistic_regression",
        "LR",
        "1",
        "x.ipynb",
        "",
        status,
        1.0,
        1.0,
        tasks,
        cells,
        message=message,
    )


def stored(student: str, report: GradeReport, name: str = "", late: bool = False) -> Stored:
    return Stored(student, Provenance(student, name=name or student, late=late), report)


@pytest.fixture(scope="module")
def school() -> list[Stored]:
    """A class of 30 built on the fake session (tests/class_of_results.py)."""
    return build_class(30)


def test_every_submission_that_did_not_run_cleanly_is_listed_with_its_cause() -> None:
    """Are sys.exit() and other raising cells, empty notebooks, timeouts and grader faults
    (first, with their cause) listed, and cells the plan did not need not listed?"""
    ok = CaseResult("hidden-1", Visibility.HIDDEN, Status.PASSED, 1.0, 1.0)
    timeout = CaseResult("hidden-1", Visibility.HIDDEN, Status.TIMEOUT, 0.0, 1.0)
    planned = (
        CellResult(0, CellStatus.NOT_NEEDED, message="not needed: plots"),
        CellResult(1, CellStatus.OK),
    )
    exits = (CellResult(0, CellStatus.OK), CellResult(1, CellStatus.ERROR, message="SystemExit"))
    fault = "grader fault in `optimize`: ZeroDivisionError: division by zero\nTraceback ..."
    summary = class_summary(
        [
            stored("ann", report_of(cells=planned, cases=(ok,))),
            stored("bob", report_of(cells=exits, cases=(ok,))),
            stored("cy", report_of(SubmissionStatus.INVALID, ONLY_COMMENTS)),
            stored("dee", report_of(cases=(timeout,))),
            stored("eve", report_of(SubmissionStatus.GRADER_ERROR, fault, cases=(ok,))),
        ]
    )
    listed = {t.what: [s.key for s in t.students] for t in summary.trouble}
    assert summary.trouble[0].fault and summary.trouble[0].students[0].key == "eve"
    assert "ZeroDivisionError: division by zero" in summary.trouble[0].what
    assert "Traceback" not in summary.trouble[0].what
    assert listed["cell 2 raised SystemExit"] == ["bob"]
    assert listed[f"nothing graded: {ONLY_COMMENTS}"] == ["cy"]
    assert listed["sigmoid timed out"] == ["dee"]
    assert "ann" not in {s.key for t in summary.trouble for s in t.students}
    assert summary.trouble_count == 4
    assert [row.trouble for row in summary.students] == [False, True, True, True, True]


def test_the_same_trouble_is_one_row_with_its_students() -> None:
    """Do students with the same problem share one row, most common first?"""
    exits = (CellResult(1, CellStatus.ERROR, message="SystemExit"),)
    raised = (CellResult(4, CellStatus.ERROR, message="NameError: name 'x' is not defined"),)
    items = [stored(s, report_of(cells=exits)) for s in ("a", "b", "c")]
    items.append(stored("d", report_of(cells=raised)))
    summary = class_summary(items)
    assert [(t.what, len(t.students)) for t in summary.trouble] == [
        ("cell 2 raised SystemExit", 3),
        ("cell 5 raised NameError: name 'x' is not defined", 1),
    ]


def test_each_student_links_to_their_feedback_page_escaped(tmp_path: Path) -> None:
    """Does every row link to feedback/<key>.html (relative), with a hostile name escaped?"""
    keys = student_keys([(HOSTILE, ""), ("alice", "")])
    items = [
        stored(keys[(HOSTILE, "")], report_of(), name=HOSTILE, late=True),
        stored("alice", report_of()),
    ]
    html = write_class_report(tmp_path, items).read_text()
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    for key in (keys[(HOSTILE, "")], "alice"):
        assert f'<a href="feedback/{key}.html">' in html
    late = html[html.index('id="late"') : html.index("</section>", html.index('id="late"'))]
    assert f"feedback/{keys[(HOSTILE, '')]}.html" in late and "alice" not in late


def test_the_report_is_one_self_contained_page(school: list[Stored], tmp_path: Path) -> None:
    """Does the report load nothing from elsewhere (no scripts, no external links or images),
    link only to feedback pages and its own sections, and never accuse anyone?"""
    found = class_similarity(tmp_path, school)
    html = write_class_report(tmp_path, school, found).read_text()
    assert "<script" not in html.lower() and "<link" not in html.lower()
    assert not re.search(r'\bsrc="', html)
    links = set(re.findall(r'href="([^"]*)"', html))
    assert links and all(link.startswith(("feedback/", "#")) for link in links)
    assert 'id="similarity"' in html and "worth a look" in html
    assert not any(word in html.lower() for word in ACCUSING)
    assert (tmp_path / SIMILARITY_JSON).is_file()


def test_shared_wrong_outputs_are_shown_with_how_to_name_them(
    school: list[Stored], tmp_path: Path
) -> None:
    """Does the report show the students sharing an unexplained wrong sigmoid, the difference
    in words, a member's code, and the way to turn it into a named mistake?"""
    summary = class_summary(school, {"sigmoid": "sigmoid"})
    groups = {g.group.task: g for g in summary.undiagnosed.groups}
    tanh = next(g for g in summary.undiagnosed.groups if "np.tanh" in g.group.code)
    assert len(tanh.students) >= 3 and "values differ" in tanh.group.difference
    assert "sigmoid" in groups
    html = write_class_report(tmp_path, school).read_text()
    section = html[html.index('id="unexplained"') : html.index('id="trouble"')]
    assert "Naming one of these mistakes" in section and "Writing an assignment" in section
    assert "MISTAKES" in section and "np.tanh" in section


def test_a_failing_similarity_check_leaves_a_note_not_a_crash(
    school: list[Stored], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the similarity check fails, is the report still written, saying why?"""

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("index exploded")

    monkeypatch.setattr(similarity_batch, "stored_similarity", broken)
    found = class_similarity(tmp_path, school)
    assert found.report is None and "index exploded" in found.note
    html = write_class_report(tmp_path, school, found).read_text()
    assert "could not run" in html and "index exploded" in html
    assert not (tmp_path / SIMILARITY_JSON).exists()


def test_without_the_check_there_is_no_similarity_section(
    school: list[Stored], tmp_path: Path
) -> None:
    """Is the section left out when the check did not run (--no-similarity)?"""
    html = write_class_report(tmp_path, school, None).read_text()
    assert 'id="similarity"' not in html
    assert (
        'id="similarity"'
        in write_class_report(tmp_path, school, ClassSimilarity(None, "not run")).read_text()
    )


def test_grade_report_recomputes_the_similarity_only_where_it_was_run(
    school: list[Stored], tmp_path: Path
) -> None:
    """Does `grade report DIR` include the similar submissions when similarity.json is there
    (rewriting it from the stored results), and leave them out otherwise or with
    --no-similarity?"""
    for item in school:
        store.save(tmp_path, item.student, item.meta, item.report)
    runner = CliRunner()
    result = runner.invoke(cli.main, ["report", str(tmp_path)])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "report.html").read_text()
    assert 'id="similarity"' not in html
    feedback = {unquote(link) for link in re.findall(r'href="(feedback/[^"]*)"', html)}
    assert len(feedback) == len(school) and all((tmp_path / link).is_file() for link in feedback)
    (tmp_path / SIMILARITY_JSON).write_text("{}")
    result = runner.invoke(cli.main, ["report", str(tmp_path)])
    assert result.exit_code == 0 and "similarity.json" in result.output
    assert '"pairs"' in (tmp_path / SIMILARITY_JSON).read_text()
    assert 'id="similarity"' in (tmp_path / "report.html").read_text()
    result = runner.invoke(cli.main, ["report", str(tmp_path), "--no-similarity"])
    assert 'id="similarity"' not in (tmp_path / "report.html").read_text()


@pytest.mark.slow
def test_grade_batch_reports_copies_shared_slips_and_trouble(tmp_path: Path) -> None:
    """In a real batch: does `grade batch` write similarity.json and a report naming the two
    students who share an unusual propagate, the three sharing an unexplained sigmoid slip,
    a sys.exit() in a needed cell and an empty notebook as trouble, and with --no-similarity
    no similarity at all?"""
    cells = scenario_cells("logistic_regression", "correct-vectorized.ipynb")
    unusual = patched(cells, "np.sum(A - Y)", "np.add.reduce((A - Y).ravel())")
    forward = "A = sigmoid(np.dot(w.T, X) + b)\n    cost"
    unusual = patched(
        unusual, forward, forward.replace("np.dot(w.T, X)", "np.einsum('ij,ik->jk', w, X)")
    )
    slip = patched(cells, "s = 1 / (1 + np.exp(-z))", "s = 1 / (1 + np.exp(-z)) + 0.1")
    exits = patched(cells, "    return s", "    return s\n\nimport sys\nsys.exit()")
    students = {"ann": unusual, "bob": unusual, "cy": cells, "dee": exits}
    students |= {name: slip for name in ("eve", "fay", "gus")}
    folder = tmp_path / "in"
    folder.mkdir()
    for name, sources in students.items():
        cells_ = [nbformat.v4.new_code_cell(source) for source in sources]
        nbformat.write(nbformat.v4.new_notebook(cells=cells_), folder / f"{name}.ipynb")
    empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("# YOUR CODE HERE")])
    nbformat.write(empty, folder / "hal.ipynb")
    out = tmp_path / "out"
    runner = CliRunner()
    args = ["batch", str(folder), "-a", "logistic_regression", "-o", str(out), "-q", "-j", "2"]
    result = runner.invoke(cli.main, args)
    assert result.exit_code == 0, result.output
    data = json.loads((out / SIMILARITY_JSON).read_text())
    assert ["ann", "bob"] in [pair["students"] for pair in data["pairs"]]
    html = (out / "report.html").read_text()
    shared = html[html.index('id="unexplained"') : html.index('id="trouble"')]
    assert "sigmoid" in shared and "every value is the expected + 0.1" in shared
    assert all(f'href="feedback/{name}.html"' in shared for name in ("eve", "fay", "gus"))
    trouble = html[
        html.index('id="trouble"') : html.index("</section>", html.index('id="trouble"'))
    ]
    assert "raised SystemExit" in trouble and 'href="feedback/dee.html"' in trouble
    assert str(escape(ONLY_COMMENTS)) in trouble and 'href="feedback/hal.html"' in trouble
    assert 'id="similarity"' in html
    (out / SIMILARITY_JSON).unlink()
    result = runner.invoke(cli.main, [*args, "--no-similarity"])
    assert result.exit_code == 0 and not (out / SIMILARITY_JSON).exists()
    assert 'id="similarity"' not in (out / "report.html").read_text()


def test_the_batch_summary_says_how_the_similarity_check_went() -> None:
    """The terminal summary has one line on likely copies: none, how many, or not checked."""
    from grader.batch.run import _similarity_line
    from grader.similarity.batch import ClassSimilarity
    from grader.similarity.report import SimilarityReport

    empty = SimilarityReport((), (), 4, ("sigmoid",), 0.5)
    assert "none stands out among 4" in _similarity_line(ClassSimilarity(empty))
    failed = ClassSimilarity(None, note="the assignment could not be loaded")
    assert "not checked (the assignment could not be loaded)" in _similarity_line(failed)
