"""A generated class of `logistic_regression` notebooks with planted copies, for the similarity
check's tests and benchmark.

Independent students each write their own correct solution of `sigmoid`, `propagate`,
`optimize` and `predict`. A solution is a set of choices, drawn with weights that make the
course's own way the most popular (as in a real class, where most students write
`np.dot(w.T, X)` and `/ m`):

- per statement, one of several styles (`np.dot` / `@` / `np.matmul` / `.dot`, `1 / m *` or
  `/ m` or `np.mean`, a loop or a vectorized expression, a helper variable or not, ...);
- the order of independent statements (the course's order or another valid one);
- variable names (mostly the course's `A`, `dw`, `cost`; sometimes other or odd names);
- comments (mostly the common ones, sometimes a personal one), docstring kept or not.

Planted copies take another student's choices and disguise them:

- `rename`: every variable renamed (comments kept or dropped);
- `reorder`: independent statements in another valid order;
- `comments`: personal comments and `print` calls added;
- `one-function`: `propagate` copied, the rest their own (the function that leaves the most
  room for a personal solution: a copy of `optimize` alone, written the way most of the class
  writes it, cannot be told from independent work by any method);
- `mixed`: renamed, reordered and commented at once;
- `cluster`: two students copy the same third one (rename; reorder with prints): three pairs.

`generate_class(size, seed)` returns the code (student -> function -> source), the notebook cells,
and the truth: the planted pairs.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import combinations
from pathlib import Path

from similarity_styles import FUNCTIONS, SPECS, FunctionSpec, Slot, derived_names

from grader.similarity import extract_functions

RELEASE = (
    Path(__file__).resolve().parents[1]
    / "assignments"
    / "logistic_regression"
    / "release"
    / "logistic_regression.ipynb"
)
PLACEHOLDER = "    raise NotImplementedError()"
MARKER = "    # YOUR CODE HERE"

PLANTS_PER_60 = {"rename": 3, "reorder": 3, "comments": 3, "one-function": 3, "mixed": 2}
CLUSTERS_PER_60 = 1
VERBS = (
    "compute",
    "get",
    "apply",
    "find",
    "take",
    "build",
    "do",
    "make",
    "update",
    "form",
    "calc",
    "use",
)
OBJECTS = (
    "gradient",
    "activations",
    "loss",
    "errors",
    "weights",
    "bias",
    "result",
    "values",
    "output",
    "update",
)
QUALIFIERS = (
    "here",
    "now",
    "first",
    "quickly",
    "carefully",
    "vectorised",
    "elementwise",
    "again",
    "below",
    "properly",
)
ODD_SUFFIXES = (
    "tmp",
    "new",
    "mine",
    "val",
    "x2",
    "final",
    "cur",
    "out",
    "res",
    "buf",
    "ok",
    "this",
    "my",
    "v2",
    "alt",
    "copy",
    "hold",
    "step",
    "acc",
    "sum",
    "store",
    "keep",
    "now",
    "fin",
    "local",
    "part",
    "big",
    "ret",
    "o",
    "calc",
    "test",
    "main",
    "base",
    "aux",
    "raw",
    "next",
    "the",
    "a",
    "b",
)
PRINTS = ("print({first}.shape)", "print('debug', {first})", "print({first})")


@dataclass
class Solution:
    """One student's choices for one function."""

    function: str
    picks: dict[str, int]
    order: dict[str, list[str]]
    names: dict[str, str]
    comments: dict[str, str] = field(default_factory=dict)
    prints: dict[str, str] = field(default_factory=dict)
    docstring: bool = True
    marker: bool = True


@dataclass(frozen=True)
class GeneratedClass:
    """A class with planted copies.

    Attributes:
        code: student -> function -> source.
        cells: student -> the notebook's code cells.
        copies: the planted pairs (each a frozenset of two students).
        plants: copying student -> the kind of disguise.
    """

    code: dict[str, dict[str, str]]
    cells: dict[str, list[str]]
    copies: frozenset[frozenset[str]]
    plants: dict[str, str]

    @property
    def independent(self) -> set[str]:
        """Students who wrote every function themselves (planted sources included)."""
        return set(self.code) - set(self.plants)


def generate_class(size: int = 60, seed: int = 0) -> GeneratedClass:
    """A class of `size` students, about a quarter of whom copy (see the module docstring)."""
    rng = random.Random(seed)
    scale = size / 60
    kinds = [k for k, n in PLANTS_PER_60.items() for _ in range(max(1, round(n * scale)))]
    clusters = max(1, round(CLUSTERS_PER_60 * scale))
    copiers = len(kinds) + 2 * clusters
    names = [f"student{i:04d}" for i in range(size)]
    rng.shuffle(names)
    own = names[: size - copiers]
    work = {s: {f: draw_solution(SPECS[f], rng) for f in FUNCTIONS} for s in own}
    sources = rng.sample(own, len(kinds) + clusters)
    copiers_left = names[size - copiers :]
    plants: dict[str, str] = {}
    copies: set[frozenset[str]] = set()
    for kind, source in zip(kinds, sources, strict=False):
        student = copiers_left.pop()
        work[student] = disguise(work[source], kind, rng)
        plants[student] = kind
        copies.add(frozenset((source, student)))
    for source in sources[len(kinds) :]:
        group = [source]
        for kind in ("rename", "reorder-prints"):
            student = copiers_left.pop()
            work[student] = disguise(work[source], kind, rng)
            plants[student] = f"cluster:{kind}"
            group.append(student)
        copies.update(frozenset(p) for p in combinations(group, 2))
    code = {s: {f: render(sol, SPECS[f]) for f, sol in fs.items()} for s, fs in work.items()}
    cells = {s: notebook_cells(fs, rng) for s, fs in code.items()}
    return GeneratedClass(code, cells, frozenset(copies), plants)


def draw_solution(spec: FunctionSpec, rng: random.Random) -> Solution:
    """An independent student's choices for one function."""
    picks = {slot.key: _weighted(rng, [w for _, w in slot.options]) for slot in spec.all_slots()}
    order = {parent: _order(slots, rng, keep=rng.random() < 0.6) for parent, slots in spec.levels()}
    names = {role: _name(role, pool, rng) for role, pool in spec.names.items()}
    rate = rng.random() * 0.8
    comments = {}
    for slot in spec.all_slots():
        if slot.comments and rng.random() < rate:
            comments[slot.key] = (
                _personal_comment(rng) if rng.random() < 0.1 else _zipf(rng, slot.comments)
            )
    return Solution(
        spec.name, picks, order, names, comments, {}, rng.random() < 0.8, rng.random() < 0.5
    )


def disguise(original: dict[str, Solution], kind: str, rng: random.Random) -> dict[str, Solution]:
    """A copy of a student's functions, disguised as `kind` says."""
    copied = dict(original)
    if kind == "one-function":
        copied = {f: draw_solution(SPECS[f], rng) for f in FUNCTIONS}
        copied["propagate"] = original["propagate"]
        return copied
    for function, solution in original.items():
        spec = SPECS[function]
        if kind in ("rename", "mixed"):
            solution = _renamed(solution, spec, rng)
        if kind in ("reorder", "mixed", "reorder-prints"):
            solution = replace(solution, order=_reordered(solution, spec, rng))
        if kind in ("comments", "mixed"):
            solution = _commented(solution, spec, rng)
        if kind in ("comments", "reorder-prints"):
            solution = _with_prints(solution, spec, rng)
        copied[function] = solution
    return copied


def _renamed(solution: Solution, spec: FunctionSpec, rng: random.Random) -> Solution:
    names = {}
    for role, pool in spec.names.items():
        choices = [n for n, _ in pool if n != solution.names[role]]
        odd = f"{solution.names[role]}_{rng.choice(ODD_SUFFIXES)}"
        names[role] = rng.choice([*choices, odd])
    keep = rng.random() < 0.5
    return replace(solution, names=names, comments=solution.comments if keep else {})


def _reordered(solution: Solution, spec: FunctionSpec, rng: random.Random) -> dict[str, list[str]]:
    for _ in range(20):
        order = {parent: _order(slots, rng, keep=False) for parent, slots in spec.levels()}
        if order != solution.order:
            return order
    return solution.order


def _commented(solution: Solution, spec: FunctionSpec, rng: random.Random) -> Solution:
    comments = dict(solution.comments)
    for slot in spec.all_slots():
        if rng.random() < 0.5:
            comments[slot.key] = _personal_comment(rng)
    return replace(solution, comments=comments)


def _with_prints(solution: Solution, spec: FunctionSpec, rng: random.Random) -> Solution:
    prints = {}
    for slot in spec.all_slots():
        if slot.prints and rng.random() < 0.5:
            first = solution.names[slot.prints]
            prints[slot.key] = rng.choice(PRINTS).format(first=first)
    return replace(solution, prints=prints)


def release_cells() -> list[str]:
    """The code cells of the released `logistic_regression` notebook."""
    notebook = json.loads(RELEASE.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]


@cache
def templates() -> dict[str, str]:
    """The release's starter code of each function."""
    return extract_functions(release_cells(), FUNCTIONS)


def render(solution: Solution, spec: FunctionSpec) -> str:
    """The function's source as the student would have written it into the release."""
    given = templates()[spec.name].rstrip("\n").split("\n")
    lines = [line for line in given if line not in (PLACEHOLDER, MARKER)]
    if not solution.docstring:
        lines = lines[:1]  # the signature only
    if solution.marker:
        lines.append(MARKER)
    values = derived_names(spec.name, solution.picks, solution.names)
    lines += _render_level(solution, spec.slots, "", values, "    ")
    return "\n".join(lines) + "\n"


def _render_level(
    solution: Solution, slots: tuple[Slot, ...], parent: str, values: dict[str, str], indent: str
) -> list[str]:
    by_key = {slot.key: slot for slot in slots}
    lines: list[str] = []
    for key in solution.order[parent]:
        slot = by_key[key]
        chosen = slot.options[solution.picks[key]][0]
        if not chosen:
            continue
        if key in solution.comments:
            lines.append(f"{indent}# {solution.comments[key]}")
        lines += [f"{indent}{line.format(**values)}" for line in chosen]
        if slot.children:
            lines += _render_level(solution, slot.children, key, values, indent + "    ")
        if key in solution.prints:
            lines.append(f"{indent}{solution.prints[key]}")
    return lines


def notebook_cells(functions: dict[str, str], rng: random.Random) -> list[str]:
    """Code cells of a notebook holding the functions, with magics and checks around them."""
    cells = ["import numpy as np\nimport copy\n%matplotlib inline"]
    if rng.random() < 0.3:
        cells.append("!pip install numpy")
    for name, source in functions.items():
        cells.append(f"# GRADED FUNCTION: {name}\n\n{source}")
        cells.append(f'check("{name}", {name})')
    return cells


def _order(slots: tuple[Slot, ...], rng: random.Random, keep: bool) -> list[str]:
    """The course's order (`keep`), or a random order that respects each slot's `after`."""
    left = [slot.key for slot in slots]
    needs = {slot.key: set(slot.after) for slot in slots}
    order: list[str] = []
    while left:
        ready = [k for k in left if needs[k] <= set(order)]
        key = ready[0] if keep else rng.choice(ready)
        order.append(key)
        left.remove(key)
    return order


def _name(role: str, pool: tuple[tuple[str, int], ...], rng: random.Random) -> str:
    if rng.random() < 0.05:
        return f"{pool[0][0]}_{rng.choice(ODD_SUFFIXES)}"
    return pool[_weighted(rng, [w for _, w in pool])][0]


def _weighted(rng: random.Random, weights: list[int]) -> int:
    return rng.choices(range(len(weights)), weights=weights)[0]


def _zipf(rng: random.Random, texts: tuple[str, ...]) -> str:
    return texts[_weighted(rng, [len(texts) - i for i in range(len(texts))])]


def _personal_comment(rng: random.Random) -> str:
    return f"{rng.choice(VERBS)} the {rng.choice(OBJECTS)} {rng.choice(QUALIFIERS)}"
