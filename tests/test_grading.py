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
from grader.spec.model import UnknownAssignment

pytestmark = pytest.mark.slow


def test_no_assignment_is_refused_with_the_way_out(write: Callable[..., Path]) -> None:
    """A script with no assignment id, no --assignment and no recognisable graded function is
    not graded against a guess: the refusal says to pass --assignment."""
    with pytest.raises(UnknownAssignment, match="--assignment"):
        grade_submission(write("x = 1\n"))
