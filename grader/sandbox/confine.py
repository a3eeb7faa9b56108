"""Sandbox-side confinement: namespaces, hidden paths, an unprivileged user, resource limits.

Runs in the freshly forked sandbox before any student code. Each protection is attempted,
and the list of those actually in force is returned so that every report can state it.
Linux namespaces are used where the kernel allows them (as root, or via an unprivileged user
namespace); elsewhere the sandbox falls back to limits and a private working directory.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import resource
import signal
import sys
from typing import Any

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
CLONE_NEWPID = 0x20000000
MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_BIND = 4096
MS_REC = 16384
MS_REMOUNT = 32
MS_NOEXEC = 8
MS_NOATIME = 1024
MS_NODIRATIME = 2048
MS_RELATIME = 1 << 21
MS_PRIVATE = 1 << 18
PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38

_libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (Linux only)."""
    with contextlib.suppress(AttributeError, OSError):
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def confine(config: dict[str, Any]) -> list[str]:
    """Apply every protection the machine allows; return the ones in force.

    With namespaces this forks: the calling process stays outside as a silent waiter that
    mirrors the exit status, and the returned-to process is PID 1 of a new PID namespace, so
    when it ends the kernel kills everything it started.
    """
    in_force = ["separate process in its own session", "stdin closed, output captured and capped"]
    if _enter_namespaces(config, in_force):
        _build_filesystem_view(config, in_force)
        _shed_capabilities(in_force)
    with contextlib.suppress(AttributeError, OSError):
        if _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0:
            in_force.append("no privilege escalation (no_new_privs)")
    _set_limits(config["limits"], in_force)
    _reset_environment(config["workdir"], in_force)
    return in_force


def _unshare(flags: int) -> bool:
    return bool(hasattr(_libc, "unshare") and _libc.unshare(flags) == 0)


def _enter_namespaces(config: dict[str, Any], in_force: list[str]) -> bool:
    """New mount, network and PID namespaces (through a user namespace when not root)."""
    flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID
    if os.geteuid() == 0:
        ok = _unshare(flags)
    else:
        uid, gid = os.getuid(), os.getgid()
        ok = _unshare(CLONE_NEWUSER | flags) and _write_id_maps(uid, gid)
    if not ok:
        return False
    if os.fork() != 0:
        _mirror_inner_process(config)
    in_force.extend(
        [
            "no network (network namespace)",
            "own PID namespace: every process it starts dies with it",
        ]
    )
    return _libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) == 0


def _mirror_inner_process(config: dict[str, Any]) -> None:
    """Outside the PID namespace: hold no descriptors, wait, and exit as the inner did."""
    os.closerange(0, 1 << 16)
    _, status = os.waitpid(-1, 0)
    if os.WIFSIGNALED(status):
        signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
        os.kill(os.getpid(), os.WTERMSIG(status))
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 70)


def _write_id_maps(uid: int, gid: int) -> bool:
    try:
        with open("/proc/self/setgroups", "w") as handle:
            handle.write("deny")
        with open("/proc/self/uid_map", "w") as handle:
            handle.write(f"0 {uid} 1")
        with open("/proc/self/gid_map", "w") as handle:
            handle.write(f"0 {gid} 1")
    except OSError:
        return False
    return True


def _build_filesystem_view(config: dict[str, Any], in_force: list[str]) -> None:
    """Empty temp dirs, secrets hidden, everything but the working directory read-only,
    a fresh /proc."""
    workdir = config["workdir"]
    if _replace_scratch_dirs(_needed_paths(workdir), workdir):
        in_force.append("shared temporary directories replaced by empty ones")
    if _hide_paths(config["hide"], workdir):
        in_force.append("reference solutions, specs and grader code hidden (mount namespace)")
    if _make_read_only(skip=[workdir, "/proc"]):
        in_force.append("filesystem read-only except the working directory")
    if _libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None) == 0:
        in_force.append("other processes invisible (fresh /proc)")


def _needed_paths(workdir: str) -> list[str]:
    """Directories the sandbox cannot work without: its working directory and Python's."""
    candidates = [workdir, sys.prefix, sys.base_prefix, sys.exec_prefix, *sys.path]
    return sorted({os.path.realpath(p) for p in candidates if p and os.path.isdir(p)}, key=len)


def _replace_scratch_dirs(needed: list[str], workdir: str) -> bool:
    """Mount empty tmpfs over the shared temp dirs, then bind back what the sandbox needs
    from them (a virtualenv may live under /tmp). The working directory always becomes a
    mount of its own, so that it alone stays writable."""
    scratch = [os.path.realpath(p) for p in SCRATCH_DIRS if os.path.isdir(p)]
    keep = [p for p in needed if p == workdir or any(_contains(s, p) for s in scratch)]
    handles = {p: os.open(p, os.O_RDONLY | os.O_DIRECTORY) for p in keep}
    mounted = [
        _libc.mount(b"tmpfs", path.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, b"size=1m,mode=0755")
        == 0
        for path in scratch
    ]
    for path in keep:  # shortest first: a parent is bound before its children
        os.makedirs(path, exist_ok=True)
        _libc.mount(f"/proc/self/fd/{handles[path]}".encode(), path.encode(), None, MS_BIND, None)
        os.close(handles[path])
    return bool(scratch) and all(mounted)


def _hide_paths(paths: list[str], workdir: str) -> bool:
    """Cover secret directories with empty read-only tmpfs mounts (files with /dev/null)."""
    keep = [os.path.realpath(p) for p in [workdir, sys.prefix, *sys.path] if p]
    hidden = 0
    for path in paths:
        real = os.path.realpath(path)
        if not os.path.exists(real) or any(_contains(real, needed) for needed in keep):
            continue
        if os.path.isdir(real):
            rc = _libc.mount(
                b"tmpfs",
                real.encode(),
                b"tmpfs",
                MS_RDONLY | MS_NOSUID | MS_NODEV,
                b"size=4k,mode=0555",
            )
        else:
            rc = _libc.mount(b"/dev/null", real.encode(), None, MS_BIND, None)
        hidden += rc == 0
    return hidden > 0


def _contains(outer: str, inner: str) -> bool:
    return inner == outer or inner.startswith(outer.rstrip("/") + "/")


# Other sandboxes' working directories (other students) and the grader's own temporary files
# live here: the sandbox gets empty ones, with its own working directory mounted back in.
SCRATCH_DIRS = ("/tmp", "/var/tmp", "/dev/shm")

_KEEP_FLAGS = {
    "nosuid": MS_NOSUID,
    "nodev": MS_NODEV,
    "noexec": MS_NOEXEC,
    "noatime": MS_NOATIME,
    "nodiratime": MS_NODIRATIME,
    "relatime": MS_RELATIME,
}


def _make_read_only(skip: list[str]) -> bool:
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
        if any(_contains(s, point) for s in skip):
            continue
        flags = MS_BIND | MS_REMOUNT | MS_RDONLY
        for option in fields[5].split(","):
            flags |= _KEEP_FLAGS.get(option, 0)
        failures += _libc.mount(None, point.encode(), None, flags, None) != 0
    return failures == 0


def _shed_capabilities(in_force: list[str]) -> None:
    """Enter one more user namespace: the mounts above now belong to a namespace this
    process has no capabilities in, so student code cannot undo them."""
    uid, gid = os.geteuid(), os.getegid()
    if _unshare(CLONE_NEWUSER) and _write_id_maps(uid, gid):
        in_force.append("no capabilities (user namespace)")


def _set_limits(limits: dict[str, int], in_force: list[str]) -> None:
    names = {
        "memory_bytes": (resource.RLIMIT_AS, "memory"),
        "cpu_seconds": (resource.RLIMIT_CPU, "CPU time"),
        "file_bytes": (resource.RLIMIT_FSIZE, "file size"),
        "open_files": (resource.RLIMIT_NOFILE, "open files"),
        "processes": (resource.RLIMIT_NPROC, "processes"),
    }
    applied = []
    for key, (which, label) in names.items():
        if key in limits:
            value = int(limits[key])
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(which, (value, value))
                applied.append(label)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    in_force.append("resource limits: " + ", ".join(applied))


def _reset_environment(workdir: str, in_force: list[str]) -> None:
    keep = {
        k: os.environ[k]
        for k in ("PATH", "LANG", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
        if k in os.environ
    }
    os.environ.clear()
    os.environ.update(keep)
    tmp = os.path.join(workdir, "tmp")
    os.makedirs(tmp, exist_ok=True)
    os.environ.update(
        {
            "HOME": workdir,
            "TMPDIR": tmp,
            "MPLBACKEND": "Agg",
            "IPYTHONDIR": os.path.join(tmp, "ipy"),
            "MPLCONFIGDIR": tmp,
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    os.chdir(workdir)
    in_force.append("scrubbed environment, fresh private working directory")
