"""Which cells grading needs: the names graded answers depend on, followed back through cells.

A *demand* is a name and a position: the value the name has just before cell `position`
runs (`position == len(cells)`: at grading time, after every cell). A demand is met by the
cells that provide that value: walking back from the position, every cell that binds the
name on some path or changes it in place, down to and including the last cell that binds it
for sure. Method calls that may change an object (`costs.append(c)`) count unless that last
binding is an import (`np.append(...)` changes no module). Each cell found is needed, and
needs in turn what its top-level code reads before binding it (demanded at its own position)
and what the functions it defines read when called (demanded at the end). A function read
at top level (defined in an earlier cell, or in the same cell and used there) also demands,
at that position, what it reads: it is probably called there.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from grader.notebook.cell_plan.facts import (
    ANY_NAME,
    RANDOM_STATE,
    CellFacts,
    CellKind,
    analyze_cell,
)
from grader.notebook.cell_plan.ipython_syntax import Effect
from grader.notebook.cell_plan.reasons import (
    ALSO,
    BUILTIN_NAMES,
    CANNOT_ANALYZE,
    CHANGES_ENVIRONMENT,
    DOES_NOT_PARSE,
    NEEDED,
    STAR_IMPORT,
    WRITES_FILE,
    listed,
    needed_reason,
    skipped_reason,
)

PSEUDO_NAMES = frozenset({RANDOM_STATE, ANY_NAME})


class Decision(StrEnum):
    """Whether a cell runs, and on what grounds."""

    NEEDED = "needed"  # grading needs something it provides
    STAR_IMPORT = "star import"  # `from m import *` may provide anything
    WRITES_FILE = "writes a file"  # `%%writefile`: later cells may import it
    CHANGES_ENVIRONMENT = "changes the environment"  # sys.path, %cd, os.environ, Keras config
    CANNOT_ANALYZE = "cannot be analyzed"  # cell magics, exec, unknown magics
    DOES_NOT_PARSE = "does not parse"  # runs to record its error
    NOT_NEEDED = "not needed"


OPAQUE_TEMPLATES = {
    Decision.WRITES_FILE: WRITES_FILE,
    Decision.CANNOT_ANALYZE: CANNOT_ANALYZE,
    Decision.CHANGES_ENVIRONMENT: CHANGES_ENVIRONMENT,
}


@dataclass(frozen=True)
class CellPlan:
    """The plan for one cell.

    Attributes:
        index: The cell's position in the list given to `plan_cells`.
        decision: Whether it runs and why (`run` says whether it runs).
        reason: One line an instructor reads: "defines sigmoid, propagate", "imports numpy
            as np", "not needed: calls model; plots; prints".
        defines: Names its top-level code binds (on every path or on some).
        needs: Names it reads from other cells: at top level before binding them, and
            inside the functions and classes it defines (builtins left out).
    """

    index: int
    decision: Decision
    reason: str
    defines: frozenset[str]
    needs: frozenset[str]

    @property
    def run(self) -> bool:
        """Whether the cell runs."""
        return self.decision is not Decision.NOT_NEEDED


class _Event(IntEnum):
    SOFT = 0  # a method call that may change the object
    MAYBE = 1  # bound on some paths, changed in place, deleted, or set by a function call
    DEFINITE = 2  # bound whenever the cell runs to its end


def plan_cells(
    sources: Sequence[str], functions: Collection[str], variables: Collection[str] = ()
) -> tuple[CellPlan, ...]:
    """Decide, from each cell's code alone, which cells grading needs to run.

    Runs: every cell that provides what a graded function or variable depends on (see the
    package docstring), every star-import and `%%writefile` cell, every cell that changes
    the environment (sys.path, working directory, environment variables, Keras settings),
    every cell the planner cannot analyze (cell magics other than `%%time`/`%%capture`/
    `%%timeit`/`%%prun`, unknown line magics, shell commands other than installs and
    downloads, exec/eval/globals()/get_ipython()), and every cell that does not parse (so
    that its error is recorded). Everything else is skipped, with a reason saying what it
    does.

    Args:
        sources: The code cells' sources, in notebook order.
        functions: Names of graded functions (called after the cells ran).
        variables: Names of graded variables (read after the cells ran).

    Returns:
        One plan per cell, in order.
    """
    facts = tuple(analyze_cell(source) for source in sources)
    resolver = _Resolver(facts)
    resolver.resolve_all({*functions, *variables})
    last_binding = {name: i for i, f in enumerate(facts) for name in f.binds}
    bound_anywhere = {name for f in facts for name in f.binds | f.maybe_binds}
    plans = []
    for i, cell in enumerate(facts):
        decision = _decision(cell, i in resolver.why)
        redefined = {name for name in cell.binds if last_binding.get(name, i) > i}
        reason = _reason(decision, cell, resolver.why.get(i, set()), redefined)
        needs = set(cell.reads).union(*(f.reads for f in cell.functions)) - PSEUDO_NAMES
        needs = {n for n in needs if n in bound_anywhere or n not in BUILTIN_NAMES}
        defines = (cell.binds | cell.maybe_binds) - PSEUDO_NAMES
        plans.append(CellPlan(i, decision, reason, frozenset(defines), frozenset(needs)))
    return tuple(plans)


def cells_to_add(plan: Sequence[CellPlan], missing_name: str) -> tuple[int, ...]:
    """Skipped cells to run when a graded call finds `missing_name` undefined.

    For a runner's fallback: when a graded function raises NameError for a global name
    (the planner missed a dependency, or the cell that binds it failed), run these cells in
    the order given and retry. They are every skipped cell that binds the name, and, for
    each of them, the skipped cells that last bind what it needs before it, and so on.

    Args:
        plan: The plan `plan_cells` made.
        missing_name: The name the NameError reports.

    Returns:
        Cell indices in ascending order; empty if no skipped cell binds the name (a real
        NameError: record it).
    """
    cells = sorted(plan, key=lambda cell: cell.index)
    chosen: set[int] = set()
    todo = [cell for cell in cells if not cell.run and missing_name in cell.defines]
    while todo:
        cell = todo.pop()
        if cell.index in chosen:
            continue
        chosen.add(cell.index)
        earlier = [other for other in cells if other.index < cell.index]
        for name in cell.needs:
            binders = [other for other in earlier if name in other.defines]
            if binders and not binders[-1].run:
                todo.append(binders[-1])
    return tuple(sorted(chosen))


class _Resolver:
    """Follows demands back to the cells that meet them (see the module docstring)."""

    def __init__(self, facts: tuple[CellFacts, ...]) -> None:
        self.facts = facts
        self.end = len(facts)
        self.events = _events(facts)
        self.why: dict[int, set[str]] = {}  # needed cell -> names it provides
        self.queue: list[tuple[str, int]] = []
        self.seen: set[tuple[str, int]] = set()

    def resolve_all(self, graded: set[str]) -> None:
        for index, cell in enumerate(self.facts):
            if _decision(cell, needed=False) is not Decision.NOT_NEEDED:
                self.need(index, "")
        for name in sorted(graded):
            self.demand(name, self.end)
        while self.queue:
            self.resolve(*self.queue.pop())

    def demand(self, name: str, position: int) -> None:
        if (name, position) not in self.seen:
            self.seen.add((name, position))
            self.queue.append((name, position))

    def need(self, index: int, name: str) -> None:
        """Cell `index` runs (providing `name`): demand what it needs in turn."""
        first = index not in self.why
        provided = self.why.setdefault(index, set())
        if name:
            provided.add(name)
        if not first:
            return
        cell = self.facts[index]
        for read in cell.reads:
            self.demand(read, index)
        if any(part.reads_anything for part in cell.opaque):
            self.demand(ANY_NAME, index)
        for function in cell.functions:
            for read in function.reads - {RANDOM_STATE}:  # grading sets its own seeds
                self.demand(read, self.end)
            if function.name in cell.uses:  # probably called in the cell that defines it
                for read in function.reads:
                    self.demand(read, index)

    def resolve(self, name: str, position: int) -> None:
        if name == ANY_NAME:
            for index in range(position):
                self.need(index, ANY_NAME)
            return
        events = self.events.get(name, [])
        soft: list[int] = []
        for index, event in reversed(events[: bisect.bisect_left(events, (position,))]):
            if event is _Event.SOFT:
                soft.append(index)
                continue
            self.need(index, name)
            if position < self.end:
                self.demand_function_reads(index, name, position)
            if event is _Event.DEFINITE:
                if name in dict(self.facts[index].imports):
                    return  # calling a module's functions does not change the module
                break
        for index in soft:
            self.need(index, name)

    def demand_function_reads(self, index: int, name: str, position: int) -> None:
        """`name` is read at `position`, probably to call it there: if cell `index`
        defines it as a function, what the function reads is needed there too."""
        for function in self.facts[index].functions:
            if function.name == name:
                for read in function.reads:
                    self.demand(read, position)


def _events(facts: tuple[CellFacts, ...]) -> dict[str, list[tuple[int, _Event]]]:
    """For each name, the cells that bind or change it, in order."""
    writes, soft_writes = _call_writes(facts)
    events: dict[str, dict[int, _Event]] = {}
    for index, cell in enumerate(facts):
        found = [(name, _Event.SOFT) for name in cell.soft_changes]
        found += [(w, _Event.SOFT) for name in cell.uses for w in soft_writes.get(name, ())]
        found += [(w, _Event.MAYBE) for name in cell.uses for w in writes.get(name, ())]
        found += [(name, _Event.MAYBE) for name in cell.maybe_binds]
        found += [(name, _Event.DEFINITE) for name in cell.binds]
        for name, event in found:
            cells = events.setdefault(name, {})
            cells[index] = max(event, cells.get(index, _Event.SOFT))
    return {name: sorted(cells.items()) for name, cells in events.items()}


def _call_writes(facts: tuple[CellFacts, ...]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """What calling each function the notebook defines may bind or change, through the
    functions it calls too: (assigned or changed, changed by a method call)."""
    reads: dict[str, set[str]] = {}
    writes: dict[str, set[str]] = {}
    soft: dict[str, set[str]] = {}
    for cell in facts:
        for function in cell.functions:
            reads.setdefault(function.name, set()).update(function.reads)
            writes.setdefault(function.name, set()).update(function.writes)
            soft.setdefault(function.name, set()).update(function.soft_writes)
    return _through_calls(reads, writes), _through_calls(reads, soft)


def _through_calls(reads: dict[str, set[str]], own: dict[str, set[str]]) -> dict[str, set[str]]:
    """`own` of each function, with the `own` of every function it reads added, repeatedly."""
    total = {name: set(names) for name, names in own.items()}
    changed = True
    while changed:
        changed = False
        for name, called in reads.items():
            for callee in called & total.keys():
                if not total[callee] <= total[name]:
                    total[name] |= total[callee]
                    changed = True
    return {name: names for name, names in total.items() if names}


def _decision(cell: CellFacts, needed: bool) -> Decision:
    if cell.kind is CellKind.SYNTAX_ERROR:
        return Decision.DOES_NOT_PARSE
    effects = {part.effect for part in cell.opaque}
    if Effect.WRITES_FILE in effects:
        return Decision.WRITES_FILE
    if Effect.UNKNOWN in effects:
        return Decision.CANNOT_ANALYZE
    if Effect.ENVIRONMENT in effects:
        return Decision.CHANGES_ENVIRONMENT
    if cell.star_imports:
        return Decision.STAR_IMPORT
    return Decision.NEEDED if needed else Decision.NOT_NEEDED


def _reason(decision: Decision, cell: CellFacts, provided: set[str], redefined: set[str]) -> str:
    if decision is Decision.NOT_NEEDED:
        return skipped_reason(cell, redefined)
    what = needed_reason(cell, provided)
    if decision is Decision.NEEDED:
        return NEEDED.format(what=what)
    if decision is Decision.DOES_NOT_PARSE:
        reason = DOES_NOT_PARSE.format(error=cell.error)
    elif decision is Decision.STAR_IMPORT:
        modules = [f"from {module} import *" for module in cell.star_imports]
        reason = STAR_IMPORT.format(what=listed(modules))
    else:
        template = OPAQUE_TEMPLATES[decision]
        reason = template.format(what=listed(part.what for part in cell.opaque))
    return ALSO.format(reason=reason, what=what) if what else reason
