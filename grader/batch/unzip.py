"""Unpacking a class download zip: streamed, capped while reading, never trusting headers.

The whole zip is refused (`DiscoveryError`, one line; nothing is left in `unpacked/`) when it
cannot be a class download: its directory cannot be read (damaged, an unsupported zip
version, a name flagged UTF-8 that is not), it has more than `MAX_ZIP_FILES` files, a path is
absolute or climbs out with `..` (with `/` or `\\`), a path is nested more than `MAX_DEPTH`
folders deep, its notebooks would unpack (by their headers, or by the bytes actually read)
to more than `MAX_ZIP_BYTES`, or not one of its notebooks can be read (say every one is
encrypted).

One member is refused, and its student gets the reason in their row, when only it is bad:
hidden, a symbolic link, not a notebook or script, over its size limit (by its header or by
the bytes read), encrypted, compressed with a method other than stored or deflate (bzip2 and
LZMA decompress without an output limit), unpacking to more than `MAX_RATIO` times its
compressed size, damaged (a bad CRC, broken compressed data), or a second member of the same
name. Only notebooks and scripts are unpacked, each streamed in chunks of `CHUNK` bytes, so
memory stays small whatever the headers say.

Files are unpacked under ASCII names (`grader.batch.names.safe_file_name`) into a fresh
folder created beside `unpacked/<zip name>-<hash of the zip>/`, then renamed to it: two runs
unpacking the same zip at once each get a whole copy, and a run never sees half of one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shutil
import struct
import time
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import IO

from grader.batch.files import CHUNK, CREATE_FLAGS, FILE_MODE, FOLDER_FLAGS, OutputError, folder
from grader.batch.intake import (
    LINK,
    MAX_DEPTH,
    SIZE_LIMITS,
    TOO_LARGE,
    DiscoveryError,
    Found,
    is_ignored,
    refusal,
)
from grader.batch.names import escape_text, safe_file_name, safe_name

MAX_ZIP_FILES = 20_000
MAX_ZIP_BYTES = 2 * 1024**3
MAX_RATIO = 100
RATIO_FLOOR = 1 << 20  # smaller files may compress better than MAX_RATIO: harmless
METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
SYMLINK = 0o120000

UNREADABLE_ZIP = "{zip}: not a zip the grader can read ({reason}); nothing was graded"
TOO_MANY = "{zip}: more than {limit:,} files; refused (a zip bomb?)"
TOO_BIG = "{zip}: its notebooks unpack to more than {limit}; refused (a zip bomb?)"
UNSAFE = "{zip}: unsafe path {name} (absolute, or climbing out with ..); refused"
TOO_DEEP = "{zip}: {name} is nested more than {depth} folders deep; refused"
NONE_READABLE = "{zip}: none of its notebooks can be read ({reason}); refused"
CANNOT_UNPACK = "{zip}: cannot unpack into {folder} ({reason})"
ENCRYPTED = "{name} is encrypted in the zip, so it could not be read."
METHOD = "{name} is compressed with a method the grader does not unpack ({method})."
RATIO = (
    "{name} unpacks to more than {ratio} times its compressed size (a zip bomb?), "
    "so it was not unpacked."
)
DAMAGED = "{name} is damaged in the zip ({reason}), so it could not be unpacked."
DUPLICATE = "{name} is in the zip more than once; only the first copy was read."
PUBLISHED_NOT_A_FOLDER = "unpacked/{name} is a link or not a folder: remove it and run again."
_DRIVE = re.compile(r"^[A-Za-z]:")
_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    struct.error,
)


Members = list[tuple[zipfile.ZipInfo, tuple[str, ...]]]


@dataclass
class _Progress:
    """What unpacking one zip has used and met so far."""

    shown: str  # the zip's name, escaped
    budget: int = MAX_ZIP_BYTES  # bytes still allowed, across members
    tried: int = 0  # notebooks it tried to read
    unreadable: list[str] = field(default_factory=list)  # why each that failed could not be


def unpack_zip(archive: Path, workdir: Path) -> list[Found]:
    """Unpack the notebooks of `archive` into `workdir`; every member as a `Found`."""
    shown = escape_text(archive.name)
    try:
        with zipfile.ZipFile(archive) as handle:
            members = _checked_members(handle, shown)
            target = f"{safe_name(archive.stem)}-{_digest(archive)}"
            with folder(workdir) as work:
                found = _unpack_into(handle, members, work, target, _Progress(shown))
    except (*_READ_ERRORS, UnicodeDecodeError) as error:
        raise DiscoveryError(UNREADABLE_ZIP.format(zip=shown, reason=_reason(error))) from None
    except OSError as error:
        where = escape_text(str(workdir))
        reason = error.strerror or str(error)
        raise DiscoveryError(CANNOT_UNPACK.format(zip=shown, folder=where, reason=reason)) from None
    base = workdir / target
    return [replace(item, path=base / item.path) if item.path else item for item in found]


def _checked_members(handle: zipfile.ZipFile, shown: str) -> Members:
    """Members with their paths, or the whole zip refused."""
    members = handle.infolist()
    if sum(not member.is_dir() for member in members) > MAX_ZIP_FILES:
        raise DiscoveryError(TOO_MANY.format(zip=shown, limit=MAX_ZIP_FILES))
    checked = []
    declared = 0
    for member in members:
        parts = _parts(member.filename, shown)
        if not parts or is_ignored(parts):
            continue
        checked.append((member, parts))
        if not member.is_dir() and not refusal(parts, member.file_size):
            declared += member.file_size
    if declared > MAX_ZIP_BYTES:
        raise DiscoveryError(TOO_BIG.format(zip=shown, limit=_in_units(MAX_ZIP_BYTES)))
    return checked


def _parts(filename: str, shown: str) -> tuple[str, ...]:
    """The path of a member as parts; `/` and `\\` both separate (zips made on Windows)."""
    name = escape_text(filename)
    if filename.startswith(("/", "\\")) or _DRIVE.match(filename):
        raise DiscoveryError(UNSAFE.format(zip=shown, name=name))
    parts = tuple(p for p in re.split(r"[/\\]", filename) if p not in ("", "."))
    if ".." in parts:
        raise DiscoveryError(UNSAFE.format(zip=shown, name=name))
    if len(parts) > MAX_DEPTH:
        raise DiscoveryError(TOO_DEEP.format(zip=shown, name=name, depth=MAX_DEPTH))
    return parts


def _unpack_into(
    handle: zipfile.ZipFile, members: Members, work: int, target: str, progress: _Progress
) -> list[Found]:
    """Unpack into a fresh folder in `work` and rename it to `target`; paths in the result
    are relative to `target`. A refused zip leaves nothing behind."""
    partial = f".{secrets.token_hex(8)}.partial"
    os.mkdir(partial, 0o700, dir_fd=work)
    try:
        found = [
            _member_found(handle, member, parts, work, partial, progress)
            for member, parts in members
        ]
        if progress.tried and len(progress.unreadable) == progress.tried:
            reason = progress.unreadable[0]
            raise DiscoveryError(NONE_READABLE.format(zip=progress.shown, reason=reason))
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True, dir_fd=work)
        raise
    _publish(work, partial, target)
    return found


def _member_found(
    handle: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    parts: tuple[str, ...],
    work: int,
    partial: str,
    progress: _Progress,
) -> Found:
    """One member as a `Found`, unpacked if it can be graded."""
    if member.is_dir():
        return Found(parts, refused=refusal(parts, 0, folder=True), folder=True)
    mtime = _mtime(member)
    reason = _name_refusal(member, parts)
    if not reason:
        progress.tried += 1
        reason = _header_refusal(member, parts)
        if reason:
            progress.unreadable.append(reason)
    if reason:
        return Found(parts, size=member.file_size, mtime=mtime, refused=reason)
    disk = tuple(safe_file_name(part) for part in parts)
    size, reason = _extract(handle, member, work, (partial, *disk), progress)
    return Found(parts, None if reason else Path(*disk), size, mtime, reason)


def _name_refusal(member: zipfile.ZipInfo, parts: tuple[str, ...]) -> str:
    """Why a member is not a notebook to read: a link, hidden, not a notebook, too large."""
    if (member.external_attr >> 16) & 0o170000 == SYMLINK:
        return LINK.format(name=escape_text("/".join(parts)))
    return refusal(parts, member.file_size)


def _header_refusal(member: zipfile.ZipInfo, parts: tuple[str, ...]) -> str:
    """Why a notebook in the zip cannot be read: encrypted, an unsupported compression."""
    name = escape_text("/".join(parts))
    if member.flag_bits & 0x1:
        return ENCRYPTED.format(name=name)
    if member.compress_type not in METHODS:
        return METHOD.format(name=name, method=_method_name(member.compress_type))
    return ""


def _extract(
    handle: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    work: int,
    disk: tuple[str, ...],
    progress: _Progress,
) -> tuple[int, str]:
    """Stream one member to `disk` (below `work`); (bytes written, why refused or "")."""
    name = escape_text(member.filename)
    limit = SIZE_LIMITS[PurePosixPath(disk[-1]).suffix]
    parent = _make_folders(work, disk[:-1])
    try:
        try:
            out = os.open(disk[-1], CREATE_FLAGS, FILE_MODE, dir_fd=parent)
        except FileExistsError:  # the same name twice in the zip: the first copy counts
            return 0, DUPLICATE.format(name=name)
        with os.fdopen(out, "wb") as sink:
            try:
                with handle.open(member) as source:
                    written, reason = _copy(source, sink, member, limit, progress)
            except _READ_ERRORS as error:
                written, reason = 0, DAMAGED.format(name=name, reason=_reason(error))
                progress.unreadable.append(reason)
            stamp = _mtime(member)
            os.utime(sink.fileno(), (stamp, stamp))  # it decides between a student's files
        if reason:
            os.unlink(disk[-1], dir_fd=parent)
        return written, reason
    finally:
        os.close(parent)


def _copy(
    source: IO[bytes], sink: IO[bytes], member: zipfile.ZipInfo, limit: int, progress: _Progress
) -> tuple[int, str]:
    """Copy chunk by chunk, checking the limits on the bytes actually read."""
    name = escape_text(member.filename)
    written = 0
    while chunk := source.read(CHUNK):
        written += len(chunk)
        progress.budget -= len(chunk)
        if progress.budget < 0:  # zipfile stops at the declared sizes already: a second guard
            raise DiscoveryError(TOO_BIG.format(zip=progress.shown, limit=_in_units(MAX_ZIP_BYTES)))
        if written > limit:
            return written, TOO_LARGE.format(name=name, limit_mb=limit // 10**6)
        if written > RATIO_FLOOR and written > MAX_RATIO * max(member.compress_size, 1):
            return written, RATIO.format(name=name, ratio=MAX_RATIO)
        sink.write(chunk)
    return written, ""


def _make_folders(work: int, parts: tuple[str, ...]) -> int:
    """A descriptor of the folder `parts` below `work`, created as needed, never a link."""
    current = os.dup(work)
    for part in parts:
        with contextlib.suppress(FileExistsError):
            os.mkdir(part, 0o700, dir_fd=current)
        try:
            following = os.open(part, FOLDER_FLAGS, dir_fd=current)
        finally:
            os.close(current)
        current = following
    return current


def _publish(work: int, partial: str, target: str) -> None:
    """Rename the unpacked folder to `target`; if another run got there first, keep its copy
    (the same zip, so the same files) and remove ours."""
    try:
        os.rename(partial, target, src_dir_fd=work, dst_dir_fd=work)
    except OSError:
        shutil.rmtree(partial, ignore_errors=True, dir_fd=work)
    try:
        os.close(os.open(target, FOLDER_FLAGS, dir_fd=work))
    except OSError:
        raise OutputError(PUBLISHED_NOT_A_FOLDER.format(name=target)) from None


def _digest(archive: Path) -> str:
    """A short hash of the zip's bytes: a new download unpacks into a new folder."""
    digest = hashlib.sha256()
    with archive.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()[:12]


def _mtime(member: zipfile.ZipInfo) -> float:
    try:
        return time.mktime((*member.date_time, 0, 0, -1))
    except (OverflowError, ValueError):
        return 0.0


def _method_name(method: int) -> str:
    names = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "LZMA"}
    return names.get(method, f"method {method}")


def _in_units(size: int) -> str:
    return f"{size // 1024**3} GB" if size >= 1024**3 else f"{size // 1024**2} MB"


def _reason(error: BaseException) -> str:
    return escape_text(str(error) or type(error).__name__)[:200]
