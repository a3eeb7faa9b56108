"""What travels in a batch: a job (one submission's bytes and the grading settings, sent to a
worker process or a Dask worker) and the provenance stored with its result (what it was graded
from, so that a rerun can tell an unchanged submission).

A worker returns the `GradeReport` itself (the process that sent the job stores it): results
never go through a dict and back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from grader.report.model import GradeReport, SubmissionStatus, ungraded_report


@dataclass(frozen=True)
class Job:
    """One submission to grade, self-contained: a worker needs no shared filesystem (except
    `data_dir`, the course's data files)."""

    student: str
    file_name: str  # a safe name for the bytes in the worker's temporary folder
    source: str  # where it came from, escaped (for the report)
    content: bytes
    assignment: str
    hidden_seed: int | None = None
    data_dir: Path | None = None
    train: bool = True
    gpu: bool = False
    all_cells: bool = False


@dataclass(frozen=True)
class Provenance:
    """What a stored result was graded from (`results/<student>.json`'s "batch" part)."""

    student: str
    name: str = ""  # the name as handed in, escaped
    lms_id: str = ""
    source: str = ""
    pattern: str = ""  # which layout recognised it
    note: str = ""  # why this file, when the student handed in several
    refused: str = ""  # why nothing could be graded, when so
    late: bool = False  # the LMS marked the submission late (Canvas' `_LATE_`)
    sha256: str = ""
    assignment: str = ""
    assignment_version: str = ""
    hidden_seed: int | None = None
    train: bool = True
    grader_version: str = ""

    # What must be unchanged for a stored result to stand (the rest only describes it).
    IDENTITY = ("sha256", "assignment", "assignment_version", "hidden_seed", "train")

    def to_json(self) -> dict[str, Any]:
        """As stored."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> Provenance:
        """From a stored result; unknown keys are ignored, a wrong type is a ValueError."""
        if not isinstance(data, dict):
            raise ValueError("not a stored result's provenance")
        values = {f.name: data[f.name] for f in fields(cls) if f.name in data}
        provenance = cls(**{"student": "", **values})
        for field in fields(cls):
            value = getattr(provenance, field.name)
            if field.name == "hidden_seed":
                ok = value is None or (isinstance(value, int) and not isinstance(value, bool))
            elif field.name in ("train", "late"):
                ok = isinstance(value, bool)
            else:
                ok = isinstance(value, str)
            if not ok:
                raise ValueError(f"provenance field {field.name!r} has the wrong type")
        return provenance

    def graded_the_same_as(self, other: Provenance) -> bool:
        """Were both graded from the same bytes, spec and settings?"""
        return all(getattr(self, key) == getattr(other, key) for key in self.IDENTITY)


def fault_report(assignment: str, source: str, message: str, seconds: float = 0.0) -> GradeReport:
    """The result of a job the grader failed on (retried on the next run)."""
    return ungraded_report(
        SubmissionStatus.GRADER_ERROR,
        message,
        assignment=assignment,
        submission=source,
        seconds=seconds,
    )
