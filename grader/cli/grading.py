"""`grade submit` and `grade check`: grade one notebook, print or write its feedback, set the
exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from grader.cli.common import (
    EXIT_FULL_MARKS,
    EXIT_GRADER_FAULT,
    EXIT_POINTS_LOST,
    assignments_dir_option,
    format_points,
    grader_fault,
)
from grader.grading import grade_submission
from grader.report.model import GradeReport, SubmissionStatus
from grader.report.notebook import NOTEBOOK_FORMATS, feedback_notebook, read_submitted
from grader.report.render import FORMATS, render
from grader.sandbox import shared_zygote
from grader.spec.model import AssignmentError, UnknownAssignment

SUBMIT_HELP = """Grade NOTEBOOK (.ipynb or .py) against hidden cases and print feedback.

\b
Examples:
  grade submit examples/logistic_regression_correct.ipynb
  grade submit hw1.ipynb --assignment logistic_regression --format html --output hw1.html
  grade submit hw1.ipynb --format notebook -o hw1_feedback.ipynb
  GRADER_HIDDEN_SEED=4711 grade submit hw1.ipynb --instructor

\b
Formats: text, md, html, json, gradescope print the feedback (or write it with -o).
notebook writes the student's own notebook with a feedback cell after each graded
function's cell and a summary at the top; notebook-html renders that notebook as one
HTML page. Both need -o and always show the student view.

\b
Exit codes: 0 full marks, 1 points lost, 2 usage error, 3 grader fault.
"""

NEEDS_OUTPUT = (
    "--format {fmt} writes a file: add --output FILE (e.g. -o feedback.ipynb or -o feedback.html)."
)

CHECK_HELP = """Run only the public cases on NOTEBOOK: a quick self-check for students.

Public cases show their inputs and expected values; hidden cases are not generated.

\b
Example:
  grade check my_notebook.ipynb --assignment logistic_regression
  grade check my_notebook.ipynb --format notebook -o my_notebook_feedback.ipynb
"""


def grading_options(function: click.decorators.FC) -> click.decorators.FC:
    """The options `grade submit` and `grade check` share."""
    options = [
        assignments_dir_option,
        click.argument("notebook", type=click.Path(exists=True, dir_okay=False, path_type=Path)),
        click.option(
            "--assignment",
            "-a",
            metavar="ID",
            help="Assignment id; default: read from the notebook's metadata.",
        ),
        click.option(
            "--format",
            "fmt",
            type=click.Choice([*FORMATS, *NOTEBOOK_FORMATS]),
            default="text",
            show_default=True,
            help="Feedback format (notebook, notebook-html: the student's notebook with the "
            "feedback inside; need --output).",
        ),
        click.option(
            "--output",
            "-o",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write the feedback to this file instead of standard output.",
        ),
        click.option(
            "--data",
            "data_dir",
            type=click.Path(exists=True, file_okay=False, path_type=Path),
            help="Directory of course data files (e.g. the cat/non-cat or malaria HDF5 "
            "files) for application and training checks.",
        ),
        click.option(
            "--no-train",
            is_flag=True,
            help="Skip Keras training checks: grade model architecture only (fast; the "
            "training points are left out of the total).",
        ),
        click.option(
            "--all-cells",
            is_flag=True,
            help="Run every cell of the notebook. By default only the cells grading needs "
            "run (those defining the graded functions and what they use); training, "
            "plotting and printing cells are skipped and listed in the instructor view.",
        ),
        click.option(
            "--gpu",
            is_flag=True,
            envvar="GRADER_ALLOW_GPU",
            help="Let Keras training checks use a GPU if this machine has one (default: CPU "
            "only; the feedback says which device trained the model).",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@click.command(help=SUBMIT_HELP)
@grading_options
@click.option(
    "--instructor",
    is_flag=True,
    help="Instructor view: hidden inputs, expected values and the seed.",
)
@click.option(
    "--hidden-seed",
    type=int,
    envvar="GRADER_HIDDEN_SEED",
    metavar="N",
    help="Seed of the hidden cases (env: GRADER_HIDDEN_SEED; prefer the variable, "
    "command lines are visible to other users).",
)
def submit(instructor: bool, hidden_seed: int | None, **options: Any) -> None:
    """Grade a submission with public and hidden cases."""
    _run(instructor=instructor, hidden_seed=hidden_seed, public_only=False, **options)


@click.command(help=CHECK_HELP)
@grading_options
def check(**options: Any) -> None:
    """Grade the public cases only."""
    _run(instructor=False, hidden_seed=None, public_only=True, **options)


def _run(
    notebook: Path,
    assignment: str | None,
    fmt: str,
    output: Path | None,
    data_dir: Path | None,
    *,
    instructor: bool,
    hidden_seed: int | None,
    public_only: bool,
    no_train: bool = False,
    gpu: bool = False,
    all_cells: bool = False,
) -> None:
    if fmt in NOTEBOOK_FORMATS and output is None:
        raise click.UsageError(NEEDS_OUTPUT.format(fmt=fmt))
    shared_zygote()  # start it now: its imports overlap with loading the submission and spec
    try:
        report = grade_submission(
            notebook,
            assignment,
            hidden_seed=hidden_seed,
            data_dir=data_dir,
            public_only=public_only,
            train=not no_train,
            gpu=gpu,
            progress=lambda line: click.echo(line, err=True),
            all_cells=all_cells,
        )
    except UnknownAssignment as exc:
        raise click.UsageError(str(exc)) from exc
    except AssignmentError as exc:
        raise grader_fault(str(exc)) from exc
    color = output is None and fmt == "text" and sys.stdout.isatty()
    if fmt in NOTEBOOK_FORMATS:
        text = _notebook_feedback(report, fmt, notebook)
    else:
        text = render(report, fmt, instructor=instructor, color=color)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(
            f"{format_points(report.score)}/{format_points(report.max_score)}"
            f" - feedback written to {output}",
            err=True,
        )
    if report.status is SubmissionStatus.GRADER_ERROR:
        click.echo(f"grader fault (not the student's): {report.message}", err=True)
    sys.exit(_exit_code(report))


def _notebook_feedback(report: GradeReport, fmt: str, notebook: Path) -> str:
    """The student's notebook with its feedback cells, as a notebook or one HTML page (the
    plain HTML feedback if nbconvert cannot render this notebook)."""
    text = feedback_notebook(report, read_submitted(notebook))
    if fmt == "notebook":
        return text
    from grader.report.notebook_html import notebook_html  # imports nbconvert: only here

    return notebook_html(text, report.assignment_title) or render(report, "html")


def _exit_code(report: GradeReport) -> int:
    if report.status is SubmissionStatus.GRADER_ERROR:
        return EXIT_GRADER_FAULT
    return EXIT_FULL_MARKS if report.full_marks else EXIT_POINTS_LOST
