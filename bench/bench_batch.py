"""How many notebooks per minute does `grade batch` grade?

Generates a class of `--size` notebooks for the single-neuron assignment (`logistic_regression`)
from the scenario notebooks: mostly correct and buggy submissions, some that crash (an
exception in a cell, `sys.exit`, `os._exit`), and exactly one with an infinite loop. Grades it
with `--jobs 1`, `--jobs 2`, and the Dask executor on a 2-worker LocalCluster (if `distributed`
is installed), each into a fresh output directory, and prints submissions per minute.

Usage:
    python bench/bench_batch.py [--size 200] [--skip-dask]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from grader.batch.run import BatchOptions, run_batch

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "tests" / "scenarios" / "logistic_regression"
# The mix of a class: (scenario file, share of the class).
CORRECT = ["correct-vectorized", "correct-loops", "correct-float32", "correct-matmul-operator"]
# Common bugs. Left out: dw-wrong-shape and w-shape-dim, whose training cell in the notebook
# runs until the 10 s cell limit (a second "infinite loop"); each costs about 10.5 s to grade.
BUGGY = [
    "cost-without-one-over-m",
    "cost-wrong-sign",
    "b-not-updated",
    "threshold-not-half",
    "sigmoid-wrong-sign",
    "predictions-flat",
    "learning-rate-hard-coded",
]
CRASHING = ["exception-in-cell", "sys-exit-in-cell", "os-exit-in-cell"]
LOOPING = "infinite-loop-in-cell"


def make_class(folder: Path, size: int) -> None:
    """`size` notebooks: 55% correct, 35% buggy, the rest crashing, and one infinite loop."""
    plan = [LOOPING]
    for index in range(size - 1):
        share = index % 20
        pool = CORRECT if share < 11 else BUGGY if share < 18 else CRASHING
        plan.append(pool[index % len(pool)])
    for index, name in enumerate(plan):
        shutil.copy(SCENARIOS / f"{name}.ipynb", folder / f"student{index:03d}.ipynb")


def measure(folder: Path, options: BatchOptions) -> float:
    """Submissions per minute for one run into a fresh output directory."""
    shutil.rmtree(options.output, ignore_errors=True)
    start = time.perf_counter()
    summary = run_batch(folder, options)
    elapsed = time.perf_counter() - start
    assert summary.graded == summary.found, "every submission must get a result"
    return 60.0 * summary.graded / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=200)
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory) / "class"
        folder.mkdir()
        make_class(folder, args.size)
        output = Path(directory) / "graded"
        figures = {}
        for jobs in (1, 2):
            options = BatchOptions("logistic_regression", output, jobs=jobs, progress=False)
            figures[f"--jobs {jobs}"] = measure(folder, options)
            print(
                f"--jobs {jobs}: {figures[f'--jobs {jobs}']:.0f} notebooks per minute", flush=True
            )
        if not args.skip_dask:
            try:
                from distributed import LocalCluster
            except ImportError:
                print("dask: skipped (pip install 'grader[dask]')")
                return
            with LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster:
                options = BatchOptions(
                    "logistic_regression",
                    output,
                    executor="dask",
                    scheduler=cluster.scheduler_address,
                    progress=False,
                )
                rate = measure(folder, options)
            print(f"dask, 2-worker LocalCluster: {rate:.0f} notebooks per minute")
        print(
            f"{args.size} notebooks; scaling from 1 to 2 jobs: "
            f"{figures['--jobs 2'] / figures['--jobs 1']:.2f}x"
        )


if __name__ == "__main__":
    main()
