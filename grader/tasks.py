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

import numpy as np

from grader import scoring
from grader.assignment import (
    Assignment,
    Case,
    CaseInput,
    Mistake,
    Task,
    generate_cases,
)
from grader.checks import Rules, Tolerance, check_accuracy, compare_values
from grader.datasets import Dataset, load_dataset
from grader.execution import CallOutcome, CallStatus, NotebookSession
from grader.messages import (
    ACCURACY_CALL,
    ACCURACY_HINT,
    BROKEN_HELPER,
    CRASHED,
    GRADER_FAULT,
    MISSING,
    MISSING_CELL_HINT,
    NOT_CALLABLE,
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


def grade_task(task: Task, context: GradingContext) -> TaskResult:
    """Run the task's grader; an exception here is the grader's fault and is reported so."""
    try:
        return TASK_GRADERS[task.kind](task, context)
    except Exception as exc:
        case = CaseResult(
            "grader",
            Visibility.PUBLIC,
            Status.GRADER_ERROR,
            0.0,
            task.points,
            GRADER_FAULT.format(error=f"{type(exc).__name__}: {exc}"),
        )
        return _task_result(task, [case])


def grade_compare_task(task: Task, context: GradingContext) -> TaskResult:
    """Call the student's function on every case and compare with the reference."""
    cases = _cases(task, context)
    rules = Rules(Tolerance(task.rtol, task.atol), task.dtypes, task.returns)
    results: list[CaseResult] = []
    for case in cases:
        if results and results[-1].status in SKIP_REST_AFTER:
            results.append(_replace_case(results[-1], case))
            continue
        results.append(_grade_case(task, case, rules, context, len(cases)))
    result = _task_result(task, results)
    context.finished[task.name] = result
    return result


def _grade_case(
    task: Task, case: Case, rules: Rules, context: GradingContext, count: int
) -> CaseResult:
    max_points = task.points / count
    args, kwargs = case.inputs.args, case.inputs.kwargs
    outcome = _call(task, context, args, kwargs)
    if outcome.status != CallStatus.RETURNED:
        shown = describe_call(task.function, args, kwargs, task.signature)
        return _failed_call(task, case, outcome, context, max_points, shown)
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
            inputs=describe_call(task.function, args, kwargs, task.signature),
        )
    root = task.returns[0] if len(task.returns) == 1 else "your result"
    verdict = compare_values(expected, outcome.value, rules, root)
    details = list(verdict.details)
    if outcome.mutated:
        names = parameter_names(task.signature)
        which = [names[i] if i < len(names) else f"#{i + 1}" for i in outcome.mutated]
        context.mutated.setdefault(task.function, set()).update(which)
    if not verdict.ok and task.uses and _matches_own_helpers(task, case, outcome, rules, context):
        details.insert(0, OWN_HELPERS.format(helpers=", ".join(f"`{u}`" for u in task.uses)))
        verdict = dataclasses.replace(verdict, ok=True)
    if verdict.ok:  # passed cases are shown as a count: no need to render their values
        return CaseResult(
            case.case_id,
            case.visibility,
            Status.PASSED,
            max_points,
            max_points,
            details=tuple(details),
            seconds=outcome.seconds,
        )
    mistake = _diagnose(task, case, outcome.value, rules, context)
    part_expected, part_got = verdict.values or (expected, outcome.value)
    return CaseResult(
        case.case_id,
        case.visibility,
        Status.FAILED,
        0.0,
        max_points,
        message=verdict.message,
        details=tuple(details),
        diagnosis=mistake.message if mistake else None,
        mistake=mistake.id if mistake else None,
        inputs=describe_call(task.function, args, kwargs, task.signature),
        expected=summarize_value(part_expected),
        got=summarize_value(part_got),
        seconds=outcome.seconds,
    )


def _call(
    task: Task, context: GradingContext, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> CallOutcome:
    seconds = task.call_seconds or context.assignment.limits.call_seconds
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
        _EXPECTED_CACHE[key] = _reference(context, task.function)(*args, **kwargs)
    return _EXPECTED_CACHE[key]


def _reference(context: GradingContext, name: str) -> Callable[..., Any]:
    function = getattr(context.reference, name)
    assert callable(function)
    return function


def _failed_call(
    task: Task,
    case: Case,
    outcome: CallOutcome,
    context: GradingContext,
    max_points: float,
    shown: str,
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
        CallStatus.RAISED: (Status.ERROR, RAISED.format(name=name, message=outcome.message)),
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
        outcome = context.session.call(name, args, kwargs, seconds)
        if outcome.status != CallStatus.RETURNED:
            raise HelperFailed(name)
        return outcome.value

    return proxy


def _diagnose(
    task: Task, case: Case, got: Any, rules: Rules, context: GradingContext
) -> Mistake | None:
    """The first known mistake whose output matches the student's."""
    for mistake in context.mistakes:
        if mistake.task != task.name:
            continue
        try:
            variant = mistake.variant(*copy.deepcopy(case.inputs.args), **case.inputs.kwargs)
        except Exception:  # a variant that cannot run on these inputs explains nothing
            continue
        if compare_values(variant, got, rules).ok:
            return mistake
    return None


def grade_accuracy_task(task: Task, context: GradingContext) -> TaskResult:
    """Train the student's model on real data; score test accuracy in the grader process."""
    options = dict(task.options)
    dataset_name = options["dataset"]
    alternative = options.get("alternatives", {}).get("cat_hdf5")
    if context.data_dir is not None and alternative:
        dataset_name = "cat_hdf5"
        options.update(alternative)
    dataset = load_dataset(dataset_name, context.data_dir if dataset_name == "cat_hdf5" else None)
    kwargs = dict(options.get("kwargs", {}))
    # The test labels never enter the sandbox: the student's model gets random stand-ins.
    decoy = (
        np.random.default_rng(context.assignment.hidden_seed)
        .integers(0, 2, dataset.Y_test.shape)
        .astype(np.float64)
    )
    args = (dataset.X_train, dataset.Y_train, dataset.X_test, decoy)
    case = Case("public-1", Visibility.PUBLIC, CaseInput(args, kwargs))
    outcome = _call(task, context, args, kwargs)
    shown = ACCURACY_CALL.format(
        name=task.function,
        dataset=_data_title(dataset),
        shapes=", ".join(
            f"{label} {a.shape}"
            for label, a in zip(("X_train", "Y_train", "X_test"), args, strict=False)
        ),
        kwargs="".join(f", {k}={v!r}" for k, v in kwargs.items()),
    )
    if outcome.status != CallStatus.RETURNED:
        return _task_result(task, [_failed_call(task, case, outcome, context, task.points, shown)])
    result = _accuracy_case(task, case, outcome, dataset, options, shown)
    failed = [name for name, done in context.finished.items() if not done.passed]
    if result.status is not Status.PASSED and failed:
        hint = ACCURACY_HINT.format(names=", ".join(f"`{name}`" for name in failed))
        result = dataclasses.replace(result, details=(*result.details, hint))
    return _task_result(task, [result])


def _accuracy_case(
    task: Task,
    case: Case,
    outcome: CallOutcome,
    dataset: Dataset,
    options: dict[str, Any],
    shown: str,
) -> CaseResult:
    key = options.get("prediction_key", "Y_prediction_test")
    value = outcome.value
    predictions = value.get(key) if isinstance(value, dict) else value
    verdict = check_accuracy(
        predictions,
        dataset.Y_test,
        float(options["threshold"]),
        _data_title(dataset),
        f'your result["{key}"]',
    )
    return CaseResult(
        case.case_id,
        case.visibility,
        Status.PASSED if verdict.ok else Status.FAILED,
        scoring.case_points(verdict.ok, task.points),
        task.points,
        verdict.message,
        verdict.details,
        inputs=shown,
        seconds=outcome.seconds,
        expected=f"accuracy >= {float(options['threshold']):.0%}",
        got=None if verdict.accuracy is None else f"accuracy {verdict.accuracy:.1%}",
    )


# After one of these, the remaining cases of the task would only repeat it (or time out again).
SKIP_REST_AFTER = (Status.MISSING, Status.GRADER_ERROR, Status.TIMEOUT)

TASK_GRADERS: dict[str, Callable[[Task, GradingContext], TaskResult]] = {
    "compare": grade_compare_task,
    "accuracy": grade_accuracy_task,
}


def _cases(task: Task, context: GradingContext) -> list[Case]:
    cases = generate_cases(context.assignment, task, context.cases_module)
    if context.public_only:
        cases = [case for case in cases if case.visibility is Visibility.PUBLIC]
    return cases


def _replace_case(previous: CaseResult, case: Case) -> CaseResult:
    message = previous.message
    if previous.status is Status.TIMEOUT:
        message = NOT_RUN_AFTER_TIMEOUT.format(case=previous.case_id)
    return CaseResult(
        case.case_id, case.visibility, previous.status, 0.0, previous.max_points, message
    )


def _task_result(task: Task, cases: list[CaseResult]) -> TaskResult:
    return TaskResult(task.name, task.title, scoring.task_points(cases), task.points, tuple(cases))


def _data_title(dataset: Dataset) -> str:
    """`breast_cancer` -> `breast-cancer`, `cat_hdf5` -> `cat`: how feedback names the data."""
    return dataset.name.removesuffix("_hdf5").replace("_", "-")
