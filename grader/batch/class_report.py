"""The class report: how a whole class did, from stored results (instructor view).

`class_summary(stored)` computes plain numbers and lists; `templates/class_report.html.j2`
renders them as one self-contained page (inline CSS and SVG, no scripts): a score histogram,
per-function pass rates, the most common diagnosed mistakes with the students who made them,
submissions that errored, timed out or were unreadable, the submissions the LMS marked late
(Canvas' `_LATE_`), and the slowest submissions.

Students are shown by their key and, where it differs, the name they handed in under
(`_who`), escaped (`escape_text`) and then HTML-escaped by the template's autoescaping.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from grader.batch.files import atomic_write
from grader.batch.names import escape_text
from grader.batch.store import Stored
from grader.report.model import CellStatus, Status, SubmissionStatus, TaskOutcome
from grader.report.render import format_points, html_environment

SLOWEST = 10
MISTAKES_SHOWN = 15
TROUBLE = {Status.TIMEOUT: "timed out", Status.CRASHED: "crashed the sandbox"}
CELL_TROUBLE = {
    CellStatus.TIMEOUT: "ran past its time limit",
    CellStatus.KILLED: "ended the sandbox process (skipped on the rerun)",
}


@dataclass(frozen=True)
class TaskRate:
    """How the class did on one graded function."""

    name: str
    title: str
    passed: int
    attempted: int
    mean_points: float
    max_points: float


@dataclass
class CommonMistake:
    """One diagnosed mistake and who made it."""

    task: str
    mistake: str
    message: str
    students: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Trouble:
    """A submission that did not run cleanly."""

    student: str
    what: str


@dataclass(frozen=True)
class ClassSummary:
    """Everything the class report shows."""

    title: str
    assignment: str
    count: int
    max_score: float
    mean: float
    median: float
    full_marks: int
    histogram: list[tuple[str, int]]
    tasks: list[TaskRate]
    mistakes: list[CommonMistake]
    trouble: list[Trouble]
    slowest: list[tuple[str, float]]
    late: list[tuple[str, float]] = field(default_factory=list)  # who, and their score


def class_summary(stored: list[Stored]) -> ClassSummary:
    """Summarize the stored results of a class."""
    reports = [item.report for item in stored]
    scores = [r.score for r in reports]
    graded = [r for r in reports if r.status is SubmissionStatus.GRADED]
    top = max((r.max_score for r in graded), default=0.0)
    return ClassSummary(
        title=next((r.assignment_title for r in graded if r.assignment_title), ""),
        assignment=next((r.assignment for r in reports if r.assignment), ""),
        count=len(reports),
        max_score=top,
        mean=statistics.fmean(scores) if scores else 0.0,
        median=statistics.median(scores) if scores else 0.0,
        full_marks=sum(r.full_marks for r in reports),
        histogram=_histogram(scores, top),
        tasks=_task_rates(stored),
        mistakes=_mistakes(stored),
        trouble=_trouble(stored),
        slowest=sorted(((_who(i), i.report.seconds) for i in stored), key=lambda s: -s[1])[
            :SLOWEST
        ],
        late=[(_who(item), item.report.score) for item in stored if item.meta.late is True],
    )


def _histogram(scores: list[float], top: float) -> list[tuple[str, int]]:
    """Counts per score band: one band per point up to 20 points, else ten bands."""
    if top <= 0:
        return [("0", len(scores))] if scores else []
    bands = int(top) if top <= 20 and float(top).is_integer() else 10
    width = top / bands
    counts = [0] * (bands + 1)
    for score in scores:
        counts[min(bands, int(score / width + 1e-9))] += 1
    labels = [
        format_points(i * width) if width == 1 else f"{format_points(i * width)}-"
        for i in range(bands)
    ]
    return [*zip(labels, counts[:-1], strict=True), (format_points(top), counts[-1])]


def _task_rates(stored: list[Stored]) -> list[TaskRate]:
    totals: dict[str, list[float]] = defaultdict(list)
    passed: dict[str, int] = defaultdict(int)
    info: dict[str, tuple[str, float]] = {}
    for item in stored:
        for task in item.report.tasks:
            if task.outcome is TaskOutcome.SKIPPED:
                continue
            info.setdefault(task.name, (task.title, task.max_points))
            totals[task.name].append(task.points)
            passed[task.name] += task.passed
    return [
        TaskRate(
            name,
            info[name][0],
            passed[name],
            len(points),
            statistics.fmean(points),
            info[name][1],
        )
        for name, points in totals.items()
    ]


def _mistakes(stored: list[Stored]) -> list[CommonMistake]:
    found: dict[tuple[str, str], CommonMistake] = {}
    for item in stored:
        for task in item.report.tasks:
            for case in task.cases:
                if case.mistake is None or case.status is Status.PASSED:
                    continue
                key = (task.name, case.mistake)
                entry = found.setdefault(
                    key, CommonMistake(task.name, case.mistake, case.diagnosis or case.message)
                )
                if _who(item) not in entry.students:
                    entry.students.append(_who(item))
    ranked = sorted(found.values(), key=lambda m: (-len(m.students), m.task, m.mistake))
    return ranked[:MISTAKES_SHOWN]


def _trouble(stored: list[Stored]) -> list[Trouble]:
    trouble = []
    for item in stored:
        report = item.report
        if report.status is not SubmissionStatus.GRADED:
            what = "grader fault" if report.status is SubmissionStatus.GRADER_ERROR else "invalid"
            trouble.append(Trouble(_who(item), f"{what}: {_first_line(report.message)}"))
            continue
        problems = sorted(
            {
                f"{task.name} {TROUBLE[case.status]}"
                for task in report.tasks
                for case in task.cases
                if case.status in TROUBLE
            }
        )
        problems += [
            f"cell {cell.index + 1} {CELL_TROUBLE[cell.status]}"
            for cell in report.cells
            if cell.status in CELL_TROUBLE
        ]
        if problems:
            trouble.append(Trouble(_who(item), "; ".join(problems)))
    return trouble


def _who(item: Stored) -> str:
    """The key, and the name as handed in where it differs (both escaped)."""
    name = item.meta.name
    key = escape_text(item.student)
    if not isinstance(name, str) or not name or name == item.student:
        return key
    return f"{key} ({escape_text(name)})"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def histogram_svg(bars: list[tuple[str, int]], width: int = 560, height: int = 160) -> Markup:
    """Bars with their counts above and score labels below, as inline SVG."""
    if not bars:
        return Markup("")
    tallest = max(count for _, count in bars) or 1
    step = width / len(bars)
    parts = [
        f'<svg class="histogram" role="img" aria-label="score histogram" width="{width}" '
        f'height="{height + 36}" viewBox="0 0 {width} {height + 36}">'
    ]
    for i, (label, count) in enumerate(bars):
        bar = (height - 16) * count / tallest
        x = i * step + 2
        y = height - bar
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{step - 4:.1f}" height="{bar:.1f}" '
            f'fill="currentColor"><title>{escape(label)}: {count}</title></rect>'
            f'<text x="{x + (step - 4) / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
            f'font-size="11">{count}</text>'
            f'<text x="{x + (step - 4) / 2:.1f}" y="{height + 14}" text-anchor="middle" '
            f'font-size="11">{escape(label)}</text>'
        )
    parts.append(
        f'<text x="{width / 2:.0f}" y="{height + 32}" text-anchor="middle" font-size="11">'
        "score</text></svg>"
    )
    return Markup("".join(parts))


def write_class_report(output: Path, stored: list[Stored]) -> Path:
    """Render `report.html` into `output` from the stored results."""
    summary = class_summary(stored)
    template = html_environment().get_template("class_report.html.j2")
    html = template.render(summary=summary, histogram=histogram_svg(summary.histogram))
    path = output / "report.html"
    atomic_write(path, html)
    return path
