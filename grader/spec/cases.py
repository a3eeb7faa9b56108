"""Generating a task's cases from the seeds: public cases from the public seed, hidden ones from
the hidden seed, each from its own generator.
"""

from __future__ import annotations

import zlib
from types import ModuleType

import numpy as np

from grader.report.model import Visibility
from grader.spec.model import Assignment, Case, Task


def generate_cases(assignment: Assignment, task: Task, module: ModuleType) -> list[Case]:
    """Public cases from the public seed, then hidden cases from the hidden seed.

    Each case gets its own generator keyed by (seed, task name, index), so adding a task or a
    case never changes the others.
    """
    generator = getattr(module, task.generator)
    cases = []
    for visibility, seed, count in (
        (Visibility.PUBLIC, assignment.public_seed, task.public_cases),
        (Visibility.HIDDEN, assignment.hidden_seed, task.hidden_cases),
    ):
        for index in range(count):
            rng = np.random.default_rng([seed, zlib.crc32(task.name.encode()), index])
            inputs = generator(rng, index, visibility.value)
            cases.append(Case(f"{visibility.value}-{index + 1}", visibility, inputs))
    return cases
