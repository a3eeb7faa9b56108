"""Results for submissions that are not graded: refused at intake, or gone when their turn came.

A student none of whose files can be graded (see `grader.batch.intake`) still gets a stored
result: an invalid report, scored 0, whose message says why, so the student has a row in both
gradebooks, a line in the class report and feedback that says what to fix. A file that could
be read when the class was found but not when its turn came (deleted or replaced meanwhile) is
not the student's doing: it gets a grader-fault result, which the next run retries.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from grader.batch.discover import Entry
from grader.batch.files import FileTooLarge, NotRegularFile
from grader.batch.intake import NOT_REGULAR, SIZE_LIMITS, TOO_LARGE, UNREADABLE
from grader.report.model import GradeReport, SubmissionStatus, ungraded_report
from grader.spec.model import Assignment

GONE = "{name} could not be read when its turn came ({reason}); run the batch again."


def size_limit(path: Path) -> int:
    """The most bytes read of a submission file of this kind."""
    return SIZE_LIMITS.get(path.suffix.lower(), max(SIZE_LIMITS.values()))


def unread_reason(entry: Entry, error: OSError) -> str:
    """Why `entry`'s file could not be read, as the student reads it."""
    if isinstance(error, FileTooLarge):
        assert entry.path is not None
        return TOO_LARGE.format(name=entry.source, limit_mb=size_limit(entry.path) // 10**6)
    if isinstance(error, NotRegularFile):
        return NOT_REGULAR.format(name=entry.source)
    return UNREADABLE.format(name=entry.source, reason=error.strerror or error)


def refusal_digest(entry: Entry) -> str:
    """What a refused entry's result is current for: its reason (a changed folder, a new
    reason, or a file that can now be graded means it is looked at again)."""
    return hashlib.sha256(f"refused: {entry.refused}".encode()).hexdigest()


def refused_report(entry: Entry, assignment: Assignment) -> GradeReport:
    """The stored result of a student none of whose files could be graded."""
    return _report(entry, assignment, SubmissionStatus.INVALID, entry.refused)


def gone_report(entry: Entry, assignment: Assignment, reason: str) -> GradeReport:
    """The stored result of a file that vanished or changed between finding and grading."""
    message = GONE.format(name=entry.source, reason=reason)
    return _report(entry, assignment, SubmissionStatus.GRADER_ERROR, message)


def _report(
    entry: Entry, assignment: Assignment, status: SubmissionStatus, message: str
) -> GradeReport:
    return ungraded_report(
        status,
        message,
        assignment=assignment.id,
        title=assignment.title,
        version=assignment.version,
        submission=entry.source or entry.name,
        max_score=assignment.max_score,
    )
