"""Control groups for sandboxes: a process count and a memory ceiling the kernel enforces.

rlimits have gaps: RLIMIT_NPROC does not bind root inside a user namespace (a fork bomb runs
until the PID namespace ends), and RLIMIT_DATA does not count shared mappings or thread
stacks. Where the machine lets the grader create control groups (root, with the pids and
memory controllers mounted writable, cgroup v1 or v2), each sandbox joins its own group, named
after its working directory, under the grader's own group:

- pids: at most `pids_max` tasks (processes and threads) at once: fork() fails beyond it;
- memory: at most `memory_max` bytes, page cache included: the kernel's OOM killer ends the
  sandbox beyond it (RLIMIT_DATA, set lower, usually stops numpy with a MemoryError first).

`enter` runs in the sandbox before it confines itself; `remove` runs in the grader after the
sandbox has been reaped. Standard library only: the sandbox loads this file by path.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")


def _own_paths() -> dict[str, str]:
    """controller ("pids", "memory", or "" for cgroup v2) -> this process's group path."""
    paths: dict[str, str] = {}
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            for controller in controllers.split(",") if controllers else [""]:
                paths[controller] = path
    return paths


def _groups(name: str) -> dict[str, Path]:
    """Where this sandbox's groups live: {"pids": dir, "memory": dir} (v1) or {"": dir}."""
    own = _own_paths()
    if (ROOT / "cgroup.controllers").exists() and "" in own:  # a pure cgroup v2 mount
        return {"": ROOT / own[""].lstrip("/") / name}
    return {
        controller: ROOT / controller / own[controller].lstrip("/") / name
        for controller in ("pids", "memory")
        if controller in own and (ROOT / controller).is_dir()
    }


def enter(name: str, pids_max: int, memory_max: int) -> list[str]:
    """Join new groups with these limits; return the protections achieved (maybe none)."""
    achieved = []
    for controller, group in _groups(name).items():
        try:
            group.mkdir(exist_ok=True)
            if controller == "":  # v2: one group, controllers enabled by the parent
                achieved += _limit_v2(group, pids_max, memory_max)
            elif controller == "pids":
                (group / "pids.max").write_text(str(pids_max))
                achieved.append(f"at most {pids_max} processes and threads (cgroup pids)")
            else:
                (group / "memory.limit_in_bytes").write_text(str(memory_max))
                achieved.append(f"memory ceiling {memory_max >> 20} MB (cgroup memory)")
            (group / "cgroup.procs").write_text(str(os.getpid()))
        except OSError:
            continue  # not allowed here: the rlimits still apply
    return achieved


def _limit_v2(group: Path, pids_max: int, memory_max: int) -> list[str]:
    achieved = []
    with contextlib.suppress(OSError):
        (group / "pids.max").write_text(str(pids_max))
        achieved.append(f"at most {pids_max} processes and threads (cgroup pids)")
    with contextlib.suppress(OSError):
        (group / "memory.max").write_text(str(memory_max))
        achieved.append(f"memory ceiling {memory_max >> 20} MB (cgroup memory)")
    return achieved


def remove(name: str, wait: float = 2.0) -> None:
    """Remove a finished sandbox's groups (retrying while its last tasks are reaped)."""
    deadline = time.monotonic() + wait
    for group in _groups(name).values():
        while group.exists():
            try:
                group.rmdir()
            except OSError:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.01)
