"""How long do the built-in data sets take to make or read? (No timing lives in unit tests.)

Prints the median seconds, over `--runs` runs, of generating the medical_cnn stand-in cell
images (600 training and 200 test images) and of reading the breast-cancer table the
logistic_regression accuracy check uses.

Usage:
    python bench/bench_data.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from grader.data.cells import make_cell_images
from grader.data.tables import load_breast_cancer_dataset


def timed(work: Callable[[], Any], runs: int) -> float:
    """Median seconds of `runs` calls of `work`."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cells = timed(lambda: make_cell_images(600, 200, seed=11), args.runs)
    print(f"stand-in cell images (600 + 200): {cells:.3f} s median of {args.runs}")

    def read_table() -> None:
        load_breast_cancer_dataset.cache_clear()  # a grading process reads it once
        load_breast_cancer_dataset()

    table = timed(read_table, args.runs)
    print(f"breast-cancer table, first read:  {table:.3f} s median of {args.runs}")


if __name__ == "__main__":
    main()
