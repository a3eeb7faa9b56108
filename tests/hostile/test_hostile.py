"""Hostile submissions, graded end to end: each attack is contained and costs only itself.

Every file in `attacks/` holds one attack; it is graded appended to the correct
logistic-regression script (`CORRECT_SCRIPT`), so the attack may cost only itself. For each
one: grading returns a report (never raises) with the expected status and points, nothing
outside the sandbox changes (a sentinel file, the repository's `git status`), no process the
attack started survives, no connection reaches a listener the test opens, the hidden seed
never shows in the output, and grading ends in bounded time. Notebook bombs (huge outputs,
100k cells, adversarial JSON) are generated into tmp_path.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from grader.grading import grade_submission
from grader.report.model import CellStatus, GradeReport

HERE = Path(__file__).resolve().parent
ATTACKS = HERE / "attacks"
REPO = HERE.parent.parent
CORRECT_SCRIPT = REPO / "tests" / "scenarios" / "logistic_regression" / "correct-script.py"
MARKER = "hostile-marker-"
SECRET_SEED = "987654321"
BOUND_SECONDS = 120.0
FULL = 12.0

# name -> expected status, total score, points of named tasks, and words a cell must show.
EXPECTED: dict[str, dict[str, Any]] = {
    "infinite-loop-in-cell": {"score": FULL, "cell": CellStatus.TIMEOUT},
    # sigmoid loops on scalars only: after its first timeout the other cases still run, with a
    # shorter limit, so the array case before the second timeout earns its 1/6 point.
    "infinite-loop-in-graded-function": {"score": 11.17, "tasks": {"sigmoid": 0.17}},
    "infinite-generator-in-graded-function": {"score": 11.17, "tasks": {"sigmoid": 0.17}},
    "memory-bomb-numpy": {"score": FULL, "cell": CellStatus.ERROR, "words": "MemoryError"},
    "memory-bomb-bytearray": {"score": FULL, "cell": CellStatus.ERROR},
    # The cell fails but leaves gigabytes allocated; a graded call that then crashes the sandbox
    # is retried in a fresh one without the failed cells.
    "memory-bomb-list": {"score": FULL, "cell": CellStatus.ERROR},
    "fork-bomb": {"score": FULL},
    "sys-exit-in-cell": {"score": FULL},
    "os-exit-in-cell": {"score": FULL, "cell": CellStatus.KILLED, "words": "exit code 5"},
    "raise-systemexit-in-cell": {"score": FULL, "cell": CellStatus.ERROR},
    "keyboard-interrupt-in-cell": {"score": FULL, "cell": CellStatus.ERROR},
    "sigterm-ignored-child": {"score": FULL},
    "daemonized-child": {"score": FULL},
    "reads-reference-solutions": {"score": FULL, "output": "found nothing"},
    "reads-hidden-seed-from-environment": {"score": FULL, "output": "seed: None"},
    "writes-outside-workdir": {"score": FULL, "output": "refused remove"},
    "network-connection": {"score": FULL, "output": "no connection 127.0.0.1"},
    "writes-10gb-file": {"score": FULL, "cell": CellStatus.ERROR, "words": "File too large"},
    "prints-gigabytes": {"score": FULL, "cell": CellStatus.TIMEOUT},
    "eq-always-true": {"score": 11.67, "tasks": {"sigmoid": 0.67}},
    "lying-ndarray-subclass": {"score": 11.67, "tasks": {"sigmoid": 0.67}},
    "monkeypatches-numpy-and-builtins": {"tasks": {"initialize_with_zeros": 0.0}},
    "segfault-ctypes": {"score": FULL, "cell": CellStatus.KILLED, "words": "segmentation"},
    "huge-return-value": {"score": 11.67, "tasks": {"sigmoid": 0.67}},
    # sys.setrecursionlimit(10**8) is capped, so the recursion ends in a RecursionError at once
    # instead of filling memory with frames whose unwinding outlasts every limit.
    "deep-recursion": {"score": FULL, "cell": CellStatus.ERROR, "words": "RecursionError"},
    "introspects-the-interpreter": {"score": FULL, "output": "found nothing"},
}
# Run last: the fork bomb is bounded by the sandbox's process limit and PID namespace.
ORDER = [*sorted(set(EXPECTED) - {"fork-bomb"}), "fork-bomb"]

pytestmark = pytest.mark.slow


def test_every_attack_has_an_expectation() -> None:
    assert {p.stem for p in ATTACKS.glob("*.py")} == set(EXPECTED)


def marked_processes() -> list[str]:
    """Command lines of live processes that carry an attack's marker."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if MARKER in text:
            found.append(f"{cmdline.parent.name}: {text}")
    return found


def git_status() -> str:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        return ""
    command = ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=all"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def no_marked_processes_within(seconds: float) -> list[str]:
    """Marked processes still alive after `seconds` (a killed one may take a moment to go)."""
    deadline = time.monotonic() + seconds
    while (alive := marked_processes()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


def outputs(report: GradeReport) -> str:
    return "\n".join(cell.output + "\n" + cell.message for cell in report.cells)


@pytest.fixture
def listener() -> Any:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


@pytest.mark.parametrize("name", ORDER)
def test_attack_is_contained(
    name: str, tmp_path: Path, listener: socket.socket, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = EXPECTED[name]
    monkeypatch.setenv("GRADER_HIDDEN_SEED", SECRET_SEED)
    outside = tmp_path / "outside"
    outside.mkdir()
    sentinel = outside / "sentinel.txt"
    sentinel.write_text("untouched")
    submissions = tmp_path / "submission"
    submissions.mkdir()
    source = CORRECT_SCRIPT.read_text() + "\n" + (ATTACKS / f"{name}.py").read_text()
    source = source.replace("{{REPO}}", str(REPO)).replace("{{SENTINEL}}", str(sentinel))
    source = source.replace("{{PORT}}", str(listener.getsockname()[1]))
    path = submissions / f"{name}.py"
    path.write_text(source)
    assert not marked_processes(), "a marked process was alive before grading"
    before = git_status()

    start = time.monotonic()
    report = grade_submission(path, all_cells=True)  # the attack must really run
    elapsed = time.monotonic() - start

    assert elapsed < BOUND_SECONDS
    assert report.status.value == expected.get("status", "graded"), report.message
    points = {task.name: task.points for task in report.tasks}
    if "score" in expected:
        assert report.score == pytest.approx(expected["score"], abs=0.01), points
    for task, value in expected.get("tasks", {}).items():
        assert points[task] == pytest.approx(value, abs=0.01), points
    if "cell" in expected:
        attacked = [c for c in report.cells if c.status is expected["cell"]]
        assert attacked, [(c.index, c.status) for c in report.cells]
        assert expected.get("words", "") in attacked[-1].message
    text = outputs(report)
    assert expected.get("output", "") in text
    assert SECRET_SEED not in text
    assert "WROTE" not in text and "CONNECTED" not in text and "FOUND THE ANSWERS" not in text
    assert max((len(cell.output) for cell in report.cells), default=0) <= 5000
    assert sentinel.read_text() == "untouched"
    assert git_status() == before
    assert no_marked_processes_within(5.0) == []
    with pytest.raises(BlockingIOError):
        listener.accept()


# --- Notebook bombs, generated here (too big to commit) -------------------------------------


def code_cell(source: str, outputs: list[Any] | None = None) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {},
        "outputs": outputs or [],
        "source": source,
    }


def notebook(cells: list[Any]) -> dict[str, Any]:
    return {
        "cells": cells,
        "metadata": {"grader": {"assignment": "logistic_regression"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def correct_cells() -> list[dict[str, Any]]:
    chunks = CORRECT_SCRIPT.read_text().split("# %%")[1:]
    return [code_cell(c) for c in chunks if not c.startswith(" [markdown]")]


def big_output() -> str:
    output = {"output_type": "stream", "name": "stdout", "text": "z" * 60_000_000}
    return json.dumps(notebook([*correct_cells(), code_cell("print('z')", [output])]))


def many_cells() -> str:
    return json.dumps(notebook(correct_cells() + [code_cell("x = 1")] * 100_000))


def deeply_nested() -> str:
    return '{"cells": ' + "[" * 100_000 + "]" * 100_000 + ', "nbformat": 4}'


def wrong_types() -> str:
    cells: list[Any] = [
        {"cell_type": "code", "source": 42, "outputs": "no", "metadata": []},
        {"cell_type": ["code"], "source": ["print(1)"]},
        {"cell_type": "code", "source": [1, None, {"a": 1}]},
        None,
        "a string",
        7,
        *correct_cells(),
    ]
    return json.dumps({"cells": cells, "metadata": {"grader": "x"}, "nbformat": "4"})


def cells_not_a_list() -> str:
    return json.dumps({"cells": {"0": code_cell("x = 1")}, "metadata": None, "nbformat": 4})


def nan_and_huge_numbers() -> str:
    return '{"cells": [], "nbformat": 1e999, "nbformat_minor": NaN, "metadata": {}}'


BOMBS = {
    "output-60mb": big_output,
    "cells-100k": many_cells,
    "deeply-nested-json": deeply_nested,
    "wrong-types": wrong_types,
    "cells-not-a-list": cells_not_a_list,
    "nan-and-huge-numbers": nan_and_huge_numbers,
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_notebook_bomb_is_graded_or_invalid(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.ipynb"
    path.write_text(BOMBS[name]())
    before = git_status()
    start = time.monotonic()
    report = grade_submission(path, "logistic_regression", all_cells=True)
    assert time.monotonic() - start < BOUND_SECONDS
    assert report.status.value in ("graded", "invalid")
    assert 0.0 <= report.score <= FULL
    assert git_status() == before
