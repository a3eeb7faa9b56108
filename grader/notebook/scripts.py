"""Percent-format Python scripts as cells: where a script's cells begin and what kind each is.

A script is split at jupytext percent markers (`# %%` or `#%%`; cells marked `[markdown]`,
`[md]` or `[raw]` are not code) or at the `# In[ ]:` markers that nbconvert's script export
writes. Text before the first marker is a cell only if it holds code. Used by
`submission.load_submission` (which grades the code cells) and by the notebook feedback
(which shows a script as the notebook it stands for).
"""

from __future__ import annotations

import re

MAX_CELLS = 5_000


class TooManyCells(Exception):
    """The script has more than MAX_CELLS cells."""


_PERCENT_MARKER = re.compile(r"#\s*%%(?!%)(?P<rest>.*)")
_NOTEBOOK_EXPORT_MARKER = re.compile(r"#\s*In\s*\[[\s\d]*\]\s*:\s*")
_NON_CODE_MARKER = re.compile(r"\s*\[(markdown|md|raw)\]")
_NON_CODE_KINDS = {"markdown": "markdown", "md": "markdown", "raw": "raw"}
_COMMENT_MARK = re.compile(r"^# ?")
_ASSIGNMENT_COMMENT = re.compile(r"#\s*grader:\s*assignment\s*=\s*(?P<id>\S+)\s*")


def script_cells(text: str) -> tuple[tuple[str, str], ...] | None:
    """A script's cells as grading numbers them, each as (cell type, source): "code", or
    "markdown" and "raw" with their comment marks removed (the notebook format's view of a
    script). None if the script is over the cell limit."""
    try:
        chunks = script_chunks(split_lines(text))
    except TooManyCells:
        return None
    return tuple((kind, _uncommented(body) if kind != "code" else body) for kind, body in chunks)


def split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def script_chunks(lines: list[str]) -> list[tuple[str, str]]:
    """The cells of a script, (cell type, source), as `_parse_script` numbers them."""
    chunks = _split_at_markers(lines)
    if len(chunks) > 1 and not holds_code(chunks[0][1]):
        chunks = chunks[1:]  # a header of comments before the first marker is not a cell
    if len(chunks) > MAX_CELLS:
        raise TooManyCells()
    return [(kind, _trim_blank_lines(body)) for kind, body in chunks]


def _split_at_markers(lines: list[str]) -> list[tuple[str, list[str]]]:
    """The lines between cell markers, each run with the type of cell it is."""
    chunks: list[tuple[str, list[str]]] = [("code", [])]
    for line in lines:
        opens = _marker_kind(line)
        if opens is None:
            chunks[-1][1].append(line)
        elif len(chunks) > MAX_CELLS:  # stops a marker bomb early; the caller counts exactly
            raise TooManyCells()
        else:
            chunks.append((opens, []))
    return chunks


def _marker_kind(line: str) -> str | None:
    """None for an ordinary line; for a cell marker, the type of the cell it opens."""
    percent = _PERCENT_MARKER.fullmatch(line.rstrip())
    if percent:
        kind = _NON_CODE_MARKER.match(percent["rest"])
        return "code" if kind is None else _NON_CODE_KINDS[kind[1]]
    return "code" if _NOTEBOOK_EXPORT_MARKER.fullmatch(line.rstrip()) else None


def _uncommented(source: str) -> str:
    """A markdown or raw cell of a script without its comment marks (`# text` is `text`)."""
    return "\n".join(_COMMENT_MARK.sub("", line, count=1) for line in source.split("\n"))


def holds_code(lines: list[str]) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") for line in lines)


def _trim_blank_lines(lines: list[str]) -> str:
    kept = [number for number, line in enumerate(lines) if line.strip()]
    return "\n".join(lines[kept[0] : kept[-1] + 1]) if kept else ""


def comment_assignment_id(lines: list[str]) -> str | None:
    for line in lines:
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return None  # only the comments before the first line of code count
        found = _ASSIGNMENT_COMMENT.fullmatch(stripped)
        if found:
            return found["id"]
    return None
