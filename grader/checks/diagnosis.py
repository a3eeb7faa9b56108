"""Which known mistake explains a wrong answer, leaf by leaf.

A known mistake is a variant of the reference that reproduces it. Comparing the student's whole
answer with the variant's would name a mistake only when it is the only thing wrong; a student
whose cost lacks 1/m *and* whose dw has the wrong shape would be told nothing. So answers are
split into leaves (the entries of dicts and tuples: `grads["dw"]`, `cost`), and a variant
explains the student's answer when, on every leaf the mistake changes, the student's value is
the variant's. Leaves the mistake leaves alone may be wrong for another reason.
"""

from __future__ import annotations

from typing import Any

from grader.checks.values import Rules, compare_values, is_numeric_sequence


def leaves(value: Any, path: str = "") -> dict[str, Any]:
    """The leaves of an answer by path: dict entries and tuple/list positions, recursively
    (a list of numbers, such as recorded costs, is one leaf)."""
    if isinstance(value, dict):
        found: dict[str, Any] = {}
        for key, item in value.items():
            found.update(leaves(item, f"{path}[{key!r}]"))
        return found
    if isinstance(value, tuple | list) and not is_numeric_sequence(value):
        found = {}
        for index, item in enumerate(value):
            found.update(leaves(item, f"{path}[{index}]"))
        return found
    return {path: value}


def explains(expected: Any, variant: Any, got: Any, rules: Rules) -> frozenset[str]:
    """Does the mistake behind `variant` explain the student's answer `got`, and how much?

    Args:
        expected: the reference's answer.
        variant: the answer of the reference with the mistake.
        got: the student's answer.
        rules: tolerances (dtype requirements do not matter here).

    Returns:
        The leaves the mistake changes, when the student's value matches the variant's on
        every one of them; else nothing. A variant that changes the answer's structure must
        match the student's answer as a whole (and then explains all of it).
    """
    lenient = Rules(rules.tolerance)
    want, theirs, have = leaves(expected), leaves(variant), leaves(got)
    if set(want) != set(theirs):
        return frozenset(have) if compare_values(variant, got, lenient).ok else frozenset()
    changed = [path for path in want if not compare_values(want[path], theirs[path], lenient).ok]
    matched = all(
        path in have and compare_values(theirs[path], have[path], lenient).ok for path in changed
    )
    return frozenset(changed) if matched else frozenset()
