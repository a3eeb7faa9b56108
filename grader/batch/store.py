"""Where a batch run keeps its results, written so that a killed run loses nothing.

Layout of the output directory:

    results/<student>.json      the full (instructor-view) report plus what it was graded from
    feedback/<student>.html     the student-view feedback, self-contained
    feedback/<student>.md       the same in Markdown (for an LMS comment box)
    feedback/<student>.ipynb    the student's own notebook with the feedback cells inside
    feedback/<student>~notebook.html   that notebook as one HTML page
    submitted/<student>.ipynb   a copy of the file graded (or `.py`), so that `grade report`
                                can write the notebook feedback again
    gradebook.csv, gradebook_lms.csv, report.html

`<student>` is the key from `grader.batch.names.student_keys`: ASCII, unique, bounded. A key
holds `~` only before its 12 or 64 hex digits, so `<key>~notebook.html` is never another
student's `<key>.html`. Every
file is written to a temporary name in the same directory, flushed to disk and renamed over the
old one (`os.replace` is atomic), so a reader, or a run killed with SIGKILL at any moment, sees
either the old file or the new one, never half of one. The result JSON is written last: a
submission counts as graded only once its feedback is on disk too.

Nothing is written through a link (`grader.batch.files`): a `results/`, `feedback/` or
`submitted/` that is a link or not a folder stops the batch with `OutputError`; a copy in
`submitted/` is read back only as a regular file within the size limit of its kind. Stored
results are read back only if they are regular files (not links, FIFOs or devices) of at most
`MAX_RESULT_BYTES`, named like a key; anything else in `results/` is left out.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from grader.batch.files import atomic_write, folder, read_regular, write_at
from grader.batch.jobs import Provenance
from grader.batch.names import escape_text
from grader.notebook.submission import MAX_NOTEBOOK_BYTES, MAX_SCRIPT_BYTES
from grader.report.data import report_from_dict, report_to_dict
from grader.report.model import GradeReport, SubmissionStatus
from grader.report.notebook import SubmittedFile, feedback_notebook
from grader.report.render import render

RESULTS = "results"
FEEDBACK = "feedback"
SUBMITTED = "submitted"
NOTEBOOK_SUFFIX = ".ipynb"
NOTEBOOK_PAGE_SUFFIX = "~notebook.html"
# The kinds of file a copy is kept of, with their size limits (those of grading).
SUBMITTED_LIMITS = {".ipynb": MAX_NOTEBOOK_BYTES, ".py": MAX_SCRIPT_BYTES}
MAX_RESULT_BYTES = 64 * 1024**2
MAX_KEY_BYTES = 150  # keys are at most 125; a longer name's feedback file name would not fit


@dataclass(frozen=True)
class Stored:
    """A graded submission as stored: what it was graded from, and its report."""

    student: str
    meta: Provenance
    report: GradeReport


def fingerprint(path: Path, limit: int) -> str:
    """SHA-256 of a submission's bytes (a regular file, not a link, at most `limit` bytes): a
    changed file is graded again."""
    return hashlib.sha256(read_regular(path, limit)).hexdigest()


def save(
    output: Path,
    student: str,
    meta: Provenance,
    report: GradeReport,
    submitted: SubmittedFile | None = None,
) -> Stored:
    """Store one graded submission: the copy of its file (`submitted`: the bytes graded, None
    when nothing could be read), student feedback, then the result that marks it done."""
    stored = Stored(student, meta, report)
    _keep_submitted(output, student, submitted)
    _write_feedback(output, stored, submitted)
    document = {"batch": meta.to_json(), "report": report_to_dict(report, instructor=True)}
    atomic_write(output / RESULTS / f"{student}.json", json.dumps(document, indent=1) + "\n")
    return stored


def _write_feedback(output: Path, stored: Stored, submitted: SubmittedFile | None) -> None:
    for fmt, suffix in (("html", ".html"), ("md", ".md")):
        atomic_write(output / FEEDBACK / f"{stored.student}{suffix}", render(stored.report, fmt))
    notebook = feedback_notebook(stored.report, submitted)
    atomic_write(output / FEEDBACK / f"{stored.student}{NOTEBOOK_SUFFIX}", notebook)
    from grader.report.notebook_html import notebook_html  # imports nbconvert: only here

    page = notebook_html(notebook, stored.report.assignment_title)
    page = page or render(stored.report, "html")  # nbconvert could not render this notebook
    atomic_write(output / FEEDBACK / f"{stored.student}{NOTEBOOK_PAGE_SUFFIX}", page)


def _keep_submitted(output: Path, student: str, submitted: SubmittedFile | None) -> None:
    """Keep a copy of the file graded as `submitted/<student>.ipynb` (or `.py`), and no other:
    a copy of an earlier file, or of a kind no longer handed in, is removed."""
    kind = submitted.suffix if submitted is not None else None
    with folder(output / SUBMITTED) as copies:
        for suffix in SUBMITTED_LIMITS:
            if suffix != kind:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{student}{suffix}", dir_fd=copies)
        if submitted is not None and kind in SUBMITTED_LIMITS:
            write_at(copies, f"{student}{kind}", submitted.content)


def load_submitted(output: Path, student: str) -> SubmittedFile | None:
    """The copy of the file a stored result was graded from, if there is one that is a regular
    file within its size limit."""
    try:
        with folder(output / SUBMITTED, create=False) as copies:
            for suffix, limit in SUBMITTED_LIMITS.items():
                name = f"{student}{suffix}"
                with contextlib.suppress(FileNotFoundError):
                    return SubmittedFile(name, read_regular(name, limit, dir_fd=copies))
    except OSError:  # no such folder, a link or not a folder, or a copy that is not a file
        return None
    return None


def load_all(output: Path) -> list[Stored]:
    """Every stored result, sorted by student; anything unreadable is left out."""
    try:
        with folder(output / RESULTS, create=False) as results:
            names = sorted(os.listdir(results))
            found = [load(results, name) for name in names if _is_result_name(name)]
    except FileNotFoundError:
        return []
    return [item for item in found if item is not None]


def _is_result_name(name: str) -> bool:
    stem = name.removesuffix(".json")
    if stem == name or stem.startswith(".") or escape_text(stem) != stem:
        return False  # not a result, a temporary file, or a name no key has
    return len(stem.encode("utf-8")) <= MAX_KEY_BYTES


def load(results: int, name: str) -> Stored | None:
    """One stored result in the folder open as `results`, or None if it is not a regular file
    within the size limit holding a result this grader wrote."""
    try:
        document = json.loads(read_regular(name, MAX_RESULT_BYTES, dir_fd=results))
        meta = Provenance.from_json(document["batch"])
        report = report_from_dict(document["report"])
        numbers = (report.score, report.max_score, report.seconds)
        if not all(isinstance(n, int | float) and not isinstance(n, bool) for n in numbers):
            return None
        return Stored(name.removesuffix(".json"), meta, report)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None  # ValueError includes ReportFormatError and bad JSON


def is_current(found: Stored | None, meta: Provenance) -> bool:
    """Was this submission (`found`: its stored result, if any) already graded from the same
    bytes, spec and settings?"""
    if found is None or found.report.status is SubmissionStatus.GRADER_ERROR:
        return False  # a grader fault is retried on the next run
    return found.meta.graded_the_same_as(meta)


def rerender(output: Path, stored: list[Stored]) -> None:
    """Render the stored reports' student feedback again (e.g. after editing a template); the
    notebook feedback from the copy of the file graded (without one, the summary alone)."""
    for item in stored:
        _write_feedback(output, item, load_submitted(output, item.student))
