"""A canonical order for the statements of a function, so that swapping independent lines
changes nothing.

Within each block, statement j depends on an earlier statement i when one writes a name the
other reads or writes (a method call such as `costs.append(x)` writes `costs`; a subscript or
attribute assignment writes its base name), or when either is a barrier: an expression
statement that calls something other than a local's method (`np.random.seed(1)` may change
what later calls return), or a statement that leaves the block (`return`, `raise`, `break`,
`continue`, `yield`). Any order that keeps these dependencies computes the same thing.

Among all such orders we take the one that, at each step, places the ready statement (all its
predecessors placed) whose *shape* sorts first: its text with every local name replaced by `_`,
so the key does not depend on the names a student chose. Two students who wrote the same
statements in different independent orders therefore get the same sequence. Statements whose
shapes are identical keep their written order (ties are rare and only affect naming).
Inner blocks are ordered first, so a loop's shape includes its ordered body.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass

BODY_FIELDS = ("body", "orelse", "finalbody")
_LEAVES_BLOCK = (ast.Return, ast.Raise, ast.Break, ast.Continue, ast.Yield, ast.YieldFrom)
_ALWAYS_BARRIER = (ast.Global, ast.Nonlocal, ast.Import, ast.ImportFrom, ast.Assert)
# Methods that return a new value and change nothing: `A.dot(B)` or `x.sum()` does not write `A`
# or `x`. Any other method called on a local (`append`, `fill`, `sort`, ...) counts as a write.
PURE_METHODS = frozenset(
    {
        "all", "any", "argmax", "argmin", "astype", "copy", "dot", "flatten", "get", "item",
        "items", "keys", "max", "mean", "min", "ravel", "reshape", "round", "squeeze", "std",
        "sum", "tolist", "transpose", "values", "var",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Effects:
    """What a statement reads and writes, and whether nothing may move across it."""

    reads: frozenset[str]
    writes: frozenset[str]
    barrier: bool


def order_blocks(statements: list[ast.stmt], local: frozenset[str]) -> list[ast.stmt]:
    """The statements in canonical order, inner blocks (loop and branch bodies) included.

    Args:
        statements: a block, already cleaned of prints, docstrings and template lines.
        local: the names bound in the function (parameters included).

    Returns:
        The same statement objects, reordered; inner bodies are reordered in place.
    """
    for statement in statements:
        for field in BODY_FIELDS:
            inner = getattr(statement, field, None)
            if inner:
                setattr(statement, field, order_blocks(inner, local))
        for handler in getattr(statement, "handlers", ()):
            handler.body = order_blocks(handler.body, local)
    effects = [statement_effects(s, local) for s in statements]
    keys = [shape(s, local) for s in statements]
    before: list[set[int]] = [
        {i for i in range(j) if depends(effects[i], effects[j])} for j in range(len(statements))
    ]
    placed: list[int] = []
    done: set[int] = set()
    while len(placed) < len(statements):
        ready = (j for j in range(len(statements)) if j not in done and before[j] <= done)
        chosen = min(ready, key=lambda j: (keys[j], j))
        placed.append(chosen)
        done.add(chosen)
    return [statements[j] for j in placed]


def depends(first: Effects, second: Effects) -> bool:
    """Must `second` stay after `first`?"""
    if first.barrier or second.barrier:
        return True
    return bool(first.writes & (second.reads | second.writes) or first.reads & second.writes)


def statement_effects(statement: ast.stmt, local: frozenset[str]) -> Effects:
    """The names `statement` reads and writes (its nested blocks included)."""
    reads: set[str] = set()
    writes: set[str] = set()
    leaves = False
    for node in ast.walk(statement):
        if isinstance(node, ast.Name):
            (reads if isinstance(node.ctx, ast.Load) else writes).add(node.id)
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.For | ast.Delete):
            targets = node.targets if isinstance(node, ast.Assign | ast.Delete) else [node.target]
            for target in targets:
                writes.update(_base_names(target))
                if isinstance(node, ast.AugAssign):
                    reads.update(_base_names(target))  # `x += 1` reads x too
        elif isinstance(node, ast.Call):
            writes.update(_receiver(node.func) & local)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            writes.add(node.name)
        leaves = leaves or isinstance(node, _LEAVES_BLOCK)
    return Effects(frozenset(reads), frozenset(writes), _is_barrier(statement, local, leaves))


def shape(statement: ast.stmt, local: frozenset[str]) -> str:
    """The statement's text with every local name written `_`: a name-independent sort key."""
    renamed: list[tuple[ast.Name | ast.arg, str]] = []
    for node in ast.walk(statement):
        if isinstance(node, ast.Name) and node.id in local:
            renamed.append((node, node.id))
            node.id = "_"
        elif isinstance(node, ast.arg) and node.arg in local:
            renamed.append((node, node.arg))
            node.arg = "_"
    text = ast.unparse(statement)
    for node, name in renamed:  # put the names back: the tree is still to be renamed
        if isinstance(node, ast.Name):
            node.id = name
        else:
            node.arg = name
    return text


def _is_barrier(statement: ast.stmt, local: frozenset[str], leaves: bool) -> bool:
    """May nothing move across `statement`? (`leaves`: it holds a return, raise, ...)"""
    if isinstance(statement, _ALWAYS_BARRIER):
        return True
    if isinstance(statement, ast.Expr):
        call = statement.value
        # A method call on a local (`costs.append(c)`) only changes that local.
        return not (isinstance(call, ast.Call) and _receiver(call.func) & local)
    return leaves


def _receiver(function: ast.expr) -> set[str]:
    """`x` for a method call `x.f(...)` or `x[0].f(...)` that may change `x`; nothing for a
    plain call `f(...)` or a method that changes nothing (`x.sum()`)."""
    if isinstance(function, ast.Attribute) and function.attr not in PURE_METHODS:
        return _base_names(function.value)
    return set()


def _base_names(target: ast.expr) -> set[str]:
    """The names an assignment target changes: `a` for `a`, `a[i]`, `a.x`; all of a tuple's."""
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, ast.Tuple | ast.List):
        return set().union(*(_base_names(e) for e in target.elts)) if target.elts else set()
    if isinstance(target, ast.Subscript | ast.Attribute | ast.Starred):
        return _base_names(target.value)
    return set()


def iter_blocks(statement: ast.stmt) -> Iterable[list[ast.stmt]]:
    """The statement's inner blocks: bodies, else branches, finally, exception handlers."""
    for field in BODY_FIELDS:
        inner = getattr(statement, field, None)
        if inner:
            yield inner
    for handler in getattr(statement, "handlers", ()):
        yield handler.body
