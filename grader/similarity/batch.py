"""The similarity check on a graded batch folder (`grade batch`'s output), without running code.

`batch_similarity(directory)` reads the stored results, loads each submission again from the
path it was graded from, cuts the graded functions out of its cells, takes the release notebook
of the assignment as the template, and fingerprints each failing function's wrong outputs
(the rendered values of its failing cases) so that the same rare wrong output counts as
evidence. `write_similarity` stores `similarity.json`; `similarity_html` renders the class
report's section. `class_similarity(directory, stored)` is what `grade batch` and `grade
report` run at the end: the check, `similarity.json`, and a note for the report; a failure of
the check is recorded in the note, never raised (the class report is written all the same).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from grader.batch.names import escape_text
from grader.batch.store import Stored, atomic_write, load_all
from grader.report.model import Status
from grader.report.render import html_environment
from grader.similarity.detect import find_similar_notebooks
from grader.similarity.index import SimilarityOptions
from grader.similarity.report import SimilarityReport
from grader.spec.load import load_assignment
from grader.spec.model import Assignment
from grader.spec.release import build_release

SIMILARITY_JSON = "similarity.json"
# Instructor text: the class report's note on the similarity check.
NOT_COMPUTED = (
    "The similarity check could not run (a fault of the grader; the rest of this report is "
    "complete): {error}"
)
LEFT_OUT = "Not compared (nothing graded, or no code stored): {students}."
SECTION_TEMPLATE = "_similarity.html.j2"
# Task kinds whose function the student writes (not named answers or outcome checks).
WRITTEN_KINDS = frozenset(
    {"compare", "property", "keras_architecture", "keras_compile", "keras_augmenter"}
)


@dataclass(frozen=True)
class BatchSimilarity:
    """The similarity report of a batch, and the students whose code could not be read again."""

    report: SimilarityReport
    unreadable: tuple[str, ...]


@dataclass(frozen=True)
class ClassSimilarity:
    """The similarity check as the class report shows it: the report (None when the check
    failed), a note on who was left out or why it failed, and where `similarity.json` is."""

    report: SimilarityReport | None
    note: str = ""
    path: Path | None = None


class NoResults(Exception):
    """The folder holds no stored results of `grade batch`."""


def batch_similarity(directory: Path, options: SimilarityOptions | None = None) -> BatchSimilarity:
    """Compare the graded functions of every submission of a graded batch folder.

    Raises:
        NoResults: when `directory/results/` holds no stored result.
    """
    stored = load_all(directory)
    if not stored:
        raise NoResults(str(directory))
    return stored_similarity(stored, options)


def stored_similarity(
    stored: list[Stored], options: SimilarityOptions | None = None
) -> BatchSimilarity:
    """Compare the graded functions of these stored results (see `batch_similarity`)."""
    assignment_id = Counter(s.meta.assignment for s in stored).most_common(1)[0][0]
    assignment = load_assignment(assignment_id)
    functions = list(dict.fromkeys(t.function for t in assignment.tasks if t.kind in WRITTEN_KINDS))
    release = [c.source for c in build_release(assignment).notebook.cells if c.cell_type == "code"]
    cells: dict[str, list[str]] = {}
    unreadable = []
    for item in stored:
        if item.report.code:
            cells[item.student] = list(item.report.code)
        else:  # invalid, or stored before reports kept their code
            unreadable.append(item.student)
    report = find_similar_notebooks(
        cells, functions, release, wrong_outputs=wrong_outputs(stored, assignment), options=options
    )
    return BatchSimilarity(report, tuple(unreadable))


def wrong_outputs(stored: list[Stored], assignment: Assignment) -> dict[str, dict[str, str]]:
    """Student -> function -> a fingerprint of what the function returned on its failing cases
    (nothing for functions that passed, or whose failures returned nothing)."""
    function_of = {task.name: task.function for task in assignment.tasks}
    found: dict[str, dict[str, str]] = {}
    for item in stored:
        for task in item.report.tasks:
            failing = [
                f"{case.case_id}={case.got_digest or case.got}"
                for case in task.cases
                if case.status is Status.FAILED and case.got is not None
            ]
            if failing and task.name in function_of:
                digest = hashlib.sha256("\n".join(failing).encode()).hexdigest()[:16]
                found.setdefault(item.student, {})[function_of[task.name]] = digest
    return found


def class_similarity(directory: Path, stored: list[Stored]) -> ClassSimilarity:
    """Run the check on a class for its report and write `similarity.json` into `directory`.
    Any failure is the grader's: it is recorded in the note, never raised."""
    try:
        found = stored_similarity(stored)
        path = write_similarity(directory, found.report)
    except Exception as error:  # the class report must be written whatever happens here
        return ClassSimilarity(None, NOT_COMPUTED.format(error=f"{type(error).__name__}: {error}"))
    left_out = ", ".join(escape_text(student) for student in found.unreadable)
    return ClassSimilarity(
        found.report, LEFT_OUT.format(students=left_out) if left_out else "", path
    )


def write_similarity(directory: Path, report: SimilarityReport) -> Path:
    """Write `similarity.json` into the batch folder (atomically)."""
    path = directory / SIMILARITY_JSON
    atomic_write(path, json.dumps(report.to_json(), indent=1, ensure_ascii=False) + "\n")
    return path


def similarity_html(report: SimilarityReport) -> str:
    """The class report's section on similar submissions (self-contained HTML)."""
    return html_environment().get_template(SECTION_TEMPLATE).render(similarity=report)
