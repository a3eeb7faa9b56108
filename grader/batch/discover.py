"""Find the submissions of a class: who handed in which file.

Recognised layouts (`find_submissions(path, assignment_id, workdir)`):

- a directory of notebooks: `alice.ipynb`, `bob.py` -> students `alice`, `bob`;
- a directory of student folders: `alice/hw1.ipynb` -> `alice` (files in nested folders too);
- an LMS download, as a zip or already unpacked:
  - Canvas: `<name>_<user id>_<submission id>_<file>` (or `<name>_LATE_<user id>_...`), e.g.
    `doejane_12345_67890_hw1.ipynb` -> student `doejane`, LMS id `12345`;
  - Moodle: folders `<Full Name>_<id>_assignsubmission_file_/<file>` -> `Full Name`, `<id>`.

Anything else is graded under its file name (without suffix), never dropped. Only `.ipynb` and
`.py` files count; `__MACOSX`, `.ipynb_checkpoints` and hidden files are ignored. When a
student has several files, one is graded and the choice is reported: a file named like the
assignment (its id in the name) first, then notebooks before scripts, then the most recently
modified, then the name.

Zips are unpacked into `workdir` with checks: no absolute or `..` paths, at most
`MAX_ZIP_FILES` entries and `MAX_ZIP_BYTES` uncompressed, so a zip bomb stops with a clear error.
"""

from __future__ import annotations

import os
import re
import time
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

SUFFIXES = (".ipynb", ".py")
IGNORED_PARTS = ("__MACOSX", ".ipynb_checkpoints")
MAX_ZIP_FILES = 20_000
MAX_ZIP_BYTES = 4 * 1024**3
MAX_FILE_BYTES = 200 * 1024**2

CANVAS = re.compile(r"^(?P<name>[^_]+?)_(?:LATE_)?(?P<id>\d+)_(?P<submission>\d+)_(?P<file>.+)$")
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_\w+?_?$")


class DiscoveryError(Exception):
    """The submissions path cannot be read (not found, an unsafe or oversized zip)."""


@dataclass(frozen=True)
class Entry:
    """One student's submission as found on disk."""

    student: str  # the key results are stored under (unique within a batch)
    path: Path
    lms_id: str = ""
    pattern: str = "file name"  # which layout recognised it
    note: str = ""  # why this file, when the student handed in several


def find_submissions(path: Path, assignment_id: str, workdir: Path) -> list[Entry]:
    """Every student's submission under `path` (a directory or a zip), sorted by student."""
    if not path.exists():
        raise DiscoveryError(f"{path} does not exist")
    root = path
    if path.is_file() and zipfile.is_zipfile(path):
        root = _unpack(path, workdir)
        while len(children := list(root.iterdir())) == 1 and children[0].is_dir():
            root = children[0]  # a zip that wraps everything in one folder
    if root.is_file():
        return [_single(root)]
    found: dict[tuple[str, str, str], list[Path]] = defaultdict(list)
    for file in sorted(p for p in root.rglob("*") if p.is_file() and _counts(p, root)):
        found[_owner(file, root)].append(file)
    entries = [_choose(key, files, assignment_id) for key, files in found.items()]
    return _unique(sorted(entries, key=lambda e: (e.student.lower(), e.lms_id)))


def _single(file: Path) -> Entry:
    return Entry(_clean(file.stem), file)


def _counts(file: Path, root: Path) -> bool:
    parts = file.relative_to(root).parts
    hidden = any(part.startswith(".") or part in IGNORED_PARTS for part in parts)
    return file.suffix.lower() in SUFFIXES and not hidden


def _owner(file: Path, root: Path) -> tuple[str, str, str]:
    """(student, LMS id, pattern) for a file, from its first folder or its name."""
    relative = file.relative_to(root).parts
    if len(relative) > 1:
        folder = relative[0]
        moodle = MOODLE.match(folder)
        if moodle:
            return moodle["name"], moodle["id"], "Moodle folder"
        return folder, "", "student folder"
    canvas = CANVAS.match(file.name)
    if canvas:
        return canvas["name"], canvas["id"], "Canvas file name"
    return file.stem, "", "file name"


def _choose(key: tuple[str, str, str], files: list[Path], assignment_id: str) -> Entry:
    student, lms_id, pattern = key
    wanted = _squash(assignment_id)

    def rank(file: Path) -> tuple[bool, bool, float, str]:
        return (
            wanted not in _squash(file.name),
            file.suffix.lower() != ".ipynb",
            -file.stat().st_mtime,
            file.name,
        )

    ordered = sorted(files, key=rank)
    chosen = ordered[0]
    note = ""
    if len(ordered) > 1:
        if wanted in _squash(chosen.name) and wanted not in _squash(ordered[1].name):
            why = "named like the assignment"
        elif chosen.suffix.lower() != ordered[1].suffix.lower():
            why = "a notebook rather than a script"
        else:
            why = "the most recently modified"
        others = ", ".join(f.name for f in ordered[1:])
        note = f"{len(ordered)} files; graded {chosen.name} ({why}); not graded: {others}"
    return Entry(_clean(student), chosen, lms_id, pattern, note)


def _unique(entries: list[Entry]) -> list[Entry]:
    """Two students with the same name get their LMS id (or a number) appended."""
    counts: dict[str, int] = defaultdict(int)
    for entry in entries:
        counts[entry.student] += 1
    seen: dict[str, int] = defaultdict(int)
    result = []
    for entry in entries:
        key = entry.student
        if counts[key] > 1:
            seen[key] += 1
            key = f"{key}-{entry.lms_id or seen[key]}"
        result.append(Entry(key, entry.path, entry.lms_id, entry.pattern, entry.note))
    return result


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _clean(name: str) -> str:
    """A student key that is safe as a file name."""
    cleaned = re.sub(r"[^\w.-]+", "_", name.strip()).strip("._")
    return cleaned or "unnamed"


def _unpack(archive: Path, workdir: Path) -> Path:
    """Unpack a zip into `workdir/<zip name>`, refusing unsafe or oversized archives."""
    target = workdir / archive.stem
    try:
        with zipfile.ZipFile(archive) as handle:
            members = [m for m in handle.infolist() if not m.is_dir()]
            if len(members) > MAX_ZIP_FILES:
                raise DiscoveryError(f"{archive}: more than {MAX_ZIP_FILES} files")
            if sum(m.file_size for m in members) > MAX_ZIP_BYTES:
                raise DiscoveryError(f"{archive}: more than {MAX_ZIP_BYTES >> 30} GB unpacked")
            for member in members:
                name = PurePosixPath(member.filename)
                if name.is_absolute() or ".." in name.parts:
                    raise DiscoveryError(f"{archive}: unsafe path {member.filename!r}")
                if Path(member.filename).suffix.lower() not in SUFFIXES:
                    continue
                if member.file_size > MAX_FILE_BYTES:
                    continue  # graded as missing rather than unpacked: far beyond any notebook
                destination = target.joinpath(*name.parts)
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(handle.read(member))
                _set_mtime(destination, member)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DiscoveryError(f"{archive}: cannot unpack ({exc})") from exc
    return target


def _set_mtime(path: Path, member: zipfile.ZipInfo) -> None:
    """Keep the archive's modification time: it decides between a student's files."""
    stamp = time.mktime((*member.date_time, 0, 0, -1))
    os.utime(path, (stamp, stamp))
