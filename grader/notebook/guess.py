"""Which assignment a notebook belongs to, when neither `--assignment` nor its metadata says.

The graded function names a notebook defines are compared with each assignment's: a notebook
is graded as an assignment when it defines at least half of that assignment's graded names and
clearly more of them than of any other's. Nothing is run: definitions are read from the cells'
syntax trees.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass

from grader.spec.load import list_assignments
from grader.spec.model import Assignment

MIN_SHARE = 0.5  # of an assignment's graded names the notebook must define
MIN_LEAD = 0.25  # how much larger that share must be than the runner-up's


@dataclass(frozen=True)
class Candidate:
    """An assignment some of whose graded names the notebook defines."""

    assignment: str
    found: int
    graded: int

    @property
    def share(self) -> float:
        """The fraction of the assignment's graded names the notebook defines."""
        return self.found / self.graded if self.graded else 0.0

    def describe(self) -> str:
        """`logistic_regression` (6 of its 6 graded functions)."""
        return f"`{self.assignment}` ({self.found} of its {self.graded} graded functions)"


def defined_names(sources: Iterable[str]) -> set[str]:
    """Names the cells define at top level (functions, classes, assigned variables)."""
    names: set[str] = set()
    for source in sources:
        code = "\n".join(
            "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
        )
        try:
            tree = ast.parse(code)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def candidates(
    sources: Iterable[str], assignments: list[Assignment] | None = None
) -> list[Candidate]:
    """Assignments whose graded names the notebook defines, best match first."""
    defined = defined_names(sources)
    found = []
    for assignment in assignments if assignments is not None else list_assignments():
        graded = {task.function for task in assignment.tasks}
        hits = len(graded & defined)
        if hits:
            found.append(Candidate(assignment.id, hits, len(graded)))
    return sorted(found, key=lambda c: (-c.share, -c.found, c.assignment))


def clear_match(ranked: list[Candidate]) -> Candidate | None:
    """The best candidate when it matches clearly, else None."""
    if not ranked or ranked[0].share < MIN_SHARE:
        return None
    if len(ranked) > 1 and ranked[0].share - ranked[1].share < MIN_LEAD:
        return None
    return ranked[0]
