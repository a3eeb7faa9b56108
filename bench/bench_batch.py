"""How many notebooks per minute does `grade batch` grade?

Generates a class of `--size` notebooks for the single-neuron assignment (`logistic_regression`)
from the scenario notebooks, in every 20: 6 correct and vectorized, 6 with common bugs, 2
loop-based implementations (`correct-loops`, `correct-nested-loops`), 4 completed course
notebooks with their training runs, plots, sweeps and downloads (`completed-*`, `release-2018-
completed-*`, written by tests/scenarios/build_training_notebooks.py), and 2 with a cell that
crashes (an exception, `sys.exit`, `os._exit`); plus exactly one with an infinite loop. Grades
it with each `--jobs` given, and with the Dask executor on a 2-worker LocalCluster (if
`distributed` is installed and not `--skip-dask`), each into a fresh output directory, and
prints submissions per minute.

The crashing cells sit after the definitions, so the cell plan skips them, as it skips the
training cells of the course notebooks (`grade batch --all-cells` would run them). The one
infinite loop is, as in the class this bench always graded, a `while True` cell between the
definitions (`--looping cell`: the plan skips it); `--looping function` puts it inside a graded
function instead (`predict` never advances its index), which grading must call: that one
notebook alone costs its 10 s call limit.

Prints the median rate of `--runs` runs per worker count, and the peak resident memory of the
sandboxes and of the grading processes (median and largest, from the stored results).

Usage:
    python bench/bench_batch.py [--size 200] [--jobs 1,2] [--runs 3] [--looping cell]
                                [--skip-dask]
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from grader.batch.run import BatchOptions, run_batch

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "tests" / "scenarios" / "logistic_regression"
CORRECT = ["correct-vectorized", "correct-float32", "correct-matmul-operator"]
BUGGY = [
    "cost-without-one-over-m",
    "cost-wrong-sign",
    "b-not-updated",
    "threshold-not-half",
    "sigmoid-wrong-sign",
    "predictions-flat",
    "learning-rate-hard-coded",
    "dw-wrong-shape",
    "w-shape-dim",
]
LOOPS = ["correct-loops", "correct-nested-loops"]
COURSE = ["completed-with-training-runs", "release-2018-completed-reads-h5"]
CRASHING = ["exception-in-cell", "sys-exit-in-cell", "os-exit-in-cell"]
LOOPING = {"cell": "infinite-loop-in-cell", "function": "infinite-loop-in-function"}
# The mix of a class: (pool, notebooks out of every 20).
MIX = [(CORRECT, 6), (BUGGY, 6), (LOOPS, 2), (COURSE, 4), (CRASHING, 2)]


def make_class(folder: Path, size: int, looping: str = "cell") -> dict[str, int]:
    """`size` notebooks in the proportions of MIX, one of them the infinite loop; how many of
    each scenario."""
    shares = [pool for pool, count in MIX for _ in range(count)]
    cycles = {id(pool): itertools.cycle(pool) for pool, _ in MIX}
    plan = [LOOPING[looping]]
    for index in range(size - 1):
        plan.append(next(cycles[id(shares[index % len(shares)])]))
    for index, name in enumerate(plan):
        shutil.copy(SCENARIOS / f"{name}.ipynb", folder / f"student{index:03d}.ipynb")
    return {name: plan.count(name) for name in dict.fromkeys(plan)}


def measure(folder: Path, options: BatchOptions) -> float:
    """Submissions per minute for one run into a fresh output directory."""
    shutil.rmtree(options.output, ignore_errors=True)
    start = time.perf_counter()
    summary = run_batch(folder, options)
    elapsed = time.perf_counter() - start
    assert summary.graded == summary.found, "every submission must get a result"
    return 60.0 * summary.graded / elapsed


def memory(output: Path) -> str:
    """Peak resident memory of the sandboxes and grading processes, from the stored results."""
    sandboxes, graders = [], []
    for path in (output / "results").glob("*.json"):
        report = json.loads(path.read_text()).get("report", {})
        if report.get("sandbox_peak_mb"):
            sandboxes.append(float(report["sandbox_peak_mb"]))
            graders.append(float(report.get("grader_peak_mb", 0.0)))
    if not sandboxes:
        return "memory: not recorded"
    return (
        f"peak memory per sandbox: median {statistics.median(sandboxes):.0f} MB, largest "
        f"{max(sandboxes):.0f} MB; per grading process: largest {max(graders):.0f} MB"
    )


def measure_dask(folder: Path, output: Path) -> None:
    """Print the rate on a 2-worker Dask LocalCluster, if `distributed` is installed."""
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=200)
    parser.add_argument(
        "--jobs", default="1,2", help="worker counts to measure, comma-separated (default 1,2)"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per worker count (median)")
    parser.add_argument("--looping", choices=sorted(LOOPING), default="cell")
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args()
    jobs_list = [int(jobs) for jobs in args.jobs.split(",") if jobs.strip()]
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory) / "class"
        folder.mkdir()
        counts = make_class(folder, args.size, args.looping)
        print(f"{args.size} notebooks: " + ", ".join(f"{n} {name}" for name, n in counts.items()))
        output = Path(directory) / "graded"
        figures = {}
        for jobs in jobs_list:
            options = BatchOptions("logistic_regression", output, jobs=jobs, progress=False)
            rates = [measure(folder, options) for _ in range(args.runs)]
            figures[jobs] = statistics.median(rates)
            shown = ", ".join(f"{rate:.0f}" for rate in rates)
            print(
                f"--jobs {jobs}: {figures[jobs]:.0f} notebooks per minute, median of "
                f"{args.runs} ({shown})",
                flush=True,
            )
            print(f"  {memory(output)}", flush=True)
        if not args.skip_dask:
            measure_dask(folder, output)
        if 1 in figures and 2 in figures:
            print(f"scaling from 1 to 2 jobs: {figures[2] / figures[1]:.2f}x")


if __name__ == "__main__":
    main()
