"""grade_submission on small .py submissions written by the tests.

The task graders' own questions (a missing function, changed arguments, a reference that
fails, the course's cat files) are answered in milliseconds on a fake session: see
tests/test_task_*.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from grader.grading import grade_submission
from grader.report.model import SubmissionStatus

pytestmark = pytest.mark.slow


def test_no_assignment_is_an_invalid_submission(write: Callable[..., Path]) -> None:
    """Is a script without an assignment id or --assignment graded 0 with a clear message?"""
    report = grade_submission(write("x = 1\n"))
    assert report.status is SubmissionStatus.INVALID and "--assignment" in report.message
