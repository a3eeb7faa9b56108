"""`python -m grader.gradescope [--root DIR]`: what the bundle's `run_autograder` starts for each
submission (the root defaults to GRADER_AUTOGRADER_ROOT, else /autograder)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from grader.gradescope.autograder import run_autograder
from grader.gradescope.config import DEFAULT_ROOT, ROOT_ENV

DESCRIPTION = (
    "Grade the notebook in ROOT/submission/ into ROOT/results/results.json (Gradescope's "
    "autograder format), with the bundle in ROOT/source/."
)


def main(argv: list[str] | None = None) -> int:
    """Run the autograder once; results.json is written whatever happens while grading."""
    parser = argparse.ArgumentParser(prog="python -m grader.gradescope", description=DESCRIPTION)
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(os.environ.get(ROOT_ENV) or DEFAULT_ROOT),
        help=f"Gradescope's folder (default: ${ROOT_ENV}, else {DEFAULT_ROOT})",
    )
    arguments = parser.parse_args(argv)
    run_autograder(arguments.root)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
