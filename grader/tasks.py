"""Task graders: call the student's function on each case and judge it in the grader process.

`TASK_GRADERS` maps a spec's task `kind` to its grader. Dependent functions are graded in
isolation: when a case fails against the plain reference, the reference is run again with the
student's own helpers (called in the sandbox); matching that run earns the points too. So a
wrong `propagate` costs the propagate points once, not the optimize and model points as well.
When a student's function *raises* because of a broken helper, it cannot be graded in isolation
without sending reference values into the sandbox (which we never do); the feedback then names
the broken helper instead.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from grader import scoring
from grader.assignment import (
    Assignment,
    Case,
    CaseInput,
    Mistake,
    Task,
    generate_cases,
)
from grader.checks import Rules, Tolerance, Verdict, compare_values
from grader.execution import CallOutcome, CallStatus, NotebookSession
from grader.messages import (
    BROKEN_HELPER,
    CRASHED,
    GRADER_FAULT,
    MISSING,
    MISSING_CELL_HINT,
    MUTATION_FAILS,
    NOT_CALLABLE,
    NOT_IMPLEMENTED,
    NOT_RUN_AFTER_TIMEOUT,
    OWN_HELPERS,
    RAISED,
    TIMEOUT,
)
from grader.presentation import describe_call, parameter_names, summarize_value
from grader.report import CaseResult, Status, TaskResult, Visibility


@dataclass(frozen=True)
class GradingContext:
    """Everything a task grader needs, built once per submission."""

    assignment: Assignment
    session: NotebookSession
    reference: ModuleType
    cases_module: ModuleType
    mistakes: tuple[Mistake, ...]
    public_only: bool
    data_dir: Path | None
    submission_notes: tuple[str, ...] = ()
    finished: dict[str, TaskResult] = field(default_factory=dict)
    mutated: dict[str, set[str]] = field(default_factory=dict)  # function -> arguments changed
    train: bool = True  # run training checks (Keras); False with --no-train
    progress: Callable[[str], None] | None = None  # where to say what takes a while
    announced: set[str] = field(default_factory=set)


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
    the course's update functions change the dicts they receive)."""
    if outcome.mutated and task.options.get("mutation") != "allow":
        names = parameter_names(task.signature)
        which = [names[i] if i < len(names) else f"#{i + 1}" for i in outcome.mutated]
        context.mutated.setdefault(task.function, set()).update(which)


def _property_case(
    task: Task, case: Case, outcome: CallOutcome, context: GradingContext, max_points: float
) -> CaseResult:
    check = getattr(context.cases_module, task.options.get("check", f"check_{task.name}"))
    verdict = _mutation_verdict(task, outcome) or check(case.inputs, outcome.value)
    if verdict.ok:
        return _passed_case(case, max_points, verdict.details, outcome)
    mistake = diagnose(task, case, outcome.value, Rules(), context)
    return _failed_case(task, case, outcome, verdict, mistake, max_points, verdict.values)


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


def _mutation_verdict(task: Task, outcome: CallOutcome) -> Verdict | None:
    """For tasks whose spec says `mutation = "fail"`: changing an input is wrong in itself."""
    if not outcome.mutated or task.options.get("mutation") != "fail":
        return None
    names = parameter_names(task.signature)
    which = ", ".join(f"`{names[i]}`" if i < len(names) else f"#{i + 1}" for i in outcome.mutated)
    return Verdict(
        False, "", MUTATION_FAILS.format(name=task.function, which=which), kind="mutation"
    )


def _failed_case(
    task: Task,
    case: Case,
    outcome: CallOutcome,
    verdict: Verdict,
    mistake: Mistake | None,
    max_points: float,
    values: tuple[Any, Any] | None,
) -> CaseResult:
    args, kwargs = case.inputs.args, case.inputs.kwargs
    return CaseResult(
        case.case_id,
        case.visibility,
        Status.FAILED,
        0.0,
        max_points,
        message=verdict.message,
        details=verdict.details,
        diagnosis=mistake.message if mistake else None,
        mistake=mistake.id if mistake else None,
        inputs=_shown_inputs(task, args, kwargs),
        expected=None if values is None else summarize_value(values[0]),
        got=summarize_value(outcome.value if values is None else values[1]),
        seconds=outcome.seconds,
    )


def _compare_case(
    task: Task, case: Case, outcome: CallOutcome, context: GradingContext, max_points: float
) -> CaseResult:
    rules = Rules(Tolerance(task.rtol, task.atol), task.dtypes, task.returns)
    args, kwargs = case.inputs.args, case.inputs.kwargs
    try:
        expected = _expected_value(task, case, context)
    except Exception as exc:  # a bug in our reference is our fault, never the student's
        error = GRADER_FAULT.format(error=f"{type(exc).__name__}: {exc}")
        return CaseResult(
            case.case_id,
            case.visibility,
            Status.GRADER_ERROR,
            0.0,
            max_points,
            error,
            inputs=_shown_inputs(task, args, kwargs),
        )
    root = task.returns[0] if len(task.returns) == 1 else "your result"
    verdict = compare_values(expected, outcome.value, rules, root)
    details = list(verdict.details)
    if not verdict.ok and task.uses and _matches_own_helpers(task, case, outcome, rules, context):
        details.insert(0, OWN_HELPERS.format(helpers=", ".join(f"`{u}`" for u in task.uses)))
        verdict = dataclasses.replace(verdict, ok=True)
    verdict = _mutation_verdict(task, outcome) or verdict
    if verdict.ok:
        return _passed_case(case, max_points, tuple(details), outcome)
    mistake = diagnose(task, case, outcome.value, rules, context)
    verdict = dataclasses.replace(verdict, details=tuple(details))
    return _failed_case(
        task,
        case,
        outcome,
        verdict,
        mistake,
        max_points,
        verdict.values or (expected, outcome.value),
    )


def call_function(
    task: Task,
    context: GradingContext,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    *,
    shorter: bool = False,
) -> CallOutcome:
    """Call the task's function in the sandbox (or, for a `variable` task, read the variable).
    With `shorter`, the time limit is a quarter of the usual one (at least a second)."""
    if task.kind == "variable":
        return context.session.value(task.function)
    seconds = task.call_seconds or context.assignment.limits.call_seconds
    if shorter:
        seconds = min(seconds, max(1.0, seconds / 4))
    return context.session.call(task.function, args, kwargs, seconds)


# Expected values depend only on the assignment, its seeds and the case, so a grader process
# that grades a whole class computes each one once.
_EXPECTED_CACHE: dict[tuple[Any, ...], Any] = {}
_EXPECTED_CACHE_LIMIT = 10_000


def _expected_value(task: Task, case: Case, context: GradingContext) -> Any:
    assignment = context.assignment
    seed = (
        assignment.hidden_seed if case.visibility is Visibility.HIDDEN else assignment.public_seed
    )
    key = (assignment.id, assignment.version, seed, task.name, case.case_id)
    if key not in _EXPECTED_CACHE:
        if len(_EXPECTED_CACHE) >= _EXPECTED_CACHE_LIMIT:
            _EXPECTED_CACHE.clear()
        args, kwargs = copy.deepcopy((case.inputs.args, case.inputs.kwargs))
        if task.kind == "variable":  # the reference holds the answer itself
            _EXPECTED_CACHE[key] = copy.deepcopy(getattr(context.reference, task.function))
        else:
            _EXPECTED_CACHE[key] = _reference(context, task.function)(*args, **kwargs)
    return _EXPECTED_CACHE[key]


def _reference(context: GradingContext, name: str) -> Callable[..., Any]:
    function = getattr(context.reference, name)
    assert callable(function)
    return function


def failed_call(
    task: Task,
    case: Case,
    outcome: CallOutcome,
    context: GradingContext,
    max_points: float,
    shown: str | None,
) -> CaseResult:
    name = task.function
    status, message = {
        CallStatus.MISSING: (
            Status.MISSING,
            MISSING.format(name=name, signature=task.signature or name) + _cell_hint(name, context),
        ),
        CallStatus.NOT_CALLABLE: (
            Status.ERROR,
            NOT_CALLABLE.format(name=name, kind=outcome.message),
        ),
        CallStatus.TIMEOUT: (Status.TIMEOUT, TIMEOUT.format(name=name, seconds=outcome.seconds)),
        CallStatus.CRASHED: (Status.CRASHED, CRASHED.format(name=name, reason=outcome.message)),
        CallStatus.RAISED: (Status.ERROR, _raised_message(name, outcome.message)),
    }[outcome.status]
    return CaseResult(
        case.case_id,
        case.visibility,
        status,
        0.0,
        max_points,
        message,
        details=_broken_helpers(task, context),
        inputs=shown,
        traceback=outcome.traceback,
        seconds=outcome.seconds,
    )


def _raised_message(name: str, message: str) -> str:
    if message.startswith("NotImplementedError"):
        return NOT_IMPLEMENTED.format(name=name)
    return RAISED.format(name=name, message=message)


def _broken_helpers(task: Task, context: GradingContext) -> tuple[str, ...]:
    """Point at helpers that failed their own checks: the likely cause of this failure."""
    return tuple(
        BROKEN_HELPER.format(helper=name)
        for name in task.uses
        if name in context.finished and not context.finished[name].passed
    )


def _cell_hint(name: str, context: GradingContext) -> str:
    failed = [
        c for c in context.session.cell_results if c.status.value in ("error", "timeout", "killed")
    ]
    return MISSING_CELL_HINT.format(cell=failed[0].index + 1, name=name) if failed else ""


def _matches_own_helpers(
    task: Task, case: Case, outcome: CallOutcome, rules: Rules, context: GradingContext
) -> bool:
    """Run the reference with the student's helpers (called in the sandbox) and compare."""
    helpers = {name: _student_helper(task, context, name) for name in task.uses}
    try:
        expected = _reference(context, task.function)(
            *copy.deepcopy(case.inputs.args), **case.inputs.kwargs, **helpers
        )
    except Exception:  # the student's helper failed or returned garbage: no second chance
        return False
    return compare_values(expected, outcome.value, rules).ok


class HelperFailed(Exception):
    """A student's helper, called on behalf of the reference, did not return a value."""


def _student_helper(task: Task, context: GradingContext, name: str) -> Callable[..., Any]:
    def proxy(*args: Any, **kwargs: Any) -> Any:
        seconds = task.call_seconds or context.assignment.limits.call_seconds
        outcome = context.session.call(name, args, kwargs, seconds, track_mutation=False)
        if outcome.status != CallStatus.RETURNED:
            raise HelperFailed(name)
        return outcome.value

    return proxy


def diagnose(
    task: Task, case: Case, got: Any, rules: Rules, context: GradingContext
) -> Mistake | None:
    """The first known mistake whose output matches the student's."""
    for mistake in context.mistakes:
        if mistake.task != task.name:
            continue
        try:
            if mistake.matches(case.inputs, got, rules):
                return mistake
        except Exception:  # a variant that cannot run on these inputs explains nothing
            continue
    return None


# After one of these, the remaining cases of the task would only repeat it.
SKIP_REST_AFTER = (Status.MISSING, Status.GRADER_ERROR)
# After this many timeouts in one task, its remaining cases are not run.
MAX_TIMEOUTS = 2


def task_cases(task: Task, context: GradingContext) -> list[Case]:
    """The cases a task is graded on in this run (public only for `grade check`)."""
    if task.kind == "variable":  # one answer, read from the notebook: nothing to generate
        return [Case("public-1", Visibility.PUBLIC, CaseInput((), {}))]
    cases = generate_cases(context.assignment, task, context.cases_module)
    if context.public_only:
        cases = [case for case in cases if case.visibility is Visibility.PUBLIC]
    return cases


def _replace_case(previous: CaseResult, case: Case) -> CaseResult:
    return CaseResult(
        case.case_id, case.visibility, previous.status, 0.0, previous.max_points, previous.message
    )


def task_result(task: Task, cases: list[CaseResult]) -> TaskResult:
    return TaskResult(task.name, task.title, scoring.task_points(cases), task.points, tuple(cases))
