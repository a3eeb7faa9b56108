"""The graded functions' source, cut out of a notebook's code cells without running anything.

Cells are parsed with `ast`; nothing is imported or executed. IPython syntax that `ast` cannot
read (line magics `%matplotlib inline`, shell escapes `!pip install ...`, `x = !ls`, help
`np.dot?`) is neutralized first: each such line becomes `pass` at its own indentation, so line
numbers and blocks stay intact. A cell magic (`%%time`) has its first line neutralized when its
body is Python (`%%time`, `%%timeit`, `%%capture`, `%%prun`); any other cell magic (`%%bash`,
`%%writefile`, ...) defines nothing in the notebook and the cell is skipped, as is a cell that
still does not parse.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterable, Sequence

# Cell magics whose body is ordinary Python run in the notebook's namespace.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})

_LINE_MAGIC = re.compile(
    r"""^(?P<indent>[ \t]*)(?:
        [%!]                                  # %matplotlib inline, !pip install
      | [\w.\[\], \t]+=[ \t]*[%!]             # x = !ls, t = %timeit -o f()
      | \?{1,2}[\w.]+[ \t]*$                  # ?np.dot
      | [\w.]+\?{1,2}[ \t]*$                  # np.dot?
    )""",
    re.VERBOSE,
)
_CELL_MAGIC = re.compile(r"^\s*%%(\w+)")


def extract_functions(source_cells: Sequence[str], names: Collection[str]) -> dict[str, str]:
    """The source of each named top-level function defined in a notebook's code cells.

    Args:
        source_cells: the code cells' sources, in notebook order.
        names: the function names wanted (e.g. the assignment's graded functions).

    Returns:
        name -> source text of its `def` (decorators included, dedented as written at top
        level). When a cell defines a name twice, or several cells do, the last definition wins,
        as it would when the notebook runs top to bottom. Names never defined are absent.
    """
    wanted = set(names)
    found: dict[str, str] = {}
    for cell in source_cells:
        tree, text = _parse_cell(cell)
        if tree is None:
            continue
        lines = text.splitlines()
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in wanted:
                found[node.name] = _node_source(node, lines)
    return found


def _parse_cell(cell: str) -> tuple[ast.Module | None, str]:
    """The cell's syntax tree and the (possibly neutralized) text it was parsed from."""
    try:
        return ast.parse(cell), cell
    except (SyntaxError, ValueError):
        pass  # IPython syntax, or a cell the student left broken
    magic = _CELL_MAGIC.match(cell)
    if magic and magic.group(1) not in PYTHON_CELL_MAGICS:
        return None, cell
    text = "\n".join(neutralize_magics(cell.splitlines()))
    try:
        return ast.parse(text), text
    except (SyntaxError, ValueError):
        return None, text


def neutralize_magics(lines: Iterable[str]) -> list[str]:
    """Replace each IPython-only line (magic, shell escape, help) by `pass` at its indentation.

    A line inside a multi-line string that happens to start with `%` is replaced too; that
    only changes text (a docstring) the comparison ignores.
    """
    result = []
    for line in lines:
        match = _LINE_MAGIC.match(line)
        result.append(f"{match.group('indent')}pass" if match else line)
    return result


def _node_source(node: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> str:
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    last = node.end_lineno or node.lineno
    return "\n".join(lines[first - 1 : last]) + "\n"
