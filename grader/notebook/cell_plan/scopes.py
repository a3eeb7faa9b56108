"""Names in Python's scopes: the syntax-tree visitor shared by a cell's top-level code and the
functions and classes it defines, and what a function's body reads and writes when called.

A body reads a global when it loads a name that is neither a parameter nor assigned in it
(unless declared `global`); comprehension variables and nested functions' locals stay local.
A class body runs when the class is defined, its methods when called. Seeds bind and draws
read and change `RANDOM_STATE`, the global random state; exec, globals() and the like
(`vocabulary`) may touch any name.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from grader.notebook.cell_plan.ast_names import dotted, root_name, target_names
from grader.notebook.cell_plan.vocabulary import (
    CONFIG_CALLS,
    DRAW_METHODS,
    DYNAMIC_MODULES,
    DYNAMIC_NAMES,
    ENVIRONMENT_CALLS,
    IN_PLACE_FUNCTIONS,
    MODULE_DYNAMIC_CALLS,
    MUTATING_METHODS,
    SEED_CALLS,
)

RANDOM_STATE = "<random state>"
ANY_NAME = "<any name>"


@dataclass(frozen=True)
class FunctionFacts:
    """A function or class a cell defines (a lambda assigned to a name counts).

    Attributes:
        name: The name it is bound to.
        reads: Globals its body reads when called (RANDOM_STATE if it draws random numbers
            before seeding, ANY_NAME if it uses exec/globals()).
        writes: Globals it assigns (`global`) or changes in place when called, and
            RANDOM_STATE if it draws or seeds.
        soft_writes: Globals whose methods it calls that may change them (`log.append`).
    """

    name: str
    reads: frozenset[str]
    writes: frozenset[str]
    soft_writes: frozenset[str] = frozenset()


_DISPATCH: dict[tuple[type, type], Callable[[Any, Any], None]] = {}


class Scan(ast.NodeVisitor):
    """What expressions and statements do with names. Subclasses decide what that means for
    their scope through the hooks: `load` and `store` a name, `change` an object in place,
    `draw` or `seed` random numbers, a `nested` function's facts, `define` a function or
    class under a name, and a `compound` statement (`if`, loops, `try`, `with`, `match`)."""

    module_scope = False

    def __init__(self) -> None:
        self.shadow: list[set[str]] = []  # comprehension variables in scope
        self.dynamic = ""
        self.calls: dict[str, None] = {}
        self.environment: dict[str, None] = {}  # ENVIRONMENT_CALLS and the like, in order
        self.lambda_facts = FunctionFacts("<lambda>", frozenset(), frozenset())

    def visit(self, node: ast.AST) -> None:
        """NodeVisitor.visit, with the method looked up once per visitor and node class."""
        key = (type(self), type(node))
        method = _DISPATCH.get(key)
        if method is None:
            name = "visit_" + type(node).__name__
            method = _DISPATCH[key] = getattr(type(self), name, type(self).generic_visit)
        method(self, node)

    def generic_visit(self, node: ast.AST) -> None:
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
            elif isinstance(value, ast.AST) and not isinstance(value, ast.expr_context):
                self.visit(value)

    # Hooks (see the class docstring).
    def load(self, name: str) -> None: ...
    def store(self, name: str) -> None: ...
    def change(self, name: str, soft: bool) -> None: ...
    def draw(self) -> None: ...
    def seed(self) -> None: ...
    def nested(self, facts: FunctionFacts) -> None: ...
    def define(self, name: str, facts: FunctionFacts) -> None: ...
    def compound(self, node: ast.AST) -> None:
        self.generic_visit(node)

    def visit_compound(self, node: ast.AST) -> None:
        self.compound(node)

    visit_If = visit_For = visit_AsyncFor = visit_While = visit_Try = visit_TryStar = visit_compound
    visit_With = visit_AsyncWith = visit_Match = visit_compound

    def visit_Constant(self, node: ast.Constant) -> None:
        pass

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            if node.id in DYNAMIC_NAMES:
                self.dynamic = self.dynamic or node.id
            if not self.shadow or not any(node.id in names for names in self.shadow):
                self.load(node.id)
        else:
            self.target(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.ctx, ast.Load):
            if node.attr == "modules" and dotted(node.value) == "sys":
                self.dynamic = self.dynamic or "sys.modules"
            self.visit(node.value)
        else:
            self.target(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.ctx, ast.Load):
            self.generic_visit(node)
        else:
            self.target(node)

    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        name = dotted(node.func)
        parts = name.split(".") if name else []
        if name:
            self.calls.setdefault(name)
        if self.module_scope and name in MODULE_DYNAMIC_CALLS and not node.args:
            self.dynamic = self.dynamic or f"{name}()"
        if name in ENVIRONMENT_CALLS or (len(parts) > 1 and parts[-1] in CONFIG_CALLS):
            self.environment.setdefault(name)
        method, receiver = "", None
        if isinstance(node.func, ast.Attribute):
            method, receiver = node.func.attr, node.func.value
        if parts and parts[-1] in SEED_CALLS:
            self.seed()
        elif method in DRAW_METHODS or any("random" in part.lower() for part in parts):
            self.draw()
        elif method in MUTATING_METHODS and not isinstance(receiver, ast.Attribute):
            # `costs.append(c)`, `params["W"].fill(0)`; not `np.random.randn()` (a module's).
            root = root_name(receiver) if receiver is not None else ""
            if root:
                self.change(root, soft=True)
        in_place = len(parts) > 1 and parts[-1] in IN_PLACE_FUNCTIONS
        if (in_place or name in ("setattr", "delattr")) and node.args:
            root = root_name(node.args[0])
            if root:
                self.change(root, soft=False)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        """Long chains (`a + b + c + ...`) nest deeply to the left: walk them in a loop."""
        operands: list[ast.expr] = []
        left: ast.expr = node
        while isinstance(left, ast.BinOp):
            operands.append(left.right)
            left = left.left
        self.visit(left)
        for operand in reversed(operands):
            self.visit(operand)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        self.store(node.target.id)  # a walrus binds in the enclosing scope, even in a loop

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.visit(node.args)
        self.lambda_facts = function_facts("<lambda>", node.args, [node.body])
        self.nested(self.lambda_facts)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for expression in (*node.decorator_list, node.returns):
            if expression is not None:
                self.visit(expression)
        self.visit(node.args)
        facts = function_facts(node.name, node.args, node.body)
        self.nested(facts)
        self.store(node.name)
        self.define(node.name, facts)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for expression in (*node.decorator_list, *node.bases, *node.keywords):
            self.visit(expression)
        body = _BodyScan(params=set(), is_class=True)
        body.block(node.body)
        for name in body.direct_reads():  # the class body runs now
            self.load(name)
        facts = body.facts(node.name)
        self.nested(facts)
        self.store(node.name)
        self.define(node.name, facts)

    def visit_arguments(self, node: ast.arguments) -> None:
        for default in (*node.defaults, *node.kw_defaults):
            if default is not None:
                self.visit(default)
        for arg in (*node.posonlyargs, *node.args, *node.kwonlyargs, node.vararg, node.kwarg):
            if arg is not None and arg.annotation is not None:
                self.visit(arg.annotation)

    def visit_comprehension_node(self, node: ast.AST) -> None:
        generators: list[ast.comprehension] = node.generators  # type: ignore[attr-defined]
        self.visit(generators[0].iter)  # evaluated in the enclosing scope
        self.shadow.append(set())
        for i, generator in enumerate(generators):
            if i:
                self.visit(generator.iter)
            self.shadow[-1].update(target_names(generator.target))
            for condition in generator.ifs:
                self.visit(condition)
        for part in ("key", "value", "elt"):
            if hasattr(node, part):
                self.visit(getattr(node, part))
        self.shadow.pop()

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = visit_comprehension_node

    def target(self, node: ast.AST) -> None:
        """An assignment target: names are bound, attributes and items change their root."""
        if isinstance(node, ast.Name):
            self.store(node.id)
        elif isinstance(node, ast.Tuple | ast.List):
            for element in node.elts:
                self.target(element)
        elif isinstance(node, ast.Starred):
            self.target(node.value)
        elif isinstance(node, ast.Attribute | ast.Subscript):
            self.visit(node.value)
            if isinstance(node, ast.Subscript):
                self.visit(node.slice)
            root = root_name(node.value)
            if root:
                self.change(root, soft=False)
            if dotted(node.value) == "os.environ":
                self.environment.setdefault("os.environ")

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self.target(target)
            if isinstance(node.value, ast.Lambda) and isinstance(target, ast.Name):
                self.define(target.id, self.lambda_facts)  # `f = lambda x: ...`

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        if isinstance(node.target, ast.Name):
            self.load(node.target.id)
        self.target(node.target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.visit(node.annotation)
        if node.value is not None:
            self.visit(node.value)
            self.target(node.target)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            if not isinstance(target, ast.Name):
                self.target(target)
            elif self.module_scope:
                self.change(target.id, soft=False)  # unbound: earlier values no longer count
            else:
                self.store(target.id)  # `del x` makes x local to a function

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name.split(".")[0] in DYNAMIC_MODULES:
                self.dynamic = self.dynamic or f"import {alias.name}"
            if alias.name != "*":
                self.store(alias.asname or alias.name.split(".")[0])

    visit_ImportFrom = visit_Import

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self.store(node.name)
        self.block(node.body)

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        self.generic_visit(node)
        if node.name:
            self.store(node.name)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name:
            self.store(node.name)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        self.generic_visit(node)
        if node.rest:
            self.store(node.rest)

    def block(self, statements: Sequence[ast.AST]) -> None:
        for statement in statements:
            self.visit(statement)


class _BodyScan(Scan):
    """A function's or class's body: which globals it reads and writes when it runs."""

    def __init__(self, params: set[str], is_class: bool = False) -> None:
        super().__init__()
        self.is_class = is_class
        self.loads: set[str] = set()
        self.stores: set[str] = set(params)
        self.declared: set[str] = set()  # `global` and `nonlocal`
        self.globals: set[str] = set()
        self.changed: set[str] = set()
        self.soft_changed: set[str] = set()
        self.inner_reads: set[str] = set()
        self.inner_writes: set[str] = set()
        self.inner_soft_writes: set[str] = set()
        self.conditional = 0
        self.seeded = self.drew = self.reads_state = False

    def load(self, name: str) -> None:
        self.loads.add(name)

    def store(self, name: str) -> None:
        self.stores.add(name)

    def change(self, name: str, soft: bool) -> None:
        (self.soft_changed if soft else self.changed).add(name)

    def draw(self) -> None:
        self.drew = True
        self.reads_state = self.reads_state or not self.seeded

    def seed(self) -> None:
        self.seeded = self.seeded or (not self.conditional and not self.drew)

    def nested(self, facts: FunctionFacts) -> None:
        self.inner_reads |= facts.reads
        self.inner_writes |= facts.writes
        self.inner_soft_writes |= facts.soft_writes

    def visit_Global(self, node: ast.Global) -> None:
        self.declared.update(node.names)
        self.globals.update(node.names)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        self.declared.update(node.names)

    def compound(self, node: ast.AST) -> None:
        self.conditional += 1
        self.generic_visit(node)
        self.conditional -= 1

    def local(self) -> set[str]:
        return (self.stores | self.declared) - self.globals

    def direct_reads(self) -> set[str]:
        return (self.loads - self.local()) | (self.loads & self.globals)

    def facts(self, name: str) -> FunctionFacts:
        local = self.local()
        reads = self.direct_reads() | (self.inner_reads - (set() if self.is_class else local))
        writes = (self.stores & self.globals) | (self.changed - local) | self.inner_writes
        if self.reads_state:
            reads.add(RANDOM_STATE)
        if self.drew or self.seeded:
            writes.add(RANDOM_STATE)
        if self.dynamic:
            reads.add(ANY_NAME)
        soft = (self.soft_changed | self.inner_soft_writes) - local - writes
        return FunctionFacts(name, frozenset(reads), frozenset(writes - local), frozenset(soft))


def function_facts(name: str, args: ast.arguments, body: Sequence[ast.AST]) -> FunctionFacts:
    params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    params |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
    scan = _BodyScan(params)
    scan.block(body)
    return scan.facts(name)
