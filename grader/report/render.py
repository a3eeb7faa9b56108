"""Render a `GradeReport` for people and machines: `render(report, fmt)` is the one front door.

Text, Markdown and HTML come from the Jinja2 templates in `templates/`; JSON is our own
versioned schema (`report.json`); `gradescope` is Gradescope's `results.json`. The human
formats show a task's failing cases through `failure_groups`: in the student view, cases that
failed the same way are shown once in full, the rest as one line each.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from grader.report.data import report_to_dict
from grader.report.model import (
    CaseResult,
    GradeReport,
    Status,
    TaskResult,
    Visibility,
)
from grader.report.student_view import view_of
from grader.report.summaries import mask_numbers
from grader.resources import cache_dir, templates_dir

FORMATS = ("text", "md", "html", "json", "gradescope")

TEMPLATES = {
    "text": "feedback.txt.j2",
    "md": "feedback.md.j2",
    "html": "feedback.html.j2",
}
# Partials rendered on their own for Gradescope: the submission-wide notes and one task.
GRADESCOPE_SUMMARY_TEMPLATE = "gradescope_summary.md.j2"
GRADESCOPE_TASK_TEMPLATE = "gradescope_task.md.j2"

ELLIPSIS = "…"

# A failing case shown as one line shows at most this much of its message's first line.
SUMMARY_LINE_CHARS = 160

# SGR codes for the terminal; keys are the style names the text template uses.
ANSI_STYLES = {
    "title": "1",
    "heading": "1;36",
    "pass": "32",
    "fail": "31",
    "warn": "33",
    "note": "35",
    "dim": "2",
    "bold": "1",
}
ANSI_RESET = "\x1b[0m"
# Where a comparator's message turns from the value it is about to what is wrong with it.
_SUBJECT = re.compile(r" (?:has|should|is|contains|holds) ")
# Markdown that student text could trigger: emphasis, code, HTML, links, headings. Only what
# can start markup is escaped, so `learning_rate` and `shape [2, 1]` stay readable in raw form.
# A `code span` on one line, kept as code by the Markdown escaping.
_CODE_SPAN = re.compile(r"(`[^`\n]+`)")
_MARKDOWN_SPECIAL = re.compile(r"[\\`*<>~\[]|^#|(?<![^\W_])_|_(?![^\W_])", re.MULTILINE)


def render(report: GradeReport, fmt: str, *, instructor: bool = False, color: bool = False) -> str:
    """Render a report in one of `FORMATS`.

    Args:
        report: the graded submission.
        fmt: "text", "md", "html", "json" or "gradescope".
        instructor: show everything (hidden inputs and expected values, hidden seed,
            protections). Ignored for "gradescope", whose output students read.
        color: colour the "text" format with ANSI escapes (the CLI passes
            `sys.stdout.isatty()`); ignored by every other format.

    Returns:
        The rendered document, ending with a newline.

    Raises:
        ValueError: `fmt` is not one of `FORMATS`.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown feedback format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fmt == "json":
        return _dump_json(report_to_dict(report, instructor=instructor))
    if fmt == "gradescope":
        return _dump_json(gradescope_results(report))
    view = view_of(report, instructor=instructor)
    template = _environment(fmt == "html", color and fmt == "text").get_template(TEMPLATES[fmt])
    return _end_with_newline(template.render(report=view, instructor=instructor))


def gradescope_results(report: GradeReport) -> dict[str, Any]:
    """Gradescope's `results.json`: one test per task, each with its student-view Markdown.
    Only fields Gradescope's autograder specification documents are written.

    Args:
        report: the graded submission.

    Returns:
        A dict with `score`, `execution_time`, `output` (the submission-wide notes),
        `output_format` and `tests`.
    """
    view = view_of(report, instructor=False)
    env = _environment(False, False)
    summary = env.get_template(GRADESCOPE_SUMMARY_TEMPLATE)
    task_template = env.get_template(GRADESCOPE_TASK_TEMPLATE)
    tests = [
        {
            "name": task.title,
            "score": task.points,
            "max_score": task.max_points,
            "status": "passed" if task.passed else "failed",
            "visibility": "visible",
            "output": task_template.render(task=task, instructor=False).strip(),
            "output_format": "md",
        }
        for task in view.tasks
    ]
    return {
        "score": view.score,
        "execution_time": round(view.seconds, 3),
        "output": summary.render(report=view, instructor=False).strip(),
        "output_format": "md",
        "tests": tests,
    }


@dataclass(frozen=True)
class FailureGroup:
    """Failing cases of one task that failed the same way.

    `lead` is the case to show in full; `others` are shown as one line each.
    """

    lead: CaseResult
    others: tuple[CaseResult, ...] = ()


def failure_groups(task: TaskResult, instructor: bool = False) -> tuple[FailureGroup, ...]:
    """A task's failing cases, grouped by how they failed, for the human formats.

    In the student view, failing cases with the same status, the same diagnosis and the same
    first line of message (numbers and case ids aside) form one group. Its lead is its first
    public case, whose inputs the student may see, or else its first case; groups come in the
    order of their first case. In the instructor view every failing case is its own group, so
    every case is shown in full.

    Args:
        task: a task of a report, usually already passed through `view_of`.
        instructor: True for the instructor view.

    Returns:
        One group per distinct failure; empty when every case passed.
    """
    failing = [case for case in task.cases if case.status not in (Status.PASSED, Status.SKIPPED)]
    if instructor:
        return tuple(FailureGroup(case) for case in failing)
    case_ids = sorted({case.case_id for case in task.cases}, key=len, reverse=True)
    grouped: dict[tuple[object, ...], list[CaseResult]] = {}
    for case in failing:
        grouped.setdefault(_failure_key(case, case_ids), []).append(case)
    groups = []
    for members in grouped.values():
        public = [case for case in members if case.visibility is Visibility.PUBLIC]
        lead = public[0] if public else members[0]
        groups.append(FailureGroup(lead, tuple(case for case in members if case is not lead)))
    return tuple(groups)


def format_points(value: float) -> str:
    """Points with at most two decimals and no trailing zeros: 2.5, 3, 0.67.

    Args:
        value: a number of points.

    Returns:
        The formatted number; negative zero prints as "0".
    """
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _failure_key(case: CaseResult, case_ids: list[str]) -> tuple[object, ...]:
    """What makes two failing cases fail "the same way"; `case_ids` longest first. Cases with
    the same named mistake do when their messages are about the same value (a hidden case's
    message is worded without its numbers: "dw has the wrong shape."); others when their
    messages match, numbers aside."""
    line = _first_line(case.message)
    for case_id in case_ids:  # a message may name another case ("... as case public-1")
        line = line.replace(case_id, "{case}")
    if case.diagnosis:
        subject = _SUBJECT.split(line, maxsplit=1)[0]
        return (case.status, case.mistake, case.diagnosis, subject)
    return (case.status, None, None, mask_numbers(line))


def _first_line(text: object) -> str:
    lines = str(text).strip().splitlines()
    return lines[0].strip() if lines else ""


def _summary_line(text: object) -> str:
    """The `summary_line` filter: the first line of a message, cut to `SUMMARY_LINE_CHARS`."""
    line = _first_line(text)
    if len(line) > SUMMARY_LINE_CHARS:
        line = line[:SUMMARY_LINE_CHARS].rstrip() + ELLIPSIS
    return line


def _dump_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _end_with_newline(text: str) -> str:
    return text.rstrip("\n") + "\n"


def _inline_code(text: object) -> Markup:
    """HTML: escape the text, then show `backticked` names as <code>."""
    escaped = str(escape(str(text)))
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped))


def markdown_environment() -> Environment:
    """The Jinja2 environment of the Markdown templates (feedback, Gradescope, notebook cells)."""
    return _environment(False, False)


def html_environment() -> Environment:
    """The autoescaping Jinja2 environment of the HTML templates (feedback, class report)."""
    return _environment(True, False)


@cache
def _environment(html: bool, color: bool) -> Environment:
    """The Jinja2 environment for one output kind; autoescaping only for HTML."""
    compiled = cache_dir("templates")  # a new `grade` process need not compile them again
    env = Environment(
        loader=FileSystemLoader(templates_dir()),
        bytecode_cache=FileSystemBytecodeCache(str(compiled)) if compiled else None,
        undefined=StrictUndefined,
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["points"] = format_points
    env.filters["paint"] = _painter(color)
    env.filters["md_escape"] = _escape_markdown
    env.filters["fence"] = _fence_for
    env.filters["summary_line"] = _summary_line
    env.filters["inline_code"] = _inline_code
    env.filters["loss_svg"] = loss_svg
    env.globals["failure_groups"] = failure_groups
    return env


def _painter(color: bool) -> Callable[[object, str], str]:
    """The `paint` filter: wrap text in an ANSI style, or leave it alone without colour."""

    def paint(text: object, style: str) -> str:
        code = ANSI_STYLES[style]  # an unknown style is a template bug, caught in any mode
        return f"\x1b[{code}m{text}{ANSI_RESET}" if color else str(text)

    return paint


def loss_svg(losses: Sequence[float], width: int = 240, height: int = 64) -> Markup:
    """A small inline SVG of the training loss per epoch (no scripts, no external files)."""
    finite = [v for v in losses if math.isfinite(v)]
    if len(finite) < 2 or len(finite) != len(losses):
        return Markup("")
    low, high = min(finite), max(finite)
    span = (high - low) or 1.0
    pad = 4
    step = (width - 2 * pad) / (len(finite) - 1)
    points = " ".join(
        f"{pad + i * step:.1f},{pad + (high - v) / span * (height - 2 * pad):.1f}"
        for i, v in enumerate(finite)
    )
    label = f"training loss per epoch, from {finite[0]:.3g} to {finite[-1]:.3g}"
    return Markup(
        f'<svg class="curve" role="img" aria-label="{label}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><title>{label}</title>'
        f'<polyline fill="none" stroke="currentColor" stroke-width="2" points="{points}"/></svg>'
    )


def _escape_markdown(text: object) -> str:
    """Backslash-escape characters that would turn a student's text into Markdown or HTML,
    except inside `backticked` spans, which stay code (Markdown shows HTML there as text)."""
    parts = _CODE_SPAN.split(str(text))
    return "".join(
        part if index % 2 else _MARKDOWN_SPECIAL.sub(lambda match: "\\" + match.group(0), part)
        for index, part in enumerate(parts)
    )


def _fence_for(text: object) -> str:
    """A code fence longer than any run of backticks inside `text`."""
    longest = max((len(run) for run in re.findall(r"`+", str(text))), default=0)
    return "`" * max(3, longest + 1)
