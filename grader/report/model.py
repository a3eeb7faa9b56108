"""The result of grading one submission, as frozen dataclasses.

Every step of the pipeline hands the next one these values; renderers in `report/render.py` turn a
`GradeReport` into text, Markdown, HTML, JSON or Gradescope's results.json.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

SCHEMA_VERSION = "1.0"


class Visibility(StrEnum):
    """Who may see a case's inputs and expected values."""

    PUBLIC = "public"
    HIDDEN = "hidden"


class Status(StrEnum):
    """Outcome of one graded case."""

    PASSED = "passed"
    FAILED = "failed"  # the function returned a wrong value
    ERROR = "error"  # the student's code raised an exception
    TIMEOUT = "timeout"  # the call ran past its time limit
    MISSING = "missing"  # the function is not defined in the notebook
    CRASHED = "crashed"  # the sandbox process died during the call
    GRADER_ERROR = "grader_error"  # our fault, never the student's
    SKIPPED = "skipped"  # not run in this grading run (e.g. training checks with --no-train)


class CellStatus(StrEnum):
    """Outcome of running one notebook cell in the sandbox."""

    OK = "ok"
    ERROR = "error"
    TIMEOUT = "timeout"
    KILLED = "killed"  # the cell ended the sandbox process; it is skipped on the rerun
    SKIPPED = "skipped"
    NOT_NEEDED = "not_needed"  # left out by the cell plan: grading needs nothing it provides


class TaskOutcome(StrEnum):
    """How a task went as a whole."""

    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"  # not run in this grading run


class SubmissionStatus(StrEnum):
    """Whether the submission as a whole could be graded."""

    GRADED = "graded"
    INVALID = "invalid"  # unreadable, malformed or empty file: scored 0
    GRADER_ERROR = "grader_error"


@dataclass(frozen=True)
class CaseResult:
    """One call of one graded function, compared with the reference.

    `inputs`, `expected` and `got` are short human-readable renderings; the student view
    drops `inputs`, `expected` and `got` for hidden cases, and shows `student_message` and
    `student_details` (the same words without the numbers that come from hidden inputs or
    expected values) instead of `message` and `details`. `got_digest` and `difference` are
    for the instructor only: no student view has them.
    """

    case_id: str
    visibility: Visibility
    status: Status
    points: float
    max_points: float
    message: str = ""
    details: tuple[str, ...] = ()
    diagnosis: str | None = None
    mistake: str | None = None
    inputs: str | None = None
    expected: str | None = None
    got: str | None = None
    traceback: str | None = None
    seconds: float = 0.0
    student_message: str | None = None
    student_details: tuple[str, ...] | None = None
    # Instructor view only (the class report's common undiagnosed mistakes): a fingerprint of
    # the student's whole wrong output, rounded so that near-identical values match, and how
    # the wrong part differs from the expected one, in words. Set when a case fails by value.
    got_digest: str | None = None
    difference: str | None = None


@dataclass(frozen=True)
class TrainingRun:
    """How a training check went: where and how long the model trained, and how well."""

    device: str  # "CPU" or "GPU: <name>"
    seconds: float
    epochs: int  # epochs completed
    planned_epochs: int
    losses: tuple[float, ...]  # training loss after each epoch
    accuracy: float | None  # on the held-out test images, computed in the grader process
    threshold: float
    data: str  # which data, as a sentence
    test_images: int


@dataclass(frozen=True)
class TaskResult:
    """All cases of one graded function (or one application check)."""

    name: str
    title: str
    points: float
    max_points: float
    cases: tuple[CaseResult, ...]
    notes: tuple[str, ...] = ()
    training: TrainingRun | None = None  # set by training checks
    # The notebook name the task grades: its function, or the variable of a `variable` task
    # (where the notebook format puts the task's feedback); "" in results stored before it.
    function: str = ""

    @property
    def passed(self) -> bool:
        """True when every case passed."""
        return all(case.status is Status.PASSED for case in self.cases)

    @property
    def outcome(self) -> TaskOutcome:
        """Passed, failed, or skipped (not run in this grading run)."""
        if self.cases and all(case.status is Status.SKIPPED for case in self.cases):
            return TaskOutcome.SKIPPED
        return TaskOutcome.PASSED if self.passed else TaskOutcome.FAILED


@dataclass(frozen=True)
class CellResult:
    """How one notebook cell ran."""

    index: int
    status: CellStatus
    seconds: float = 0.0
    message: str = ""
    traceback: str | None = None
    output: str = ""


@dataclass(frozen=True)
class GradeReport:
    """Everything known about one graded submission."""

    assignment: str
    assignment_title: str
    assignment_version: str
    submission: str
    submission_sha256: str
    status: SubmissionStatus
    score: float
    max_score: float
    tasks: tuple[TaskResult, ...] = ()
    cells: tuple[CellResult, ...] = ()
    notices: tuple[str, ...] = ()
    protections: tuple[str, ...] = ()
    message: str = ""
    seconds: float = 0.0
    graded_at: str = ""
    hidden_seed: int | None = None
    schema_version: str = SCHEMA_VERSION
    # The notebook's code cells, as graded (capped): for the instructor's tools (likely
    # copies); not part of any student view.
    code: tuple[str, ...] = ()
    # Peak resident memory (MiB) of the submission's sandbox and of the grading process
    # (0 when unknown); instructor view only.
    sandbox_peak_mb: float = 0.0
    grader_peak_mb: float = 0.0

    @property
    def full_marks(self) -> bool:
        """True when the submission earned every point."""
        return self.status is SubmissionStatus.GRADED and self.score >= self.max_score - 1e-9


def now() -> str:
    """The time of grading as reports record it (UTC, ISO 8601, seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def ungraded_report(
    status: SubmissionStatus,
    message: str,
    *,
    assignment: str = "",
    title: str = "",
    version: str = "",
    submission: str = "",
    sha256: str = "",
    max_score: float = 0.0,
    seconds: float = 0.0,
    hidden_seed: int | None = None,
) -> GradeReport:
    """The report of a submission that was not graded: an invalid one (scored 0) or one the
    grader failed on (`message` says why)."""
    return GradeReport(
        assignment=assignment,
        assignment_title=title,
        assignment_version=version,
        submission=submission,
        submission_sha256=sha256,
        status=status,
        score=0.0,
        max_score=max_score,
        message=message,
        seconds=seconds,
        graded_at=now(),
        hidden_seed=hidden_seed,
    )
