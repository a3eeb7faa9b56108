"""`grade gradescope ID -o autograder.zip`: Gradescope's autograder bundle for one assignment.

Gradescope unpacks the zip into `/autograder/source/`, runs `setup.sh` once while it builds its
image and `run_autograder` for every submission (`gradescope-autograders.readthedocs.io`,
"Autograder Specifications"). The bundle holds, at its root:

- `setup.sh` and `run_autograder` (the scripts beside this module, executable);
- `requirements.txt`: what setup.sh installs: the grader's wheel shipped in `wheels/` (built
  from this checkout at bundle time, or given with `--wheel`), so the grader itself never comes
  from PyPI, or a pinned requirement (`--requirement`); with the `keras` extra when the
  assignment has Keras tasks;
- `grader_config.json`: the assignment, the hidden seed (given, or drawn fresh) and whether to
  train (`grader.gradescope.config`);
- `<id>/`: the assignment's folder when it is the instructor's own (`--assignments-dir`), its
  reference inside as `<id>/reference.py`; bundled assignments travel in the wheel;
- `data/`: the course's data files, with `--data`.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec
from pathlib import Path

from grader.gradescope.config import CONFIG_NAME, BundleConfig
from grader.resources import assignments_dir, source_checkout
from grader.spec.load import load_assignment, reference_path
from grader.spec.model import Assignment

SCRIPTS = ("setup.sh", "run_autograder")
SCRIPT_DIR = Path(__file__).resolve().parent
REQUIREMENTS = "requirements.txt"
WHEELS = "wheels"
DATA = "data"
KERAS_EXTRA = "keras"
SEED_LIMIT = 2**31  # hidden seeds drawn for a bundle: 0 <= seed < SEED_LIMIT
EXECUTABLE = 0o755
READABLE = 0o644
SKIPPED_PARTS = frozenset({"__pycache__", ".ipynb_checkpoints"})

NO_WHEEL = (
    "the grader is not running from a source checkout, so no wheel can be built: pass "
    "--wheel FILE (a wheel of this grader: `pip wheel --no-deps .` in its checkout) or "
    "--requirement SPEC (a pip requirement setup.sh installs)"
)
WHEEL_FAILED = "building the grader's wheel failed: {error}"


class BundleError(Exception):
    """The bundle cannot be made (no wheel to ship, or building one failed)."""


@dataclass(frozen=True)
class BundleOptions:
    """What goes into a bundle beyond the assignment.

    Attributes:
        hidden_seed: the hidden cases' seed; None draws a fresh random one.
        train: run Keras training checks on Gradescope.
        wheel: a wheel of the grader to ship; None builds one from this checkout.
        requirement: a pip requirement for the grader, shipped instead of a wheel.
        data_dir: the course's data files, copied into the bundle's `data/`.
    """

    hidden_seed: int | None = None
    train: bool = True
    wheel: Path | None = None
    requirement: str | None = None
    data_dir: Path | None = None


@dataclass(frozen=True)
class Bundle:
    """A written bundle, described for the instructor."""

    path: Path
    assignment: Assignment
    installs: str  # the requirement line setup.sh installs
    own_assignment: bool  # the instructor's assignment folder is inside
    fresh_seed: bool  # the hidden seed was drawn for this bundle


def build_bundle(assignment_id: str, output: Path, options: BundleOptions) -> Bundle:
    """Write the autograder zip for one assignment.

    Args:
        assignment_id: the assignment (bundled, or in an `--assignments-dir` folder).
        output: the zip to write (replaced if it exists).
        options: seed, training, how the grader is installed, course data.

    Returns:
        What was written.

    Raises:
        UnknownAssignment: no such assignment.
        AssignmentError: its spec is broken.
        BundleError: there is no wheel to ship and none can be built.
    """
    assignment = load_assignment(assignment_id, hidden_seed=options.hidden_seed)
    seed = options.hidden_seed
    if seed is None:
        seed = secrets.randbelow(SEED_LIMIT)
    config = BundleConfig(
        assignment.id,
        seed,
        options.train,
        DATA if options.data_dir else None,
        _grader_version(),
    )
    own = assignment.directory.parent != assignments_dir()
    with tempfile.TemporaryDirectory(prefix="grader-gradescope-") as scratch:
        wheel = _wheel(options, Path(scratch))
        installs = _requirement(wheel, options.requirement, _uses_keras(assignment))
        members = _members(assignment, own, wheel, options.data_dir)
        texts = {CONFIG_NAME: config.to_json(), REQUIREMENTS: installs + "\n"}
        _write_zip(output, members, texts)
    return Bundle(output, assignment, installs, own, options.hidden_seed is None)


def _uses_keras(assignment: Assignment) -> bool:
    return any(task.kind.startswith("keras_") for task in assignment.tasks)


def _wheel(options: BundleOptions, scratch: Path) -> Path | None:
    """The wheel to ship: the one given, or one built from this checkout (none with a
    requirement)."""
    if options.requirement is not None:
        return None
    if options.wheel is not None:
        return options.wheel
    checkout = source_checkout()
    if checkout is None:
        raise BundleError(NO_WHEEL)
    return build_wheel(checkout, scratch)


def build_wheel(checkout: Path, into: Path) -> Path:
    """Build the grader's wheel from its checkout with pip (offline when hatchling, the build
    backend, is installed here; else pip fetches it).

    Raises:
        BundleError: pip failed.
    """
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir"]
    command += [str(into), str(checkout)]
    if find_spec("hatchling") is not None:
        command.insert(4, "--no-build-isolation")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    built = sorted(into.glob("grader-*.whl"))
    if done.returncode != 0 or not built:
        error = (done.stderr.strip().splitlines() or [f"pip exited {done.returncode}"])[-1]
        raise BundleError(WHEEL_FAILED.format(error=error))
    return built[-1]


def _requirement(wheel: Path | None, requirement: str | None, keras: bool) -> str:
    """The line of requirements.txt (setup.sh installs it from the bundle's folder)."""
    if wheel is None:
        assert requirement is not None
        return requirement
    extra = f"[{KERAS_EXTRA}]" if keras else ""
    return f"./{WHEELS}/{wheel.name}{extra}"


def _members(
    assignment: Assignment, own: bool, wheel: Path | None, data_dir: Path | None
) -> dict[str, tuple[Path, int]]:
    """Every file copied into the bundle: its name there, where it comes from, its mode."""
    members = {name: (SCRIPT_DIR / name, EXECUTABLE) for name in SCRIPTS}
    if wheel is not None:
        members[f"{WHEELS}/{wheel.name}"] = (wheel, READABLE)
    if own:
        members |= _folder(assignment.directory, assignment.id)
        reference = reference_path(assignment)
        if not reference.is_relative_to(assignment.directory):  # the bundled layout
            members[f"{assignment.id}/reference.py"] = (reference, READABLE)
    if data_dir is not None:
        members |= _folder(data_dir, DATA)
    return members


def _folder(folder: Path, name: str) -> dict[str, tuple[Path, int]]:
    """A folder's regular files (not its caches or hidden files), under `name/`."""
    found = {}
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if path.is_symlink() or not path.is_file():
            continue
        if any(part.startswith(".") or part in SKIPPED_PARTS for part in parts):
            continue
        found["/".join((name, *parts))] = (path, READABLE)
    return found


def _write_zip(output: Path, members: dict[str, tuple[Path, int]], texts: dict[str, str]) -> None:
    """The zip, written beside `output` and renamed over it (never half a bundle)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.{secrets.token_hex(4)}.tmp")
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as bundle:
            for name, (path, mode) in members.items():
                info = zipfile.ZipInfo.from_file(path, name)
                info.external_attr = (0o100000 | mode) << 16  # a regular file with this mode
                info.compress_type = zipfile.ZIP_DEFLATED
                with path.open("rb") as source, bundle.open(info, "w") as target:
                    shutil.copyfileobj(source, target)
            for name, text in texts.items():
                info = zipfile.ZipInfo(name)  # dated 1980-01-01, as zip's epoch
                info.external_attr = (0o100000 | READABLE) << 16
                bundle.writestr(info, text, zipfile.ZIP_DEFLATED)
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)


def _grader_version() -> str:
    try:
        return version("grader")
    except PackageNotFoundError:  # a source checkout that was never installed
        return "unknown"
