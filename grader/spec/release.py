"""The student release: a notebook to fill, and public checks that need no hidden material.

`build_release(assignment)` returns the notebook, the text of `public_checks.py` and the files
that go beside them, so that the handout runs in plain Jupyter (numpy, and TensorFlow for the
Keras assignments):

- the notebook has the assignment's description, one section per graded function with its
  signature and docstring (taken from the reference, without the grader's injectable helper
  arguments) and a body of `raise NotImplementedError()`, and after each function a cell that
  runs its public cases (`check("sigmoid", sigmoid)`);
- `public_checks.py` holds the public cases' inputs and expected values (public by
  definition) in the plain wire format, the wire decoder, and a small `check` function;
- the assignment's helper modules (`helper_modules` and `provided_modules`, from `helpers/`)
  and the data files kept beside them there (any file in `helpers/` that is not Python),
  copied byte for byte.

Nothing hidden goes into any of them: no hidden seed, no hidden case, no reference code, no
`cases.py`. The same assignment gives byte-identical files on every run.
"""

from __future__ import annotations

import ast
import inspect
import json
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat

from grader.report.model import Visibility
from grader.sandbox import wire
from grader.spec.cases import generate_cases
from grader.spec.load import load_cases_module, load_reference
from grader.spec.model import Assignment, AssignmentError, Task
from grader.spec.options import KerasTrainingOptions

CHECKS_MODULE = "public_checks"
NOT_IMPLEMENTED_BODY = "    # YOUR CODE HERE\n    raise NotImplementedError()\n"
CHECKER_SOURCE = Path(__file__).with_name("public_checker.py")
PYTHON_SUFFIXES = (".py", ".pyc")
MISSING_HELPER = "{id}: helper module {name} is not in {folder} (named in assignment.toml)"
CLASHING_HELPER = "{id}: a file in helpers/ may not be named {name} (the release writes it)"


@dataclass(frozen=True)
class Release:
    """A built release: the notebook, the checks module's source, and the files copied beside
    them (helper modules and their data files)."""

    notebook: nbformat.NotebookNode
    checks_source: str
    files: tuple[Path, ...] = ()

    def write(self, directory: Path, assignment_id: str) -> list[Path]:
        """Write `<id>.ipynb`, `public_checks.py` and a copy of each of `files` into
        `directory`; return the paths written, in that order."""
        directory.mkdir(parents=True, exist_ok=True)
        notebook_path = directory / f"{assignment_id}.ipynb"
        checks_path = directory / f"{CHECKS_MODULE}.py"
        notebook_path.write_text(nbformat.writes(self.notebook) + "\n", encoding="utf-8")
        checks_path.write_text(self.checks_source, encoding="utf-8")
        written = [notebook_path, checks_path]
        for source in self.files:
            written.append(directory / source.name)
            written[-1].write_bytes(source.read_bytes())
        return written


def build_release(assignment: Assignment) -> Release:
    """Build the student notebook and its public checks for `assignment`."""
    reference = load_reference(assignment)
    files = handout_files(assignment)
    cells = [_markdown(_introduction(assignment, files)), _code(_setup_source(assignment))]
    for task in assignment.tasks:
        cells.append(_markdown(f"## {task.title}\n\n*{_points(task.points)}*"))
        if task.kind in ("accuracy", "keras_training"):
            cells.append(_markdown(_application_text(task)))
            continue
        if task.kind == "variable":
            cells.append(
                _code(
                    f"# GRADED ANSWER: {task.function}\n\n"
                    f"{task.function} = None  # YOUR ANSWER HERE ({task.signature})"
                )
            )
            continue
        if any(
            c.get("source", "").startswith(f"# GRADED FUNCTION: {task.function}\n") for c in cells
        ):
            continue  # a function graded twice (by value and by outcome) is written once
        cells.append(
            _code(
                f"# GRADED FUNCTION: {task.function}\n\n"
                + skeleton(getattr(reference, task.function))
            )
        )
        cells.append(_code(f'check("{task.function}", {task.function})'))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {
        "grader": {"assignment": assignment.id},
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    }
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index:03d}"  # stable ids: the shipped release stays byte-equal
    return Release(notebook, _checks_source(assignment, reference), files)


def handout_files(assignment: Assignment) -> tuple[Path, ...]:
    """The files the release copies beside the notebook: the helper modules (those the
    notebook imports, then those only older course notebooks import), then the data files in
    `helpers/` (every file there that is not Python), by name.

    Raises:
        AssignmentError: A helper module is missing, or a file would overwrite the notebook
            or `public_checks.py`.
    """
    folder = assignment.directory / "helpers"
    modules = assignment.helper_files()
    data = sorted(
        (
            path
            for path in (folder.iterdir() if folder.is_dir() else ())
            if path.is_file()
            and path.suffix not in PYTHON_SUFFIXES
            and not path.name.startswith(".")
        ),
        key=lambda path: path.name,
    )
    for path in modules:
        if not path.is_file():
            raise AssignmentError(
                MISSING_HELPER.format(id=assignment.id, name=path.name, folder=folder)
            )
    for path in (*modules, *data):
        if path.name in (f"{assignment.id}.ipynb", f"{CHECKS_MODULE}.py"):
            raise AssignmentError(CLASHING_HELPER.format(id=assignment.id, name=path.name))
    return (*modules, *data)


def skeleton(function: Any) -> str:
    """The function's definition with its docstring and an empty body to fill. Keyword-only
    parameters (the grader's injectable helpers) are dropped."""
    node = _function_node(function)
    node.args.kwonlyargs, node.args.kw_defaults = [], []
    docstring = ast.get_docstring(node, clean=False)
    node.body = [ast.Pass()]
    header = ast.unparse(node).rsplit("\n", 1)[0]  # drop the placeholder `pass`
    doc = f'    """{docstring}"""\n' if docstring else ""
    return f"{header}\n{doc}{NOT_IMPLEMENTED_BODY}"


def reference_source(function: Any) -> str:
    """The reference function's full source without its keyword-only helper parameters
    (used to fill a released notebook in tests)."""
    node = _function_node(function)
    node.args.kwonlyargs, node.args.kw_defaults = [], []
    return ast.unparse(node) + "\n"


def _function_node(function: Any) -> ast.FunctionDef:
    tree = ast.parse(inspect.getsource(function).strip("\n"))
    node = tree.body[0]
    assert isinstance(node, ast.FunctionDef)
    # Defaults as literal values: the contract says `num_iterations=100`, not a module constant.
    positional = [
        p
        for p in inspect.signature(function).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    defaults = [p.default for p in positional if p.default is not p.empty]
    node.args.defaults = [ast.Constant(value) for value in defaults]
    node.decorator_list = []
    node.returns = None
    for arg in [*node.args.args, *node.args.kwonlyargs]:
        arg.annotation = None
    return node


def _introduction(assignment: Assignment, beside: tuple[Path, ...]) -> str:
    files = ", ".join(f"`{name}`" for name in [f"{CHECKS_MODULE}.py", *(p.name for p in beside)])
    return (
        f"# {assignment.title}\n\n{assignment.description.strip()}\n\n"
        "**How to work.** Fill in each function marked `# GRADED FUNCTION` (replace "
        "`raise NotImplementedError()` with your code). The cell after each function runs its "
        "public checks. Keep the function names and parameters exactly as given. To check the "
        f"whole notebook: `grade check {assignment.id}.ipynb`. Keep the files handed out with "
        f"it in its folder: {files}. Hidden cases are graded too, so "
        "make your code correct in general, not just for the examples."
    )


def _setup_source(assignment: Assignment) -> str:
    lines = [*assignment.imports, f"from {CHECKS_MODULE} import check"]
    lines += [f"from {module} import *" for module in assignment.helper_modules]
    return "\n".join(lines)


def _application_text(task: Task) -> str:
    options = task.options
    if isinstance(options, KerasTrainingOptions):
        return (
            f"This part is graded by outcome: the grader builds your `{task.function}` with a "
            f"fixed seed, trains it for {options.epochs} epochs on its own split of "
            f"the {options.dataset} data (compiled with Adam and "
            f"{options.loss}), and requires a test accuracy of at least "
            f"{options.threshold:.0%} on images your code never sees the "
            f"labels of. There is nothing more to write here: it passes when your model learns."
        )
    dataset = getattr(options, "dataset", "") or "real data"
    threshold = float(getattr(options, "threshold", 0.0))
    return (
        f"This part is graded by outcome: the grader trains your `{task.function}` on held-out "
        f"data ({dataset}) and requires an accuracy of at "
        f"least {threshold:.0%}. There is nothing more to write "
        "here: it passes when your functions above are right."
    )


def _checks_source(assignment: Assignment, reference: Any) -> str:
    cases_module = load_cases_module(assignment)
    public: dict[str, list[Any]] = {}
    for task in assignment.tasks:
        if task.kind != "compare":
            continue
        for case in generate_cases(assignment, task, cases_module):
            if case.visibility is not Visibility.PUBLIC:
                continue
            expected = getattr(reference, task.function)(*case.inputs.args, **case.inputs.kwargs)
            entry = [case.inputs.args, case.inputs.kwargs, expected, task.rtol, task.atol]
            public.setdefault(task.function, []).append(wire.encode(entry))
    data = json.dumps(public, separators=(",", ":"), sort_keys=True)
    header = (
        f'"""Public checks for `{assignment.id}` (generated by `grade release`; '
        'public cases only)."""\n\n'
    )
    wire_source = Path(wire.__file__).read_text(encoding="utf-8").split('"""', 2)[2]
    checker = CHECKER_SOURCE.read_text(encoding="utf-8").split('"""', 2)[2]
    return f"{header}{wire_source}\n{checker}\n_CASES = json.loads({data!r})\n"


def _markdown(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(text)


def _code(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(text)


def _points(points: float) -> str:
    return f"{points:g} point" + ("" if points == 1 else "s")


def filled_release(notebook: nbformat.NotebookNode, reference: ModuleType) -> nbformat.NotebookNode:
    """The release notebook with every graded function and answer taken from the reference
    (and the reference's own constants and private helpers in a cell of their own)."""
    source = Path(reference.__file__ or "").read_text(encoding="utf-8")
    helpers = [
        ast.get_source_segment(source, node) or ""
        for node in ast.parse(source).body
        if not (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("grader"))
        and "Mistake" not in (ast.get_source_segment(source, node) or "")
        and not isinstance(node, ast.Expr)
    ]
    result = nbformat.from_dict(notebook)
    for cell in result.cells:
        if cell.cell_type == "code" and cell.source.startswith("# GRADED FUNCTION: "):
            name = cell.source.split("\n", 1)[0].removeprefix("# GRADED FUNCTION: ")
            cell.source = reference_source(getattr(reference, name))
        elif cell.cell_type == "code" and cell.source.startswith("# GRADED ANSWER: "):
            name = cell.source.split("\n", 1)[0].removeprefix("# GRADED ANSWER: ")
            cell.source = f"{name} = {getattr(reference, name)!r}"
    result.cells.insert(2, nbformat.v4.new_code_cell("\n\n".join(helpers)))
    return result
