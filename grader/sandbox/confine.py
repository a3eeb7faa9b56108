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
MS_PRIVATE = 1 << 18
PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38
CGROUP_MEMORY_SLACK = 1 << 30

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
    _join_cgroups(config, in_force)
    if _enter_namespaces(config, in_force):
        _build_filesystem_view(config, in_force)
        _shed_capabilities(in_force)
    with contextlib.suppress(AttributeError, OSError):
        if _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0:
            in_force.append("no privilege escalation (no_new_privs)")
    _set_limits(config["limits"], in_force)
    _reset_environment(config["workdir"], bool(config.get("gpu")), in_force)
    return in_force


def _join_cgroups(config: dict[str, Any], in_force: list[str]) -> None:
    """Own control groups where the machine allows: a task count and a memory ceiling (set
    above the data limit, to catch what RLIMIT_DATA does not count)."""
    name = config.get("cgroup")
    if not name:
        return
    limits = config["limits"]
    ceiling = int(limits["memory_bytes"]) + CGROUP_MEMORY_SLACK
    in_force.extend(sys.modules["cgroups"].enter(name, int(limits.get("tasks", 512)), ceiling))


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
    # The outer process's death (e.g. after its zygote's) ends this one, and with it, as PID 1
    # of the namespace, everything the notebook started. (Its parent is outside the namespace,
    # so getppid() says 0 here and cannot tell whether the parent is still there.)
    die_with_parent()
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
    """An allow-listed new root (see rootfs.py); if the kernel refuses, hide the secrets
    in place and make everything but the working directory read-only."""
    rootfs = sys.modules["rootfs"]
    workdir = config["workdir"]
    achieved = rootfs.build_root(workdir, config["hide"], config.get("source_root"))
    if achieved:
        in_force.extend(achieved)
        return
    if _hide_paths(config["hide"], workdir):
        in_force.append("reference solutions, specs and grader code hidden (mount namespace)")
    _libc.mount(workdir.encode(), workdir.encode(), None, MS_BIND, None)
    if rootfs.make_read_only(skip=[workdir, "/proc"]):
        in_force.append("filesystem read-only except the working directory")


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


def _shed_capabilities(in_force: list[str]) -> None:
    """Enter one more user namespace: the mounts above now belong to a namespace this
    process has no capabilities in, so student code cannot undo them."""
    uid, gid = os.geteuid(), os.getegid()
    if _unshare(CLONE_NEWUSER) and _write_id_maps(uid, gid):
        in_force.append("no capabilities (user namespace)")


def _set_limits(limits: dict[str, int], in_force: list[str]) -> None:
    names = {
        "memory_bytes": (resource.RLIMIT_DATA, "memory"),
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


def _reset_environment(workdir: str, gpu: bool, in_force: list[str]) -> None:
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
            "JOBLIB_MULTIPROCESSING": "0",  # joblib would warn about a read-only /dev/shm
            "KERAS_BACKEND": "tensorflow",
            "TF_CPP_MIN_LOG_LEVEL": "2",  # TensorFlow's C++ start-up chatter
        }
    )
    if not gpu:  # TensorFlow then trains on the CPU even where a GPU is visible
        os.environ["CUDA_VISIBLE_DEVICES"] = "-1"
    os.chdir(workdir)
    in_force.append("scrubbed environment, fresh private working directory")
