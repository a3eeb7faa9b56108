"""How long does grading one submission take, next to the floor of starting Python + numpy?

Grades N copies of the example notebook in one grader process (the zygote is warm after the
first, as in a batch run) and prints the median seconds per submission, the floor
(`python -c "import numpy"`, median of N runs), their ratio, and, for reference, the median
wall time of a cold `grade submit` command (a new grader process each time).

Usage:
    python bench/bench_submit.py [--copies 20] [--notebook PATH]
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

from grader.grading import grade_submission
from grader.sandbox import shared_zygote

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_NOTEBOOK = ROOT / "examples" / "logistic_regression_correct.ipynb"


def time_command(command: list[str], runs: int) -> list[float]:
    """Wall-clock seconds of `runs` executions of a command."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        timings.append(time.perf_counter() - start)
    return timings


def time_grading(notebook: Path, copies: int) -> tuple[list[float], float]:
    """Seconds per submission for `copies` distinct copies of `notebook`; and the score."""
    shared_zygote()  # started once per grader process, like a batch worker
    timings, score = [], 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(copies):
            copy = Path(tmp) / f"student-{index:03d}{notebook.suffix}"
            shutil.copy(notebook, copy)
            start = time.perf_counter()
            report = grade_submission(copy, "logistic_regression")
            timings.append(time.perf_counter() - start)
            score = report.score
    return timings, score


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--notebook", type=Path, default=DEFAULT_NOTEBOOK)
    parser.add_argument("--cold-runs", type=int, default=5)
    args = parser.parse_args()

    floor = statistics.median(time_command([sys.executable, "-c", "import numpy"], args.copies))
    grading, score = time_grading(args.notebook, args.copies)
    median = statistics.median(grading)
    grade_cli = str(Path(sys.executable).with_name("grade"))
    cold = statistics.median(
        time_command([grade_cli, "submit", str(args.notebook), "--format", "json"], args.cold_runs)
    )

    print(f"notebook:                      {args.notebook.name} (score {score:g})")
    print(f"copies graded:                 {args.copies}")
    print(f"floor (python -c 'import numpy'): {floor:.3f} s median")
    print(
        f"grading, warm grader process:  {median:.3f} s median per submission "
        f"(min {min(grading):.3f}, max {max(grading):.3f})"
    )
    print(f"ratio to the floor:            {median / floor:.2f}x")
    print(f"cold `grade submit` command:   {cold:.3f} s median of {args.cold_runs}")


if __name__ == "__main__":
    main()
