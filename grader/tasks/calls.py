"""How a graded function is called in the sandbox: stand-ins for the student's graded helpers that
failed their own checks (answered with the reference's result), the helpers to watch, and the
arguments an older signature of the course needs.
"""

from __future__ import annotations

import ast
import functools
import inspect
from collections.abc import Callable
from typing import Any

from grader.notebook.calls import CallOptions, CallOutcome
from grader.report.model import Status
from grader.report.summaries import (
    parameter_names,
)
from grader.spec.model import CaseInput, Task
from grader.spec.options import CompareOptions
from grader.tasks.context import GradingContext


def call_function(
    task: Task,
    context: GradingContext,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    *,
    shorter: bool = False,
) -> CallOutcome:
    """Call the task's function in the sandbox (or, for a `variable` task, read the variable).
    With `shorter`, the time limit is a quarter of the usual one (at least a second). Graded
    helpers that failed their own checks are answered by the reference during the call."""
    if task.kind == "variable":
        return context.session.value(task.function)
    seconds = task.call_limit(context.assignment.limits)
    if shorter:
        seconds = min(seconds, max(1.0, seconds / 4))
    outcome = context.session.call(
        task.function, args, kwargs, seconds, call_options(task, context, args, kwargs)
    )
    if outcome.adapted:
        context.adapted.setdefault(task.function, set()).update(outcome.adapted)
    return outcome


def compare_options(task: Task) -> CompareOptions:
    """The options of a task graded by value or property (defaults for any other kind)."""
    return task.options if isinstance(task.options, CompareOptions) else CompareOptions()


# Task kinds whose function is a graded helper other functions may call.
HELPER_KINDS = ("compare", "property")


def graded_helpers(context: GradingContext) -> dict[str, Task]:
    """The notebook functions graded on their own, by name (the first task of each)."""
    helpers: dict[str, Task] = {}
    for task in context.assignment.tasks:
        if task.kind in HELPER_KINDS:
            helpers.setdefault(task.function, task)
    return helpers


def failed_helpers(task: Task, context: GradingContext) -> tuple[str, ...]:
    """Graded helpers (other than the task's own function) that failed their own checks,
    through the student's fault."""
    names = []
    for name, helper in graded_helpers(context).items():
        done = context.finished.get(helper.name)
        failed = done is not None and not done.passed
        # A helper the grader itself failed on keeps the student's own version: its
        # reference cannot be trusted to answer for it.
        ours = done is not None and any(c.status is Status.GRADER_ERROR for c in done.cases)
        usable = callable(getattr(context.reference, name, None))
        if name != task.function and failed and not ours and usable:
            names.append(name)
    return tuple(names)


def call_options(
    task: Task, context: GradingContext, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> CallOptions:
    """Stand-ins for failed helpers, the helpers to watch, and what an older signature of the
    task's function needs (its defaults and legacy arguments)."""
    inputs = CaseInput(args, kwargs)
    return CallOptions(
        stand_ins=failed_helpers(task, context),
        answer=lambda name, a, k: _stand_in_result(context, name, a, k),
        watch=tuple(name for name in graded_helpers(context) if name != task.function),
        defaults=signature_defaults(task.signature),
        extra=_legacy_arguments(task, context, inputs),
    )


def _stand_in_result(
    context: GradingContext, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """The reference's result for a stand-in call of the graded helper `name`."""
    helper = graded_helpers(context).get(name)
    function = getattr(context.reference, name, None)
    if helper is None or not callable(function):
        raise LookupError(f"`{name}` is not a graded function")
    args, kwargs = _fit_reference(function, helper, args, kwargs)
    return function(*args, **kwargs)  # decoded from the wire just now: nobody else holds them


def _fit_reference(
    function: Callable[..., Any], helper: Task, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Drop the arguments of an older signature (the spec's `legacy_args`) that the current
    reference does not take, so a student's call written to that signature is answered."""
    legacy = set(compare_options(helper).legacy_args)
    if not legacy:
        return args, kwargs
    kwargs = {key: value for key, value in kwargs.items() if key not in legacy}
    positional = [
        p
        for p in inspect.signature(function).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
    ]
    names = parameter_names(compare_options(helper).legacy_signature)
    if len(args) > len(positional) and names:
        args = tuple(a for a, n in zip(args, names, strict=False) if n not in legacy)
    return args, kwargs


def signature_defaults(signature: str) -> dict[str, Any]:
    """The literal default values of a spec signature: `f(x, n=100, lr=0.009)` ->
    {"n": 100, "lr": 0.009}."""
    return dict(_signature_defaults(signature))


@functools.cache
def _signature_defaults(signature: str) -> tuple[tuple[str, Any], ...]:
    inside = signature.partition("(")[2].rpartition(")")[0]
    try:
        tree = ast.parse(f"def f({inside}): pass")
    except SyntaxError:
        return ()
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    positional = function.args.args[len(function.args.args) - len(function.args.defaults) :]
    found = []
    for arg, default in zip(positional, function.args.defaults, strict=True):
        try:
            found.append((arg.arg, ast.literal_eval(default)))
        except ValueError:
            continue
    return tuple(found)


def _legacy_arguments(task: Task, context: GradingContext, inputs: CaseInput) -> dict[str, Any]:
    """Values for the parameters of an older signature of the task's function, from the
    assignment's cases module (`legacy_args = { parameters = "legacy_parameters" }` in the
    spec: `legacy_parameters(inputs)` in cases.py gives the value)."""
    extra = {}
    for parameter, builder in compare_options(task).legacy_args.items():
        extra[str(parameter)] = getattr(context.cases_module, str(builder))(inputs)
    return extra
