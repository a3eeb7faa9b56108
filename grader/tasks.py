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

import ast
import copy
import dataclasses
import functools
import inspect
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
from grader.execution import CallOptions, CallOutcome, CallStatus, NotebookSession
from grader.messages import (
    ANOTHER_MISTAKE,
    BROKEN_HELPER,
    CRASHED,
    GRADER_FAULT,
    MISSING,
    MISSING_CELL_HINT,
    MUTATION_COSTS,
    NOT_CALLABLE,
    NOT_IMPLEMENTED,
    NOT_RUN_AFTER_TIMEOUT,
    OWN_HELPERS,
    RAISED,
    RAISED_HINTS,
    TIMEOUT,
    TIMEOUT_SLOW,
    TIMEOUT_SLOW_HIDDEN,
)
from grader.presentation import (
    describe_call,
    describe_structure,
    parameter_names,
    summarize_value,
)
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
    adapted: dict[str, set[str]] = field(default_factory=dict)  # function -> arguments filled in
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
    the course's update functions change the dicts they receive; `"arrays"`: replacing
    entries of a dict it was given is the course's own idiom, writing into the caller's
    arrays is not)."""
    policy = task.options.get("mutation", "warn")
    if policy == "allow":
        return
    changed = [i for i, kind in outcome.mutated if policy != "arrays" or kind == "arrays"]
    if changed:
        context.mutated.setdefault(task.function, set()).update(_argument_names(task, changed))


def _costly_mutations(task: Task, outcome: CallOutcome) -> list[int]:
    """The changed arguments that cost points under the spec's `mutation` policy."""
    policy = task.options.get("mutation", "warn")
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
    share = float(task.options.get("mutation_penalty", 0.5))
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
        check = getattr(context.cases_module, task.options.get("check", f"check_{task.name}"))
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
    )


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
    if not verdict.ok and task.uses and _matches_own_helpers(task, case, outcome, rules, context):
        details.insert(0, OWN_HELPERS.format(helpers=", ".join(f"`{u}`" for u in task.uses)))
        verdict = dataclasses.replace(verdict, ok=True)
    if verdict.ok:
        return _right_values_case(task, case, outcome, context, max_points, tuple(details))
    mistakes = diagnose(task, case, outcome.value, rules, context, expected)
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
    seconds = task.call_seconds or context.assignment.limits.call_seconds
    if shorter:
        seconds = min(seconds, max(1.0, seconds / 4))
    outcome = context.session.call(
        task.function, args, kwargs, seconds, call_options(task, context, args, kwargs)
    )
    if outcome.adapted:
        context.adapted.setdefault(task.function, set()).update(outcome.adapted)
    return outcome


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
    return function(*copy.deepcopy(args), **copy.deepcopy(kwargs))


def _fit_reference(
    function: Callable[..., Any], helper: Task, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Drop the arguments of an older signature (the spec's `legacy_args`) that the current
    reference does not take, so a student's call written to that signature is answered."""
    legacy = set(helper.options.get("legacy_args", {}))
    if not legacy:
        return args, kwargs
    kwargs = {key: value for key, value in kwargs.items() if key not in legacy}
    positional = [
        p
        for p in inspect.signature(function).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
    ]
    names = parameter_names(helper.options.get("legacy_signature", ""))
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
    for parameter, builder in dict(task.options.get("legacy_args", {})).items():
        extra[str(parameter)] = getattr(context.cases_module, str(builder))(inputs)
    return extra


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
        CallStatus.TIMEOUT: (Status.TIMEOUT, _timeout_message(name, outcome, case)),
        CallStatus.CRASHED: (Status.CRASHED, CRASHED.format(name=name, reason=outcome.message)),
        CallStatus.RAISED: (Status.ERROR, _raised_message(name, outcome.message)),
    }[outcome.status]
    hidden = case.visibility is Visibility.HIDDEN
    student = None  # the student view masks the numbers of a hidden case's message
    if hidden and outcome.status in (CallStatus.MISSING, CallStatus.NOT_CALLABLE):
        student = message  # nothing in it comes from the hidden inputs
    elif hidden and outcome.status is CallStatus.TIMEOUT:
        student = _timeout_message(name, outcome, case, hidden=True)
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
        student_message=student,
    )


def _timeout_message(name: str, outcome: CallOutcome, case: Case, hidden: bool = False) -> str:
    """Stuck, or only slow? A call that kept calling its helpers was making progress. With
    `hidden`, without the counts (they follow the hidden inputs)."""
    if not outcome.progress:
        return TIMEOUT.format(name=name, seconds=outcome.seconds)
    helper, (calls, seconds) = max(outcome.progress.items(), key=lambda item: item[1][1])
    if hidden:
        return TIMEOUT_SLOW_HIDDEN.format(name=name, seconds=outcome.seconds, helper=helper)
    total = case.inputs.kwargs.get("num_iterations")
    of = f" (of the {total} iterations asked for)" if isinstance(total, int) and calls else ""
    return TIMEOUT_SLOW.format(
        name=name,
        seconds=outcome.seconds,
        helper=helper,
        calls=calls,
        of=of,
        each=seconds / max(calls, 1),
    )


def _raised_message(name: str, message: str) -> str:
    if message.startswith("NotImplementedError"):
        return NOT_IMPLEMENTED.format(name=name)
    hints = [hint for pattern, hint in RAISED_HINTS if pattern in message]
    raised = RAISED.format(name=name, message=message.rstrip())
    return raised + "".join(f" {hint}" for hint in hints[:1])


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
        expected = _reference(context, task.function)(
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
            seconds = helper.call_seconds or seconds
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


# The id of the known mistake "changes its input in place" (its message, when a reference
# defines one, is the diagnosis of a case whose values are right but whose inputs changed).
MODIFIES_INPUT = "modifies_input"
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
    """A task's result; cases the grader itself failed on are left out of its maximum."""
    faulted = sum(case.max_points for case in cases if case.status is Status.GRADER_ERROR)
    max_points = round(max(task.points - faulted, 0.0), 4)
    return TaskResult(task.name, task.title, scoring.task_points(cases), max_points, tuple(cases))


def grader_fault_case(
    case: Case, max_points: float, exc: BaseException, shown: str | None
) -> CaseResult:
    """A case the grader failed on (its reference, case generator or check raised): never
    counted against the student."""
    error = GRADER_FAULT.format(error=f"{type(exc).__name__}: {exc}")
    return CaseResult(
        case.case_id, case.visibility, Status.GRADER_ERROR, 0.0, max_points, error, inputs=shown
    )
