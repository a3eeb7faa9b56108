"""Do the same notebooks get the same verdicts on a loaded machine?

Grades a set of scenario notebooks (slow but correct loop-based ones among them) alone, then
again with CPU-bound processes running beside the grader (`--hogs`, two by default: on a
2-core machine the grader then gets about two thirds of a core), and prints each notebook's
score and seconds in both runs. The sandbox's time limits count CPU seconds, with the wall
clock only as a generous outer bound, so the verdicts must be identical; the exit code is 1
when any differs.

Usage:
    python bench/bench_load.py [--hogs 2] [--runs 1]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from grader.grading import grade_submission
from grader.report.model import GradeReport
from grader.sandbox import shared_zygote

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "tests" / "scenarios"
NOTEBOOKS = [
    ("logistic_regression", "correct-nested-loops.ipynb"),
    ("logistic_regression", "correct-loops.ipynb"),
    ("logistic_regression", "three-mistakes.ipynb"),
    ("logistic_regression", "star-for-matrix-product.ipynb"),
    ("two_layer_net", "correct-loops.ipynb"),
    ("two_layer_net", "db-without-keepdims.ipynb"),
    ("deep_net", "correct-course-style.ipynb"),
    ("conv_pool", "correct-course-style.ipynb"),
    ("regularization", "correct-course-style.ipynb"),
    ("optimization", "correct-course-style.ipynb"),
]
HOG = "while True:\n    pass\n"


def verdict(report: GradeReport) -> tuple[object, ...]:
    """What must not change with the load: status, score, and each task's points."""
    return (report.status.value, report.score, tuple((t.name, t.points) for t in report.tasks))


def grade_all(runs: int) -> dict[str, tuple[tuple[object, ...], float]]:
    """Each notebook's verdict (all runs must agree) and median seconds."""
    results = {}
    for assignment, name in NOTEBOOKS:
        verdicts, seconds = set(), []
        for _ in range(runs):
            start = time.perf_counter()
            report = grade_submission(SCENARIOS / assignment / name, assignment)
            seconds.append(time.perf_counter() - start)
            verdicts.add(verdict(report))
        if len(verdicts) != 1:
            raise SystemExit(f"{assignment}/{name}: verdicts differ between runs: {verdicts}")
        results[f"{assignment}/{name}"] = (verdicts.pop(), statistics.median(seconds))
    return results


def main() -> int:
    """Grade alone, then beside CPU hogs; print both; exit 1 if a verdict changed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hogs", type=int, default=2, help="CPU-bound processes beside")
    parser.add_argument("--runs", type=int, default=1, help="gradings per notebook and load")
    options = parser.parse_args()
    shared_zygote()
    alone = grade_all(options.runs)
    hogs = [subprocess.Popen([sys.executable, "-c", HOG]) for _ in range(options.hogs)]
    try:
        loaded = grade_all(options.runs)
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    changed = 0
    print(f"{'notebook':52} {'alone':>14} {f'{options.hogs} hogs beside':>18}  same")
    for key, (before, seconds) in alone.items():
        after, loaded_seconds = loaded[key]
        same = before == after
        changed += not same
        print(
            f"{key:52} {before[1]:>6g} {seconds:>6.1f} s {after[1]:>9g} {loaded_seconds:>6.1f} s"
            f"  {'yes' if same else 'NO: ' + str(after)}"
        )
    print(f"verdicts identical under load: {'yes' if not changed else f'no ({changed} differ)'}")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
