"""What a class download holds, file by file, and why a file cannot be graded.

Every file and folder under the submissions root becomes a `Found`: its path below the root
as the student named it (student input: shown only through `escape_text`), where to read it,
and, when it cannot be graded, why. `walk_folder` builds them from a folder without following
links; `grader.batch.unzip` from a zip. Discovery then groups them by student, so a student
whose files were all refused still gets a row with the reasons.

Refused, each with a sentence the student reads in their feedback and the instructor in the
gradebook: hidden files and folders (a name starting with a dot), symbolic links (never
followed: a link could point at the instructor's solution or at another student's work),
FIFOs, devices and sockets, files that are not `.ipynb` or `.py`, files over the size limit
of their kind (the limits `grader.submission` grades up to), unreadable files, and folders
nested deeper than `MAX_DEPTH`. Tool folders (`IGNORED_PARTS`: `__MACOSX`, checkpoints, `.git`,
`__pycache__`) are left out without a word: they are never a student's work.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from grader.batch.files import READ_FLAGS
from grader.batch.names import escape_text
from grader.notebook.submission import ACCEPTED_TYPES, MAX_NOTEBOOK_BYTES, MAX_SCRIPT_BYTES

SUFFIXES = (".ipynb", ".py")
SIZE_LIMITS = {".ipynb": MAX_NOTEBOOK_BYTES, ".py": MAX_SCRIPT_BYTES}
IGNORED_PARTS = frozenset({"__MACOSX", ".ipynb_checkpoints", ".git", "__pycache__", ".DS_Store"})
MAX_DEPTH = 16

HIDDEN = (
    "{name} is hidden (it or its folder has a name starting with a dot), so it was not read: "
    "rename it and submit again."
)
LINK = (
    "{name} is a symbolic link, and links are not followed (one could point at anybody's "
    "files): submit the file itself."
)
NOT_REGULAR = "{name} is not a regular file, so it was not read."
NOT_NOTEBOOK = f"{{name}} was not graded: submit {ACCEPTED_TYPES}."
TOO_LARGE = (
    "{name} is over the grader's {limit_mb} MB limit for this kind of file, so it was not read. "
    "Clear the outputs (Kernel > Restart & Clear Output), save, and submit again."
)
UNREADABLE = "{name} could not be read ({reason}): ask your instructor to check it."
TOO_DEEP = "{name} is nested more than {depth} folders deep, so it was not read."
NOTHING_GRADABLE = "Nothing you handed in could be graded. {reasons}"
NO_SUBMISSION = "Nothing was handed in that could be graded: {accepted} was expected{found}."
FOUND_ONLY = " (found: {names})"
EMPTY = " (the folder is empty)"
AND_MORE = "and {count} more"
SHOWN = 5  # refused files named in a message; the rest are counted
NOT_FOUND = "{path} does not exist"
NOT_USABLE = "{path} is not a folder, a zip or a notebook"
ROOT_UNREADABLE = "{path} cannot be read ({reason})"


class DiscoveryError(Exception):
    """The submissions cannot be read at all (not found, an unsafe or unreadable zip)."""


@dataclass(frozen=True)
class Found:
    """One file or folder under the submissions root."""

    parts: tuple[str, ...]  # its path below the root, as named there (student input)
    path: Path | None = None  # where to read it; None when it is not read
    size: int = 0
    mtime: float = 0.0
    refused: str = ""  # why it cannot be graded ("" when it can)
    folder: bool = False  # recorded so that an empty student folder still gets a row

    @property
    def shown(self) -> str:
        """Its path below the root, escaped for printing and storing."""
        return escape_text("/".join(self.parts))

    @property
    def suffix(self) -> str:
        """`.ipynb`, `.py`, ... (lower case), or "" for a folder."""
        return "" if self.folder else PurePosixPath(self.parts[-1]).suffix.lower()

    @property
    def usable(self) -> bool:
        """Can it be graded?"""
        return self.path is not None and not self.refused and not self.folder


def is_ignored(parts: tuple[str, ...]) -> bool:
    """Is this a tool's folder or file (left out without a word)?"""
    return any(part in IGNORED_PARTS for part in parts)


def refusal(parts: tuple[str, ...], size: int, *, folder: bool = False) -> str:
    """Why a file (or folder) cannot be graded, from its name and size alone; "" if it can."""
    name = escape_text("/".join(parts))
    if any(part.startswith(".") for part in parts):
        return HIDDEN.format(name=name)
    if len(parts) > MAX_DEPTH:
        return TOO_DEEP.format(name=name, depth=MAX_DEPTH)
    if folder:
        return ""
    suffix = PurePosixPath(parts[-1]).suffix.lower()
    if suffix not in SUFFIXES:
        return NOT_NOTEBOOK.format(name=name)
    if size > SIZE_LIMITS[suffix]:
        return TOO_LARGE.format(name=name, limit_mb=SIZE_LIMITS[suffix] // 10**6)
    return ""


def walk_folder(root: Path) -> list[Found]:
    """Every file and folder under `root`, without following links or entering refused
    folders (hidden, too deep, unreadable)."""
    found: list[Found] = []
    pending: list[tuple[str, ...]] = [()]
    while pending:
        parts = pending.pop()
        try:
            with os.scandir(root.joinpath(*parts)) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            if not parts:
                shown = escape_text(str(root))
                raise DiscoveryError(
                    ROOT_UNREADABLE.format(path=shown, reason=error.strerror)
                ) from None
            name = escape_text("/".join(parts))
            reason = UNREADABLE.format(name=name, reason=error.strerror)
            found.append(Found(parts, refused=reason, folder=True))
            continue
        for entry in entries:
            here = (*parts, entry.name)
            if not is_ignored(here):
                item = examine(entry, here)
                found.append(item)
                if item.folder and not item.refused:
                    pending.append(here)
    return found


def examine(entry: os.DirEntry[str], parts: tuple[str, ...]) -> Found:
    """One directory entry as a `Found` (links and special files refused, never opened)."""
    name = escape_text("/".join(parts))
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError as error:
        return Found(parts, refused=UNREADABLE.format(name=name, reason=error.strerror))
    if stat.S_ISLNK(info.st_mode):  # refused; whether it names a folder decides its owner
        return Found(parts, refused=LINK.format(name=name), folder=_links_to_folder(entry))
    if stat.S_ISDIR(info.st_mode):
        return Found(parts, refused=refusal(parts, 0, folder=True), folder=True)
    if not stat.S_ISREG(info.st_mode):
        return Found(parts, refused=NOT_REGULAR.format(name=name))
    reason = refusal(parts, info.st_size) or _unreadable(Path(entry.path), name)
    path = None if reason else Path(entry.path)
    return Found(parts, path, info.st_size, info.st_mtime, reason)


def _links_to_folder(entry: os.DirEntry[str]) -> bool:
    """Does a link name a folder? (`stat` follows it; nothing is opened or read.)"""
    try:
        return entry.is_dir(follow_symlinks=True)
    except OSError:
        return False


def _unreadable(path: Path, name: str) -> str:
    """Why `path` cannot be opened for reading, or "" (it is opened, not read)."""
    try:
        os.close(os.open(path, READ_FLAGS))
    except OSError as error:
        return UNREADABLE.format(name=name, reason=error.strerror)
    return ""


def single_file(path: Path) -> list[Found]:
    """The one submission `grade batch` was given directly (the instructor named it)."""
    parts = (path.name,)
    info = path.stat()
    name = escape_text(path.name)
    reason = refusal(parts, info.st_size) or _unreadable(path, name)
    return [Found(parts, None if reason else path, info.st_size, info.st_mtime, reason)]


def nothing_gradable(found: list[Found]) -> str:
    """The message of a student none of whose files can be graded."""
    refused = [
        item.refused
        for item in found
        if item.refused and item.refused != NOT_NOTEBOOK.format(name=item.shown)
    ]
    if not refused:  # no notebook or script at all: say what there was
        others = [item.shown for item in found if not item.folder]
        there = FOUND_ONLY.format(names=listing(others)) if others else EMPTY
        return NO_SUBMISSION.format(accepted=ACCEPTED_TYPES, found=there)
    return NOTHING_GRADABLE.format(reasons=" ".join(bounded(refused)))


def bounded(items: list[str]) -> list[str]:
    """The first `SHOWN` items, and how many more there are."""
    more = [AND_MORE.format(count=len(items) - SHOWN)] if len(items) > SHOWN else []
    return items[:SHOWN] + more


def listing(items: list[str]) -> str:
    """Items joined with commas, at most `SHOWN` of them named."""
    return ", ".join(bounded(items))
