"""Grade a whole class: find submissions, grade the new or changed ones, store, summarize.

`run_batch` is the front door of `grade batch` and reads as that recipe. A submission whose
bytes, assignment version, hidden seed and training setting are unchanged since it was last
stored is skipped (`force=True` regrades everything), so a killed run resumes where it
stopped. The gradebooks are rewritten every `GRADEBOOK_EVERY` results and at the end; the
class report at the end (and by `grade report`).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from tqdm import tqdm

from grader.assignment import load_assignment
from grader.batch import store
from grader.batch.class_report import write_class_report
from grader.batch.discover import Entry, find_submissions
from grader.batch.executors import DaskExecutor, Job, LocalExecutor
from grader.batch.gradebook import write_gradebooks

GRADEBOOK_EVERY = 25


@dataclass
class BatchSummary:
    """What one `grade batch` run did."""

    found: int = 0
    graded: int = 0
    skipped: int = 0
    full_marks: int = 0
    invalid: int = 0
    faults: int = 0
    scores: list[float] = field(default_factory=list)
    max_score: float = 0.0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)

    @property
    def per_minute(self) -> float:
        """Submissions graded per minute of wall clock (skipped ones not counted)."""
        return 60.0 * self.graded / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class BatchOptions:
    """How to grade: the settings `grade submit` has, plus where and how many at once."""

    assignment: str
    output: Path
    jobs: int = 1
    force: bool = False
    executor: str = "local"
    scheduler: str | None = None
    hidden_seed: int | None = None
    data_dir: Path | None = None
    train: bool = True
    gpu: bool = False
    progress: bool = True


def run_batch(submissions: Path, options: BatchOptions) -> BatchSummary:
    """Grade every submission under `submissions` into `options.output`."""
    start = time.perf_counter()
    assignment = load_assignment(options.assignment, hidden_seed=options.hidden_seed)
    output = options.output
    output.mkdir(parents=True, exist_ok=True)
    entries = find_submissions(submissions, assignment.id, output / "unpacked")
    summary = BatchSummary(found=len(entries), max_score=assignment.max_score)
    summary.notes = [f"{e.student}: {e.note}" for e in entries if e.note]
    metas = {e.student: _meta(e, assignment.id, assignment.version, options) for e in entries}
    stored = {item.student: item for item in store.load_all(output)}  # read once, kept current
    todo = [
        e
        for e in entries
        if options.force or not store.is_current(stored.get(e.student), metas[e.student])
    ]
    summary.skipped = len(entries) - len(todo)
    with _executor(options) as executor, _progress(len(todo), options.progress) as bar:
        for count, (job, result) in enumerate(executor.run(_jobs(todo, metas, options)), 1):
            student = job["student"]
            stored[student] = store.save(output, student, metas[student], result)
            _count(summary, result)
            bar.update(1)
            if count % GRADEBOOK_EVERY == 0:
                write_gradebooks(output, _in_order(stored))
    records = _in_order(stored)
    summary.outputs = [*write_gradebooks(output, records), write_class_report(output, records)]
    summary.seconds = time.perf_counter() - start
    return summary


def _meta(
    entry: Entry, assignment_id: str, assignment_version: str, options: BatchOptions
) -> dict[str, Any]:
    return {
        "student": entry.student,
        "lms_id": entry.lms_id,
        "source": str(entry.path),
        "pattern": entry.pattern,
        "note": entry.note,
        "sha256": store.fingerprint(entry.path),
        "assignment": assignment_id,
        "assignment_version": assignment_version,
        "hidden_seed": options.hidden_seed,
        "train": options.train,
        "grader_version": _grader_version(),
    }


def _in_order(stored: dict[str, store.Stored]) -> list[store.Stored]:
    """Stored results sorted by student, as `store.load_all` gives them."""
    return [stored[student] for student in sorted(stored)]


def _jobs(
    todo: list[Entry], metas: dict[str, dict[str, Any]], options: BatchOptions
) -> Iterator[Job]:
    """One job per submission; the notebook is read only when its job is sent."""
    for entry in todo:
        yield {
            "student": entry.student,
            "name": entry.path.name,
            "source": metas[entry.student]["source"],
            "content": entry.path.read_bytes(),
            "assignment": options.assignment,
            "hidden_seed": options.hidden_seed,
            "data_dir": str(options.data_dir) if options.data_dir else None,
            "train": options.train,
            "gpu": options.gpu,
        }


def _count(summary: BatchSummary, result: dict[str, Any]) -> None:
    summary.graded += 1
    status = result.get("status")
    summary.invalid += status == "invalid"
    summary.faults += status == "grader_error"
    summary.full_marks += bool(result.get("full_marks"))
    summary.scores.append(float(result.get("score", 0.0)))


def _executor(options: BatchOptions) -> LocalExecutor | DaskExecutor:
    if options.executor == "dask":
        if not options.scheduler:
            raise ValueError("--executor dask needs --scheduler ADDRESS")
        return DaskExecutor(options.scheduler)
    return LocalExecutor(options.jobs)


def _progress(total: int, enabled: bool) -> tqdm[Any]:
    return tqdm(
        total=total,
        unit="nb",
        desc="grading",
        file=sys.stderr,
        disable=not enabled or total == 0,
        smoothing=0.1,
        bar_format="{desc}: {n}/{total} |{bar}| {rate_fmt} · {elapsed} elapsed, {remaining} left",
    )


def _grader_version() -> str:
    try:
        return version("grader")
    except PackageNotFoundError:  # running from a source tree without installing
        return "unknown"


def describe(summary: BatchSummary, output: Path) -> str:
    """The one-screen summary printed at the end of `grade batch`."""
    lines = [
        f"{summary.found} submissions found; {summary.graded} graded, {summary.skipped} "
        "unchanged since the last run (skipped; --force regrades them)",
    ]
    if summary.graded:
        median = statistics.median(summary.scores)
        lines.append(
            f"scores: median {median:g} of {summary.max_score:g}; {summary.full_marks} full "
            f"marks; {summary.invalid} unreadable; {summary.faults} grader faults"
        )
        lines.append(
            f"time: {summary.seconds:.1f} s ({summary.per_minute:.0f} submissions per minute)"
        )
    if summary.notes:
        lines.append("several files for one student (one graded):")
        lines += [f"  {note}" for note in summary.notes]
    lines.append(
        f"results: {output / store.RESULTS}/, student feedback: {output / store.FEEDBACK}/"
    )
    lines += [f"wrote {path}" for path in summary.outputs]
    return "\n".join(lines) + "\n"
