"""`grade gradescope`: write Gradescope's autograder bundle for one assignment."""

from __future__ import annotations

from pathlib import Path

import click

from grader.cli.common import assignments_dir_option, format_points, grader_fault
from grader.gradescope.bundle import BundleError, BundleOptions, build_bundle
from grader.gradescope.config import CONFIG_NAME
from grader.spec.model import AssignmentError, UnknownAssignment

GRADESCOPE_HELP = """Write Gradescope's autograder bundle for assignment ID.

The zip holds setup.sh and run_autograder (Gradescope's two scripts), the grader as a wheel
built from this checkout (or --wheel / --requirement), the hidden seed in grader_config.json,
and your own assignment's folder when it comes from --assignments-dir. On Gradescope,
run_autograder grades the notebook a student uploads and writes results.json: one test per
graded function, feedback in the student view.

\b
Examples:
  grade gradescope logistic_regression -o autograder.zip
  GRADER_HIDDEN_SEED=4711 grade gradescope keras_cnn -o cnn.zip --no-train
  grade gradescope my_hw --assignments-dir course/assignments -o my_hw.zip

\b
Upload: the assignment's "Configure Autograder" page, "Zip file upload", choose the zip, a
base image with Ubuntu 22.04 or later, then "Update Autograder". See the README.
"""

WRITTEN = "wrote {path}: {title} ({points} points), {what}"
WITH_WHEEL = "installs {installs}"
OWN_FOLDER = "; your assignment folder is inside"
SEED_DRAWN = (
    "hidden seed: drawn for this bundle, stored in its {config} (unzip -p {path} {config}) "
    "to regrade elsewhere with GRADER_HIDDEN_SEED"
)
SEED_GIVEN = "hidden seed: the one you gave, stored in the bundle's {config}"
NEXT_STEP = "next: upload it on the assignment's Configure Autograder page (see the README)"


@click.command(help=GRADESCOPE_HELP)
@assignments_dir_option
@click.argument("assignment")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("autograder.zip"),
    show_default=True,
    help="The zip to write.",
)
@click.option(
    "--hidden-seed",
    type=int,
    envvar="GRADER_HIDDEN_SEED",
    metavar="N",
    help="Seed of the hidden cases (env: GRADER_HIDDEN_SEED); default: a fresh random one.",
)
@click.option("--no-train", is_flag=True, help="Skip Keras training checks on Gradescope.")
@click.option(
    "--wheel",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A wheel of the grader to ship (default: build one from this checkout).",
)
@click.option(
    "--requirement",
    metavar="SPEC",
    help="Install the grader from this pip requirement instead of shipping a wheel "
    '(e.g. "grader[keras] @ git+https://...@v0.1.0").',
)
@click.option(
    "--data",
    "data_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Course data files (e.g. the cat/non-cat HDF5 files) to ship for application checks.",
)
def gradescope(
    assignment: str,
    output: Path,
    hidden_seed: int | None,
    no_train: bool,
    wheel: Path | None,
    requirement: str | None,
    data_dir: Path | None,
) -> None:
    """Build the bundle and say what is in it."""
    if wheel is not None and requirement is not None:
        raise click.UsageError("give --wheel or --requirement, not both")
    if wheel is not None and wheel.suffix != ".whl":
        raise click.UsageError(f"{wheel} is not a wheel (.whl)")
    options = BundleOptions(hidden_seed, not no_train, wheel, requirement, data_dir)
    try:
        bundle = build_bundle(assignment, output, options)
    except UnknownAssignment as exc:
        raise click.UsageError(str(exc)) from exc
    except (AssignmentError, BundleError) as exc:
        raise grader_fault(str(exc)) from exc
    what = WITH_WHEEL.format(installs=bundle.installs) + (
        OWN_FOLDER if bundle.own_assignment else ""
    )
    spec = bundle.assignment
    title = spec.title or spec.id
    click.echo(
        WRITTEN.format(path=output, title=title, points=format_points(spec.max_score), what=what)
    )
    seed = SEED_DRAWN if bundle.fresh_seed else SEED_GIVEN
    click.echo(seed.format(config=CONFIG_NAME, path=output))
    click.echo(NEXT_STEP)
