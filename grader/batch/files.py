"""Reading and writing a batch's files without following links.

A batch reads files it did not create (submissions, and stored results that anyone with
access to the output folder could have replaced) and writes into folders that could have been
replaced by links. So:

- `read_regular` opens with `O_NOFOLLOW | O_NONBLOCK` and checks the open file with `fstat`
  before reading: a link (say to `/dev/zero` or to another student's file), a FIFO (which
  would block a plain `open`), a device or a folder is refused, and so is a file over the size
  limit, which is never read past the limit even if it grows while being read.
- `open_folder` opens an output folder (creating it if missing) with `O_NOFOLLOW |
  O_DIRECTORY`, so a `results/`, `feedback/` or `unpacked/` that is a link or a file is refused
  with `OutputError` instead of being written through. The folder given to `grade batch -o`
  is resolved once by the caller (it may itself be a link the instructor made).
- `atomic_write` writes a new file in such a folder (`O_EXCL | O_NOFOLLOW`, under a fresh
  temporary name), flushes it to disk and renames it over the old one relative to the folder's
  descriptor: a reader, or a run killed at any moment, sees the old file or the new one, never
  half of one, and a link planted at the final name is replaced, not followed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

from grader.batch.names import escape_text

READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
FILE_MODE = 0o600  # results hold hidden seeds and expected values: the instructor's only
CHUNK = 1 << 20

NOT_A_FOLDER = (
    "{path} is a link or not a folder: refusing to write through it. Remove it (or choose "
    "another output folder) and run again."
)
CANNOT_OPEN = "{path} cannot be used as an output folder ({reason})."


class OutputError(Exception):
    """An output folder is a link, not a folder, or cannot be created."""


class NotRegularFile(OSError):
    """A link, FIFO, device or folder where a regular file was expected."""


class FileTooLarge(OSError):
    """A file over the size limit of what is read."""


def read_regular(path: Path | str, limit: int, *, dir_fd: int | None = None) -> bytes:
    """The bytes of a regular file that is not a link, at most `limit` of them.

    Raises:
        NotRegularFile: a link (the final component), FIFO, device or folder.
        FileTooLarge: the file holds more than `limit` bytes.
        OSError: it cannot be opened or read.
    """
    try:
        handle = os.open(path, READ_FLAGS, dir_fd=dir_fd)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENOTDIR):  # a link (O_NOFOLLOW); a file in the path
            raise NotRegularFile(error.errno, "a link or not a file") from None
        raise
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(0, "not a regular file")
        if info.st_size > limit:
            raise FileTooLarge(0, f"larger than {limit} bytes")
        chunks = []
        total = 0
        while chunk := os.read(handle, min(CHUNK, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # it grew after fstat
                raise FileTooLarge(0, f"larger than {limit} bytes")
        return b"".join(chunks)
    finally:
        os.close(handle)


def open_folder(path: Path, *, create: bool = True) -> int:
    """A descriptor of the folder `path`, created if missing (with `create`); never through a
    link.

    Raises:
        OutputError: `path` is a link, a file, or cannot be created or opened.
        FileNotFoundError: `path` does not exist and `create` is false.
    """
    shown = escape_text(str(path))
    try:
        if create:
            path.mkdir(parents=True, exist_ok=True)
        return os.open(path, FOLDER_FLAGS)
    except FileNotFoundError:
        if create:
            raise OutputError(CANNOT_OPEN.format(path=shown, reason="it vanished")) from None
        raise
    except (FileExistsError, NotADirectoryError):
        raise OutputError(NOT_A_FOLDER.format(path=shown)) from None
    except OSError as error:
        if error.errno == errno.ELOOP:  # the folder is a link (O_NOFOLLOW)
            raise OutputError(NOT_A_FOLDER.format(path=shown)) from None
        raise OutputError(CANNOT_OPEN.format(path=shown, reason=error.strerror)) from None


@contextlib.contextmanager
def folder(path: Path, *, create: bool = True) -> Iterator[int]:
    """`open_folder` as a context manager that closes the descriptor."""
    handle = open_folder(path, create=create)
    try:
        yield handle
    finally:
        os.close(handle)


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` so that no reader ever sees a partial file, and never through a
    link (neither `path`'s folder nor `path` itself is followed)."""
    with folder(path.parent) as handle:
        write_at(handle, path.name, text.encode("utf-8"))


def write_at(folder_fd: int, name: str, data: bytes) -> None:
    """Atomically write `data` as `name` in the folder open as `folder_fd`."""
    temporary = f".{name}.{secrets.token_hex(4)}.tmp"
    handle = os.open(temporary, CREATE_FLAGS, FILE_MODE, dir_fd=folder_fd)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder_fd)
        raise
