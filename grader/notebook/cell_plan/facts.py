"""What one cell does with names, read from its syntax tree: the facts the planner works from.

`analyze_cell(source)` never raises. It records, for the cell's top-level code (which runs
when the cell runs), the names it binds for sure and on some paths only (inside `if`, `for`,
`try`, `with`; `del`), the names it reads before binding them itself (those come from earlier
cells), and the objects it changes in place (`d["k"] = v`, `obj.attr = v`, `costs.append(c)`).
For each function and class it defines, it records the globals the body reads when called,
and the globals it assigns (`global`) or changes in place when called.

Random state and dynamic code (exec, globals(), ...) are read as `scopes` describes: a cell
with dynamic top-level code is OPAQUE, a function with it reads `ANY_NAME`.
"""

from __future__ import annotations

import ast
import functools
import warnings
from dataclasses import dataclass, replace
from enum import StrEnum

from grader.notebook.cell_plan.ipython_syntax import Effect, Opaque, neutralize
from grader.notebook.cell_plan.scopes import ANY_NAME, RANDOM_STATE, FunctionFacts, Scan

# The parts of a compound statement that run whenever it runs.
BRANCH_HEADS: dict[type, tuple[str, ...]] = {
    ast.If: ("test",),
    ast.While: ("test",),
    ast.For: ("iter",),
    ast.AsyncFor: ("iter",),
    ast.With: ("items",),
    ast.AsyncWith: ("items",),
    ast.Match: ("subject",),
}
PARSE_ERRORS = (SyntaxError, ValueError, OverflowError)
_FLAGS = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
LIMIT_ERRORS = (RecursionError, MemoryError)


class CellKind(StrEnum):
    """Whether the planner could read a cell."""

    CODE = "code"
    SYNTAX_ERROR = "syntax error"  # fails before running anything
    OPAQUE = "opaque"  # runs whatever it does: see CellFacts.opaque


@dataclass(frozen=True)
class CellFacts:
    """What one cell does with names (see the module docstring)."""

    kind: CellKind
    binds: frozenset[str] = frozenset()
    maybe_binds: frozenset[str] = frozenset()  # on some paths, deleted, or changed in place
    soft_changes: frozenset[str] = frozenset()  # `x.append(...)`: changed if x is no module
    changes: frozenset[str] = frozenset()  # changed in place or deleted, not bound
    reads: frozenset[str] = frozenset()  # read before the cell binds them: earlier cells'
    uses: frozenset[str] = frozenset()  # every name the top-level code reads
    imports: tuple[tuple[str, str], ...] = ()  # (bound name, "numpy as np")
    functions: tuple[FunctionFacts, ...] = ()
    calls: tuple[str, ...] = ()  # dotted names called at top level, in order
    star_imports: tuple[str, ...] = ()
    installs: tuple[str, ...] = ()
    magics: tuple[str, ...] = ()
    opaque: tuple[Opaque, ...] = ()
    error: str = ""
    statements: frozenset[str] = frozenset()  # kinds of top-level statements: "For", "Expr"


CACHED_SOURCE_CHARS = 20_000  # a class's notebooks share most cells: keep their facts


def analyze_cell(source: str) -> CellFacts:
    """The facts of one cell's code; an unreadable cell is SYNTAX_ERROR or OPAQUE."""
    if len(source) <= CACHED_SOURCE_CHARS:
        return _analyze_cached(source)
    return _analyze(source)


@functools.lru_cache(maxsize=4096)
def _analyze_cached(source: str) -> CellFacts:
    return _analyze(source)  # facts are frozen: sharing them is safe


def _analyze(source: str) -> CellFacts:
    try:
        plain = neutralize(source)
    except LIMIT_ERRORS:
        return _opaque("code nested too deeply to analyze")
    try:
        with warnings.catch_warnings():  # invalid escapes etc. are the notebook's business
            warnings.simplefilter("ignore")
            tree = compile(plain.python, "<cell>", "exec", _FLAGS, dont_inherit=True)
    except PARSE_ERRORS as error:  # IPython's own rewrite fails the same way: nothing runs
        return CellFacts(CellKind.SYNTAX_ERROR, error=_describe(error))
    except LIMIT_ERRORS:
        return _opaque("code nested too deeply to analyze")
    scan = _ModuleScan()
    try:
        scan.block(tree.body)
    except LIMIT_ERRORS:
        return _opaque("code nested too deeply to analyze")
    except Exception as error:  # a planner bug must not cost the student: run the cell
        return _opaque(f"the planner failed on it: {type(error).__name__}")
    opaque = plain.opaque
    opaque += tuple(Opaque(what, Effect.ENVIRONMENT) for what in scan.environment)
    if scan.dynamic:
        opaque = (*opaque, Opaque(f"uses {scan.dynamic}", reads_anything=True))
    return CellFacts(
        kind=CellKind.OPAQUE if opaque else CellKind.CODE,
        binds=frozenset(scan.binds),
        maybe_binds=frozenset(scan.maybe - scan.binds),
        soft_changes=frozenset(scan.soft - scan.binds - scan.maybe),
        changes=frozenset((scan.changed | scan.soft) - scan.binds),
        reads=frozenset(scan.reads),
        uses=frozenset(scan.uses),
        imports=tuple(scan.imports.items()),
        functions=tuple(scan.functions.values()),
        calls=tuple(scan.calls),
        star_imports=tuple(scan.star),
        installs=plain.installs,
        magics=plain.magics,
        opaque=opaque,
        statements=frozenset(type(statement).__name__ for statement in tree.body),
    )


def _opaque(what: str) -> CellFacts:
    return CellFacts(CellKind.OPAQUE, opaque=(Opaque(what, reads_anything=True),))


def _describe(error: Exception) -> str:
    if isinstance(error, SyntaxError) and error.lineno:
        return f"line {error.lineno}: {error.msg}"
    return str(error) or type(error).__name__


class _ModuleScan(Scan):
    """A cell's top-level code, in order: what it binds, and what it reads from before."""

    module_scope = True

    def __init__(self) -> None:
        super().__init__()
        self.bound: set[str] = set()  # bound so far on the path being scanned
        self.definite = True  # whether that path is taken whenever the cell runs to its end
        self.binds: set[str] = set()
        self.maybe: set[str] = set()
        self.soft: set[str] = set()
        self.changed: set[str] = set()
        self.reads: set[str] = set()
        self.uses: set[str] = set()
        self.imports: dict[str, str] = {}
        self.functions: dict[str, FunctionFacts] = {}
        self.star: list[str] = []

    def load(self, name: str) -> None:
        self.uses.add(name)
        if name not in self.bound:
            self.reads.add(name)

    def store(self, name: str) -> None:
        self.bound.add(name)
        (self.binds if self.definite else self.maybe).add(name)

    def change(self, name: str, soft: bool) -> None:
        self.load(name)
        (self.soft if soft else self.maybe).add(name)
        self.changed.add(name)

    def draw(self) -> None:
        self.load(RANDOM_STATE)
        self.maybe.add(RANDOM_STATE)

    def seed(self) -> None:
        self.store(RANDOM_STATE)

    def nested(self, facts: FunctionFacts) -> None:
        if facts.name == "<lambda>":  # usually called at once (`key=lambda v: w[v]`)
            for name in facts.reads - {RANDOM_STATE, ANY_NAME}:
                self.load(name)

    def define(self, name: str, facts: FunctionFacts) -> None:
        self.functions[name] = replace(facts, name=name)

    def compound(self, node: ast.AST) -> None:
        """The head of `if`, `while`, `for`, `with` and `match` runs whenever the statement
        does; their bodies, and all of `try`, bind on some paths only."""
        head = BRANCH_HEADS.get(type(node), ())
        rest = []
        for name, value in ast.iter_fields(node):
            if name in head:
                self.visit_field(value)
            else:
                rest.append(value)
        bound, definite = set(self.bound), self.definite
        self.definite = False
        for value in rest:
            self.visit_field(value)
        self.bound, self.definite = bound, definite

    def visit_field(self, value: object) -> None:
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, ast.AST):
                self.visit(item)

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        super().visit_Import(node)
        module = ""
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                self.star.append(module)
                continue
            bound = alias.asname or alias.name.split(".")[0]
            what = alias.name + (f" as {alias.asname}" if alias.asname else "")
            self.imports[bound] = f"{what} from {module}" if module else what

    visit_ImportFrom = visit_Import
