"""Reading specs: `assignments/<id>/assignment.toml`, its `cases.py` and
`reference_solutions/<id>.py` (the last two imported into the grader process only, never the
sandbox).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from grader.resources import assignment_roots, assignments_dir, reference_solutions_dir
from grader.spec.model import (
    Assignment,
    AssignmentError,
    Limits,
    Mistake,
    Task,
    UnknownAssignment,
)
from grader.spec.options import (
    OPTIONS_BY_KIND,
    SpecKeyError,
    build_options,
    option_names,
    unknown_key,
)

HIDDEN_SEED_ENV = "GRADER_HIDDEN_SEED"


@dataclass(frozen=True)
class LoadedAssignment:
    """An assignment ready to grade with: its spec, its case generators, its reference
    solution and known mistakes, loaded once (grader side only) and shared by every
    submission a process grades."""

    assignment: Assignment
    cases_module: ModuleType
    reference: ModuleType
    mistakes: tuple[Mistake, ...]


_LOADED: dict[tuple[object, ...], LoadedAssignment] = {}


def load_for_grading(assignment_id: str, hidden_seed: int | None = None) -> LoadedAssignment:
    """The assignment with its cases module and reference, loaded on first use in this
    process and reused after (a batch worker loads each assignment once).

    Raises:
        AssignmentError: unknown id, malformed spec, or a reference that cannot be imported.
    """
    assignment = load_assignment(assignment_id, hidden_seed=hidden_seed)
    files = (assignment.directory / "assignment.toml", assignment.directory / "cases.py")
    changed = tuple(_mtime(path) for path in (*files, reference_path(assignment)))
    key = (assignment.id, str(assignment.directory), assignment.hidden_seed, changed)
    if key not in _LOADED:
        reference = load_reference(assignment)
        _LOADED[key] = LoadedAssignment(
            assignment,
            load_cases_module(assignment),
            reference,
            tuple(getattr(reference, "MISTAKES", ())),
        )
    return _LOADED[key]


def list_assignments() -> list[Assignment]:
    """Every assignment the grader can find (the instructor's folders first, then the
    bundled ones), sorted by id; where two folders have the same id, the first wins."""
    ids = sorted({p.parent.name for root in assignment_roots() for p in _specs(root)})
    return [load_assignment(assignment_id) for assignment_id in ids]


def _mtime(path: Path) -> int:
    """When a file last changed (so an edited assignment is loaded again), or -1."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


def _specs(root: Path) -> list[Path]:
    return sorted(root.glob("*/assignment.toml")) if root.is_dir() else []


def find_assignment(assignment_id: str) -> tuple[Path, list[Path]]:
    """The folder of an assignment, and the folders of others of the same id it shadows.

    Raises:
        UnknownAssignment: no folder has it.
    """
    found = [
        root / assignment_id
        for root in assignment_roots()
        if (root / assignment_id / "assignment.toml").is_file()
    ]
    if not found or "/" in assignment_id or assignment_id.startswith("."):
        known = sorted({p.parent.name for root in assignment_roots() for p in _specs(root)})
        raise UnknownAssignment(f"unknown assignment {assignment_id!r} (known: {', '.join(known)})")
    return found[0], found[1:]


def load_assignment(assignment_id: str, hidden_seed: int | None = None) -> Assignment:
    """Read and validate `assignments/<id>/assignment.toml`.

    Args:
        assignment_id: the directory name under `assignments/`.
        hidden_seed: overrides `GRADER_HIDDEN_SEED` and the spec's default.

    Raises:
        AssignmentError: unknown id or malformed spec.
    """
    directory, shadowed = find_assignment(assignment_id)
    spec_path = directory / "assignment.toml"
    try:
        spec = tomllib.loads(spec_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise AssignmentError(f"{spec_path}: {exc}") from exc
    try:
        assignment = _build_assignment(spec, directory, hidden_seed)
    except SpecKeyError as exc:
        raise AssignmentError(f"{spec_path}: {exc}") from exc
    except KeyError as exc:
        raise AssignmentError(f"{spec_path}: invalid spec (missing {exc})") from exc
    except (TypeError, ValueError) as exc:
        raise AssignmentError(f"{spec_path}: invalid spec ({exc})") from exc
    if assignment.id != assignment_id:
        raise AssignmentError(f"{spec_path}: its id is {assignment.id!r}, its folder's name not")
    return dataclasses.replace(assignment, shadows=tuple(shadowed))


# The keys an assignment.toml may have at its top level and under [limits].
SPEC_KEYS = (
    "id",
    "title",
    "version",
    "description",
    "public_seed",
    "hidden_seed",
    "helper_modules",
    "provided_modules",
    "imports",
    "limits",
    "tasks",
)
LIMIT_KEYS = tuple(f.name for f in dataclasses.fields(Limits))


def _build_assignment(spec: dict[str, Any], directory: Path, hidden_seed: int | None) -> Assignment:
    if hidden_seed is None and os.environ.get(HIDDEN_SEED_ENV):
        hidden_seed = int(os.environ[HIDDEN_SEED_ENV])
    _check_keys(spec, SPEC_KEYS, "top level")
    _check_keys(spec.get("limits", {}), LIMIT_KEYS, "[limits]")
    tasks = tuple(_build_task(raw) for raw in spec["tasks"])
    names = [task.name for task in tasks]
    if len(set(names)) != len(names):
        raise ValueError("task names must be unique")
    return Assignment(
        id=spec["id"],
        title=spec["title"],
        version=str(spec["version"]),
        description=spec.get("description", ""),
        directory=directory,
        tasks=tasks,
        limits=Limits(**spec.get("limits", {})),
        public_seed=int(spec.get("public_seed", 0)),
        hidden_seed=int(hidden_seed if hidden_seed is not None else spec["hidden_seed"]),
        helper_modules=tuple(spec.get("helper_modules", ())),
        provided_modules=tuple(spec.get("provided_modules", ())),
        imports=tuple(spec.get("imports", ("import numpy as np",))),
    )


_TASK_FIELDS = {
    "name",
    "function",
    "title",
    "points",
    "kind",
    "signature",
    "public_cases",
    "hidden_cases",
    "generator",
    "returns",
    "uses",
    "rtol",
    "atol",
    "dtypes",
    "call_seconds",
}


def _build_task(raw: dict[str, Any]) -> Task:
    """A task from its table: its own fields, then the options of its kind (strictly: an
    unknown key is an error naming the closest known one)."""
    known = {key: value for key, value in raw.items() if key in _TASK_FIELDS}
    rest = {key: value for key, value in raw.items() if key not in _TASK_FIELDS}
    kind = str(raw.get("kind", "compare"))
    where = f"task {raw.get('name', '?')!r}"
    if kind in OPTIONS_BY_KIND:
        for key in rest:
            if key not in option_names(kind):
                raise unknown_key(key, (*sorted(_TASK_FIELDS), *option_names(kind)), where)
    known.setdefault("function", raw["name"])
    known.setdefault("generator", raw["name"])
    known.setdefault("title", known["function"])
    known["returns"] = tuple(known.get("returns", ()))
    known["uses"] = tuple(known.get("uses", ()))
    return Task(**known, options=build_options(kind, rest, where))


def _check_keys(table: dict[str, Any], known: tuple[str, ...], where: str) -> None:
    for key in table:
        if key not in known:
            raise unknown_key(key, known, where)


def load_cases_module(assignment: Assignment) -> ModuleType:
    """Import the assignment's `cases.py` (grader side only)."""
    return _import_file(f"grader_cases_{assignment.id}", assignment.directory / "cases.py")


def reference_path(assignment: Assignment) -> Path:
    """Where an assignment's reference solution is: `<id>/reference.py` in its folder, else
    `reference_solutions/<id>.py` beside the folder of assignments (the bundled layout)."""
    own = assignment.directory / "reference.py"
    if own.is_file():
        return own
    if assignment.directory.parent == assignments_dir():
        return reference_solutions_dir() / f"{assignment.id}.py"
    return assignment.directory.parent.parent / "reference_solutions" / f"{assignment.id}.py"


def load_reference(assignment: Assignment) -> ModuleType:
    """Import the assignment's reference solution into the grader process (never the
    sandbox)."""
    path = reference_path(assignment)
    if not path.is_file():
        raise AssignmentError(f"no reference solution for {assignment.id!r} at {path}")
    return _import_file(f"grader_reference_{assignment.id}", path)


def _import_file(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise AssignmentError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
