"""`grade assignments`, `grade release` and `grade doctor`: what can be graded, the student
handout, and this machine's sandbox."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from grader.cli.common import (
    assignments_dir_option,
    format_points,
    grader_fault,
)
from grader.resources import add_assignment_dirs, assignments_dir
from grader.sandbox.doctor import SandboxDied, examine_machine, render_findings
from grader.spec.load import list_assignments, load_assignment
from grader.spec.model import AssignmentError
from grader.spec.release import build_release
from grader.spec.scaffold import scaffold
from grader.spec.validate import validate_one, validation_table

RELEASE_HELP = """Write the student notebook for ASSIGNMENT and its public checks into DIR.

The notebook has each graded function's signature and docstring with an empty body, and a
cell after each function that runs its public cases (`public_checks.py`, written beside it).
The helper modules and data files the notebook loads (the assignment's `helpers/`) are
written beside it too, so the handout runs in any Jupyter kernel with numpy (and Keras for
the CNN assignments). Nothing hidden is written: no hidden cases, no seed, no reference code.

\b
Example:
  grade release logistic_regression --output handout/
"""


@click.command(help=RELEASE_HELP)
@assignments_dir_option
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


@click.command()
def doctor() -> None:
    """Show which sandbox protections this machine gives, and how to enable the rest.

    \b
    Example:
      grade doctor
    """
    try:
        findings = examine_machine()
    except (SandboxDied, RuntimeError, OSError) as exc:
        raise grader_fault(f"no sandbox could be started: {exc}") from exc
    click.echo(render_findings(findings), nl=False)
    sys.exit(0 if all(f.in_force for f in findings) else 1)


@click.command()
@assignments_dir_option
def assignments() -> None:
    """List the assignments this grader knows: where each comes from, and its graded tasks
    with their points (task name, kind, then the function's signature).

    \b
    Examples:
      grade assignments
      grade assignments --assignments-dir mycourse/
    """
    try:
        found = list_assignments()
    except AssignmentError as exc:
        raise grader_fault(str(exc)) from exc
    for item in found:
        where = "bundled" if item.directory.parent == assignments_dir() else str(item.directory)
        shadowed = (
            f"; takes the place of {', '.join(map(str, item.shadows))}" if item.shadows else ""
        )
        click.echo(f"{item.id}  ({format_points(item.max_score)} points)  {item.title}")
        click.echo(f"    from: {where}{shadowed}")
        width = max(len(task.name) for task in item.tasks)
        for task in item.tasks:
            what = task.signature or task.function
            click.echo(
                f"    {format_points(task.points):>4}  {task.name:<{width}}  {task.kind:<18} {what}"
            )


VALIDATE_HELP = """Check assignments before students see them: the spec, the reference, float32,
the known mistakes and the release.

\b
For each assignment:
  spec       it loads strictly, and what it names exists (generators, checks, functions)
  reference  the reference gets full marks on public and hidden cases, for several seeds
  float32    a float32 copy of the reference gets full marks too
  mistakes   each known mistake loses points on its task's hidden cases, and is named
  release    the student release, filled with the reference, gets full marks in the sandbox

\b
Examples:
  grade validate logistic_regression
  grade validate --all
  grade validate softmax --assignments-dir mycourse/

Exit codes: 0 every check passed, 1 some check failed, 2 usage error.
"""


@click.command(help=VALIDATE_HELP)
@click.argument("assignment_ids", metavar="[ID]...", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Every assignment the grader can find.")
@click.option(
    "--train", is_flag=True, help="Run Keras training checks in the release check (slow)."
)
@assignments_dir_option
def validate(assignment_ids: tuple[str, ...], everything: bool, train: bool) -> None:
    """Validate assignments."""
    if everything:
        try:
            assignment_ids = tuple(item.id for item in list_assignments())
        except AssignmentError as exc:
            raise grader_fault(str(exc)) from exc
    if not assignment_ids:
        raise click.UsageError("name the assignments to check, or --all")
    findings = []
    for assignment_id in assignment_ids:
        click.echo(f"checking {assignment_id} ...", err=True)
        findings += validate_one(assignment_id, train)
    click.echo(validation_table(findings))
    sys.exit(0 if all(finding.ok for finding in findings) else 1)


NEW_HELP = """Make a small, working assignment ID in the folder DIR to start from: one graded
function with its reference solution, one known mistake, case generators and the student
release, with comments that explain each part.

\b
Then:
  grade validate ID --assignments-dir DIR          # the safety net: run it after each change
  grade release ID --assignments-dir DIR -o DIR/ID/release
  grade submit notebook.ipynb -a ID --assignments-dir DIR

\b
Example:
  grade new softmax --dir mycourse/
"""


@click.command(help=NEW_HELP)
@click.argument("assignment_id", metavar="ID")
@click.option(
    "--dir",
    "root",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder of your assignments (made if missing).",
)
def new(assignment_id: str, root: Path) -> None:
    """Scaffold an assignment."""
    try:
        files = scaffold(assignment_id, root)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    folder = root / assignment_id
    if folder.exists():
        raise click.UsageError(f"{folder} already exists")
    for path in files.write(folder):
        click.echo(f"wrote {path}")
    add_assignment_dirs([root])
    try:
        release = build_release(load_assignment(assignment_id))
    except AssignmentError as exc:
        raise grader_fault(str(exc)) from exc
    for path in release.write(folder / "release", assignment_id):
        click.echo(f"wrote {path}")
    click.echo(f"next: grade validate {assignment_id} --assignments-dir {root}")
