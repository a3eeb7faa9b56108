"""Why a value is wrong: the known mistakes that explain it, and the re-check against the reference
run with the student's own helpers that passed (which may differ from the reference within
tolerance).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from typing import Any

from grader.checks import Rules, compare_values
from grader.notebook.calls import CallOptions, CallOutcome, CallStatus
from grader.spec.model import Case, Mistake, Task
from grader.tasks.calls import call_options, failed_helpers, graded_helpers
from grader.tasks.context import GradingContext, reference_function


def matches_own_helpers(
    task: Task, case: Case, outcome: CallOutcome, rules: Rules, context: GradingContext
) -> bool:
    """Run the reference with the student's helpers that passed their own checks (called in
    the sandbox) and compare: a helper that differs from the reference only within tolerance
    may still move a long computation (hundreds of updates) outside it. Helpers that failed
    were already answered by the reference during the student's call."""
    failed = set(failed_helpers(task, context))
    own = [name for name in task.uses if name not in failed]
    if not own:
        return False  # the reference with reference helpers already disagreed
    helpers = {name: _student_helper(context, name) for name in own}
    try:
        expected = reference_function(context, task.function)(
            *copy.deepcopy(case.inputs.args), **case.inputs.kwargs, **helpers
        )
    except Exception:  # the student's helper failed or returned garbage: no second chance
        return False
    return compare_values(expected, outcome.value, rules).ok


class HelperFailed(Exception):
    """A student's helper, called on behalf of the reference, did not return a value."""


def _student_helper(context: GradingContext, name: str) -> Callable[..., Any]:
    helper = graded_helpers(context).get(name)

    def proxy(*args: Any, **kwargs: Any) -> Any:
        seconds = context.assignment.limits.call_seconds
        options = CallOptions(track_mutation=False)
        if helper is not None:
            seconds = helper.call_limit(context.assignment.limits)
            options = dataclasses.replace(
                call_options(helper, context, args, kwargs), track_mutation=False, watch=()
            )
        outcome = context.session.call(name, args, kwargs, seconds, options)
        if outcome.status != CallStatus.RETURNED:
            raise HelperFailed(name)
        return outcome.value

    return proxy


def diagnose(
    task: Task,
    case: Case,
    got: Any,
    rules: Rules,
    context: GradingContext,
    expected: Any = None,
) -> list[Mistake]:
    """The known mistakes that explain the student's output (see `checks.diagnosis`): the
    one that explains most of it first, then those that explain other parts of it."""
    found: list[tuple[frozenset[str], Mistake]] = []
    for mistake in context.mistakes:
        if mistake.task != task.name:
            continue
        try:
            explained = mistake.matches(case.inputs, got, rules, expected)
        except Exception:  # a variant that cannot run on these inputs explains nothing
            continue
        if explained:
            found.append((explained, mistake))
    chosen: list[Mistake] = []
    covered: set[str] = set()
    for explained, mistake in sorted(found, key=lambda item: -len(item[0])):
        if not chosen or not (explained & covered or "*" in explained | covered):
            chosen.append(mistake)
            covered |= explained
    return chosen
