"""One function's code as a normalized token stream, plus its comments and chosen names.

The stream is built from the syntax tree, never by running the code:

1. Dropped: the docstring and any other bare string, `pass`, calls to `print`/`display`
   (and a branch or loop that only prints), and every statement equal to one of the release
   template's statements (signature, `raise NotImplementedError()`, given starter lines). A
   template loop or branch header is dropped and its body kept. Comments and blank lines never
   enter the tree.
2. Statements of each block are put in a canonical order (see `ordering.py`), so swapping
   independent lines does not matter.
3. Every name bound in the function (parameters, assigned and loop variables, nested helpers)
   is renamed `v1`, `v2`, ... in order of first use. Names that are not bound locally keep
   their spelling: modules and library calls (`np.dot`, `np.sum`), attributes (`.T`,
   `.shape`), keyword arguments (`keepdims=True`), builtins and the student's other
   functions (`sigmoid`). They carry meaning; a student's variable names do not.
4. Each statement is written back with `ast.unparse` (one spelling for spacing, quotes and
   redundant parentheses) and split into tokens; a compound statement contributes its header
   and an indent/dedent marker around its body. Every token remembers the source lines of the
   statement it came from, so matches can be shown in the student's own code.

Separately kept as evidence: the comments and bare strings not in the template, and the
original names of local variables (the parameters come from the template, so they are left out).
"""

from __future__ import annotations

import ast
import copy
import io
import re
import tokenize
from dataclasses import dataclass, field

from grader.similarity.ordering import BODY_FIELDS, iter_blocks, order_blocks

NOISE_CALLS = frozenset({"print", "display"})
INDENT, DEDENT = "<indent>", "<dedent>"
_KEPT_TOKENS = {tokenize.NAME, tokenize.OP, tokenize.NUMBER, tokenize.STRING}
_COMPOUND = (
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.If,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.TryStar,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
)
_DEFINES_NAME = (ast.ExceptHandler, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_MIN_LETTERS = 3  # a comment with fewer letters or digits (`# ---`, `# 1`) says nothing


@dataclass(frozen=True)
class Mark:
    """A comment or a name as evidence: its normalized text and the source line it is on."""

    text: str
    line: int


@dataclass(frozen=True)
class Template:
    """What the release gave every student for one function (nothing of it is evidence)."""

    statements: frozenset[str] = frozenset()
    comments: frozenset[str] = frozenset()


@dataclass(frozen=True)
class NormalizedFunction:
    """A function's normalized tokens with their source lines, and its evidence marks.

    Attributes:
        source: the function's source as written (line numbers refer to it, from 1).
        tokens: the normalized token stream.
        spans: per token, the first and last source line of the statement it came from.
        statements: per statement (a compound statement's header counts as one), the range
            `[start, end)` of its tokens in `tokens`.
        comments: normalized comments and bare strings that are not the template's.
        names: the function's local variable names as the student wrote them.
        naming: the local names (parameters aside) in canonical order, e.g. "m A cost dw db":
            which name the student gave each variable of the normalized code.
    """

    source: str
    tokens: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()
    statements: tuple[tuple[int, int], ...] = ()
    comments: tuple[Mark, ...] = ()
    names: tuple[Mark, ...] = ()
    naming: str = ""


def parse_template(source: str) -> Template:
    """The starter code of one function (from the release notebook) as a `Template`.

    Args:
        source: the function as released: signature, docstring and placeholder lines. Empty
            or unparsable text gives an empty template.
    """
    function = _first_function(source)
    if function is None:
        return Template()
    statements = {_statement_text(s) for s in ast.walk(function) if isinstance(s, ast.stmt)}
    statements.discard(_statement_text(function))
    return Template(frozenset(statements), frozenset(m.text for m in _comments(source)))


def normalize_function(source: str, template: Template | None = None) -> NormalizedFunction:
    """Normalize the first function defined in `source` (see the module docstring).

    Args:
        source: a function's source, e.g. from `extract_functions`.
        template: the release's starter code for this function; its statements and comments
            are dropped.

    Returns:
        The normalized function; empty (no tokens) if `source` does not parse or holds no
        function, or if everything in it is template.
    """
    template = template or Template()
    function = _first_function(source)
    if function is None:
        return NormalizedFunction(source)
    local = _local_names(function)
    names = _chosen_names(function, local)
    comments = [m for m in _comments(source) if m.text not in template.comments]
    comments += _bare_strings(function, template)
    body = order_blocks(_cleaned(function.body, template), local)
    naming = _rename(function, body, local)
    stream = _Stream()
    _emit(body, stream)
    return NormalizedFunction(
        source,
        tuple(stream.tokens),
        tuple(stream.spans),
        tuple(stream.statements),
        tuple(sorted(comments, key=lambda m: m.line)),
        tuple(names),
        naming,
    )


def _first_function(source: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return node
    return None


def _statement_text(statement: ast.stmt) -> str:
    """A simple statement's text, or a compound statement's header line."""
    if not isinstance(statement, _COMPOUND):
        return ast.unparse(statement)
    shell = copy.copy(statement)  # shallow: the original keeps its bodies
    for body in BODY_FIELDS:
        if hasattr(shell, body):
            setattr(shell, body, [ast.Pass()] if body == "body" else [])
    if hasattr(shell, "handlers"):
        shell.handlers = []
    if isinstance(shell, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        shell.decorator_list = []
    return ast.unparse(shell).split("\n", 1)[0]


def _is_noise(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Pass):
        return True
    if not isinstance(statement, ast.Expr):
        return False
    value = statement.value
    if isinstance(value, ast.Constant):
        return True  # a docstring, a string used as a comment, `...`
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id in NOISE_CALLS
    )


def _cleaned(statements: list[ast.stmt], template: Template) -> list[ast.stmt]:
    """The block without noise and template statements; a template header keeps its body."""
    kept: list[ast.stmt] = []
    for statement in statements:
        if _is_noise(statement):
            continue
        if not isinstance(statement, _COMPOUND):
            if _statement_text(statement) not in template.statements:
                kept.append(statement)
            continue
        for body in BODY_FIELDS:
            if hasattr(statement, body):
                setattr(statement, body, _cleaned(getattr(statement, body), template))
        for handler in getattr(statement, "handlers", ()):
            handler.body = _cleaned(handler.body, template) or [ast.Pass()]
        if all(_is_empty(block) for block in iter_blocks(statement)):
            continue  # a loop or branch that only printed
        if _statement_text(statement) in template.statements:
            for block in iter_blocks(statement):
                kept.extend(block)
            continue
        if not statement.body:
            statement.body = [ast.Pass()]
        kept.append(statement)
    return kept


def _is_empty(block: list[ast.stmt]) -> bool:
    return all(isinstance(statement, ast.Pass) for statement in block)


def _local_names(function: ast.FunctionDef | ast.AsyncFunctionDef) -> frozenset[str]:
    """Names bound in the function: parameters, assignment targets, loop and `as` variables,
    nested definitions; not names declared global and not imported modules."""
    bound: set[str] = set()
    kept_out: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, _DEFINES_NAME) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.Global | ast.Nonlocal):
            kept_out.update(node.names)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            kept_out.update((a.asname or a.name).split(".")[0] for a in node.names)
    bound.discard(function.name)
    return frozenset(bound - kept_out)


def _chosen_names(
    function: ast.FunctionDef | ast.AsyncFunctionDef, local: frozenset[str]
) -> list[Mark]:
    """The local names the student chose (parameters excluded), each at its first line."""
    parameters = {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)}
    first: dict[str, int] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and node.id in local and node.id not in parameters:
            first[node.id] = min(first.get(node.id, node.lineno), node.lineno)
    return [Mark(name, line) for name, line in sorted(first.items(), key=lambda i: (i[1], i[0]))]


def normalize_comment(text: str) -> str:
    """A comment or bare string as compared: without `#`, lower case, single spaces."""
    return " ".join(text.lstrip("#").split()).lower()


def _comments(source: str) -> list[Mark]:
    marks: list[Mark] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                text = normalize_comment(token.string)
                if len(re.findall(r"\w", text)) >= _MIN_LETTERS:
                    marks.append(Mark(text, token.start[0]))
    except (tokenize.TokenError, SyntaxError):
        pass  # comments before the error are kept
    return marks


def _bare_strings(
    function: ast.FunctionDef | ast.AsyncFunctionDef, template: Template
) -> list[Mark]:
    """Docstrings and strings used as comments, when they are not the template's."""
    marks = []
    for node in ast.walk(function):
        if not isinstance(node, ast.Expr) or not isinstance(node.value, ast.Constant):
            continue
        if not isinstance(node.value.value, str) or _statement_text(node) in template.statements:
            continue
        text = normalize_comment(node.value.value)
        if len(re.findall(r"\w", text)) >= _MIN_LETTERS:
            marks.append(Mark(text, node.lineno))
    return marks


def _rename(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    body: list[ast.stmt],
    local: frozenset[str],
) -> str:
    """Rename local names in place to v1, v2, ...: parameters first, then by first use in
    the canonical order. Returns the original names (parameters aside) in that order."""
    canonical: dict[str, str] = {}

    def name_of(original: str) -> str:
        return canonical.setdefault(original, f"v{len(canonical) + 1}")

    for argument in ast.walk(function.args):
        if isinstance(argument, ast.arg):
            name_of(argument.arg)
    for statement in body:
        for node in _in_source_order(statement):
            if isinstance(node, ast.Name) and node.id in local:
                node.id = name_of(node.id)
            elif isinstance(node, ast.arg) and node.arg in local:
                node.arg = name_of(node.arg)
            elif isinstance(node, ast.ExceptHandler) and node.name in local:
                node.name = name_of(node.name)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                node.name = name_of(node.name) if node.name in local else node.name
    parameters = sum(isinstance(a, ast.arg) for a in ast.walk(function.args))
    return " ".join(list(canonical)[parameters:])


def _in_source_order(node: ast.AST) -> list[ast.AST]:
    """The node and its descendants, depth first in field order (`ast.walk` is breadth first)."""
    found = [node]
    for child in ast.iter_child_nodes(node):
        found.extend(_in_source_order(child))
    return found


@dataclass
class _Stream:
    """The token stream being built: tokens, their source lines, and each statement's tokens."""

    tokens: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    statements: list[tuple[int, int]] = field(default_factory=list)

    def add(self, text: str, span: tuple[int, int], statement: bool = True) -> None:
        """Append the tokens of `text` (a statement, or a marker when not `statement`)."""
        first = len(self.tokens)
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in _KEPT_TOKENS:
                self.tokens.append(token.string)
                self.spans.append(span)
        if statement:
            self.statements.append((first, len(self.tokens)))

    def marker(self, text: str, span: tuple[int, int]) -> None:
        """Append a block marker (indent, dedent, else)."""
        self.tokens.append(text)
        self.spans.append(span)


def _emit(statements: list[ast.stmt], stream: _Stream) -> None:
    for statement in statements:
        if not isinstance(statement, _COMPOUND):
            span = (statement.lineno, statement.end_lineno or statement.lineno)
            stream.add(ast.unparse(statement), span)
            continue
        header = (statement.lineno, statement.lineno)
        stream.add(_statement_text(statement), header)
        for index, block in enumerate(iter_blocks(statement)):
            if index:
                stream.marker("else", header)  # the next block: else, finally or except
            stream.marker(INDENT, header)
            _emit(block, stream)
            stream.marker(DEDENT, header)
