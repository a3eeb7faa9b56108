"""What the scenario builders (`build_*.py`) share: scenarios, patching, v4 notebooks, writing.

The builders run as scripts (`.venv/bin/python tests/scenarios/build_x.py`), so this folder is
first on `sys.path` and a plain `import scenario_kit` finds this module. Each builder keeps its
own content (correct functions, scenarios, layout); this module only turns that content into
notebooks the same way for all of them, so the output stays byte-identical and deterministic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import nbformat
from nbformat import v4

ROOT = Path(__file__).resolve().parents[2]
SCENARIO_ROOT = ROOT / "tests" / "scenarios"

Cell = tuple[str, str]
"""One notebook cell as (cell type, source); the type is "code" or "markdown"."""


@dataclass
class Scenario:
    """One notebook: whole functions replaced, then textual patches (function, old, new)."""

    functions: dict[str, str] = field(default_factory=dict)
    patches: list[tuple[str, str, str]] = field(default_factory=list)


AnyScenario = TypeVar("AnyScenario", bound=Scenario)


def patch(function: str, old: str, new: str) -> Scenario:
    """A scenario that differs from the correct notebook by one textual edit.

    Args:
        function: The name of the graded function to edit.
        old: The text to find in the correct source; it must be there.
        new: The text that replaces it.

    Returns:
        The scenario.
    """
    return Scenario(patches=[(function, old, new)])


def patches(*edits: tuple[str, str, str]) -> Scenario:
    """A scenario that differs from the correct notebook by several textual edits.

    Args:
        *edits: The edits as (function, old, new), applied in order.

    Returns:
        The scenario.
    """
    return Scenario(patches=list(edits))


def patches_in(function: str, *edits: tuple[str, str]) -> Scenario:
    """A scenario that differs from the correct notebook by textual edits to one function.

    Args:
        function: The name of the graded function to edit.
        *edits: The edits as (old, new), applied in order.

    Returns:
        The scenario.
    """
    return Scenario(patches=[(function, old, new) for old, new in edits])


def apply(correct: Mapping[str, str], scenario: Scenario, label: str = "") -> dict[str, str]:
    """The graded functions of a scenario: its replacements, then its patches, on the correct.

    Args:
        correct: The correct source of every graded function, by name.
        scenario: The scenario to apply.
        label: A prefix for the error message (for example the assignment's name and ": ").

    Returns:
        The source of every graded function, by name, in the order of `correct`.

    Raises:
        ValueError: A patch's `old` text is not in the function it edits.
    """
    functions = {**correct, **scenario.functions}
    for name, old, new in scenario.patches:
        if old not in functions[name]:
            raise ValueError(f"{label}patch target not found in {name}: {old!r}")
        functions[name] = functions[name].replace(old, new)
    return functions


def function_cells(
    names: Iterable[str],
    headings: Mapping[str, str],
    functions: Mapping[str, str],
    tries: Mapping[str, str] | None = None,
) -> list[Cell]:
    """The cells of the graded functions: a heading, the function, and a try cell if any.

    Args:
        names: The graded functions, in notebook order.
        headings: The markdown heading of each function, by name.
        functions: The source of each function, by name.
        tries: The code cell that follows a function, for the functions that have one.

    Returns:
        The cells, in notebook order.
    """
    tries = tries or {}
    cells: list[Cell] = []
    for name in names:
        cells += [("markdown", headings[name]), ("code", functions[name])]
        if name in tries:
            cells.append(("code", tries[name]))
    return cells


def new_notebook(cells: Iterable[Cell], grader: Mapping[str, str] | None) -> nbformat.NotebookNode:
    """A v4 notebook with deterministic cell ids (`cell-00`, `cell-01`, ...).

    Args:
        cells: The cells, in notebook order; trailing newlines are dropped from each source.
        grader: The grader's notebook metadata (`{"assignment": ...}`), or None for none.

    Returns:
        The notebook.
    """
    notebook_cells = []
    for index, (kind, source) in enumerate(cells):
        make = v4.new_code_cell if kind == "code" else v4.new_markdown_cell
        notebook_cells.append(make(source.rstrip("\n"), id=f"cell-{index:02d}"))
    metadata: dict[str, object] = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python", "version": "3.11"},
    }
    if grader is not None:
        metadata["grader"] = dict(grader)
    return v4.new_notebook(cells=notebook_cells, metadata=metadata)


def write_scenarios(
    directory: Path,
    scenarios: Mapping[str, AnyScenario],
    notebook: Callable[[AnyScenario], nbformat.NotebookNode],
) -> list[Path]:
    """Write each scenario's notebook as `<name>.ipynb` into a folder, creating it if needed.

    Args:
        directory: The folder to write into.
        scenarios: The scenarios, by file name without the `.ipynb` suffix.
        notebook: Makes the notebook of one scenario.

    Returns:
        The paths written, in the order of `scenarios`.
    """
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, scenario in scenarios.items():
        path = directory / f"{name}.ipynb"
        nbformat.write(notebook(scenario), path)
        written.append(path)
    return written


def write_assignment(
    assignment: str,
    correct: Mapping[str, str],
    scenarios: Mapping[str, Scenario],
    layout: Callable[[dict[str, str]], list[Cell]],
) -> list[Path]:
    """Write the scenarios of an assignment whose notebooks differ only in the graded functions.

    Each scenario's functions (see `apply`) are laid out into cells, made into a notebook with
    `{"assignment": assignment}` as the grader's metadata, and written to
    `tests/scenarios/<assignment>/<name>.ipynb`.

    Args:
        assignment: The assignment's name, also the folder's.
        correct: The correct source of every graded function, by name.
        scenarios: The scenarios, by file name without the `.ipynb` suffix.
        layout: The cells of a submission, in notebook order, given its graded functions.

    Returns:
        The paths written, in the order of `scenarios`.
    """
    grader = {"assignment": assignment}

    def notebook(scenario: Scenario) -> nbformat.NotebookNode:
        return new_notebook(layout(apply(correct, scenario)), grader)

    return write_scenarios(SCENARIO_ROOT / assignment, scenarios, notebook)


def main(write_all: Callable[[], list[Path]]) -> None:
    """Run a builder: write everything, then print each path written, relative to the repo.

    Args:
        write_all: The builder's function that writes its files and returns their paths.
    """
    for written_path in write_all():
        print(written_path.relative_to(ROOT))
