"""The `compare`, `variable` and `property` task kinds: call the student's function on every case
and judge what it returns, against the reference's value or by a property of it, in the grader
process.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from typing import Any

from grader.checks import Rules, Tolerance, Verdict, compare_values
from grader.checks.wrong_output import describe_difference, input_sizes, output_digest
from grader.notebook.calls import CallOutcome, CallStatus
from grader.report.model import CaseResult, Status, TaskResult, Visibility
from grader.report.summaries import (
    describe_call,
    describe_structure,
    parameter_names,
    summarize_value,
)
from grader.spec.model import Case, Mistake, Task
from grader.spec.options import PropertyOptions
from grader.tasks.calls import call_function, compare_options
from grader.tasks.context import (
    GradingContext,
    grader_fault_case,
    reference_function,
    task_cases,
    task_result,
)
from grader.tasks.diagnosis import diagnose, matches_own_helpers
from grader.tasks.failures import failed_call
from grader.tasks.messages import (
    ANOTHER_MISTAKE,
    MUTATION_COSTS,
    NOT_RUN_AFTER_TIMEOUT,
    OWN_HELPERS,
)

CaseJudge = Callable[[Task, Case, CallOutcome, GradingContext, float], CaseResult]


def grade_compare_task(task: Task, context: GradingContext) -> TaskResult:
    """Call the student's function on every case and compare with the reference."""
    return _grade_cases(task, context, _compare_case)


def grade_property_task(task: Task, context: GradingContext) -> TaskResult:
    """Call the student's function on every case and check properties of what it returns
    (for answers that are right in many ways: random initializations, masks, trained
    weights). The check is `check_<task name>` in the assignment's cases.py, or the spec's
    `check` option."""
    return _grade_cases(task, context, _property_case)


def _grade_cases(task: Task, context: GradingContext, judge: CaseJudge) -> TaskResult:
    cases = task_cases(task, context)
    results: list[CaseResult] = []
    timeouts = 0
    for case in cases:
        max_points = task.points / len(cases)
        if timeouts >= MAX_TIMEOUTS:
            results.append(
                CaseResult(
                    case.case_id,
                    case.visibility,
                    Status.TIMEOUT,
                    0.0,
                    max_points,
                    NOT_RUN_AFTER_TIMEOUT,
                )
            )
            continue
        if results and results[-1].status in SKIP_REST_AFTER:
            results.append(_replace_case(results[-1], case))
            continue
        args, kwargs = case.inputs.args, case.inputs.kwargs
        # After a timeout the other cases still run (a function may loop on some inputs only),
        # each with a shorter limit, so an endless loop costs little more than once.
        outcome = call_function(task, context, args, kwargs, shorter=timeouts > 0)
        timeouts += outcome.status == CallStatus.TIMEOUT
        if outcome.status != CallStatus.RETURNED:
            shown = _shown_inputs(task, args, kwargs)
            results.append(failed_call(task, case, outcome, context, max_points, shown))
            continue
        _record_mutation(task, outcome, context)
        results.append(judge(task, case, outcome, context, max_points))
    return task_result(task, results)


def _record_mutation(task: Task, outcome: CallOutcome, context: GradingContext) -> None:
    """Note in-place changes of inputs, unless the spec allows them (`mutation = "allow"`:
    the course's update functions change the dicts they receive; `"arrays"`: replacing
    entries of a dict it was given is the course's own idiom, writing into the caller's
    arrays is not)."""
    policy = compare_options(task).mutation
    if policy == "allow":
        return
    changed = [i for i, kind in outcome.mutated if policy != "arrays" or kind == "arrays"]
    if changed:
        context.mutated.setdefault(task.function, set()).update(_argument_names(task, changed))


def _costly_mutations(task: Task, outcome: CallOutcome) -> list[int]:
    """The changed arguments that cost points under the spec's `mutation` policy."""
    policy = compare_options(task).mutation
    if policy == "fail":
        return [index for index, _ in outcome.mutated]
    if policy == "arrays":
        return [index for index, kind in outcome.mutated if kind == "arrays"]
    return []


def _argument_names(task: Task, indexes: list[int]) -> list[str]:
    names = parameter_names(task.signature)
    return [names[i] if i < len(names) else f"#{i + 1}" for i in indexes]


def _right_values_case(
    task: Task,
    case: Case,
    outcome: CallOutcome,
    context: GradingContext,
    max_points: float,
    details: tuple[str, ...],
) -> CaseResult:
    """A case whose values are right: full points, unless the function changed its inputs
    where the spec says that costs (`mutation_penalty` of the case, half by default)."""
    costly = _costly_mutations(task, outcome)
    if not costly:
        return _passed_case(case, max_points, details, outcome)
    share = compare_options(task).mutation_penalty
    which = ", ".join(f"`{name}`" for name in _argument_names(task, costly))
    named = next(
        (m for m in context.mistakes if m.task == task.name and m.id == MODIFIES_INPUT), None
    )
    return CaseResult(
        case.case_id,
        case.visibility,
        Status.FAILED,
        round(max_points * (1 - share), 4),
        max_points,
        MUTATION_COSTS.format(name=task.function, which=which, share=f"{share:.0%}"),
        details,
        diagnosis=named.message if named else None,
        mistake=MODIFIES_INPUT,
        seconds=outcome.seconds,
    )


def _property_case(
    task: Task, case: Case, outcome: CallOutcome, context: GradingContext, max_points: float
) -> CaseResult:
    try:
        options = task.options
        named = options.check if isinstance(options, PropertyOptions) else ""
        check = getattr(context.cases_module, named or f"check_{task.name}")
        verdict = check(case.inputs, outcome.value)
    except Exception as exc:  # a bug in our check is our fault, never the student's
        shown = _shown_inputs(task, case.inputs.args, case.inputs.kwargs)
        return grader_fault_case(case, max_points, exc, shown)
    if verdict.ok:
        return _right_values_case(task, case, outcome, context, max_points, verdict.details)
    mistakes = diagnose(task, case, outcome.value, Rules(), context)
    return _failed_case(task, case, outcome, verdict, mistakes, max_points, verdict.values)


def _shown_inputs(task: Task, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str | None:
    """How the call is shown in feedback; a named answer (variable) has no inputs."""
    if task.kind == "variable":
        return None
    return describe_call(task.function, args, kwargs, task.signature)


def _passed_case(
    case: Case, max_points: float, details: tuple[str, ...], outcome: CallOutcome
) -> CaseResult:
    """Passed cases are shown as a count: no need to render their values."""
    return CaseResult(
        case.case_id,
        case.visibility,
        Status.PASSED,
        max_points,
        max_points,
        details=details,
        seconds=outcome.seconds,
    )


def _failed_case(
    task: Task,
    case: Case,
    outcome: CallOutcome,
    verdict: Verdict,
    mistakes: list[Mistake],
    max_points: float,
    values: tuple[Any, Any] | None,
) -> CaseResult:
    args, kwargs = case.inputs.args, case.inputs.kwargs
    mistake = mistakes[0] if mistakes else None
    more = tuple(ANOTHER_MISTAKE.format(message=m.message) for m in mistakes[1:])
    hidden = case.visibility is Visibility.HIDDEN
    safe_details = verdict.safe_details
    return CaseResult(
        case.case_id,
        case.visibility,
        Status.FAILED,
        0.0,
        max_points,
        message=verdict.message,
        details=(*verdict.details, *more),
        student_message=(verdict.safe_message or None) if hidden else None,
        student_details=(*safe_details, *more) if hidden and safe_details is not None else None,
        diagnosis=mistake.message if mistake else None,
        mistake=mistake.id if mistake else None,
        inputs=_shown_inputs(task, args, kwargs),
        expected=_expected_text(task, verdict, values),
        # A property's message already says what the student's value has (its statistic).
        got=None
        if verdict.expected_text
        else summarize_value(outcome.value if values is None else values[1]),
        seconds=outcome.seconds,
        **_wrong_output(task, case, outcome, verdict, values),
    )


def _wrong_output(
    task: Task, case: Case, outcome: CallOutcome, verdict: Verdict, values: tuple[Any, Any] | None
) -> dict[str, str | None]:
    """The instructor's `got_digest` and `difference` of a failing case. For a property the
    expected value is one right answer among many: no difference (the message says it).
    These only describe: a failure here costs the description, never the verdict."""
    try:
        digest = output_digest(outcome.value, Tolerance(task.rtol, task.atol))
        if values is None or task.kind == "property" or verdict.expected_text:
            return {"got_digest": digest, "difference": None}
        sizes = input_sizes(case.inputs.args, case.inputs.kwargs)
        difference = describe_difference(values[0], values[1], sizes, verdict.path)
    except Exception:  # an odd value we cannot describe is still graded as it was
        return {"got_digest": None, "difference": None}
    return {"got_digest": digest, "difference": difference}


def _expected_text(task: Task, verdict: Verdict, values: tuple[Any, Any] | None) -> str | None:
    """The "Expected" line: the reference's value, or for an answer checked by a property
    the property (a statistic, a kept fraction) or the shape it must have, never a made-up
    array."""
    if verdict.expected_text:
        return verdict.expected_text
    if values is None:
        return None
    if task.kind == "property" and verdict.kind != "value":
        return describe_structure(values[0])  # a template of the right shape, not values
    return summarize_value(values[0])


def _compare_case(
    task: Task, case: Case, outcome: CallOutcome, context: GradingContext, max_points: float
) -> CaseResult:
    rules = Rules(Tolerance(task.rtol, task.atol), task.dtypes, task.returns)
    args, kwargs = case.inputs.args, case.inputs.kwargs
    try:
        expected = _expected_value(task, case, context)
    except Exception as exc:  # a bug in our reference is our fault, never the student's
        return grader_fault_case(case, max_points, exc, _shown_inputs(task, args, kwargs))
    root = task.returns[0] if len(task.returns) == 1 else "your result"
    verdict = compare_values(expected, outcome.value, rules, root)
    details = list(verdict.details)
    mistakes = [] if verdict.ok else diagnose(task, case, outcome.value, rules, context, expected)
    # A difference no known mistake of this function explains may come from the student's own
    # helpers (within tolerance on their own cases, outside it after hundreds of updates): the
    # reference run with them decides. One a known mistake explains is the function's own.
    unexplained = not verdict.ok and not mistakes and task.uses
    if unexplained and matches_own_helpers(task, case, outcome, rules, context):
        details.insert(0, OWN_HELPERS.format(helpers=", ".join(f"`{u}`" for u in task.uses)))
        verdict = dataclasses.replace(verdict, ok=True)
    if verdict.ok:
        return _right_values_case(task, case, outcome, context, max_points, tuple(details))
    verdict = dataclasses.replace(verdict, details=tuple(details))
    return _failed_case(
        task,
        case,
        outcome,
        verdict,
        mistakes,
        max_points,
        verdict.values or (expected, outcome.value),
    )


# Expected values depend only on the assignment, its seeds and the case, so a grader process
# that grades a whole class computes each one once.
_EXPECTED_CACHE: dict[tuple[Any, ...], Any] = {}
_EXPECTED_CACHE_LIMIT = 10_000


def _expected_value(task: Task, case: Case, context: GradingContext) -> Any:
    assignment = context.assignment
    seed = (
        assignment.hidden_seed if case.visibility is Visibility.HIDDEN else assignment.public_seed
    )
    key = (str(assignment.directory), assignment.version, seed, task.name, case.case_id)
    if key not in _EXPECTED_CACHE:
        if len(_EXPECTED_CACHE) >= _EXPECTED_CACHE_LIMIT:
            _EXPECTED_CACHE.clear()
        args, kwargs = copy.deepcopy((case.inputs.args, case.inputs.kwargs))
        if task.kind == "variable":  # the reference holds the answer itself
            _EXPECTED_CACHE[key] = copy.deepcopy(getattr(context.reference, task.function))
        else:
            _EXPECTED_CACHE[key] = reference_function(context, task.function)(*args, **kwargs)
    return _EXPECTED_CACHE[key]


# The id of the known mistake "changes its input in place" (its message, when a reference
# defines one, is the diagnosis of a case whose values are right but whose inputs changed).
MODIFIES_INPUT = "modifies_input"
# After one of these, the remaining cases of the task would only repeat it.
SKIP_REST_AFTER = (Status.MISSING, Status.GRADER_ERROR)
# After this many timeouts in one task, its remaining cases are not run.
MAX_TIMEOUTS = 2


def _replace_case(previous: CaseResult, case: Case) -> CaseResult:
    return CaseResult(
        case.case_id, case.visibility, previous.status, 0.0, previous.max_points, previous.message
    )
