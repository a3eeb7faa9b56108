"""Building hostile class downloads in tmp_path, and grading them without sandboxes.

Zips are written with `zipfile` and then edited byte by byte where an attacker would lie:
header fields (flags, compression method, sizes, zip version, file mode) and names.
`stub_grading` replaces the grading of one notebook with a stand-in that scores a
submission 12 if its bytes contain `FULL` and 3 otherwise, so whole batches run in
milliseconds while everything around grading (intake, store, gradebooks, report) is real.
"""

from __future__ import annotations

import csv
import os
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest

from grader.batch import run
from grader.batch.executors import LocalExecutor, Result
from grader.batch.jobs import Job
from grader.batch.run import BatchOptions
from grader.report.model import GradeReport, SubmissionStatus

ASSIGNMENT = "logistic_regression"
FULL = b'{"FULL": 1}'
PARTIAL = b'{"some": 1}'
SYMLINK_MODE = 0o120777
# Where each header field sits: (offset in the local header or None, offset in the central
# directory entry, struct format).
FIELDS = {
    "version": (None, 6, "<H"),
    "flags": (6, 8, "<H"),
    "method": (8, 10, "<H"),
    "file_size": (22, 24, "<I"),
}


def write_zip(
    path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED
) -> Path:
    with zipfile.ZipFile(path, "w", compression) as handle:
        for name, data in members.items():
            handle.writestr(name, data)
    return path


def add_link_member(archive: Path, name: str, target: str) -> None:
    """A member stored as a symbolic link (what `zip --symlinks` writes)."""
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix: the mode bits count
    info.external_attr = SYMLINK_MODE << 16
    with zipfile.ZipFile(archive, "a") as handle:
        handle.writestr(info, target)


def patch_member(archive: Path, name: bytes, **fields: int) -> None:
    """Overwrite header fields of the member called `name` (raw bytes) in place."""
    data = bytearray(archive.read_bytes())
    central = data.find(b"PK\x01\x02")
    while central != -1:
        length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + length]) == name:
            break
        central = data.find(b"PK\x01\x02", central + 4)
    assert central != -1, name
    local = struct.unpack_from("<I", data, central + 42)[0]
    for field, value in fields.items():
        at_local, at_central, form = FIELDS[field]
        struct.pack_into(form, data, central + at_central, value)
        if at_local is not None:
            struct.pack_into(form, data, local + at_local, value)
    archive.write_bytes(bytes(data))


def flags_of(archive: Path, name: bytes) -> int:
    with zipfile.ZipFile(archive) as handle:
        for info in handle.infolist():
            if info.filename.encode("utf-8", "surrogateescape") == name:
                return info.flag_bits
    raise AssertionError(name)


def rename_member(archive: Path, old: bytes, new: bytes) -> None:
    """Replace a member's name bytes (same length) in its local and central headers."""
    assert len(old) == len(new)
    data = archive.read_bytes()
    assert data.count(old) == 2
    archive.write_bytes(data.replace(old, new))


def sparse(path: Path, size: int) -> Path:
    """A file of `size` bytes that takes no disk space."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def fifo(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    return path


def write(path: Path, data: bytes = PARTIAL) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def fake_result(job: Job) -> Result:
    """A stand-in for grading: full marks if the notebook says FULL."""
    report = GradeReport(
        assignment=ASSIGNMENT,
        assignment_title="Logistic regression",
        assignment_version="1",
        submission=job.source,
        submission_sha256="",
        status=SubmissionStatus.GRADED,
        score=12.0 if FULL in job.content else 3.0,
        max_score=12.0,
        graded_at="2026-01-01T00:00:00+00:00",
    )
    return report


def stub_grading(monkeypatch: pytest.MonkeyPatch) -> list[Job]:
    """Grade with `fake_result` in this process; the jobs it was sent are recorded."""
    sent: list[Job] = []

    def work(job: Job) -> Result:
        sent.append(job)
        return fake_result(job)

    monkeypatch.setattr(run, "LocalExecutor", lambda jobs: LocalExecutor(jobs, work=work))
    return sent


def options(output: Path, **changes: Any) -> BatchOptions:
    return BatchOptions(ASSIGNMENT, output, progress=False, **changes)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
