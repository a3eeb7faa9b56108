"""How long does a Keras training check take, and how steady is the accuracy it measures?

Fills each Keras assignment's released notebook with the reference solution (or, with
`--lecture`, takes the lecture's model: the `lecture-model` scenario notebook), grades it
`--runs` times in one grader process (training checks on, CPU unless --gpu), and prints, per
assignment, the median seconds the model trained (as the report states it), the epochs it
finished, the median seconds to grade the whole submission (TensorFlow import in the sandbox
included), the device, and the test accuracies against the spec's threshold.

Usage:
    python bench/bench_train.py [--runs 3] [--assignment keras_cnn] [--lecture] [--gpu]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from grader.grading import grade_submission
from grader.spec.load import load_assignment
from grader.spec.release import build_release

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from test_release import filled  # noqa: E402  (the tests' way of filling a release)

KERAS_ASSIGNMENTS = ("keras_cnn", "medical_cnn")


def submission(assignment_id: str, lecture: bool) -> nbformat.NotebookNode:
    """The notebook to grade: the lecture's model, or the release filled with the reference."""
    if lecture:
        path = ROOT / "tests" / "scenarios" / assignment_id / "lecture-model.ipynb"
        return nbformat.read(path, as_version=4)
    return filled(build_release(load_assignment(assignment_id)).notebook, assignment_id)


def bench(assignment_id: str, runs: int, gpu: bool, lecture: bool) -> None:
    """Grade the reference (or the lecture's model) `runs` times and print the figures."""
    notebook = submission(assignment_id, lecture)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"{assignment_id}.ipynb"
        nbformat.write(notebook, path)
        trained, graded, accuracies, devices, epochs = [], [], [], set(), []
        for _ in range(runs):
            start = time.perf_counter()
            report = grade_submission(path, assignment_id, gpu=gpu)
            graded.append(time.perf_counter() - start)
            for task in report.tasks:
                if task.training is not None:
                    trained.append(task.training.seconds)
                    epochs.append(f"{task.training.epochs}/{task.training.planned_epochs}")
                    accuracies.append(task.training.accuracy)
                    devices.add(task.training.device)
                    threshold = task.training.threshold
    model = "lecture's model" if lecture else "reference"
    print(
        f"{assignment_id} ({model}): trained in {statistics.median(trained):.1f} s median "
        f"(min {min(trained):.1f}; epochs {', '.join(epochs)}), whole submission "
        f"{statistics.median(graded):.1f} s median, "
        f"on {', '.join(sorted(devices))}; accuracy "
        f"{', '.join(f'{a:.1%}' for a in accuracies)} (threshold {threshold:.0%}); {runs} runs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--assignment", choices=KERAS_ASSIGNMENTS, action="append")
    parser.add_argument("--gpu", action="store_true", help="allow a GPU (if one is visible)")
    parser.add_argument("--lecture", action="store_true", help="the lecture's model instead")
    args = parser.parse_args()
    for assignment_id in args.assignment or KERAS_ASSIGNMENTS:
        bench(assignment_id, args.runs, args.gpu, args.lecture)


if __name__ == "__main__":
    main()
