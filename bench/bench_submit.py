"""How long does `grade submit` take, cold, next to the floor of starting Python + numpy?

Prints, as medians of `--runs` runs of the `grade` command (a new process each time):

- the floor, `python -c "import numpy"`;
- cold `grade submit` of the numpy example notebook (target: at most 0.6 s);
- cold `grade submit` of each completed course notebook with training runs, plots and
  downloads (tests/scenarios/*/completed-*.ipynb and the like; target: at most 1.5 s median
  over them): the cell plan skips what grading does not need;
- grading in a warm grader process (as a batch worker does), per submission.

Usage:
    python bench/bench_submit.py [--runs 7] [--notebook PATH] [--copies 20]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_NOTEBOOK = ROOT / "examples" / "logistic_regression_correct.ipynb"
SCENARIOS = ROOT / "tests" / "scenarios"
# Completed course notebooks as students hand them in (build_training_notebooks.py).
COURSE_NOTEBOOKS = [
    "logistic_regression/completed-with-training-runs.ipynb",
    "logistic_regression/release-2018-completed-reads-h5.ipynb",
    "two_layer_net/completed-with-training-runs.ipynb",
    "deep_net/completed-with-training-runs.ipynb",
    "initialization/completed-with-training-runs.ipynb",
    "optimization/completed-with-training-runs.ipynb",
    "param_counts/answers-from-results-cell.ipynb",
]
COLD_TARGET = 0.6
COURSE_TARGET = 1.5


def time_command(command: list[str], runs: int) -> list[float]:
    """Wall-clock seconds of `runs` executions of a command."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        timings.append(time.perf_counter() - start)
    return timings


def cold_submit(notebook: Path, runs: int, assignment: str | None = None) -> float:
    """Median seconds of a cold `grade submit` of `notebook`."""
    command = [str(Path(sys.executable).with_name("grade")), "submit", str(notebook)]
    command += ["--assignment", assignment] if assignment else []
    return statistics.median(time_command([*command, "--format", "json"], runs))


def warm_grading(notebook: Path, copies: int) -> list[float]:
    """Seconds per submission for `copies` distinct copies graded in this process."""
    from grader.grading import grade_submission
    from grader.sandbox import shared_zygote

    shared_zygote()  # started once per grader process, like a batch worker
    timings = []
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(copies):
            copy = Path(tmp) / f"student-{index:03d}{notebook.suffix}"
            shutil.copy(notebook, copy)
            start = time.perf_counter()
            grade_submission(copy, "logistic_regression")
            timings.append(time.perf_counter() - start)
    return timings


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="cold runs per notebook")
    parser.add_argument("--notebook", type=Path, default=DEFAULT_NOTEBOOK)
    parser.add_argument("--copies", type=int, default=20, help="warm gradings")
    args = parser.parse_args()

    floor = statistics.median(time_command([sys.executable, "-c", "import numpy"], args.runs))
    print(f"floor (python -c 'import numpy'):  {floor:.3f} s median of {args.runs}")
    cold = cold_submit(args.notebook, args.runs)
    verdict = "ok" if cold <= COLD_TARGET else "over"
    print(
        f"cold `grade submit` {args.notebook.name}: {cold:.3f} s median of {args.runs} "
        f"(target {COLD_TARGET} s: {verdict})"
    )
    course = {}
    for name in COURSE_NOTEBOOKS:
        course[name] = cold_submit(SCENARIOS / name, args.runs, name.split("/")[0])
        print(f"  course notebook {name}: {course[name]:.3f} s median of {args.runs}")
    median = statistics.median(course.values())
    verdict = "ok" if median <= COURSE_TARGET else "over"
    print(
        f"cold `grade submit`, completed course notebooks: {median:.3f} s median of "
        f"{len(course)} (max {max(course.values()):.3f}; target {COURSE_TARGET} s: {verdict})"
    )
    warm = warm_grading(args.notebook, args.copies)
    print(
        f"warm grader process: {statistics.median(warm):.3f} s median per submission "
        f"(min {min(warm):.3f}, max {max(warm):.3f}, {args.copies} copies)"
    )


if __name__ == "__main__":
    main()
