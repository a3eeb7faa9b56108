"""Find the submissions of a class: who handed in which file, and who handed in nothing usable.

Recognised layouts (`find_submissions(path, assignment_id, workdir)`):

- a directory of notebooks: `alice.ipynb`, `bob.py` -> students `alice`, `bob`;
- a directory of student folders: `alice/hw1.ipynb` -> `alice` (files in nested folders too);
- an LMS download, as a zip or already unpacked:
  - Canvas: `<name>_<user id>_<attachment id>_<file>` (or `<name>_LATE_<user id>_...`, which
    Canvas writes for a late submission: the entry is marked `late`), e.g.
    `doejane_12345_67890_hw1.ipynb` -> student `doejane`, LMS id `12345` (the Canvas user id);
  - Moodle: folders `<Full Name>_<id>_assignsubmission_file_/<file>` -> `Full Name`, `<id>`
    (the assignment's participant id, not the Moodle user id).

Anything else is graded under its file name (without suffix), never dropped. Only `.ipynb` and
`.py` files are graded. When a student has several, one is graded and the choice is reported:
a file named like the assignment (its id in the name) first, then notebooks before scripts,
then the most recently modified, then the name.

Every student gets an `Entry`, also one none of whose files can be graded (hidden, a link,
too large, unreadable, not a notebook: see `grader.batch.intake`): its `refused` says why, and
the batch stores that as an invalid result scored 0. `choose_file` is that choice for one
student's files (Gradescope's autograder uses it for its one submission). A student is a
student folder, a Moodle
folder, a Canvas file name, or a top-level `.ipynb` / `.py` file; other loose files at the top
(a `readme.txt`) belong to nobody.

Names are student input. Each student's results are stored under a key from
`grader.batch.names.student_keys`: unique by construction, ASCII, bounded in length. The name
as handed in is kept, escaped, in `Entry.name`.
"""

from __future__ import annotations

import re
import stat
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from grader.batch.intake import (
    NOT_FOUND,
    NOT_USABLE,
    SUFFIXES,
    DiscoveryError,
    Found,
    bounded,
    listing,
    nothing_gradable,
    single_file,
    walk_folder,
)
from grader.batch.names import escape_text, student_keys
from grader.batch.unzip import unpack_zip

__all__ = ["Choice", "DiscoveryError", "Entry", "choose_file", "find_submissions"]

CANVAS = re.compile(
    r"^(?P<name>[^_]+?)_(?P<late>LATE_)?(?P<id>\d+)_(?P<submission>\d+)_(?P<file>.+)$"
)
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_\w+?_?$")
STUDENT_PATTERNS = ("Canvas file name", "Moodle folder", "student folder")

SEVERAL = "{count} files; graded {chosen} ({why}); not graded: {others}"
NOT_READ = "not read: {reasons}"
WHY_NAMED = "named like the assignment"
WHY_NOTEBOOK = "a notebook rather than a script"
WHY_NEWEST = "the most recently modified"

Owner = tuple[str, str]  # (name as handed in, LMS id)


class Origin(NamedTuple):
    """Whose a file or folder is, read from its name."""

    name: str  # as handed in
    lms_id: str
    pattern: str  # which layout recognised it
    late: bool = False  # Canvas marked the submission late (`_LATE_` in its file name)


@dataclass(frozen=True)
class Entry:
    """One student's submission as found on disk."""

    student: str  # the key results are stored under: unique, ASCII, safe as a file name
    path: Path | None  # the file to grade; None when nothing can be graded (see `refused`)
    name: str = ""  # the student's name as handed in, escaped (printable characters only)
    source: str = ""  # the graded file below the submissions root, escaped
    lms_id: str = ""
    pattern: str = "file name"  # which layout recognised it
    note: str = ""  # which file was graded when there were several; files not read
    refused: str = ""  # why nothing was graded ("" when `path` is set)
    late: bool = False  # the LMS marked it late (Canvas' `_LATE_`)


@dataclass(frozen=True)
class Choice:
    """Which of one student's files is graded, and what to say about the rest."""

    chosen: Found | None  # None when none can be graded
    note: str = ""  # which file was graded when there were several; files not read
    refused: str = ""  # why nothing can be graded ("" when `chosen` is set)


def find_submissions(path: Path, assignment_id: str, workdir: Path) -> list[Entry]:
    """Every student under `path` (a folder, a zip or one notebook), sorted by key.

    Raises:
        DiscoveryError: `path` does not exist, or is a zip that is refused as a whole.
    """
    found = _found(path, workdir)
    groups: dict[Owner, list[Found]] = defaultdict(list)
    origins: dict[Owner, list[Origin]] = defaultdict(list)
    for item in found:
        origin = _origin(item)
        groups[(origin.name, origin.lms_id)].append(item)
        origins[(origin.name, origin.lms_id)].append(origin)
    owners = [owner for owner, items in groups.items() if _is_student(items, origins[owner])]
    keys = student_keys(owners)
    entries = [
        _entry(keys[owner], groups[owner], origins[owner], assignment_id) for owner in owners
    ]
    return sorted(entries, key=lambda e: (e.student.casefold(), e.lms_id))


def _found(path: Path, workdir: Path) -> list[Found]:
    """Every file and folder of the download, the root folder of a zip unwrapped."""
    try:
        info = path.stat()  # the path the instructor named may be a link: it is followed
    except OSError:
        raise DiscoveryError(NOT_FOUND.format(path=escape_text(str(path)))) from None
    if stat.S_ISDIR(info.st_mode):
        return walk_folder(path)
    if not stat.S_ISREG(info.st_mode):
        raise DiscoveryError(NOT_USABLE.format(path=escape_text(str(path))))
    if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
        return _unwrapped(unpack_zip(path, workdir))
    return single_file(path.resolve())


def _unwrapped(found: list[Found]) -> list[Found]:
    """Without the one folder a zip may wrap everything in (`HW1/<student>/...`)."""
    while True:
        files = [item for item in found if not item.folder]
        tops = {item.parts[0] for item in found}
        if len(tops) != 1 or not files or any(len(item.parts) < 2 for item in files):
            return found
        if MOODLE.match(next(iter(tops))):  # one student's folder, not a wrapper
            return found
        found = [
            Found(item.parts[1:], item.path, item.size, item.mtime, item.refused, item.folder)
            for item in found
            if len(item.parts) > 1
        ]


def _origin(item: Found) -> Origin:
    """Whose a file or folder is, from its first folder or its name."""
    if len(item.parts) > 1 or item.folder:
        folder = item.parts[0]
        moodle = MOODLE.match(folder)
        if moodle:
            return Origin(moodle["name"], moodle["id"], "Moodle folder")
        return Origin(folder, "", "student folder")
    canvas = CANVAS.match(item.parts[0])
    if canvas:
        return Origin(canvas["name"], canvas["id"], "Canvas file name", bool(canvas["late"]))
    return Origin(PurePosixPath(item.parts[0]).stem, "", "file name")


def _is_student(items: list[Found], origins: list[Origin]) -> bool:
    """A student folder, an LMS name, or a notebook at the top (not a loose `readme.txt`)."""
    return any(o.pattern in STUDENT_PATTERNS for o in origins) or any(
        i.suffix in SUFFIXES for i in items
    )


def _entry(key: str, items: list[Found], origins: list[Origin], assignment_id: str) -> Entry:
    name, lms_id = origins[0].name, origins[0].lms_id
    choice = choose_file(items, assignment_id)
    if choice.chosen is None:
        origin = next((o for o in origins if o.pattern in STUDENT_PATTERNS), origins[0])
        return Entry(
            key,
            None,
            escape_text(name),
            lms_id=lms_id,
            pattern=origin.pattern,
            note=choice.refused,
            refused=choice.refused,
            late=any(o.late for o in origins),
        )
    origin = origins[items.index(choice.chosen)]
    return Entry(
        key,
        choice.chosen.path,
        escape_text(name),
        choice.chosen.shown,
        lms_id,
        origin.pattern,
        choice.note,
        late=origin.late,
    )


def choose_file(items: list[Found], assignment_id: str) -> Choice:
    """Which of one student's files to grade: a file named like the assignment first, then a
    notebook before a script, then the most recently modified, then the name.

    Args:
        items: the student's files and folders (refused ones included: they are named).
        assignment_id: the assignment, whose id in a file name marks the file to grade.

    Returns:
        The chosen file with a note on the others, or why none can be graded.
    """
    usable = [item for item in items if item.usable]
    not_read = [item.refused for item in items if item.refused and item.suffix in SUFFIXES]
    if not usable:
        reason = nothing_gradable(items)
        return Choice(None, reason, reason)
    ordered = sorted(usable, key=lambda item: _rank(item, assignment_id))
    notes = [_several(ordered, assignment_id)] if len(ordered) > 1 else []
    if not_read:
        notes.append(NOT_READ.format(reasons=" ".join(bounded(not_read))))
    return Choice(ordered[0], "; ".join(notes))


def _rank(item: Found, assignment_id: str) -> tuple[bool, bool, float, str]:
    return (
        _squash(assignment_id) not in _squash(item.parts[-1]),
        item.suffix != ".ipynb",
        -item.mtime,
        item.parts[-1],
    )


def _several(ordered: list[Found], assignment_id: str) -> str:
    """Which of several files was graded, and why."""
    wanted = _squash(assignment_id)
    chosen, runner_up = ordered[0], ordered[1]
    if wanted in _squash(chosen.parts[-1]) and wanted not in _squash(runner_up.parts[-1]):
        why = WHY_NAMED
    elif chosen.suffix != runner_up.suffix:
        why = WHY_NOTEBOOK
    else:
        why = WHY_NEWEST
    others = listing([escape_text(item.parts[-1]) for item in ordered[1:]])
    return SEVERAL.format(
        count=len(ordered), chosen=escape_text(chosen.parts[-1]), why=why, others=others
    )


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())
