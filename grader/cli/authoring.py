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
from grader.resources import assignments_dir
from grader.sandbox.doctor import SandboxDied, examine_machine, render_findings
from grader.spec.load import list_assignments, load_assignment
from grader.spec.model import AssignmentError
from grader.spec.release import build_release

RELEASE_HELP = """Write the student notebook for ASSIGNMENT and its public checks into DIR.

The notebook has each graded function's signature and docstring with an empty body, and a
cell after each function that runs its public cases (`public_checks.py`, written beside it).
Nothing hidden is written: no hidden cases, no seed, no reference code.

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
