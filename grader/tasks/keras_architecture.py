"""The `keras_architecture` task kind: build the student's model for each case (input shapes,
classes) in the sandbox and check its plain-data description against the lecture's pattern
(`checks/architecture.py`).
"""

from __future__ import annotations

from grader.checks.architecture import Rules as ArchitectureRules
from grader.checks.architecture import check_architecture, layer_table
from grader.notebook.calls import CallOutcome, CallStatus
from grader.report.model import CaseResult, Status, TaskResult, Visibility
from grader.report.summaries import describe_call
from grader.spec.model import Case, CaseInput, Task
from grader.spec.options import KerasArchitectureOptions
from grader.tasks.context import GradingContext, task_cases, task_result
from grader.tasks.failures import failed_call
from grader.tasks.keras_probes import (
    announce_tensorflow,
    fault_case,
    keras_unavailable,
    not_a_model,
    probe_case,
    probe_fault,
    probe_seconds,
)

ARCHITECTURE_OK = "Follows the pattern; {params:,} parameters."


def grade_architecture_task(task: Task, context: GradingContext) -> TaskResult:
    """Describe the student's model for each case (input shape, classes) and check it."""
    unavailable = keras_unavailable(task)
    if unavailable is not None:
        return unavailable
    announce_tensorflow(context)
    cases = task_cases(task, context)
    results = []
    for case in cases:
        max_points = task.points / len(cases)
        args = case.inputs.args
        options = {"input_shape": list(args[0]), "seed": 0}
        outcome = context.session.probe(
            task.function, "summary", args, options, probe_seconds(task, context)
        )
        shown = describe_call(task.function, args, {}, task.signature)
        if outcome.status != CallStatus.RETURNED:
            results.append(failed_call(task, case, outcome, context, max_points, shown))
        elif probe_fault(outcome.value):
            results.append(fault_case(case, max_points, probe_fault(outcome.value), shown))
        else:
            results.append(_architecture_case(task, case, outcome, max_points, shown))
    return task_result(task, results)


def _architecture_case(
    task: Task, case: Case, outcome: CallOutcome, max_points: float, shown: str
) -> CaseResult:
    summary = outcome.value if isinstance(outcome.value, dict) else {}
    if "problem" in summary or "layers" not in summary:
        message = not_a_model(task, summary)
        return probe_case(
            case, Status.FAILED, max_points, message, inputs=shown, mistake="not_a_model"
        )
    problems = check_architecture(summary, _rules(task, case.inputs))
    # The table's shapes follow the case's input shape: shown for public cases only.
    table = layer_table(summary) if case.visibility is Visibility.PUBLIC else None
    if not problems:
        details = (ARCHITECTURE_OK.format(params=int(summary.get("params", 0))),)
        return probe_case(case, Status.PASSED, max_points, details=details, got=table)
    first = problems[0].message
    return probe_case(
        case,
        Status.FAILED,
        max_points,
        first[0].upper() + first[1:],
        details=tuple(p.message for p in problems[1:]),
        inputs=shown,
        got=table,
        mistake=problems[0].id,
    )


def _rules(task: Task, inputs: CaseInput) -> ArchitectureRules:
    options = task.options
    assert isinstance(options, KerasArchitectureOptions)
    if options.num_outputs is not None:
        outputs = options.num_outputs
    else:  # one output per class: the argument named by the spec (default: the second)
        outputs = int(inputs.args[options.classes_arg])
    shape = tuple(int(d) for d in inputs.args[0])
    return ArchitectureRules(options.output, outputs, options.max_params, shape)
