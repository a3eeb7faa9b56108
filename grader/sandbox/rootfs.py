"""Sandbox-side: a new root filesystem that holds only what student code needs.

An allow-list, not a deny-list: the sandbox sees the system directories (/usr, /bin, /lib...),
a few files of /etc, the Python installation it runs on, its own working directory and a fresh
/proc - nothing else. The course directory, other checkouts of the grader (and their .git),
other students' submissions, results and the grader's temporary files simply do not exist in
it. Any installed copy of the grader inside an allowed tree is covered by an empty mount.
Everything is read-only except the working directory. Built with bind mounts on a tmpfs, then
`pivot_root`, and the old root is detached so it cannot be reached again.

Runs as root in a fresh mount namespace (real root, or root of a user namespace). Imports
nothing from the grader.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform
import sys

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_NOATIME = 1024
MS_NODIRATIME = 2048
MS_RELATIME = 1 << 21
MNT_DETACH = 2
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "arm64": 41}

SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
ETC_FILES = (
    "/etc/ld.so.cache",
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/etc/localtime",
    "/etc/hosts",
    "/etc/mime.types",
)
NEW_ROOT = "/tmp"  # always exists; the tmpfs mounted on it becomes the sandbox's /
_KEEP_FLAGS = {
    "nosuid": MS_NOSUID,
    "nodev": MS_NODEV,
    "noexec": MS_NOEXEC,
    "noatime": MS_NOATIME,
    "nodiratime": MS_NODIRATIME,
    "relatime": MS_RELATIME,
}

_libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


def build_root(workdir: str, hide: list[str], source_root: str | None) -> list[str]:
    """Switch to an allow-listed root; return the protections achieved (empty on failure,
    in which case nothing was changed that matters: the caller falls back)."""
    allowed = allowed_paths(workdir, source_root)
    handles = {path: os.open(path, os.O_PATH) for path in allowed}
    if _mount(b"tmpfs", NEW_ROOT, b"tmpfs", MS_NOSUID | MS_NODEV, b"size=1m,mode=0755"):
        return []
    for path in allowed:  # shortest first: parents are bound before their children
        _bind_into_new_root(path, handles.pop(path), recursive=path == "/dev")
    for path in SYSTEM_DIRS:  # merged-/usr systems: /bin -> usr/bin and friends
        if os.path.islink(path) and not os.path.lexists(_inside(path)):
            os.symlink(os.readlink(path), _inside(path))
    _mount(b"tmpfs", _inside("/dev/shm"), b"tmpfs", MS_NOSUID | MS_NODEV, b"size=64m")
    os.makedirs(_inside("/tmp"), mode=0o1777, exist_ok=True)
    # A folder that holds the working directory (a submission handed in from /tmp) is not
    # covered: that would hide the working directory too. Only allowed paths are in the new
    # root, so nothing else of such a folder is visible anyway.
    coverable = [path for path in hide if not _holds(path, workdir)]
    hidden = sum(_cover(_inside(path)) for path in coverable if os.path.lexists(_inside(path)))
    if not _pivot(workdir):
        return []
    achieved = ["only the system, Python and its working directory visible (new root)"]
    if hidden:
        achieved.append("installed copies of the grader hidden")
    os.makedirs("/proc", exist_ok=True)
    if _mount(b"proc", "/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None) == 0:
        achieved.append("other processes invisible (fresh /proc)")
    if make_read_only(skip=[workdir, "/proc"]):
        achieved.append("filesystem read-only except the working directory")
    return achieved


def allowed_paths(workdir: str, source_root: str | None) -> list[str]:
    """Real paths the sandbox may see, shortest first. Source checkouts of the grader (on
    sys.path through an editable install: this one, or another one whose virtual environment
    runs it) are left out: student code never imports the grader, and a checkout holds the
    answers and their git history."""
    python = [sys.prefix, sys.base_prefix, sys.exec_prefix, *sys.path]
    python = [
        p
        for p in python
        if p and (source_root is None or os.path.realpath(p) != source_root) and not _is_checkout(p)
    ]
    candidates = [*SYSTEM_DIRS, "/dev", *ETC_FILES, *python, workdir]
    real = {os.path.realpath(p) for p in candidates if p and os.path.exists(p)}
    return sorted(real, key=lambda p: (len(p), p))


def _is_checkout(path: str) -> bool:
    """Is `path` a source checkout of the grader (its project file and its sandbox code)?"""
    return os.path.isfile(os.path.join(path, "pyproject.toml")) and os.path.isdir(
        os.path.join(path, "grader", "sandbox")
    )


def _holds(folder: str, path: str) -> bool:
    """Is `path` the folder itself or inside it?"""
    folder = os.path.realpath(folder).rstrip("/") or "/"
    path = os.path.realpath(path)
    return path == folder or path.startswith(folder + "/") or folder == "/"


def _inside(path: str) -> str:
    return NEW_ROOT + path


def _mount(
    source: bytes | None, target: str, fstype: bytes | None, flags: int, data: bytes | None
) -> int:
    return int(_libc.mount(source, target.encode(), fstype, flags, data))


def _bind_into_new_root(path: str, handle: int, *, recursive: bool) -> None:
    target = _inside(path)
    if os.path.isdir(f"/proc/self/fd/{handle}"):
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if not os.path.exists(target):
            open(target, "w").close()
    flags = MS_BIND | (MS_REC if recursive else 0)
    _mount(f"/proc/self/fd/{handle}".encode(), target, None, flags, None)
    os.close(handle)


def _cover(path: str) -> bool:
    """An empty read-only tmpfs over a directory (or /dev/null over a file)."""
    if os.path.isdir(path):
        return (
            _mount(b"tmpfs", path, b"tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, b"size=4k,mode=0555")
            == 0
        )
    return _mount(b"/dev/null", path, None, MS_BIND, None) == 0


def _pivot(workdir: str) -> bool:
    """Make the new root `/` and detach the old one so that it is unreachable."""
    number = SYS_PIVOT_ROOT.get(platform.machine())
    if number is None:
        return False
    os.chdir(NEW_ROOT)
    os.makedirs(".old-root", exist_ok=True)
    if _libc.syscall(number, b".", b".old-root") != 0:
        return False
    os.chdir("/")
    _libc.umount2(b"/.old-root", MNT_DETACH)
    os.rmdir("/.old-root")
    os.chdir(workdir)
    return True


def make_read_only(skip: list[str]) -> bool:
    """Remount every mount point read-only, keeping its other flags (they may be locked)."""
    try:
        with open("/proc/self/mountinfo") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return False
    failures = 0
    for line in lines:
        fields = line.split()
        point = fields[4].encode().decode("unicode_escape")
        if any(point == s or point.startswith(s.rstrip("/") + "/") for s in skip):
            continue
        flags = MS_BIND | MS_REMOUNT | MS_RDONLY
        for option in fields[5].split(","):
            flags |= _KEEP_FLAGS.get(option, 0)
        failures += _mount(None, point, None, flags, None) != 0
    return failures == 0
