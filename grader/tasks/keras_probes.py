"""What the Keras task graders share: asking the sandbox for a probe (a Keras model cannot cross
the channel, so the student's function runs there and a plain-data description of what it
returned comes back), telling the student's faults from ours, and the wording both use.

Whose fault: an exception from the student's function, or from Keras running the student's
model, is the student's. A fault in the probe's own code comes back as `{"probe_fault": ...}`
and the case is a grader fault; so is an out-of-memory, or a sandbox that dies, while the
grader trains a model it accepted. So is a machine without TensorFlow (`pip install grader`
leaves it out): every Keras task is then a grader fault whose message says how to install it,
found before any probe is asked for (`keras_unavailable`), never "Your `build_model` raised".
"""

from __future__ import annotations

from importlib.util import find_spec
from typing import Any

from grader.report.model import CaseResult, Status, TaskResult, Visibility
from grader.spec.model import Case, CaseInput, Task
from grader.tasks.context import GradingContext, task_result
from grader.tasks.messages import GRADER_FAULT

NOT_A_MODEL = (
    "Your `{name}` returned {type}, not a Keras model: build the layers and return the model "
    "(e.g. `model = keras.Sequential([...])` then `return model`)."
)
NOTHING_RETURNED = (
    "Your `{name}` returned None: it builds a model but does not return it. End it with "
    "`return model`."
)
TENSORFLOW_NOTE = (
    "Keras checks: the sandbox imports TensorFlow (its first import takes several seconds)..."
)
# Grader faults (the student reads GRADER_FAULT with one of these as the error).
PROBE_FAULT = "the Keras probe failed: {fault}"
KERAS_NOT_INSTALLED = (
    "TensorFlow is not installed where the grader runs (missing: {missing}), so Keras models "
    "cannot be built or checked. Install it with `pip install 'grader[keras]'` and grade again."
)
# What a Keras task needs importable in the sandbox (it runs the grader's Python).
KERAS_MODULES = ("tensorflow", "keras")


def missing_keras_modules() -> tuple[str, ...]:
    """The modules Keras tasks need that this Python cannot import (looked up, not imported:
    the grader process never imports TensorFlow)."""
    return tuple(name for name in KERAS_MODULES if find_spec(name) is None)


def keras_unavailable(task: Task) -> TaskResult | None:
    """The task's result when TensorFlow is not installed: one grader-fault case, left out of
    the total, whose message gives the install command. None when it is installed."""
    missing = missing_keras_modules()
    if not missing:
        return None
    case = Case("grader", Visibility.PUBLIC, CaseInput(()))
    error = KERAS_NOT_INSTALLED.format(missing=", ".join(missing))
    return task_result(task, [fault_case(case, task.points, error, task.function)])


def not_a_model(task: Task, summary: dict[str, Any]) -> str:
    if summary.get("type") == "NoneType":
        return NOTHING_RETURNED.format(name=task.function)
    return NOT_A_MODEL.format(name=task.function, type=summary.get("type", "something"))


def probe_fault(value: Any) -> str | None:
    """The probe's own failure, if its answer reports one (the grader's fault)."""
    if isinstance(value, dict) and "probe_fault" in value:
        return PROBE_FAULT.format(fault=str(value["probe_fault"])[:500])
    return None


def fault_case(case: Case, max_points: float, error: str | None, shown: str) -> CaseResult:
    """A case the grader could not judge through its own fault: never the student's."""
    message = GRADER_FAULT.format(error=error)
    return probe_case(case, Status.GRADER_ERROR, max_points, message, inputs=shown)


def probe_seconds(task: Task, context: GradingContext) -> float:
    return task.call_limit(context.assignment.limits)


def announce_tensorflow(context: GradingContext) -> None:
    """Say once per submission that TensorFlow is being imported (it is slow the first time)."""
    if context.progress is not None and "tensorflow" not in context.announced:
        context.announced.add("tensorflow")
        context.progress(TENSORFLOW_NOTE)


def probe_case(
    case: Case,
    status: Status,
    max_points: float,
    message: str = "",
    *,
    details: tuple[str, ...] = (),
    inputs: str | None = None,
    expected: str | None = None,
    got: str | None = None,
    mistake: str | None = None,
) -> CaseResult:
    points = max_points if status is Status.PASSED else 0.0
    return CaseResult(
        case.case_id,
        case.visibility,
        status,
        points,
        max_points,
        message,
        details,
        mistake=mistake,
        inputs=inputs,
        expected=expected,
        got=got,
    )
