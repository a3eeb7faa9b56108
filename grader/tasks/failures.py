"""A call that did not return a value (missing, raised, timed out, crashed), as a case result a
student can act on.
"""

from __future__ import annotations

from grader.notebook.calls import CallOutcome, CallStatus
from grader.report.model import CaseResult, CellStatus, Status, Visibility
from grader.spec.model import Case, Task
from grader.tasks.context import GradingContext
from grader.tasks.messages import (
    BROKEN_HELPER,
    CRASHED,
    MISSING,
    MISSING_CELL_HINT,
    NOT_CALLABLE,
    NOT_IMPLEMENTED,
    RAISED,
    RAISED_HINTS,
    TIMEOUT,
    TIMEOUT_SLOW,
    TIMEOUT_SLOW_HIDDEN,
)


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
        CallStatus.TIMEOUT: (Status.TIMEOUT, timeout_message(name, outcome, case)),
        CallStatus.CRASHED: (Status.CRASHED, CRASHED.format(name=name, reason=outcome.message)),
        CallStatus.RAISED: (Status.ERROR, _raised_message(name, outcome.message)),
    }[outcome.status]
    hidden = case.visibility is Visibility.HIDDEN
    student = None  # the student view masks the numbers of a hidden case's message
    if hidden and outcome.status in (CallStatus.MISSING, CallStatus.NOT_CALLABLE):
        student = message  # nothing in it comes from the hidden inputs
    elif hidden and outcome.status is CallStatus.TIMEOUT:
        student = timeout_message(name, outcome, case, hidden=True)
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


# A call that had not called any helper for this share of its time limit was stuck, not slow.
STUCK_SHARE = 0.2


def timeout_message(name: str, outcome: CallOutcome, case: Case, hidden: bool = False) -> str:
    """Stuck, or only slow? A call that kept calling its helpers until its time ran out was
    making progress; one that stopped calling them well before was looping on its own. With
    `hidden`, without the counts (they follow the hidden inputs)."""
    recent = {
        helper: (calls, seconds)
        for helper, (calls, seconds, idle) in outcome.progress.items()
        if idle <= STUCK_SHARE * outcome.seconds
    }
    if not recent:
        return TIMEOUT.format(name=name, seconds=outcome.seconds)
    helper, (calls, seconds) = max(recent.items(), key=lambda item: item[1][1])
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


# Cell outcomes after which a function the cell defines may be missing.
FAILED_CELLS = (CellStatus.ERROR, CellStatus.TIMEOUT, CellStatus.KILLED)


def _cell_hint(name: str, context: GradingContext) -> str:
    failed = [c for c in context.session.cell_results if c.status in FAILED_CELLS]
    return MISSING_CELL_HINT.format(cell=failed[0].index + 1, name=name) if failed else ""
