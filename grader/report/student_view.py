"""What a student may see of a report, and what nobody should: every format is built from a *view*
(`view_of`).

The student view drops the inputs, expected values and the student's own values of hidden
cases and every number derived from them (a hidden case's message is the comparator's safe
wording, or has its numbers masked), the hidden seed, the protections in force, the internals
of grader failures and the grader's own paths; so a template cannot leak what it is never
given. Terminal escape sequences and other control characters the student's code printed are
removed from every string, in both views.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields, is_dataclass, replace
from enum import Enum
from pathlib import PurePath
from typing import Any

from grader.report.model import (
    CaseResult,
    GradeReport,
    Status,
    SubmissionStatus,
    TaskResult,
    Visibility,
)
from grader.report.summaries import mask_numbers

_DIGIT = re.compile(r"\d")

# ANSI/VT escape sequences and C0/C1 control characters other than tab and newline.
_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI sequences (colours, cursor movement)
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC sequences (titles, hyperlinks)
    r"|\x1b[@-_]"  # other two-byte escapes
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)
# Paths of the grader's own machine that a student has no use for, and what replaces them.
_INTERNAL_PATHS = (
    (re.compile(r"[^\s'\"()\[\]]*/(?:site|dist)-packages/"), "<python>/"),
    (re.compile(r"[^\s'\"()\[\]]*/lib/python3\.\d+/"), "<python>/"),
    (re.compile(r"[^\s'\"()\[\]]*/grader-(?:sandbox|batch)-[^/\s'\"]*/"), ""),
)


def view_of(report: GradeReport, *, instructor: bool) -> GradeReport:
    """The report as the given audience may see it, with control characters removed.

    Args:
        report: the graded submission.
        instructor: True for the full report, False for the student view.

    Returns:
        A new report; in the student view hidden cases carry no `inputs` or `expected`, their
        `got` is shortened, and the hidden seed, protections and grader-failure
        internals are gone.
    """
    clean: GradeReport = _scrub(report)
    if instructor:
        return clean
    student: GradeReport = _scrub(clean, _grader_paths)
    return replace(
        student,
        submission=PurePath(report.submission).name,
        tasks=tuple(_student_task(task) for task in student.tasks),
        protections=(),
        hidden_seed=None,
        code=(),
        message="" if clean.status is SubmissionStatus.GRADER_ERROR else student.message,
    )


def _student_task(task: TaskResult) -> TaskResult:
    return replace(task, cases=tuple(_student_case(case) for case in task.cases))


def _student_case(case: CaseResult) -> CaseResult:
    case = replace(case, got_digest=None, difference=None)  # the instructor's, in every case
    if case.status is Status.GRADER_ERROR:
        # Our failure: the student gets the template's apology, not our internals.
        case = replace(case, message="", details=(), traceback=None)
    if case.visibility is not Visibility.HIDDEN:
        return replace(case, student_message=None, student_details=None)
    # A hidden case: what went wrong and the named mistake, in words; no inputs, no expected
    # value, no value of the student's (it may echo the inputs), no number from any of them.
    message = case.student_message
    if message is None:
        message = mask_numbers(case.message)
    details = case.student_details
    if details is None:
        details = tuple(detail for detail in case.details if not _DIGIT.search(detail))
    return replace(
        case,
        message=message,
        details=details,
        inputs=None,
        expected=None,
        got=None,
        traceback=_masked_last_line(case.traceback),
        student_message=None,
        student_details=None,
    )


def _masked_last_line(traceback: str | None) -> str | None:
    """A traceback shows the student's own code; only its last line (the exception's message)
    may carry values from the hidden inputs."""
    if not traceback:
        return traceback
    *lines, last = traceback.rstrip("\n").split("\n")
    return "\n".join([*lines, mask_numbers(last)])


def _scrub(value: Any, clean: Callable[[str], str] | None = None) -> Any:
    """Clean every string in a report, recursively: remove control characters (or apply
    `clean`)."""
    if isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return clean(value) if clean is not None else _CONTROL.sub("", value)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _scrub(getattr(value, f.name), clean) for f in fields(value)}
        return replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_scrub(item, clean) for item in value)
    if isinstance(value, dict):
        return {key: _scrub(item, clean) for key, item in value.items()}
    return value


def _grader_paths(text: str) -> str:
    """Grader-internal paths shortened: the Python installation (a virtualenv's
    site-packages), the sandbox's and the batch's temporary folders."""
    for pattern, replacement in _INTERNAL_PATHS:
        text = pattern.sub(replacement, text)
    return text
