"""Fixtures shared by the test files: assignments loaded for grading, grading on a fake session
(milliseconds, no sandbox), and submissions written to a temporary folder.

Plain helpers (the fake session itself, scenario cells, finding a task in a report) live in
`tests/fakes.py`, which test files import; this file holds what needs pytest's machinery.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from fakes import Contexts, FakeSession, Graded, TaskSpecs, fake_session, grade_fake

from grader import grading
from grader.notebook.submission import Submission
from grader.report.model import GradeReport
from grader.spec.load import LoadedAssignment, load_for_grading
from grader.spec.model import Assignment, Task
from grader.tasks import compare
from grader.tasks.context import GradingContext, GradingOptions


@pytest.fixture
def spec() -> Callable[[str], LoadedAssignment]:
    """`spec(assignment_id)`: the assignment with its cases and reference, as graded."""
    return load_for_grading


@pytest.fixture
def graded() -> Graded:
    """`graded(sources, assignment_id, options=None, tasks=(), **session)`: the report of a
    notebook of these cells, graded on a fake session (`session` goes to `FakeSession`:
    `stop`, `probes`); `tasks` limits grading to the tasks of these names. `sources` may also
    be a `FakeSession` already built."""

    def grade(
        sources: Sequence[str] | FakeSession,
        assignment_id: str,
        options: GradingOptions | None = None,
        tasks: Sequence[str] = (),
        **session: Any,
    ) -> GradeReport:
        if not isinstance(sources, FakeSession):
            sources = fake_session(sources, assignment_id, **session)
        return grade_fake(sources, assignment_id, options, tasks)

    return grade


@pytest.fixture
def context() -> Contexts:
    """`context(assignment_id, session, options=None)`: a grading context on `session` (to
    call one task grader directly)."""

    def build(
        assignment_id: str, session: Any, options: GradingOptions | None = None
    ) -> GradingContext:
        return GradingContext(load_for_grading(assignment_id), session, options or GradingOptions())

    return build


@pytest.fixture
def task_spec() -> TaskSpecs:
    """`task_spec(assignment_id, name)`: one task of an assignment's spec."""

    def find(assignment_id: str, name: str) -> Task:
        tasks = load_for_grading(assignment_id).assignment.tasks
        return next(task for task in tasks if task.name == name)

    return find


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """`write(source, name="submission.py")`: a submission file in the test's folder."""

    def write_file(source: str, name: str = "submission.py") -> Path:
        path = tmp_path / name
        path.write_text(source)
        return path

    return write_file


@pytest.fixture
def fresh_expected(monkeypatch: pytest.MonkeyPatch) -> None:
    """Expected values computed anew in this test (the reference's results are cached per
    process; a test that breaks the reference must not be answered from the cache)."""
    monkeypatch.setattr(compare, "_EXPECTED_CACHE", {})


@pytest.fixture
def fake_sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[FakeSession]]:
    """`grade_submission` (and the commands built on it) run each notebook in a fake session:
    every cell, in this process, with the assignment's helper modules. For the repository's
    own notebooks only (nothing confines them). Returns the sessions opened."""
    opened: list[FakeSession] = []

    def open_session(
        submission: Submission, assignment: Assignment, options: GradingOptions
    ) -> FakeSession:
        modules = assignment.helper_files()
        limit = assignment.limits.cell_seconds
        session = FakeSession(cells=submission.cells, modules=modules, cell_seconds=limit)
        opened.append(session)
        return session

    monkeypatch.setattr(grading, "open_session_for", open_session)
    yield opened
    assert opened, "no notebook was graded on the fake session"
