"""`grade batch`, `grade report` and `grade similarity`: a whole class, its gradebooks and
class report."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from grader.batch.class_report import write_class_report
from grader.batch.discover import DiscoveryError
from grader.batch.files import OutputError
from grader.batch.gradebook import write_gradebooks
from grader.batch.names import escape_text
from grader.batch.run import BatchOptions, describe, run_batch
from grader.batch.store import load_all, rerender
from grader.cli.common import (
    EXIT_GRADER_FAULT,
    assignments_dir_option,
    grader_fault,
)
from grader.similarity.batch import (
    LEFT_OUT,
    SIMILARITY_JSON,
    ClassSimilarity,
    NoResults,
    class_similarity,
    stored_similarity,
    write_similarity,
)
from grader.spec.model import AssignmentError, UnknownAssignment

BATCH_HELP = """Grade every submission in SUBMISSIONS: feedback, gradebooks and a class report.

SUBMISSIONS is a directory of notebooks (student = file name), a directory of student folders
(student = folder name), or an LMS download (a Canvas or Moodle zip, or the unpacked folder):
Canvas names like `doejane_12345_67890_hw1.ipynb`, Moodle folders like
`Jane Doe_12345_assignsubmission_file_/`. Anything else is graded under its file name. When a
student has several files, the one named like the assignment is graded (else the newest), and
the summary says so.

Writes into DIR: results/<student>.json (full report); feedback/<student>.html and .md (what
the student may see), feedback/<student>.ipynb (their own notebook with the feedback beside
each graded function) and feedback/<student>~notebook.html (that notebook as a page);
submitted/ (a copy of each file graded, to re-render from); gradebook.csv, gradebook_lms.csv
(in the import format of the download's LMS), similarity.json (pairs of submissions similar
beyond what the class shares; not with --no-similarity) and report.html (the class report).
Every file is written atomically.
Rerunning skips submissions that are unchanged (same bytes, assignment version, seed and
training setting), so a killed run resumes; --force regrades all.

\b
Examples:
  grade batch submissions/ -a logistic_regression -o graded/
  grade batch canvas_download.zip -a keras_cnn -o graded/ --jobs 2 --no-train
  grade batch submissions/ -a deep_net -o graded/ --executor dask --scheduler tcp://10.0.0.5:8786

Exit codes: 0 every submission has a result, 2 usage error, 3 the grader itself failed on
some submission (listed in the class report; rerunning retries them).
"""


@click.command(help=BATCH_HELP)
@assignments_dir_option
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
@click.option(
    "--all-cells",
    is_flag=True,
    help="Run every cell (default: only the cells grading needs; the others are listed in "
    "the instructor view).",
)
@click.option("--gpu", is_flag=True, envvar="GRADER_ALLOW_GPU", help="Allow a GPU for training.")
@click.option(
    "--hidden-seed",
    type=int,
    envvar="GRADER_HIDDEN_SEED",
    metavar="N",
    help="Seed of the hidden cases (env: GRADER_HIDDEN_SEED).",
)
@click.option(
    "--no-similarity",
    is_flag=True,
    help="Do not compare the submissions' code for likely copies (similarity.json and the "
    "report's section).",
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
    all_cells: bool,
    gpu: bool,
    hidden_seed: int | None,
    no_similarity: bool,
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
        all_cells=all_cells,
        similarity=not no_similarity,
    )
    try:
        summary = run_batch(submissions, options)
    except UnknownAssignment as exc:
        raise click.UsageError(str(exc)) from exc
    except AssignmentError as exc:
        raise grader_fault(str(exc)) from exc
    except (DiscoveryError, OutputError) as exc:
        raise click.UsageError(escape_text(str(exc))) from exc
    click.echo(describe(summary, output), nl=False)
    sys.exit(EXIT_GRADER_FAULT if summary.faults else 0)


REPORT_HELP = """Re-render feedback, gradebooks and the class report in DIR from stored results.

Runs no student code: use it after editing a template, or to rebuild a report. When
DIR/similarity.json is there (grade batch wrote it), the similarity check is run again on the
stored results, so that it and the report's section match them; --no-similarity leaves the
section out.

\b
Example:
  grade report graded/
"""


@click.command(help=REPORT_HELP)
@assignments_dir_option
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--no-similarity", is_flag=True, help="Leave the similar submissions out.")
def report(directory: Path, no_similarity: bool) -> None:
    """Re-render a batch's outputs."""
    directory = directory.resolve()
    try:
        stored = load_all(directory)
        if not stored:
            raise click.UsageError(f"no stored results in {escape_text(str(directory))}/results")
        rerender(directory, stored)
        again = not no_similarity and (directory / SIMILARITY_JSON).is_file()
        similarity = class_similarity(directory, stored) if again else None
        outputs = [
            *write_gradebooks(directory, stored),
            write_class_report(directory, stored, similarity),
        ]
    except OutputError as exc:
        raise click.UsageError(escape_text(str(exc))) from exc
    if similarity is not None and similarity.path is not None:
        outputs.append(similarity.path)
    for path in outputs:
        click.echo(f"wrote {escape_text(str(path))}")
    click.echo(f"re-rendered the feedback of {len(stored)} submissions")


SIMILARITY_HELP = """Find submissions of a graded batch whose graded functions are similar
beyond what the class shares, and write DIR/similarity.json and DIR/report.html with its
section (grade batch does this at the end unless --no-similarity).

DIR is the output folder of `grade batch`. No student code is run: the functions are read
from the submissions' cells and compared with the rest of the class. Each pair is worth a
look, not a conclusion.

\b
Example:
  grade similarity graded/
"""


@click.command(help=SIMILARITY_HELP)
@click.argument(
    "directory", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=Path)
)
def similarity(directory: Path) -> None:
    """Compare a batch's submissions and write similarity.json and the class report."""
    directory = directory.resolve()
    try:
        stored = load_all(directory)
        if not stored:
            raise NoResults(str(directory))
        found = stored_similarity(stored)
        path = write_similarity(directory, found.report)
        note = ", ".join(escape_text(student) for student in found.unreadable)
        shown = ClassSimilarity(found.report, LEFT_OUT.format(students=note) if note else "")
        report_path = write_class_report(directory, stored, shown)
    except NoResults as exc:
        raise click.UsageError(f"no stored results in {directory / 'results'}") from exc
    except AssignmentError as exc:
        raise grader_fault(str(exc)) from exc
    except OutputError as exc:
        raise click.UsageError(escape_text(str(exc))) from exc
    click.echo(f"wrote {escape_text(str(path))}")
    click.echo(f"wrote {escape_text(str(report_path))}")
    pairs, count = len(found.report.pairs), found.report.students
    click.echo(f"{pairs} pair{'' if pairs == 1 else 's'} worth a look among {count} submissions")
    if found.unreadable:
        click.echo(f"not compared (nothing graded, or no code stored): {note}", err=True)
