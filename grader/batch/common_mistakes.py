"""Common undiagnosed mistakes: wrong answers several students share that no known mistake
explains (the next mistakes worth naming), from stored results (instructor view).

For each graded function, a student whose hidden cases fail by value with no named mistake
on any case of that function gets a signature: per hidden case, the fingerprint of their
wrong output (`CaseResult.got_digest`, rounded so that near-identical values match; computed
by the grader when the case failed) or the case's status when it did not fail by value.
Students with the same signature computed the same wrong values on every hidden case: most
likely the same slip. Groups of at least `MIN_STUDENTS` are reported, largest first, each
with one example of the difference in words (`CaseResult.difference`) and one member's code
of the function, for writing the variant that names it.

Results stored before the grader kept these fingerprints have none; `missing` counts the
submissions that could not be grouped for that reason (`grade batch --force` regrades them).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from grader.batch.store import Stored
from grader.report.model import CaseResult, Status, TaskResult, Visibility
from grader.similarity.extract import extract_functions

MIN_STUDENTS = 3
GROUPS_SHOWN = 15
CODE_LINES = 40  # the member's function shown is cut after this many lines

Signature = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class UndiagnosedGroup:
    """Students whose graded function gives the same wrong output on every hidden case.

    Attributes:
        task: the task's name; `title` its title.
        students: the students' keys, sorted.
        difference: how the wrong output differs from the expected one, on one member's case
            (the wording most of that member's failing cases share).
        cases: on how many of that member's failing hidden cases `difference` holds, of `failing`.
        code: that member's code of the function (at most `CODE_LINES` lines; empty when it
            could not be found in the stored notebook).
        example: the member whose case and code are shown.
    """

    task: str
    title: str
    students: tuple[str, ...]
    difference: str
    cases: int
    failing: int
    code: str
    example: str


@dataclass(frozen=True)
class UndiagnosedMistakes:
    """The groups found (largest first, at most `GROUPS_SHOWN`), how many groups there were in
    all, and how many submissions had undiagnosed wrong outputs without fingerprints."""

    groups: tuple[UndiagnosedGroup, ...]
    total: int
    missing: int


def find_undiagnosed(
    stored: Sequence[Stored],
    functions: Mapping[str, str] | None = None,
    min_students: int = MIN_STUDENTS,
) -> UndiagnosedMistakes:
    """Group the students who share an undiagnosed wrong output of a graded function.

    Args:
        stored: the class's stored results.
        functions: task name -> the function it grades (from the spec), to cut the function's
            code out of a member's notebook; by default the task's name.
        min_students: the smallest group reported.
    """
    buckets: dict[tuple[str, Signature], list[Stored]] = defaultdict(list)
    titles: dict[str, str] = {}
    missing: set[str] = set()
    order: dict[str, int] = {}
    for item in stored:
        for position, task in enumerate(item.report.tasks):
            order.setdefault(task.name, position)
            signature = task_signature(task)
            if signature is None:
                if _lacks_digests(task):
                    missing.add(item.student)
                continue
            titles.setdefault(task.name, task.title)
            buckets[(task.name, signature)].append(item)
    found = [
        _group(task, titles[task], members, (functions or {}).get(task, task))
        for (task, _), members in buckets.items()
        if len(members) >= min_students
    ]
    found.sort(key=lambda g: (-len(g.students), order[g.task], g.students))
    return UndiagnosedMistakes(tuple(found[:GROUPS_SHOWN]), len(found), len(missing))


def task_signature(task: TaskResult) -> Signature | None:
    """The fingerprints of a task's wrong outputs on its hidden cases, or None when the task
    is not an undiagnosed failure by value (it passed, a known mistake was named on one of
    its cases, no hidden case failed by value, or the fingerprints were not kept)."""
    hidden = _hidden(task)
    if any(case.mistake for case in task.cases) or not any(_wrong(case) for case in hidden):
        return None
    return tuple(sorted((case.case_id, case.got_digest or case.status.value) for case in hidden))


def _hidden(task: TaskResult) -> list[CaseResult]:
    return [case for case in task.cases if case.visibility is Visibility.HIDDEN]


def _wrong(case: CaseResult) -> bool:
    """A case that failed by value, with the fingerprint of the wrong output."""
    return case.status is Status.FAILED and case.got_digest is not None


def _lacks_digests(task: TaskResult) -> bool:
    """An undiagnosed failure by value stored without fingerprints (graded before they were
    kept)."""
    failed = [c for c in _hidden(task) if c.status is Status.FAILED]
    return (
        bool(failed)
        and not any(case.mistake for case in task.cases)
        and all(case.got_digest is None and case.got is not None for case in failed)
    )


def _group(task: str, title: str, members: list[Stored], function: str) -> UndiagnosedGroup:
    example = min(members, key=lambda item: item.student)
    result = next(t for t in example.report.tasks if t.name == task)
    failing = [c for c in _hidden(result) if _wrong(c)]
    wordings = Counter(c.difference for c in failing if c.difference)
    ranked = sorted(wordings.items(), key=lambda w: (-w[1], not _about_values(w[0])))
    difference, cases = ranked[0] if ranked else (failing[0].message, 1)
    return UndiagnosedGroup(
        task=task,
        title=title,
        students=tuple(sorted(item.student for item in members)),
        difference=difference,
        cases=cases,
        failing=len(failing),
        code=_code_of(example, function),
        example=example.student,
    )


def _about_values(wording: str) -> bool:
    """Does the wording relate whole arrays ("every value is ...", "3 of 8 values differ"), not
    just one number to another (more telling when each case is worded differently)?"""
    return any(word in wording for word in ("value", "shape", "transpose"))


def _code_of(item: Stored, function: str) -> str:
    """The member's function as written (cut after `CODE_LINES` lines), or empty."""
    source = extract_functions(list(item.report.code), [function]).get(function, "")
    lines = source.splitlines()
    if len(lines) > CODE_LINES:
        lines = [*lines[:CODE_LINES], "..."]
    return "\n".join(lines)
