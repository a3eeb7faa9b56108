"""The `grade` command: parse, call the library, render, set the exit code. Nothing else.

Exit codes:
    0  graded, full marks
    1  graded, some points lost (including an unreadable or empty submission, scored 0)
    2  usage error (unknown option, missing file, unknown assignment)
    3  grader fault (a broken spec or reference, or an internal error): not the student's
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from grader.assignment import (
    AssignmentError,
    UnknownAssignment,
    list_assignments,
    load_assignment,
)
from grader.batch.class_report import write_class_report
from grader.batch.discover import DiscoveryError
from grader.batch.files import OutputError
from grader.batch.gradebook import write_gradebooks
from grader.batch.names import escape_text
from grader.batch.run import BatchOptions, describe, run_batch
from grader.batch.store import load_all, rerender
from grader.doctor import SandboxDied, examine_machine, render_findings
from grader.feedback import FORMATS, render
from grader.grading import grade_submission
from grader.release import build_release
from grader.report import GradeReport, SubmissionStatus
from grader.sandbox import shared_zygote
from grader.similarity.batch import NoResults, batch_similarity, write_similarity

EXIT_FULL_MARKS = 0
EXIT_POINTS_LOST = 1
EXIT_USAGE = 2
EXIT_GRADER_FAULT = 3

SUBMIT_HELP = """Grade NOTEBOOK (.ipynb or .py) against hidden cases and print feedback.

\b
Examples:
  grade submit examples/logistic_regression_correct.ipynb
  grade submit hw1.ipynb --assignment logistic_regression --format html --output hw1.html
  GRADER_HIDDEN_SEED=4711 grade submit hw1.ipynb --instructor

\b
Exit codes: 0 full marks, 1 points lost, 2 usage error, 3 grader fault.
"""

CHECK_HELP = """Run only the public cases on NOTEBOOK: a quick self-check for students.

Public cases show their inputs and expected values; hidden cases are not generated.

\b
Example:
  grade check my_notebook.ipynb --assignment logistic_regression
"""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="grader")
def main() -> None:
    """Autograder for neural-network course notebooks: sandboxed, fair, and clear.

    \b
    Examples:
      grade assignments
      grade submit notebook.ipynb --assignment logistic_regression
      grade check notebook.ipynb
    """


def _grading_options(function: click.decorators.FC) -> click.decorators.FC:
    options = [
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
            type=click.Choice(FORMATS),
            default="text",
            show_default=True,
            help="Feedback format.",
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


@main.command(help=SUBMIT_HELP)
@_grading_options
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
def submit(
    notebook: Path,
    assignment: str | None,
    fmt: str,
    output: Path | None,
    data_dir: Path | None,
    no_train: bool,
    gpu: bool,
    instructor: bool,
    hidden_seed: int | None,
) -> None:
    """Grade a submission with public and hidden cases."""
    _run(
        notebook,
        assignment,
        fmt,
        output,
        data_dir,
        instructor=instructor,
        hidden_seed=hidden_seed,
        public_only=False,
        train=not no_train,
        gpu=gpu,
    )


@main.command(help=CHECK_HELP)
@_grading_options
def check(
    notebook: Path,
    assignment: str | None,
    fmt: str,
    output: Path | None,
    data_dir: Path | None,
    no_train: bool,
    gpu: bool,
) -> None:
    """Grade the public cases only."""
    _run(
        notebook,
        assignment,
        fmt,
        output,
        data_dir,
        instructor=False,
        hidden_seed=None,
        public_only=True,
        train=not no_train,
        gpu=gpu,
    )


BATCH_HELP = """Grade every submission in SUBMISSIONS: feedback, gradebooks and a class report.

SUBMISSIONS is a directory of notebooks (student = file name), a directory of student folders
(student = folder name), or an LMS download (a Canvas or Moodle zip, or the unpacked folder):
Canvas names like `doejane_12345_67890_hw1.ipynb`, Moodle folders like
`Jane Doe_12345_assignsubmission_file_/`. Anything else is graded under its file name. When a
student has several files, the one named like the assignment is graded (else the newest), and
the summary says so.

Writes into DIR: results/<student>.json (full report), feedback/<student>.html and .md
(what the student may see), gradebook.csv, gradebook_lms.csv (Student, ID, total: for an LMS
import) and report.html (the class report). Every file is written atomically. Rerunning skips
submissions that are unchanged (same bytes, assignment version, seed and training setting), so
a killed run resumes; --force regrades all.

\b
Examples:
  grade batch submissions/ -a logistic_regression -o graded/
  grade batch canvas_download.zip -a keras_cnn -o graded/ --jobs 2 --no-train
  grade batch submissions/ -a deep_net -o graded/ --executor dask --scheduler tcp://10.0.0.5:8786

Exit codes: 0 every submission has a result, 2 usage error, 3 the grader itself failed on
some submission (listed in the class report; rerunning retries them).
"""


@main.command(help=BATCH_HELP)
@click.argument("submissions", type=click.Path(exists=True, path_type=Path))
@click.option("--assignment", "-a", required=True, metavar="ID", help="Assignment id.")
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for results, feedback, gradebooks and the class report.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="the machine's cores",
    help="Submissions graded at once (local executor).",
)
@click.option("--force", is_flag=True, help="Regrade submissions that are unchanged.")
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Grade on this machine, or on an existing Dask cluster (pip install 'grader[dask]').",
)
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://host:8786.")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Directory of course data files for application and training checks.",
)
@click.option("--no-train", is_flag=True, help="Skip Keras training checks.")
@click.option("--gpu", is_flag=True, envvar="GRADER_ALLOW_GPU", help="Allow a GPU for training.")
@click.option(
    "--hidden-seed",
    type=int,
    envvar="GRADER_HIDDEN_SEED",
    metavar="N",
    help="Seed of the hidden cases (env: GRADER_HIDDEN_SEED).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def batch(
    submissions: Path,
    assignment: str,
    output: Path,
    jobs: int,
    force: bool,
    executor: str,
    scheduler: str | None,
    data_dir: Path | None,
    no_train: bool,
    gpu: bool,
    hidden_seed: int | None,
    quiet: bool,
) -> None:
    """Grade a class."""
    if executor == "dask" and not scheduler:
        raise click.UsageError("--executor dask needs --scheduler ADDRESS")
    options = BatchOptions(
        assignment=assignment,
        output=output,
        jobs=jobs,
        force=force,
        executor=executor,
        scheduler=scheduler,
        hidden_seed=hidden_seed,
        data_dir=data_dir,
        train=not no_train,
        gpu=gpu,
        progress=not quiet,
    )
    try:
        summary = run_batch(submissions, options)
    except UnknownAssignment as exc:
        raise click.UsageError(str(exc)) from exc
    except AssignmentError as exc:
        raise _fault(str(exc)) from exc
    except (DiscoveryError, OutputError) as exc:
        raise click.UsageError(escape_text(str(exc))) from exc
    click.echo(describe(summary, output), nl=False)
    sys.exit(EXIT_GRADER_FAULT if summary.faults else 0)


REPORT_HELP = """Re-render feedback, gradebooks and the class report in DIR from stored results.

Runs no student code: use it after editing a template, or to rebuild a report.

\b
Example:
  grade report graded/
"""


@main.command(help=REPORT_HELP)
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def report(directory: Path) -> None:
    """Re-render a batch's outputs."""
    directory = directory.resolve()
    try:
        stored = load_all(directory)
        if not stored:
            raise click.UsageError(f"no stored results in {escape_text(str(directory))}/results")
        rerender(directory, stored)
        outputs = [*write_gradebooks(directory, stored), write_class_report(directory, stored)]
    except OutputError as exc:
        raise click.UsageError(escape_text(str(exc))) from exc
    for path in outputs:
        click.echo(f"wrote {escape_text(str(path))}")
    click.echo(f"re-rendered the feedback of {len(stored)} submissions")


RELEASE_HELP = """Write the student notebook for ASSIGNMENT and its public checks into DIR.

The notebook has each graded function's signature and docstring with an empty body, and a
cell after each function that runs its public cases (`public_checks.py`, written beside it).
Nothing hidden is written: no hidden cases, no seed, no reference code.

\b
Example:
  grade release logistic_regression --output handout/
"""


@main.command(help=RELEASE_HELP)
@click.argument("assignment_id", metavar="ASSIGNMENT")
@click.option(
    "--output",
    "-o",
    "output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Directory to write into.",
)
def release(assignment_id: str, output: Path) -> None:
    """Write the student notebook and public checks."""
    try:
        built = build_release(load_assignment(assignment_id))
    except AssignmentError as exc:
        raise click.UsageError(str(exc)) from exc
    for path in built.write(output, assignment_id):
        click.echo(f"wrote {path}")


@main.command()
def doctor() -> None:
    """Show which sandbox protections this machine gives, and how to enable the rest.

    \b
    Example:
      grade doctor
    """
    try:
        findings = examine_machine()
    except (SandboxDied, RuntimeError, OSError) as exc:
        raise _fault(f"no sandbox could be started: {exc}") from exc
    click.echo(render_findings(findings), nl=False)
    sys.exit(0 if all(f.in_force for f in findings) else 1)


@main.command()
def assignments() -> None:
    """List the assignments this grader knows, with their graded functions and points."""
    try:
        found = list_assignments()
    except AssignmentError as exc:
        raise _fault(str(exc)) from exc
    for item in found:
        click.echo(f"{item.id}  ({_points(item.max_score)} points)  {item.title}")
        for task in item.tasks:
            click.echo(f"    {_points(task.points):>4}  {task.signature or task.function}")


SIMILARITY_HELP = """Find submissions of a graded batch whose graded functions are similar
beyond what the class shares, and write DIR/similarity.json.

DIR is the output folder of `grade batch`. No student code is run: the functions are read
from the submissions' cells and compared with the rest of the class. Each pair is worth a
look, not a conclusion.

\b
Example:
  grade similarity graded/
"""


@main.command(help=SIMILARITY_HELP)
@click.argument(
    "directory", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=Path)
)
def similarity(directory: Path) -> None:
    """Compare a batch's submissions and write similarity.json."""
    try:
        found = batch_similarity(directory)
    except NoResults as exc:
        raise click.UsageError(f"no stored results in {directory / 'results'}") from exc
    except AssignmentError as exc:
        raise _fault(str(exc)) from exc
    click.echo(f"wrote {write_similarity(directory, found.report)}")
    pairs, count = len(found.report.pairs), found.report.students
    click.echo(f"{pairs} pair{'' if pairs == 1 else 's'} worth a look among {count} submissions")
    if found.unreadable:
        click.echo(
            f"not compared (file gone or unreadable): {', '.join(found.unreadable)}", err=True
        )


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
    train: bool = True,
    gpu: bool = False,
) -> None:
    shared_zygote()  # start it now: its imports overlap with loading the submission and spec
    try:
        report = grade_submission(
            notebook,
            assignment,
            hidden_seed=hidden_seed,
            data_dir=data_dir,
            public_only=public_only,
            train=train,
            gpu=gpu,
            progress=lambda line: click.echo(line, err=True),
        )
    except UnknownAssignment as exc:
        raise click.UsageError(str(exc)) from exc
    except AssignmentError as exc:
        raise _fault(str(exc)) from exc
    color = output is None and fmt == "text" and sys.stdout.isatty()
    text = render(report, fmt, instructor=instructor, color=color)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(
            f"{_points(report.score)}/{_points(report.max_score)} - feedback written to {output}",
            err=True,
        )
    if report.status is SubmissionStatus.GRADER_ERROR:
        click.echo(f"grader fault (not the student's): {report.message}", err=True)
    sys.exit(_exit_code(report))


def _exit_code(report: GradeReport) -> int:
    if report.status is SubmissionStatus.GRADER_ERROR:
        return EXIT_GRADER_FAULT
    return EXIT_FULL_MARKS if report.full_marks else EXIT_POINTS_LOST


def _fault(message: str) -> click.exceptions.Exit:
    click.echo(f"grader fault (not the student's): {message}", err=True)
    return click.exceptions.Exit(EXIT_GRADER_FAULT)


def _points(value: float) -> str:
    return f"{value:g}"
