"""How well and how fast does the similarity check find planted copies?

Generates classes of `logistic_regression` notebooks (`tests/similarity_class.py`: independent
correct solutions in many styles, plus copies that are renamed, reordered, commented, of one
function only, mixed, and a cluster of three), runs `find_similar_notebooks` on each (the
functions cut out of the notebooks' cells, the release notebook as template) and prints:

- for classes of 60, over `--seeds` seeds other than those the defaults were tuned on
  (0-19): precision and recall over the planted pairs, recall per kind of copy, pairs of
  independent students reported, and the median seconds per class;
- for one class of `--large` students: the seconds, precision and recall.

Usage:
    python bench/bench_similarity.py [--seeds 10] [--large 1000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from similarity_class import (  # noqa: E402  (the tests' generator)
    FUNCTIONS,
    GeneratedClass,
    generate_class,
    release_cells,
)

from grader.similarity import find_similar_notebooks  # noqa: E402

FIRST_SEED = 100  # the defaults were chosen on seeds 0-19


def measure(school: GeneratedClass) -> tuple[set[frozenset[str]], float, float]:
    """The reported pairs of a class, and the wall-clock and CPU seconds the check took (CPU
    seconds do not depend on what else the machine is doing)."""
    start, cpu = time.perf_counter(), time.process_time()
    report = find_similar_notebooks(school.cells, FUNCTIONS, release_cells())
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {frozenset(pair.students) for pair in report.pairs}, seconds, cpu


def kind_of(school: GeneratedClass, pair: frozenset[str]) -> str:
    """The plant behind a planted pair ("cluster" for the three pairs of a cluster)."""
    kinds = {school.plants[s].split(":")[0] for s in pair if s in school.plants}
    return "cluster" if "cluster" in kinds else next(iter(kinds))


def bench_small(seeds: int) -> None:
    """Precision, recall and seconds over classes of 60."""
    found = reported = planted = independent = 0
    per_kind: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    timings, cpu_timings = [], []
    for seed in range(FIRST_SEED, FIRST_SEED + seeds):
        school = generate_class(60, seed)
        flagged, seconds, cpu = measure(school)
        timings.append(seconds)
        cpu_timings.append(cpu)
        found += len(flagged & school.copies)
        reported += len(flagged)
        planted += len(school.copies)
        alone = school.independent - {s for pair in school.copies for s in pair}
        independent += sum(pair <= alone for pair in flagged)
        for pair in school.copies:
            per_kind[kind_of(school, pair)] += 1
            caught[kind_of(school, pair)] += pair in flagged
    print(f"class of 60, {seeds} classes (seeds {FIRST_SEED}-{FIRST_SEED + seeds - 1}):")
    print(f"  precision {found / max(1, reported):.3f}  ({found} of {reported} reported pairs)")
    print(f"  recall    {found / planted:.3f}  ({found} of {planted} planted pairs)")
    for kind in sorted(per_kind):
        print(f"    {kind:<13} {caught[kind]:>3} of {per_kind[kind]:>3} found")
    print(f"  pairs of independent students reported: {independent}")
    print(
        f"  seconds per class: median {statistics.median(timings):.2f} "
        f"(CPU {statistics.median(cpu_timings):.2f}), max {max(timings):.2f}"
    )


def bench_large(size: int) -> None:
    """Seconds, precision and recall for one large class."""
    school = generate_class(size, FIRST_SEED)
    flagged, seconds, cpu = measure(school)
    found = len(flagged & school.copies)
    print(f"class of {size}: {seconds:.1f} s (CPU {cpu:.1f} s)")
    print(f"  precision {found / max(1, len(flagged)):.3f}  ({found} of {len(flagged)})")
    print(f"  recall    {found / len(school.copies):.3f}  ({found} of {len(school.copies)})")


def main() -> None:
    """Parse the arguments and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=10, help="classes of 60 to generate")
    parser.add_argument("--large", type=int, default=1000, help="size of the large class")
    args = parser.parse_args()
    bench_small(args.seeds)
    bench_large(args.large)


if __name__ == "__main__":
    main()
