"""Small readings of syntax trees the cell plan needs: the dotted name of a call
(`np.random.seed`), the name an attribute or item chain starts from, the names a target binds."""

from __future__ import annotations

import ast


def dotted(node: ast.AST) -> str:
    """`np.random.seed` for the expression np.random.seed; "" for anything else."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ""
    parts.append(node.id)
    return ".".join(reversed(parts))


def root_name(node: ast.AST) -> str:
    """The name an attribute or item chain starts from (`d` for d["k"].x), or ""."""
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else ""


def target_names(node: ast.AST) -> set[str]:
    """Every plain name in an assignment target (`a, (b, c)`: a, b, c)."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
