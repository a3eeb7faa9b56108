"""Loading a student's submission: a Jupyter notebook or a percent-format Python script.

`load_submission(path)` never raises for a bad file: what a student can get wrong comes back
as `Submission.error`, a sentence saying what is wrong and what to do.

Notebooks (`.ipynb`) go through what `nbformat.reads(text, as_version=4)` does (parse, upgrade
v1-v3, validate) step by step, so each failure gets its own message and nothing is logged.
Caps on size, brackets and cells stop a notebook bomb before or while it is parsed, and
outputs are dropped as they are parsed: they are never graded, so never kept.

Validation recovery rule: a notebook that fails `nbformat.validate` is still graded, with a
line in `Submission.notes`, if `cells` is a list of objects that each have a string
`cell_type`, and each code cell's `source` is a string or a list of strings; else an error.
With `defer_format_check`, validation (and importing nbformat, a tenth of a second) runs in a
background thread while grading starts; `Submission.with_format_notes()` waits for its note.

Markdown cells the grader added with its feedback (`--format notebook`: cell metadata
`{"grader": {"feedback": true}}`) are not the student's: they are left out before cells are
numbered, so a feedback notebook handed in again is graded, and numbered, as the original.

Scripts (`.py`) are split into cells at jupytext percent markers (`# %%` or `#%%`; cells
marked `[markdown]`, `[md]` or `[raw]` are skipped) or at the `# In[ ]:` markers that
nbconvert's script export writes. Text before the first marker is a cell only if it holds
code; a header of comments is dropped. A file without markers is one cell.

Assignment id: from notebook metadata `grader.assignment`, then `assignment`, then otter's
`otter.assignment_name`; in a script, from a comment `# grader: assignment=<id>` among the
comment lines before its first line of code. It is never required.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import stat
import warnings
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from textwrap import shorten
from typing import Any

from grader.notebook.format_check import FormatCheck, validation_notes
from grader.notebook.scripts import (
    MAX_CELLS,
    TooManyCells,
    comment_assignment_id,
    holds_code,
    script_chunks,
    split_lines,
)

MAX_NOTEBOOK_BYTES = 50_000_000
MAX_SCRIPT_BYTES = 5_000_000
MAX_SOURCE_BYTES = 5_000_000
MAX_JSON_VALUES = 2_000_000  # commas and brackets, in strings too: they bound what parsing builds
MAX_JSON_CONTAINERS = 250_000  # brackets alone: objects and lists cost the most memory
MAX_DETAIL_CHARS = 200
FEEDBACK_KEY = "grader"  # cell metadata `{"grader": {"feedback": true}}`: a feedback cell

_REDOWNLOAD = "Re-download it from Jupyter with File > Download and submit again."
_CLEAR_OUTPUTS = "Clear the outputs (Kernel > Restart & Clear Output), save, and submit again."
ACCEPTED_TYPES = "a Jupyter notebook (.ipynb) or a Python script (.py)"
FILE_NOT_FOUND = "The file {name} does not exist: check the name and submit again."
IS_DIRECTORY = f"{{name}} is a folder, not a file: submit {ACCEPTED_TYPES}."
NOT_REGULAR_FILE = f"{{name}} is not a regular file: submit {ACCEPTED_TYPES}."
PERMISSION_DENIED = "The grader may not read {name}: ask your instructor to check its permissions."
UNREADABLE = "The file {name} could not be read ({reason}): submit it again."
UNSUPPORTED_TYPE = f"Files of type {{suffix}} cannot be graded: submit {ACCEPTED_TYPES}."
NOTEBOOK_TOO_LARGE = f"The file is over the grader's {MAX_NOTEBOOK_BYTES // 10**6} MB limit. "
NOTEBOOK_TOO_LARGE += _CLEAR_OUTPUTS
SCRIPT_TOO_LARGE = (
    f"The file is over the grader's {MAX_SCRIPT_BYTES // 10**6} MB limit: "
    "load large data from a file instead of pasting it into the code."
)
NOT_UTF8 = (
    "The file is not UTF-8 text (an invalid byte at position {position}): it may be damaged. "
    "Save it as UTF-8 (Jupyter always does) and submit again."
)
NOT_JSON = "The file is not valid JSON (line {line}, column {column}): the notebook is damaged. "
NOT_JSON += _REDOWNLOAD
TOO_DEEP = "The file is nested too deeply to be a notebook: it is damaged. " + _REDOWNLOAD
TOO_COMPLEX = (
    "The notebook holds more data than the grader reads, most likely in outputs. " + _CLEAR_OUTPUTS
)
NOT_A_NOTEBOOK = (
    "The file is JSON but not a Jupyter notebook: it has no notebook format version. "
    "Submit the .ipynb file that Jupyter saves (File > Download)."
)
UNSUPPORTED_VERSION = "The notebook declares format version {version}, which the grader "
UNSUPPORTED_VERSION += "does not know (it reads versions 1 to 4). " + _REDOWNLOAD
DAMAGED = "The notebook's structure is damaged and its cells cannot be read. " + _REDOWNLOAD
DAMAGED_CELL = "Cell {index} of the notebook is damaged (its type or code cannot be read). "
DAMAGED_CELL += _REDOWNLOAD
TOO_MANY_CELLS = "The file has more than {limit:,} cells, the grader's limit: "
TOO_MANY_CELLS += "delete the cells you do not need and submit again."
TOO_MUCH_CODE = "The code cells hold more than {limit_mb} MB of text, the grader's limit: "
TOO_MUCH_CODE += "load large data from a file instead of pasting it into a cell."
NOT_UNICODE = "Cell {index} contains characters that are not valid text. " + _REDOWNLOAD
NO_CODE_CELLS = "The notebook has no code cells: nothing to grade."
ONLY_COMMENTS = "The notebook's code cells hold only comments: nothing to grade."
NO_CODE_IN_SCRIPT = "The script has no code: nothing to grade."


class SubmissionKind(StrEnum):
    """What a submission file is, from its suffix."""

    IPYNB = "ipynb"
    PY = "py"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Cell:
    """One code cell: its position among all cells of the notebook (0-based) and its code."""

    index: int
    source: str


@dataclass(frozen=True)
class Submission:
    """A loaded submission, or the reason it cannot be graded.

    Attributes:
        path: The file as given.
        sha256: Hex digest of the raw bytes; "" when the file was not read in full.
        cells: The non-blank code cells, in order (blank ones are dropped).
        assignment_id: The assignment the file declares, if any.
        error: Why the file cannot be graded, in words for the student; None if it can.
        kind: The file type, from its suffix.
        notes: Problems that did not stop grading (a notebook recovered from bad format).
        format_check: The notebook's validation when it runs in the background
            (`defer_format_check`); `with_format_notes()` adds its note.
    """

    path: Path
    sha256: str
    cells: tuple[Cell, ...]
    assignment_id: str | None
    error: str | None
    kind: SubmissionKind
    notes: tuple[str, ...] = field(default=())
    format_check: FormatCheck | None = field(default=None, compare=False, repr=False)

    @property
    def ok(self) -> bool:
        """Whether the submission can be graded."""
        return self.error is None

    def with_format_notes(self) -> Submission:
        """The submission with the background validation's note (waits for it)."""
        if self.format_check is None:
            return self
        notes = (*self.format_check.notes(), *self.notes)
        return dataclasses.replace(self, notes=notes, format_check=None)


_KINDS = {".ipynb": SubmissionKind.IPYNB, ".py": SubmissionKind.PY}
_SIZE_LIMITS = {
    SubmissionKind.IPYNB: (MAX_NOTEBOOK_BYTES, NOTEBOOK_TOO_LARGE),
    SubmissionKind.PY: (MAX_SCRIPT_BYTES, SCRIPT_TOO_LARGE),
}


class _Rejected(Exception):
    """A submission problem; its message is the text the student reads."""


@dataclass(frozen=True)
class _Parsed:
    cells: tuple[Cell, ...]
    assignment_id: str | None
    notes: tuple[str, ...] = ()
    notebook: Any = None  # the parsed notebook, for a deferred validation


def load_submission(path: Path, *, defer_format_check: bool = False) -> Submission:
    """Load a notebook or script for grading; never raises for a bad or missing file.

    Args:
        path: The submitted file.
        defer_format_check: validate a notebook in a background thread (see the module
            docstring); call `with_format_notes()` on the result for its note.

    Returns:
        The submission; check `error` (or `ok`) before grading it.
    """
    path = Path(path)
    kind = _KINDS.get(path.suffix.lower(), SubmissionKind.UNKNOWN)
    digest = ""
    try:
        raw = _read_file(path, kind)
        digest = hashlib.sha256(raw).hexdigest()
        text = _decode(raw)
        del raw
        parsed = _parse_notebook(text) if kind is SubmissionKind.IPYNB else _parse_script(text)
        cells = _checked_cells(parsed.cells, kind)
    except _Rejected as rejection:
        return Submission(path, digest, (), None, str(rejection), kind)
    notes, check = parsed.notes, None
    if parsed.notebook is not None:
        if defer_format_check:
            check = FormatCheck(parsed.notebook)
        else:
            notes = (*validation_notes(parsed.notebook), *notes)
    return Submission(path, digest, cells, parsed.assignment_id, None, kind, notes, check)


def _read_file(path: Path, kind: SubmissionKind) -> bytes:
    """The file's bytes, refusing folders, other types and files over the size limit."""
    name = path.name
    if kind is SubmissionKind.UNKNOWN:
        message = IS_DIRECTORY if path.is_dir() else UNSUPPORTED_TYPE
        raise _Rejected(message.format(name=name, suffix=path.suffix or "(none)"))
    limit, too_large = _SIZE_LIMITS[kind]
    try:
        info = path.stat()  # before opening: opening a named pipe would block
        if not stat.S_ISREG(info.st_mode):
            message = IS_DIRECTORY if stat.S_ISDIR(info.st_mode) else NOT_REGULAR_FILE
            raise _Rejected(message.format(name=name))
        if info.st_size > limit:
            raise _Rejected(too_large)
        with path.open("rb") as handle:
            raw = handle.read(info.st_size + 1)  # read(limit) would allocate all of limit
            if len(raw) > info.st_size:  # the file grew after stat; read on to the limit
                raw += handle.read(limit + 1 - len(raw))
    except (FileNotFoundError, NotADirectoryError, ValueError):  # ValueError: a NUL in the path
        raise _Rejected(FILE_NOT_FOUND.format(name=name)) from None
    except PermissionError:
        raise _Rejected(PERMISSION_DENIED.format(name=name)) from None
    except OSError as error:
        raise _Rejected(UNREADABLE.format(name=name, reason=error.strerror)) from None
    if len(raw) > limit:
        raise _Rejected(too_large)
    return raw


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")  # a byte-order mark some editors add is no error
    except UnicodeDecodeError as error:
        raise _Rejected(NOT_UTF8.format(position=error.start)) from None


def _checked_cells(cells: tuple[Cell, ...], kind: SubmissionKind) -> tuple[Cell, ...]:
    """Drop blank cells, refuse a notebook with no code (no cells, or only blank and comment
    lines: an empty notebook is not "graded" with every function missing), and enforce the
    code size cap (in UTF-8 bytes)."""
    kept = tuple(cell for cell in cells if cell.source.strip())
    if not kept:
        raise _Rejected(NO_CODE_CELLS if kind is SubmissionKind.IPYNB else NO_CODE_IN_SCRIPT)
    total = 0
    for cell in kept:
        try:
            total += len(cell.source.encode("utf-8"))
        except UnicodeEncodeError:  # lone surrogates, from JSON escapes like "\ud800"
            raise _Rejected(NOT_UNICODE.format(index=cell.index)) from None
        if total > MAX_SOURCE_BYTES:
            raise _Rejected(TOO_MUCH_CODE.format(limit_mb=MAX_SOURCE_BYTES // 1_000_000))
    if not any(holds_code(cell.source.splitlines()) for cell in kept):
        raise _Rejected(ONLY_COMMENTS if kind is SubmissionKind.IPYNB else NO_CODE_IN_SCRIPT)
    return kept


# --- notebooks --------------------------------------------------------------------------------
def _parse_notebook(text: str) -> _Parsed:
    notebook = _upgrade(_parse_json(text))
    cells = _code_cells(notebook)
    return _Parsed(cells, _metadata_assignment_id(notebook.get("metadata")), (), notebook)


def _parse_json(text: str) -> dict[str, Any]:
    cells_seen = 0

    def drop_outputs(obj: dict[str, Any]) -> dict[str, Any]:
        # Runs on each object as soon as it is parsed: a cell's outputs die before the next cell.
        nonlocal cells_seen
        if "cell_type" in obj:
            cells_seen += 1
            if cells_seen > MAX_CELLS:
                raise _Rejected(TOO_MANY_CELLS.format(limit=MAX_CELLS))
            if "outputs" in obj:
                obj["outputs"] = []
            obj.pop("attachments", None)
        return obj

    containers = text.count("{") + text.count("[")
    if containers > MAX_JSON_CONTAINERS or containers + text.count(",") > MAX_JSON_VALUES:
        raise _Rejected(TOO_COMPLEX)
    try:
        data = json.loads(text, object_hook=drop_outputs)
    except json.JSONDecodeError as error:
        raise _Rejected(NOT_JSON.format(line=error.lineno, column=error.colno)) from None
    except RecursionError:
        raise _Rejected(TOO_DEEP) from None
    if not isinstance(data, dict) or "nbformat" not in data:
        raise _Rejected(NOT_A_NOTEBOOK)
    return data


def _upgrade(data: dict[str, Any]) -> Any:
    """Upgrade v1-v3 to nbformat v4 (a plain dict stays one), as `nbformat.reads` does."""
    major = data["nbformat"]
    if type(major) is int and major == 4:  # nbformat's v4 reader only tidies, slowly, and
        return data  # fails on odd cells
    import nbformat  # only for older notebooks: importing it takes a tenth of a second

    if type(major) is not int or major not in nbformat.versions:
        raise _Rejected(UNSUPPORTED_VERSION.format(version=shorten(repr(major), MAX_DETAIL_CHARS)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = nbformat.versions[major]
            notebook = reader.to_notebook_json(data, minor=data.get("nbformat_minor", 0))
            return nbformat.convert(notebook, 4)
    # nbformat's converters assume a well-formed notebook; a malformed field makes them fail
    # with whatever error it triggers (KeyError, TypeError, AttributeError, ...).
    except Exception:
        raise _Rejected(DAMAGED) from None


def is_feedback_cell(cell: object) -> bool:
    """Is this a markdown cell the grader added with its feedback (`--format notebook`)?"""
    if not isinstance(cell, dict) or cell.get("cell_type") != "markdown":
        return False
    metadata = cell.get("metadata")
    marker = metadata.get(FEEDBACK_KEY) if isinstance(metadata, dict) else None
    return isinstance(marker, dict) and marker.get("feedback") is True


def _code_cells(notebook: Any) -> tuple[Cell, ...]:
    """The code cells, if the structure is usable (the recovery rule in the module doc)."""
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise _Rejected(DAMAGED)
    found = []
    for index, cell in enumerate(cell for cell in cells if not is_feedback_cell(cell)):
        if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
            raise _Rejected(DAMAGED_CELL.format(index=index))
        if cell["cell_type"] != "code":
            continue
        source = cell.get("source")
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise _Rejected(DAMAGED_CELL.format(index=index))
        found.append(Cell(index=index, source=source))
    return tuple(found)


def _metadata_assignment_id(metadata: object) -> str | None:
    for keys in (("grader", "assignment"), ("assignment",), ("otter", "assignment_name")):
        value = metadata
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


# --- scripts (split by notebook/scripts.py) ----------------------------------------------
def _parse_script(text: str) -> _Parsed:
    lines = split_lines(text)
    try:
        chunks = script_chunks(lines)
    except TooManyCells:
        raise _Rejected(TOO_MANY_CELLS.format(limit=MAX_CELLS)) from None
    cells = tuple(
        Cell(index=index, source=source)
        for index, (kind, source) in enumerate(chunks)
        if kind == "code"
    )
    return _Parsed(cells, comment_assignment_id(lines))
