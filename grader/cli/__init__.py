"""The `grade` command: parse, call the library, render, set the exit code. Nothing else.

Exit codes:
    0  graded, full marks
    1  graded, some points lost (including an unreadable or empty submission, scored 0)
    2  usage error (unknown option, missing file, unknown assignment)
    3  grader fault (a broken spec or reference, or an internal error): not the student's
"""

from __future__ import annotations

import importlib

import click

# Each command's module is imported only when that command runs (`grade submit` does not pay
# for the batch, similarity or authoring code), in the order `grade --help` lists them.
COMMANDS: dict[str, str] = {
    "submit": "grader.cli.grading",
    "check": "grader.cli.grading",
    "batch": "grader.cli.classes",
    "report": "grader.cli.classes",
    "similarity": "grader.cli.classes",
    "gradescope": "grader.cli.gradescope",
    "release": "grader.cli.authoring",
    "validate": "grader.cli.authoring",
    "new": "grader.cli.authoring",
    "assignments": "grader.cli.authoring",
    "doctor": "grader.cli.authoring",
}
# Commands that grade in this process: the sandbox zygote starts before their imports, so
# that its own imports (numpy, IPython) run alongside the grader's.
GRADING_COMMANDS = frozenset({"submit", "check"})


class LazyGroup(click.Group):
    """A group that imports a command's module when the command is looked up."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMANDS.get(cmd_name)
        if module is None:
            return None
        if cmd_name in GRADING_COMMANDS and not ctx.resilient_parsing:
            from grader.sandbox.zygote import shared_zygote

            shared_zygote()
        command = getattr(importlib.import_module(module), cmd_name)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="grader")
def main() -> None:
    """Autograder for neural-network course notebooks: sandboxed, fair, and clear.

    \b
    Examples:
      grade assignments
      grade submit notebook.ipynb --assignment logistic_regression
      grade check notebook.ipynb
    """


__all__ = ["main"]
