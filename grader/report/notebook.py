"""Feedback inside the student's own notebook: `feedback_notebook(report, submitted)`.

The notebook handed in comes back whole (every cell, markdown included, outputs as they
were) with markdown cells added by the grader: a summary at the top (score, the tasks at a
glance, notices, the tasks no cell defines, cells that did not run cleanly) and, right after
the cell that defines each graded function (for a `variable` task, the cell that assigns the
variable; the last such cell, since grading uses the last definition), that task's feedback.
Every added cell is rendered from the student view (`view_of(report, instructor=False)`) with
the Markdown templates, so it shows exactly what the other student formats show, and carries
the cell metadata `{"grader": {"feedback": true}}`: grading the notebook again ignores those
cells (`is_feedback_cell`) and writing its feedback replaces them, never stacks them.

A file whose SHA-256 is not the report's (changed since it was graded) is not shown. A script
(`.py`) becomes a notebook of its cells as grading splits them; a file that is not a
readable notebook (an invalid submission) gets a notebook of the summary alone. A notebook that
does not follow the format is rebuilt from what can be read: its cells, with their outputs if
those are valid, else without them (the summary says so). The result always passes
`nbformat.validate`. nbformat is imported only when a notebook is built.
"""

from __future__ import annotations

import hashlib
import json
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.notebook.cell_plan.facts import CellKind, analyze_cell
from grader.notebook.scripts import script_cells
from grader.notebook.submission import (
    FEEDBACK_KEY,
    MAX_JSON_CONTAINERS,
    MAX_JSON_VALUES,
    MAX_NOTEBOOK_BYTES,
    MAX_SCRIPT_BYTES,
    is_feedback_cell,
)
from grader.report.model import GradeReport, SubmissionStatus, TaskResult
from grader.report.render import markdown_environment
from grader.report.student_view import view_of

NOTEBOOK_FORMATS = ("notebook", "notebook-html")
SUMMARY_TEMPLATE = "notebook_summary.md.j2"
TASK_TEMPLATE = "notebook_task.md.j2"
NOTEBOOK_MINOR = 5  # cells carry ids from nbformat 4.5 on; older notebooks are brought up to it
PYTHON_METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}
_SIZE_LIMITS = {".ipynb": MAX_NOTEBOOK_BYTES, ".py": MAX_SCRIPT_BYTES}
_CELL_ID = re.compile(r"[a-zA-Z0-9_-]{1,64}")
# Where a cell that does not parse defines a name (the planner reads nothing from it).
_DEFINITION = re.compile(r"^(?:async\s+def|def|class)\s+(\w+)|^(\w+)\s*(?::[^=\n]*)?=(?!=)", re.M)


@dataclass(frozen=True)
class SubmittedFile:
    """A submission's file as handed in: its name (the suffix says notebook or script) and
    bytes."""

    name: str
    content: bytes

    @property
    def suffix(self) -> str:
        """ ".ipynb", ".py", or another suffix (lower-cased)."""
        return Path(self.name).suffix.lower()


@dataclass(frozen=True)
class _StudentNotebook:
    notebook: Any  # an nbformat NotebookNode without feedback cells
    outputs_left_out: bool = False
    changed: bool = False  # the file is not the one graded: its cells are left out


def read_submitted(path: Path) -> SubmittedFile | None:
    """The file at `path`, or None if it is not a notebook or script within the size limits
    of grading or cannot be read (its report then says why)."""
    limit = _SIZE_LIMITS.get(path.suffix.lower())
    if limit is None:
        return None
    try:
        with path.open("rb") as handle:
            content = handle.read(limit + 1)
    except (OSError, ValueError):
        return None
    return SubmittedFile(path.name, content) if len(content) <= limit else None


def feedback_notebook(report: GradeReport, submitted: SubmittedFile | None) -> str:
    """The student's notebook with the feedback cells, as nbformat v4 JSON text.

    Args:
        report: the graded submission (either view: the cells show the student view).
        submitted: the file that was graded; None (or a file that cannot be read as a
            notebook) gives a notebook of the summary cell alone.

    Returns:
        A notebook that passes `nbformat.validate`, ending with a newline.
    """
    import nbformat

    view = view_of(report, instructor=False)
    try:
        student = _student_notebook(submitted, report)
    except Exception:  # a bug of ours on odd input must not cost the student the summary
        student = None
    if student is None:
        student = _StudentNotebook(_validated(_new_notebook([])))
    notebook = student.notebook
    placed, unplaced = _placements(notebook.cells, view.tasks)
    taken = {cell.get("id") for cell in notebook.cells}
    summary = _render(
        SUMMARY_TEMPLATE,
        report=view,
        placed=bool(placed),
        unplaced=unplaced,
        outputs_left_out=student.outputs_left_out,
        changed=student.changed,
    )
    first = _feedback_cell(summary, {"summary": True}, "grader-summary", taken)
    notebook.cells = [first, *_interleaved(notebook.cells, placed, taken)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nbformat.validate(notebook)
        return str(nbformat.writes(notebook)).rstrip("\n") + "\n"


def _interleaved(
    cells: Sequence[Any], placed: dict[int, list[TaskResult]], taken: set[Any]
) -> list[Any]:
    """The student's cells, each followed by the feedback cells of the tasks placed after it."""
    result = []
    for index, cell in enumerate(cells):
        result.append(cell)
        for task in placed.get(index, ()):
            text = _render(TASK_TEMPLATE, task=task)
            result.append(_feedback_cell(text, {"task": task.name}, f"grader-{task.name}", taken))
    return result


def _render(template: str, **values: Any) -> str:
    text = markdown_environment().get_template(template).render(**values)
    return str(text).strip()


def _feedback_cell(text: str, marker: dict[str, Any], wanted_id: str, taken: set[Any]) -> Any:
    """A markdown cell holding feedback, marked as the grader's, read-only in Jupyter."""
    import nbformat

    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata = {FEEDBACK_KEY: {"feedback": True, **marker}, "editable": False}
    cell.id = _unique_id(re.sub(r"[^a-zA-Z0-9_-]", "-", wanted_id)[:56], taken)
    return cell


def _unique_id(wanted: str, taken: set[Any]) -> str:
    found, number = wanted, 1
    while found in taken:
        number += 1
        found = f"{wanted}-{number}"
    taken.add(found)
    return found


# --- where each task's feedback goes -----------------------------------------------------
def _placements(
    cells: Sequence[Any], tasks: Sequence[TaskResult]
) -> tuple[dict[int, list[TaskResult]], list[TaskResult]]:
    """For each cell position, the tasks whose feedback follows it: the last code cell that
    defines each task's function (or assigns its variable); and the tasks no cell defines
    (missing, imported from a module, or stored before reports named the function)."""
    defined: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if cell.get("cell_type") == "code":
            for name in _defined_names(str(cell.get("source", ""))):
                defined[name] = index
    placed: dict[int, list[TaskResult]] = {}
    unplaced = []
    for task in tasks:
        if task.function in defined:
            placed.setdefault(defined[task.function], []).append(task)
        else:
            unplaced.append(task)
    return placed, unplaced


def _defined_names(source: str) -> frozenset[str]:
    """The names a cell defines: functions, classes and assignments, on every path or some;
    not names it imports (a function graded from a helper module is defined by no cell)."""
    facts = analyze_cell(source)
    if facts.kind is CellKind.SYNTAX_ERROR:
        return frozenset(name for pair in _DEFINITION.findall(source) for name in pair if name)
    imported = {name for name, _ in facts.imports}
    return (facts.binds | facts.maybe_binds) - imported


# --- the student's notebook, readable and valid -------------------------------------------
def _student_notebook(
    submitted: SubmittedFile | None, report: GradeReport
) -> _StudentNotebook | None:
    """The submitted file as a valid notebook without feedback cells, or None."""
    if submitted is None or report.status is SubmissionStatus.INVALID:
        return None  # an invalid file is not parsed again: it may be a bomb, or not JSON
    digest = report.submission_sha256
    if digest and hashlib.sha256(submitted.content).hexdigest() != digest:
        return _StudentNotebook(_validated(_new_notebook([])), changed=True)
    try:
        text = submitted.content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if submitted.suffix == ".py":
        chunks = script_cells(text)
        notebook = None if chunks is None else _validated(_new_notebook(_script_cells(chunks)))
        return None if notebook is None else _StudentNotebook(notebook)
    data = _notebook_data(text) if submitted.suffix == ".ipynb" else None
    return None if data is None else _valid_notebook(data)


def _notebook_data(text: str) -> dict[str, Any] | None:
    """The notebook's JSON, upgraded to v4, within the caps grading applies; else None."""
    containers = text.count("{") + text.count("[")
    if containers > MAX_JSON_CONTAINERS or containers + text.count(",") > MAX_JSON_VALUES:
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or type(data.get("nbformat")) is not int:
        return None
    if data["nbformat"] == 4:
        return data
    import nbformat

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = nbformat.versions[data["nbformat"]]
            old = reader.to_notebook_json(data, minor=data.get("nbformat_minor", 0))
            upgraded = nbformat.convert(old, 4)
    except Exception:  # nbformat's converters fail on odd fields with whatever they trigger
        return None
    return dict(upgraded)


def _valid_notebook(data: dict[str, Any]) -> _StudentNotebook | None:
    """The notebook as it is if it is valid once its feedback cells are gone; else rebuilt
    from its readable cells: with their outputs and its metadata, with their outputs, or
    without outputs, the first of these that is valid."""
    cells = data.get("cells")
    if not isinstance(cells, list):
        return None
    kept = [cell for cell in cells if not is_feedback_cell(cell)]
    minor = max(_int(data.get("nbformat_minor")), NOTEBOOK_MINOR)
    with_outputs = _rebuilt(kept, True)
    for candidate, left_out in (
        ({**data, "cells": kept, "nbformat_minor": minor}, False),
        ({**_new_notebook(with_outputs), "metadata": data.get("metadata")}, False),
        (_new_notebook(with_outputs), False),
        (_new_notebook(_rebuilt(kept, False)), True),
    ):
        notebook = _validated(candidate)
        if notebook is not None:
            return _StudentNotebook(notebook, left_out)
    return None


def _validated(data: dict[str, Any]) -> Any:
    """`data` as a NotebookNode with an id on every cell and its sources and outputs' texts
    joined into strings, if it passes validation."""
    import nbformat

    try:
        notebook = nbformat.from_dict(json.loads(json.dumps(data)))  # a deep, plain copy
        _give_ids(notebook.cells)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nbformat.validate(notebook)
        return nbformat.v4.rwbase.rejoin_lines(notebook)  # sources as strings, as `reads` does
    except Exception:  # ValidationError, or a structure the validator itself trips on
        return None


def _give_ids(cells: list[Any]) -> None:
    """Unique, valid ids: a cell keeps its own unless it is missing, malformed or taken."""
    taken: set[Any] = {cell.get("id") for cell in cells}
    kept: set[str] = set()
    for number, cell in enumerate(cells):
        wanted = cell.get("id")
        if not isinstance(wanted, str) or not _CELL_ID.fullmatch(wanted) or wanted in kept:
            wanted = _unique_id(f"cell-{number}", taken)
        kept.add(wanted)
        cell["id"] = wanted


def _rebuilt(cells: list[Any], with_outputs: bool) -> list[dict[str, Any]]:
    """The readable cells of a notebook that does not validate, rebuilt field by field."""
    rebuilt = []
    for cell in cells:
        if not isinstance(cell, dict):
            continue
        kind = cell.get("cell_type") if cell.get("cell_type") in ("code", "raw") else "markdown"
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(part for part in source if isinstance(part, str))
        new: dict[str, Any] = {"cell_type": kind, "metadata": {}, "source": str(source)}
        if kind == "code":
            count = cell.get("execution_count")
            new["execution_count"] = count if type(count) is int and count >= 0 else None
            outputs = cell.get("outputs")
            new["outputs"] = outputs if with_outputs and isinstance(outputs, list) else []
        rebuilt.append(new)
    return rebuilt


def _script_cells(chunks: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """A script's cells as notebook cells, in the order grading numbers them."""
    cells = []
    for kind, source in chunks:
        cell: dict[str, Any] = {"cell_type": kind, "metadata": {}, "source": source}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        cells.append(cell)
    return cells


def _new_notebook(cells: list[dict[str, Any]]) -> dict[str, Any]:
    notebook = {"nbformat": 4, "nbformat_minor": NOTEBOOK_MINOR, "metadata": {}, "cells": cells}
    notebook["metadata"] = json.loads(json.dumps(PYTHON_METADATA))
    return notebook


def _int(value: object) -> int:
    return value if type(value) is int else 0
