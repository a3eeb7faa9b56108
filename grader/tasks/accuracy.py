"""Application checks: the student's own training code, run end to end on real data.

The spec's task (`kind = "accuracy"`) says which function trains, with which arguments, and how
predictions are obtained from what it returns:

    args = ["X_train", "Y_train", "X_test", "Y_test"]   # placeholders, or literal values
    predictions = "key:Y_prediction_test"   # an entry of the returned dict (the default)
                | "student:predict"         # the student's predict(result, X_test), in the sandbox
                | "reference:predict"       # the reference predict(result, X_test), grader side
    result_index = 0                         # optional: take element 0 of a returned tuple

The test labels never enter the sandbox: a `Y_test` argument receives random stand-in labels,
and accuracy is computed here, in the grader process.
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import numpy as np

from grader.checks import check_accuracy
from grader.data.registry import load_dataset
from grader.data.tables import Dataset
from grader.notebook.calls import CallOutcome, CallStatus
from grader.report.model import CaseResult, Status, TaskResult, Visibility
from grader.spec.model import Case, CaseInput, Mistake, Task
from grader.spec.options import AccuracyOptions
from grader.tasks import scoring
from grader.tasks.calls import (
    HELPER_KINDS,
    call_function,
    call_options,
    failed_helpers,
    graded_helpers,
)
from grader.tasks.context import GradingContext, task_result
from grader.tasks.failures import failed_call
from grader.tasks.messages import ACCURACY_CALL, ACCURACY_HINT, ALREADY_CHARGED, PREDICT_FAILED


def grade_accuracy_task(task: Task, context: GradingContext) -> TaskResult:
    """Train the student's model on real data; score test accuracy in the grader process."""
    options = _options(task, context)
    dataset = load_dataset(
        options.dataset, context.data_dir if options.dataset == "cat_hdf5" else None
    )
    args = _arguments(options, dataset, context.assignment.hidden_seed)
    kwargs = dict(options.kwargs)
    case = Case("public-1", Visibility.PUBLIC, CaseInput(args, kwargs))
    shown = _describe(task, options, dataset, kwargs)
    outcome = call_function(task, context, args, kwargs)
    if outcome.status != CallStatus.RETURNED:
        return task_result(task, [failed_call(task, case, outcome, context, task.points, shown)])
    predictions, problem = _predictions(outcome.value, options, dataset, task, context)
    result = _accuracy_case(task, case, outcome, predictions, problem, dataset, options, shown)
    if result.status is Status.PASSED:
        return task_result(task, [result])
    explained = _explained_by_named_mistake(task, context, dataset, args, kwargs, options)
    if explained is not None:
        note = ALREADY_CHARGED.format(name=task.function, mistake=explained.message)
        result = dataclasses.replace(
            result, status=Status.PASSED, points=task.points, details=(*result.details, note)
        )
        return dataclasses.replace(task_result(task, [result]), notes=(f"{result.message} {note}",))
    failed = [name for name, done in context.finished.items() if not done.passed]
    if failed:
        hint = ACCURACY_HINT.format(names=", ".join(f"`{name}`" for name in failed))
        result = dataclasses.replace(result, details=(*result.details, hint))
    return task_result(task, [result])


def _explained_by_named_mistake(
    task: Task,
    context: GradingContext,
    dataset: Dataset,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    options: AccuracyOptions,
) -> Mistake | None:
    """One bug costs once: when the trained function itself lost points for a named mistake,
    and the reference with exactly that mistake also falls short here (computed in this
    process, on the same data), the shortfall is that mistake's, already charged."""
    own = next(
        (
            t
            for t in context.assignment.tasks
            if t.function == task.function and t.kind in HELPER_KINDS and t.name in context.finished
        ),
        None,
    )
    if own is None or context.finished[own.name].passed:
        return None
    named = {case.mistake for case in context.finished[own.name].cases if case.mistake}
    threshold = options.threshold
    for mistake in context.mistakes:
        if mistake.task != own.name or mistake.id not in named or mistake.variant is None:
            continue
        try:
            value = mistake.variant(*copy.deepcopy(args), **copy.deepcopy(kwargs))
            predictions, problem = _predictions(value, options, dataset, task, context, True)
            verdict = check_accuracy(predictions, dataset.Y_test, threshold, "", "")
        except Exception:  # a variant that cannot run here explains nothing
            continue
        if problem is None and not verdict.ok:
            return mistake
    return None


def _options(task: Task, context: GradingContext) -> AccuracyOptions:
    """The task's options; with the course's files (`--data`), its `cat_hdf5` alternative."""
    options = task.options
    assert isinstance(options, AccuracyOptions)
    alternative = options.alternatives.get("cat_hdf5")
    if context.data_dir is not None and alternative:
        settings = {key: _as_tuple(value) for key, value in alternative.items()}
        options = dataclasses.replace(options, **settings, dataset="cat_hdf5")
    return options


def _as_tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _arguments(options: AccuracyOptions, dataset: Dataset, seed: int) -> tuple[Any, ...]:
    decoy = np.random.default_rng(seed).integers(0, 2, dataset.Y_test.shape).astype(np.float64)
    slots = {
        "X_train": dataset.X_train,
        "Y_train": dataset.Y_train,
        "X_test": dataset.X_test,
        "Y_test": decoy,
    }
    return tuple(slots.get(a, a) if isinstance(a, str) else a for a in options.args)


def _describe(
    task: Task, options: AccuracyOptions, dataset: Dataset, kwargs: dict[str, Any]
) -> str:
    parts = []
    for arg in options.args:
        if arg == "Y_test":
            parts.append("Y_test=random stand-in labels")
        elif isinstance(arg, str) and hasattr(dataset, arg):
            parts.append(f"{arg} {getattr(dataset, arg).shape}")
        else:
            parts.append(repr(arg))
    return ACCURACY_CALL.format(
        name=task.function,
        shapes=", ".join(parts),
        kwargs="".join(f", {k}={v!r}" for k, v in kwargs.items()),
        dataset=data_title(dataset),
    )


def _predictions(
    value: Any,
    options: AccuracyOptions,
    dataset: Dataset,
    task: Task,
    context: GradingContext,
    grader_side: bool = False,
) -> tuple[Any, str | None]:
    """Predictions on X_test from what the training function returned, or why there are none.
    A student's predict that fails its own checks is replaced by the reference's (its mistake
    is charged in its own task); so is every student predict with `grader_side` (predictions
    from a reference variant's result)."""
    if options.result_index is not None:
        index = options.result_index
        if not isinstance(value, tuple | list) or len(value) <= index:
            return None, PREDICT_FAILED.format(
                name=task.function, reason=f"it returned {type(value).__name__}, not a tuple"
            )
        value = value[index]
    how = options.predictions
    source, _, name = how.partition(":")
    if source == "key":
        return (value.get(name) if isinstance(value, dict) else value), None
    if source == "student" and (grader_side or name in failed_helpers(task, context)):
        source = "reference"
    if source == "reference":
        try:
            return getattr(context.reference, name)(value, dataset.X_test), None
        except Exception as exc:  # the student's parameters are unusable
            return None, PREDICT_FAILED.format(name=task.function, reason=f"{exc}")
    seconds = task.call_limit(context.assignment.limits)
    args = (value, dataset.X_test)
    helper = graded_helpers(context).get(name)
    stand_ins = call_options(helper, context, args, {}) if helper is not None else None
    outcome = context.session.call(name, args, {}, seconds, stand_ins)
    if outcome.status != CallStatus.RETURNED:
        return None, PREDICT_FAILED.format(name=name, reason=outcome.message or outcome.status)
    return outcome.value, None


def _accuracy_case(
    task: Task,
    case: Case,
    outcome: CallOutcome,
    predictions: Any,
    problem: str | None,
    dataset: Dataset,
    options: AccuracyOptions,
    shown: str,
) -> CaseResult:
    threshold = options.threshold
    if problem is not None:
        return CaseResult(
            case.case_id,
            case.visibility,
            Status.FAILED,
            0.0,
            task.points,
            problem,
            inputs=shown,
            seconds=outcome.seconds,
        )
    verdict = check_accuracy(
        predictions, dataset.Y_test, threshold, data_title(dataset), "your prediction array"
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
        expected=f"accuracy >= {threshold:.0%}",
        got=None if verdict.accuracy is None else f"accuracy {verdict.accuracy:.1%}",
    )


def data_title(dataset: Dataset) -> str:
    """`breast_cancer` -> `breast-cancer`, `cat_hdf5` -> `cat`: how feedback names the data."""
    return dataset.name.removesuffix("_hdf5").replace("_", "-")
