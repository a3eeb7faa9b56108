"""What every `grade` command shares: the exit codes, how a grader fault is reported, and the
option that adds the instructor's own assignment folders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from grader.resources import ASSIGNMENTS_PATH_ENV, add_assignment_dirs

F = TypeVar("F", bound=Callable[..., Any])

EXIT_FULL_MARKS = 0
EXIT_POINTS_LOST = 1
EXIT_USAGE = 2
EXIT_GRADER_FAULT = 3


def grader_fault(message: str) -> click.exceptions.Exit:
    """Say on stderr that the grader failed (never the student), and exit with 3."""
    click.echo(f"grader fault (not the student's): {message}", err=True)
    return click.exceptions.Exit(EXIT_GRADER_FAULT)


def _use_assignment_dirs(context: click.Context, parameter: Any, value: tuple[Path, ...]) -> None:
    if value:
        add_assignment_dirs(list(value))


def assignments_dir_option(function: F) -> F:
    """`--assignments-dir DIR` (repeatable): folders of the instructor's own assignments,
    searched before the bundled ones (an id found there shadows a bundled one)."""
    option = click.option(
        "--assignments-dir",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        multiple=True,
        expose_value=False,
        is_eager=True,
        callback=_use_assignment_dirs,
        help=f"A folder of your own assignments, searched first (repeatable; env: "
        f"{ASSIGNMENTS_PATH_ENV}, folders separated by ':').",
    )
    return option(function)


def format_points(value: float) -> str:
    """Points as the CLI prints them: 2.5, 3."""
    return f"{value:g}"
