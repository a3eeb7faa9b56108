"""What every `grade` command shares: the exit codes and how a grader fault is reported."""

from __future__ import annotations

import click

EXIT_FULL_MARKS = 0
EXIT_POINTS_LOST = 1
EXIT_USAGE = 2
EXIT_GRADER_FAULT = 3


def grader_fault(message: str) -> click.exceptions.Exit:
    click.echo(f"grader fault (not the student's): {message}", err=True)
    return click.exceptions.Exit(EXIT_GRADER_FAULT)


def format_points(value: float) -> str:
    return f"{value:g}"
