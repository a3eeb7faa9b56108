"""The class report: how a whole class did, from stored results (instructor view).

`class_summary(stored)` computes plain numbers and lists; `templates/class_report.html.j2`
renders them as one self-contained page (inline CSS and SVG, no scripts): a score histogram,
per-function pass rates, the most common diagnosed mistakes with the students who made them,
the wrong outputs several students share that no known mistake explains
(`grader.batch.common_mistakes`), the submissions that did not run cleanly (unreadable or
empty, grader faults with their cause, timeouts, crashes, cells that raised, `sys.exit()`
included; cells the cell plan did not need are no trouble), the submissions the LMS marked
late (Canvas' `_LATE_`), the slowest submissions, every student with a link to their feedback
page, and, when computed, the similar submissions (`templates/_similarity.html.j2`).

Students are shown by their key and, where it differs, the name they handed in under
(`_who`), escaped (`escape_text`) and then HTML-escaped by the template's autoescaping; their
feedback link is `feedback/<key>.html`, relative, with the key percent-encoded.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup, escape

from grader.batch.common_mistakes import UndiagnosedGroup, UndiagnosedMistakes, find_undiagnosed
from grader.batch.files import atomic_write
from grader.batch.names import escape_text
from grader.batch.store import FEEDBACK, Stored
from grader.report.model import CellResult, CellStatus, Status, SubmissionStatus, TaskOutcome
from grader.report.render import format_points, html_environment
from grader.similarity.batch import ClassSimilarity
from grader.spec.load import load_assignment

SLOWEST = 10
MISTAKES_SHOWN = 15
ERROR_CELLS_SHOWN = 3
# Instructor text: what went wrong with a submission that did not run cleanly.
TROUBLE = {Status.TIMEOUT: "timed out", Status.CRASHED: "crashed the sandbox"}
CELL_TROUBLE = {
    CellStatus.TIMEOUT: "ran past its time limit",
    CellStatus.KILLED: "ended the sandbox process (skipped on the rerun)",
}
CELL_RAISED = "cell {number} raised {error}"
MORE_CELLS = "and {count} more cell{s} raised"
GRADER_FAULT = "grader fault (not the student's): {cause}"
INVALID = "nothing graded: {reason}"
STATUS_WORDS = {
    SubmissionStatus.GRADED: "graded",
    SubmissionStatus.INVALID: "invalid",
    SubmissionStatus.GRADER_ERROR: "grader fault",
}
FULL_MARKS = "full marks"


@dataclass(frozen=True)
class StudentRef:
    """A student as the report shows them: `who` (the key, and the name handed in where it
    differs, escaped) linked to their feedback page (`feedback`, relative to the report)."""

    key: str
    who: str
    feedback: str


@dataclass(frozen=True)
class StudentRow:
    """One student in the report's list of everyone."""

    student: StudentRef
    score: float
    status: str
    late: bool
    trouble: bool


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
    students: list[StudentRef] = field(default_factory=list)


@dataclass(frozen=True)
class SharedWrongOutput:
    """A group of students sharing a wrong output no known mistake explains, for the page."""

    group: UndiagnosedGroup
    students: tuple[StudentRef, ...]


@dataclass(frozen=True)
class Undiagnosed:
    """The common undiagnosed mistakes as the page shows them (see `UndiagnosedMistakes`)."""

    groups: tuple[SharedWrongOutput, ...] = ()
    total: int = 0
    missing: int = 0


@dataclass(frozen=True)
class Trouble:
    """Submissions that did not run cleanly, for the same reason; `fault` when the grader, not
    the students, failed."""

    what: str
    fault: bool
    students: tuple[StudentRef, ...]


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
    trouble: list[Trouble]  # grader faults first, then the most common
    slowest: list[tuple[StudentRef, float]]
    late: list[tuple[StudentRef, float]] = field(default_factory=list)  # who, and their score
    students: list[StudentRow] = field(default_factory=list)
    undiagnosed: Undiagnosed = field(default_factory=Undiagnosed)

    @property
    def trouble_count(self) -> int:
        """How many submissions did not run cleanly."""
        return sum(len(item.students) for item in self.trouble)


def class_summary(stored: list[Stored], functions: dict[str, str] | None = None) -> ClassSummary:
    """Summarize the stored results of a class.

    Args:
        stored: the class's stored results.
        functions: task name -> the function it grades (to show a member's code of a shared
            wrong output); by default each task's name.
    """
    refs = {item.student: _ref(item) for item in stored}
    trouble = _trouble(stored, refs)
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
        mistakes=_mistakes(stored, refs),
        trouble=trouble,
        slowest=sorted(((refs[i.student], i.report.seconds) for i in stored), key=lambda s: -s[1])[
            :SLOWEST
        ],
        late=[(refs[item.student], item.report.score) for item in stored if item.meta.late is True],
        students=_rows(stored, refs, {s.key for t in trouble for s in t.students}),
        undiagnosed=_undiagnosed(find_undiagnosed(stored, functions), refs),
    )


def _ref(item: Stored) -> StudentRef:
    return StudentRef(item.student, _who(item), f"{FEEDBACK}/{quote(item.student)}.html")


def _rows(stored: list[Stored], refs: dict[str, StudentRef], trouble: set[str]) -> list[StudentRow]:
    return [
        StudentRow(
            refs[item.student],
            item.report.score,
            FULL_MARKS if item.report.full_marks else STATUS_WORDS[item.report.status],
            item.meta.late is True,
            item.student in trouble,
        )
        for item in stored
    ]


def _undiagnosed(found: UndiagnosedMistakes, refs: dict[str, StudentRef]) -> Undiagnosed:
    groups = tuple(
        SharedWrongOutput(group, tuple(refs[key] for key in group.students))
        for group in found.groups
    )
    return Undiagnosed(groups, found.total, found.missing)


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


def _mistakes(stored: list[Stored], refs: dict[str, StudentRef]) -> list[CommonMistake]:
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
                if refs[item.student] not in entry.students:
                    entry.students.append(refs[item.student])
    ranked = sorted(found.values(), key=lambda m: (-len(m.students), m.task, m.mistake))
    return ranked[:MISTAKES_SHOWN]


def _trouble(stored: list[Stored], refs: dict[str, StudentRef]) -> list[Trouble]:
    """Every submission that did not run cleanly, grouped by what happened: grader faults
    first, then the most common."""
    found: dict[tuple[str, bool], list[StudentRef]] = defaultdict(list)
    for item in stored:
        report = item.report
        problems = []
        if report.status is SubmissionStatus.INVALID:
            problems.append(INVALID.format(reason=_first_line(report.message)))
        elif report.status is SubmissionStatus.GRADER_ERROR:
            problems.append(GRADER_FAULT.format(cause=_first_line(report.message)))
        problems += sorted(
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
        problems += _raised(report.cells)
        if problems:
            fault = report.status is SubmissionStatus.GRADER_ERROR
            found[("; ".join(problems), fault)].append(refs[item.student])
    trouble = [Trouble(what, fault, tuple(refs)) for (what, fault), refs in found.items()]
    return sorted(trouble, key=lambda t: (not t.fault, -len(t.students), t.what))


def _raised(cells: Sequence[CellResult]) -> list[str]:
    """The cells that raised (`sys.exit()` included), the first few by their error."""
    raised = [cell for cell in cells if cell.status is CellStatus.ERROR]
    shown = [
        CELL_RAISED.format(number=cell.index + 1, error=_first_line(cell.message) or "an error")
        for cell in raised[:ERROR_CELLS_SHOWN]
    ]
    more = len(raised) - len(shown)
    return [*shown, MORE_CELLS.format(count=more, s="" if more == 1 else "s")] if more else shown


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


def write_class_report(
    output: Path, stored: list[Stored], similarity: ClassSimilarity | None = None
) -> Path:
    """Render `report.html` into `output` from the stored results, with the similar
    submissions when the check ran (`grader.similarity.batch.class_similarity`)."""
    summary = class_summary(stored, task_functions(stored))
    template = html_environment().get_template("class_report.html.j2")
    html = template.render(
        summary=summary,
        histogram=histogram_svg(summary.histogram),
        similarity=similarity.report if similarity else None,
        similarity_note=similarity.note if similarity else "",
    )
    path = output / "report.html"
    atomic_write(path, html)
    return path


def task_functions(stored: list[Stored]) -> dict[str, str]:
    """Task name -> graded function, from the spec of the class's assignment; empty when the
    spec cannot be loaded (then each task's name stands for its function)."""
    ids = Counter(item.meta.assignment for item in stored if item.meta.assignment)
    if not ids:
        return {}
    try:
        assignment = load_assignment(ids.most_common(1)[0][0])
    except Exception:  # a missing or broken spec only costs the code excerpts
        return {}
    return {task.name: task.function for task in assignment.tasks}
