"""Grade a whole class: find submissions, grade the new or changed ones, store, summarize.

`run_batch` is the front door of `grade batch` and reads as that recipe. A submission whose
bytes, assignment version, hidden seed and training setting are unchanged since it was last
stored is skipped (`force=True` regrades everything), so a killed run resumes where it
stopped. The gradebooks are rewritten every `GRADEBOOK_EVERY` results and at the end; the
similarity check (unless `similarity=False`) and the class report at the end (and by
`grade report`).

Every student found gets a stored result: one none of whose files can be graded gets an
invalid result saying why (`grader.batch.refused`), without running anything. Names are
student input: what `describe` prints from them goes through `escape_text`.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from tqdm import tqdm

from grader.batch import store
from grader.batch.class_report import write_class_report
from grader.batch.discover import Entry, find_submissions
from grader.batch.executors import DaskExecutor, LocalExecutor
from grader.batch.files import folder, read_regular
from grader.batch.gradebook import write_gradebooks
from grader.batch.jobs import Job, Provenance
from grader.batch.names import escape_text, safe_file_name
from grader.batch.refused import (
    gone_report,
    refusal_digest,
    refused_report,
    size_limit,
    unread_reason,
)
from grader.report.model import GradeReport, SubmissionStatus
from grader.report.notebook import SubmittedFile
from grader.similarity.batch import ClassSimilarity, class_similarity
from grader.spec.load import load_assignment
from grader.spec.model import Assignment

GRADEBOOK_EVERY = 25
STRAYS = (
    "{count} stored results belong to no student in this download (kept in the gradebooks; "
    "delete results/<key>.json to drop one): {keys}"
)
UNPACKED = "unpacked"


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
    refused: int = 0  # stored as invalid without grading: nothing could be graded
    notes: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    strays: list[str] = field(default_factory=list)  # stored, but not found in this download
    outputs: list[Path] = field(default_factory=list)
    similarity: str = ""  # one line on the likely copies (empty with --no-similarity)

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
    all_cells: bool = False  # run every cell (no cell plan)
    similarity: bool = True  # compare the class's code at the end (similarity.json, report)


def run_batch(submissions: Path, options: BatchOptions) -> BatchSummary:
    """Grade every submission under `submissions` into `options.output`.

    Raises:
        DiscoveryError: the submissions cannot be read at all (see `find_submissions`).
        OutputError: an output folder is a link or not a folder.
    """
    start = time.perf_counter()
    assignment = load_assignment(options.assignment, hidden_seed=options.hidden_seed)
    output = _output_folder(options.output)
    found = find_submissions(submissions, assignment.id, output / UNPACKED)
    fingerprinted = [_fingerprinted(entry) for entry in found]
    entries = [entry for entry, _ in fingerprinted]
    summary = _found_summary(entries, assignment)
    metas = {e.student: _meta(e, digest, assignment, options) for e, digest in fingerprinted}
    stored = {item.student: item for item in store.load_all(output)}  # read once, kept current
    todo = [e for e in entries if options.force or not _is_current(e, stored, metas)]
    summary.skipped = len(entries) - len(todo)
    summary.strays = sorted(set(stored) - {e.student for e in entries})
    refused = [e for e in todo if e.refused]  # nothing to grade: invalid, scored 0
    for entry in refused:
        stored[entry.student] = _save(output, entry, metas, refused_report(entry, assignment))
    summary.refused = len(refused)
    graded = [e for e in todo if not e.refused]
    gone: list[tuple[Entry, str]] = []
    with _executor(options) as executor, _progress(len(graded), options.progress) as bar:
        for count, (job, result) in enumerate(executor.run(_jobs(graded, options, gone)), 1):
            student = job.student
            handed_in = SubmittedFile(job.file_name, job.content)
            stored[student] = store.save(output, student, metas[student], result, handed_in)
            _count(summary, result)
            bar.update(1)
            if count % GRADEBOOK_EVERY == 0:
                write_gradebooks(output, _in_order(stored))
    for entry, reason in gone:  # vanished or replaced since it was found: retried next run
        result = gone_report(entry, assignment, reason)
        stored[entry.student] = _save(output, entry, metas, result)
        _count(summary, result)
    records = _in_order(stored)
    similarity = class_similarity(output, records) if options.similarity else None
    summary.outputs = [
        *write_gradebooks(output, records),
        write_class_report(output, records, similarity),
    ]
    if similarity is not None and similarity.path is not None:
        summary.outputs.append(similarity.path)
    if similarity is not None:
        summary.similarity = _similarity_line(similarity)
    summary.seconds = time.perf_counter() - start
    return summary


def _is_current(
    entry: Entry, stored: dict[str, store.Stored], metas: dict[str, Provenance]
) -> bool:
    return store.is_current(stored.get(entry.student), metas[entry.student])


def _save(
    output: Path, entry: Entry, metas: dict[str, Provenance], result: GradeReport
) -> store.Stored:
    return store.save(output, entry.student, metas[entry.student], result)


def _output_folder(path: Path) -> Path:
    """The output folder, resolved (the instructor may have made it a link), with `results/`,
    `feedback/` and `submitted/` checked before anything is graded: none may be a link or a
    file."""
    path.mkdir(parents=True, exist_ok=True)
    output = path.resolve()
    for name in (store.RESULTS, store.FEEDBACK, store.SUBMITTED):
        with folder(output / name):
            pass
    return output


def _fingerprinted(entry: Entry) -> tuple[Entry, str]:
    """The entry and the SHA-256 of its file; if the file cannot be read (any more), the entry
    refused with the reason."""
    if entry.path is not None:
        try:
            return entry, store.fingerprint(entry.path, size_limit(entry.path))
        except OSError as error:
            reason = unread_reason(entry, error)
            entry = replace(entry, path=None, note=reason, refused=reason)
    return entry, refusal_digest(entry)


def _found_summary(entries: list[Entry], assignment: Assignment) -> BatchSummary:
    summary = BatchSummary(found=len(entries), max_score=assignment.max_score)
    summary.notes = [f"{_who(e)}: {e.note}" for e in entries if e.note and not e.refused]
    summary.refusals = [f"{_who(e)}: {e.refused}" for e in entries if e.refused]
    return summary


def _who(entry: Entry) -> str:
    """The key, and the name as handed in where it differs."""
    return entry.student if entry.name == entry.student else f"{entry.student} ({entry.name})"


def _meta(entry: Entry, digest: str, assignment: Assignment, options: BatchOptions) -> Provenance:
    return Provenance(
        student=entry.student,
        name=entry.name,
        lms_id=entry.lms_id,
        source=entry.source,
        pattern=entry.pattern,
        note=entry.note,
        refused=entry.refused,
        late=entry.late,
        sha256=digest,
        assignment=assignment.id,
        assignment_version=assignment.version,
        hidden_seed=options.hidden_seed,
        train=options.train,
        grader_version=_grader_version(),
    )


def _in_order(stored: dict[str, store.Stored]) -> list[store.Stored]:
    """Stored results sorted by student, as `store.load_all` gives them."""
    return [stored[student] for student in sorted(stored)]


def _jobs(todo: list[Entry], options: BatchOptions, gone: list[tuple[Entry, str]]) -> Iterator[Job]:
    """One job per submission; the notebook is read only when its job is sent. One that cannot
    be read by then is not sent but added to `gone` with the reason."""
    for entry in todo:
        assert entry.path is not None
        try:
            content = read_regular(entry.path, size_limit(entry.path))
        except OSError as error:
            gone.append((entry, str(error.strerror or error)))
            continue
        yield Job(
            student=entry.student,
            file_name=safe_file_name(entry.path.name),
            source=entry.source,
            content=content,
            assignment=options.assignment,
            hidden_seed=options.hidden_seed,
            data_dir=options.data_dir,
            train=options.train,
            gpu=options.gpu,
            all_cells=options.all_cells,
        )


def _count(summary: BatchSummary, result: GradeReport) -> None:
    summary.graded += 1
    summary.invalid += result.status is SubmissionStatus.INVALID
    summary.faults += result.status is SubmissionStatus.GRADER_ERROR
    summary.full_marks += result.full_marks
    summary.scores.append(result.score)


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


SIMILARITY_FAILED = "likely copies: not checked ({note}); the class report says why"
SIMILARITY_NONE = "likely copies: none stands out among {students} submissions"
SIMILARITY_FOUND = (
    "likely copies: {pairs} pair(s) of submissions worth a look, in {clusters} group(s) of three "
    "or more (report.html, similarity.json)"
)


def _similarity_line(similarity: ClassSimilarity) -> str:
    if similarity.report is None:
        return SIMILARITY_FAILED.format(note=similarity.note or "it failed")
    report = similarity.report
    if not report.pairs:
        return SIMILARITY_NONE.format(students=report.students)
    return SIMILARITY_FOUND.format(pairs=len(report.pairs), clusters=len(report.clusters))


def describe(summary: BatchSummary, output: Path) -> str:
    """The one-screen summary printed at the end of `grade batch` (names escaped)."""
    lines = [
        f"{summary.found} submissions found; {summary.graded} graded, {summary.refused} with "
        f"nothing to grade, {summary.skipped} unchanged since the last run (skipped; --force "
        "regrades them)",
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
    if summary.refusals:
        lines.append("nothing could be graded (stored as invalid, scored 0):")
        lines += [f"  {refusal}" for refusal in summary.refusals]
    if summary.notes:
        lines.append("several files, or files not read, for one student:")
        lines += [f"  {note}" for note in summary.notes]
    if summary.strays:
        lines.append(STRAYS.format(count=len(summary.strays), keys=", ".join(summary.strays)))
    if summary.similarity:
        lines.append(summary.similarity)
    lines.append(
        f"results: {output / store.RESULTS}/, student feedback: {output / store.FEEDBACK}/"
    )
    lines += [f"wrote {path}" for path in summary.outputs]
    return "\n".join(escape_text(line) for line in lines) + "\n"
