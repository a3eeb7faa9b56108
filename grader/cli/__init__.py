"""The `grade` command: parse, call the library, render, set the exit code. Nothing else.

Exit codes:
    0  graded, full marks
    1  graded, some points lost (including an unreadable or empty submission, scored 0)
    2  usage error (unknown option, missing file, unknown assignment)
    3  grader fault (a broken spec or reference, or an internal error): not the student's
"""

from __future__ import annotations

import click

from grader.cli.authoring import assignments, doctor, new, release, validate
from grader.cli.classes import batch, report, similarity
from grader.cli.gradescope import gradescope
from grader.cli.grading import check, submit


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


for command in (
    submit,
    check,
    batch,
    report,
    similarity,
    release,
    validate,
    new,
    assignments,
    doctor,
):
    main.add_command(command)
main.add_command(gradescope)

__all__ = ["main"]
