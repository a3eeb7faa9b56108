"""No process of the grader outlives `grade batch` when only the batch process is killed.

SIGKILL to the parent alone (as `kill -9 PID` or the OOM killer does) must take its workers,
their sandbox zygotes and the sandboxes (with everything a notebook started) with it within
seconds: each asks the kernel to kill it when its parent dies.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.resources import source_checkout

pytestmark = pytest.mark.slow

SCENARIOS = Path(__file__).resolve().parent / "scenarios" / "logistic_regression"
# predict never advances its index: grading it keeps a sandbox busy for 10 s a case.
STUCK = SCENARIOS / "infinite-loop-in-function.ipynb"
SURVIVAL_SECONDS = 10.0


def _children() -> dict[int, list[int]]:
    """{parent pid: [child pids]} for every process visible in /proc."""
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _descendants(root: int) -> set[tuple[int, str]]:
    """Every process below `root`, as (pid, start time) so a reused pid is not mistaken."""
    tree, found, todo = _children(), set(), [root]
    while todo:
        for child in tree.get(todo.pop(), []):
            start = _start_time(child)
            if start:
                found.add((child, start))
                todo.append(child)
    return found


def _start_time(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def _alive(processes: set[tuple[int, str]]) -> set[tuple[int, str]]:
    return {(pid, start) for pid, start in processes if _start_time(pid) == start}


def test_killing_the_batch_parent_leaves_no_process_behind(tmp_path: Path) -> None:
    """Kill `grade batch --jobs 2` with SIGKILL, the parent only, while both workers grade
    stuck notebooks in sandboxes: within a few seconds none of its processes is left."""
    folder = tmp_path / "class"
    folder.mkdir()
    for index in range(4):
        (folder / f"student{index}.ipynb").write_bytes(STUCK.read_bytes())
    root = source_checkout() or Path(__file__).resolve().parent.parent
    command = [sys.executable, "-m", "grader", "batch", str(folder), "-a", "logistic_regression"]
    command += ["-o", str(tmp_path / "graded"), "--jobs", "2", "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(root)}
    batch = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen: set[tuple[int, str]] = set()
    try:
        deadline = time.monotonic() + 60
        # two workers, two zygotes, and at least two sandboxes (outer and inner process each)
        while time.monotonic() < deadline and len(seen) < 8:
            seen |= _descendants(batch.pid)
            time.sleep(0.2)
        assert len(seen) >= 8, f"the batch did not start its sandboxes: {sorted(seen)}"
        time.sleep(1.0)
        seen |= _descendants(batch.pid)
        batch.kill()  # SIGKILL, to the parent alone
        batch.wait()
        deadline = time.monotonic() + SURVIVAL_SECONDS
        while _alive(seen) and time.monotonic() < deadline:
            time.sleep(0.2)
        survivors = _alive(seen)
        assert not survivors, f"{len(survivors)} of {len(seen)} processes outlived the batch"
    finally:
        for pid, _ in _alive(seen):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
