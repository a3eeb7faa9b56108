"""Where a batch run keeps its results, written so that a killed run loses nothing.

Layout of the output directory:

    results/<student>.json      the full (instructor-view) report plus what it was graded from
    feedback/<student>.html     the student-view feedback, self-contained
    feedback/<student>.md       the same in Markdown (for an LMS comment box)
    gradebook.csv, gradebook_lms.csv, report.html

Every file is written to a temporary name in the same directory, flushed to disk and renamed
over the old one (`os.replace` is atomic), so a reader, or a run killed with SIGKILL at any
moment, sees either the old file or the new one, never half of one. The result JSON is written
last: a submission counts as graded only once its feedback is on disk too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.feedback import render
from grader.report import GradeReport
from grader.report_io import ReportFormatError, report_from_dict

RESULTS = "results"
FEEDBACK = "feedback"


@dataclass(frozen=True)
class Stored:
    """A graded submission as stored: what it was graded from, and its report."""

    student: str
    meta: dict[str, Any]
    report: GradeReport


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` so that no reader ever sees a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def fingerprint(path: Path) -> str:
    """SHA-256 of a submission's bytes: a changed file is graded again."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save(output: Path, student: str, meta: dict[str, Any], report: dict[str, Any]) -> Stored:
    """Store one graded submission: student feedback first, then the result that marks it done."""
    stored = Stored(student, meta, report_from_dict(report))
    _write_feedback(output, stored)
    document = {"batch": meta, "report": report}
    atomic_write(output / RESULTS / f"{student}.json", json.dumps(document, indent=1) + "\n")
    return stored


def _write_feedback(output: Path, stored: Stored) -> None:
    for fmt, suffix in (("html", ".html"), ("md", ".md")):
        atomic_write(output / FEEDBACK / f"{stored.student}{suffix}", render(stored.report, fmt))


def load_all(output: Path) -> list[Stored]:
    """Every stored result, sorted by student; unreadable files are skipped."""
    stored = []
    for path in sorted((output / RESULTS).glob("*.json")):
        found = load(path)
        if found is not None:
            stored.append(found)
    return stored


def load(path: Path) -> Stored | None:
    """One stored result, or None if it is missing or not a result this grader wrote."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        return Stored(path.stem, dict(document["batch"]), report_from_dict(document["report"]))
    except (OSError, ValueError, KeyError, TypeError, ReportFormatError):
        return None


def is_current(found: Stored | None, meta: dict[str, Any]) -> bool:
    """Was this submission (`found`: its stored result, if any) already graded from the same
    bytes, spec and settings?"""
    keys = ("sha256", "assignment", "assignment_version", "hidden_seed", "train")
    if found is None or found.report.status.value == "grader_error":
        return False  # a grader fault is retried on the next run
    return all(found.meta.get(k) == meta.get(k) for k in keys)


def rerender(output: Path, stored: list[Stored]) -> None:
    """Render the stored reports' student feedback again (e.g. after editing a template)."""
    for item in stored:
        _write_feedback(output, item)
