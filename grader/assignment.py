"""Assignment specs: `assignments/<id>/assignment.toml` plus the case generators in `cases.py`.

A spec names the graded functions, their points, tolerances and limits. Inputs are generated
grader-side: public cases from the spec's public seed (a student may see them), hidden cases
from a secret seed (`--hidden-seed`, `GRADER_HIDDEN_SEED`, or the spec's default), so the same
seed always gives the same cases for regrades. Nothing here is ever sent to the sandbox except
the inputs of a call.
"""

from __future__ import annotations

import copy
import importlib.util
import os
import tomllib
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from grader.checks.diagnosis import explains
from grader.checks.values import compare_values
from grader.report import Visibility
from grader.resources import assignments_dir, reference_solutions_dir

HIDDEN_SEED_ENV = "GRADER_HIDDEN_SEED"


class AssignmentError(Exception):
    """The assignment is unknown or its spec is malformed (an instructor's problem)."""


class UnknownAssignment(AssignmentError):
    """No assignment of that id, or none could be told from the notebook (a usage error)."""


@dataclass(frozen=True)
class CaseInput:
    """The arguments of one call, as a case generator returns them."""

    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    note: str = ""


def call(*args: Any, note: str = "", **kwargs: Any) -> CaseInput:
    """Build a `CaseInput`; the helper case generators use: `return call(X, Y, note="...")`."""
    return CaseInput(args=args, kwargs=kwargs, note=note)


@dataclass(frozen=True)
class Case:
    """A generated case of a task: its id, visibility and inputs."""

    case_id: str
    visibility: Visibility
    inputs: CaseInput


@dataclass(frozen=True)
class Mistake:
    """A known mistake and what to tell the student who makes it.

    Recognised by `variant`, a function that reproduces the mistake (the student's output
    matches the variant's), or by `detect(inputs, got) -> bool` for answers that are checked
    by property rather than by value (random initializations, masks).
    """

    task: str
    id: str
    message: str
    variant: Callable[..., Any] | None = None
    detect: Callable[[CaseInput, Any], bool] | None = None

    def matches(
        self, inputs: CaseInput, got: Any, rules: Any, expected: Any = None
    ) -> frozenset[str]:
        """Does the student's output `got` on `inputs` show this mistake? With the
        reference's `expected` answer, leaf by leaf (see `checks.diagnosis`): the mistake is
        named even when something else is wrong too. Returns the parts of the answer the
        mistake explains (empty: it does not match; "*": all of it)."""
        whole = frozenset({"*"})
        if self.detect is not None:
            return whole if self.detect(inputs, got) else frozenset()
        if self.variant is None:
            return frozenset()
        args, kwargs = copy.deepcopy((inputs.args, inputs.kwargs))
        variant = self.variant(*args, **kwargs)
        if expected is None:
            return whole if compare_values(variant, got, rules).ok else frozenset()
        return explains(expected, variant, got, rules)


@dataclass(frozen=True)
class Limits:
    """Resource limits for the sandbox (seconds and MiB)."""

    cell_seconds: float = 10.0
    notebook_seconds: float = 60.0
    call_seconds: float = 10.0
    memory_mb: int = 2048
    output_chars: int = 64_000
    # What the soft limits count: "cpu" seconds (a loaded machine does not change a verdict;
    # wall clock is a generous outer bound), or "wall" (TensorFlow, which runs many threads).
    clock: str = "cpu"


@dataclass(frozen=True)
class Task:
    """One graded function or application check, as the spec declares it."""

    name: str
    function: str
    title: str
    points: float
    kind: str = "compare"
    signature: str = ""
    public_cases: int = 1
    hidden_cases: int = 3
    generator: str = ""
    returns: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()
    rtol: float = 1e-6
    atol: float = 1e-8
    dtypes: dict[str, str] = field(default_factory=dict)
    call_seconds: float | None = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Assignment:
    """A loaded spec with its directory and case generators."""

    id: str
    title: str
    version: str
    description: str
    directory: Path
    tasks: tuple[Task, ...]
    limits: Limits
    public_seed: int
    hidden_seed: int
    helper_modules: tuple[str, ...] = ()
    # Modules older releases of the course imported under other names (`dnn_utils_v2`), or
    # that course notebooks import for ungraded cells (`init_utils`): provided in the sandbox
    # too, but not imported by the release notebook.
    provided_modules: tuple[str, ...] = ()
    imports: tuple[str, ...] = ("import numpy as np",)  # the release notebook's first lines

    @property
    def max_score(self) -> float:
        """Total points of all tasks."""
        return sum(task.points for task in self.tasks)

    def helper_files(self) -> list[Path]:
        """Non-secret helper modules copied into the sandbox (e.g. `lr_utils.py`)."""
        names = (*self.helper_modules, *self.provided_modules)
        return [self.directory / "helpers" / f"{name}.py" for name in names]


def list_assignments() -> list[Assignment]:
    """Every assignment shipped with the grader, sorted by id."""
    root = assignments_dir()
    ids = sorted(p.parent.name for p in root.glob("*/assignment.toml"))
    return [load_assignment(assignment_id) for assignment_id in ids]


def load_assignment(assignment_id: str, hidden_seed: int | None = None) -> Assignment:
    """Read and validate `assignments/<id>/assignment.toml`.

    Args:
        assignment_id: the directory name under `assignments/`.
        hidden_seed: overrides `GRADER_HIDDEN_SEED` and the spec's default.

    Raises:
        AssignmentError: unknown id or malformed spec.
    """
    directory = assignments_dir() / assignment_id
    spec_path = directory / "assignment.toml"
    if not spec_path.is_file():
        found = assignments_dir().glob("*/assignment.toml")
        known = ", ".join(sorted(p.parent.name for p in found))
        raise UnknownAssignment(f"unknown assignment {assignment_id!r} (known: {known})")
    try:
        spec = tomllib.loads(spec_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise AssignmentError(f"{spec_path}: {exc}") from exc
    try:
        return _build_assignment(spec, directory, hidden_seed)
    except (KeyError, TypeError, ValueError) as exc:
        raise AssignmentError(f"{spec_path}: invalid spec ({exc})") from exc


def _build_assignment(spec: dict[str, Any], directory: Path, hidden_seed: int | None) -> Assignment:
    if hidden_seed is None and os.environ.get(HIDDEN_SEED_ENV):
        hidden_seed = int(os.environ[HIDDEN_SEED_ENV])
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
    known = {key: value for key, value in raw.items() if key in _TASK_FIELDS}
    options = {key: value for key, value in raw.items() if key not in _TASK_FIELDS}
    known.setdefault("function", raw["name"])
    known.setdefault("generator", raw["name"])
    known.setdefault("title", known["function"])
    known["returns"] = tuple(known.get("returns", ()))
    known["uses"] = tuple(known.get("uses", ()))
    return Task(**known, options=options)


def load_cases_module(assignment: Assignment) -> ModuleType:
    """Import the assignment's `cases.py` (grader side only)."""
    return _import_file(f"grader_cases_{assignment.id}", assignment.directory / "cases.py")


def generate_cases(assignment: Assignment, task: Task, module: ModuleType) -> list[Case]:
    """Public cases from the public seed, then hidden cases from the hidden seed.

    Each case gets its own generator keyed by (seed, task name, index), so adding a task or a
    case never changes the others.
    """
    generator = getattr(module, task.generator)
    cases = []
    for visibility, seed, count in (
        (Visibility.PUBLIC, assignment.public_seed, task.public_cases),
        (Visibility.HIDDEN, assignment.hidden_seed, task.hidden_cases),
    ):
        for index in range(count):
            rng = np.random.default_rng([seed, zlib.crc32(task.name.encode()), index])
            inputs = generator(rng, index, visibility.value)
            cases.append(Case(f"{visibility.value}-{index + 1}", visibility, inputs))
    return cases


def load_reference(assignment: Assignment) -> ModuleType:
    """Import `reference_solutions/<id>.py` into the grader process (never the sandbox)."""
    path = reference_solutions_dir() / f"{assignment.id}.py"
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
