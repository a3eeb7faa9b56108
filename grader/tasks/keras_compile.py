"""The `keras_compile` and `keras_augmenter` task kinds: compile a small fixed model with the
student's function and check loss, metric and one training step; run the student's augmentation
pipeline in training and inference mode.
"""

from __future__ import annotations

import numpy as np

from grader.checks.keras_augment import augmentation_problems
from grader.checks.keras_compile import (
    LOSSES,
    METRICS,
    CompileRules,
    compile_notes,
    compile_problems,
    describe_compile,
    expected_loss,
    loss_check_data,
)
from grader.notebook.calls import CallStatus
from grader.report.model import Status, TaskResult, Visibility
from grader.spec.model import Case, CaseInput, Task
from grader.spec.options import KerasAugmenterOptions, KerasCompileOptions
from grader.tasks.context import GradingContext, task_result
from grader.tasks.failures import failed_call
from grader.tasks.keras_probes import (
    announce_tensorflow,
    fault_case,
    keras_unavailable,
    probe_case,
    probe_fault,
    probe_seconds,
)


def grade_compile_task(task: Task, context: GradingContext) -> TaskResult:
    """Compile a small fixed model with the student's function; check loss, metric, a step."""
    unavailable = keras_unavailable(task)
    if unavailable is not None:
        return unavailable
    announce_tensorflow(context)
    rules = _compile_rules(task)
    options = task.options
    assert isinstance(options, KerasCompileOptions)
    num_classes = 1 if rules.labels == "binary" else options.num_classes
    check = loss_check_data(rules.labels, num_classes, context.assignment.public_seed)
    probe = {
        "input_shape": list(options.input_shape),
        "num_classes": num_classes,
        "labels": rules.labels,
        "output_activation": rules.output,
        "loss_check": check,
    }
    case = Case("public-1", Visibility.PUBLIC, CaseInput(()))
    last = f"Dense({num_classes}, activation='{rules.output}')"
    shown = f"{task.function}(model) with a small model ending in {last}"
    outcome = context.session.probe(
        task.function, "compile", (), probe, probe_seconds(task, context)
    )
    if outcome.status != CallStatus.RETURNED:
        return task_result(task, [failed_call(task, case, outcome, context, task.points, shown)])
    value = outcome.value if isinstance(outcome.value, dict) else {}
    if probe_fault(value):
        return task_result(task, [fault_case(case, task.points, probe_fault(value), shown)])
    problems = compile_problems(value, rules, expected_loss(rules.labels, check))
    described = describe_compile(value)
    result = probe_case(
        case,
        Status.FAILED if problems else Status.PASSED,
        task.points,
        problems[0][1] if problems else "",
        details=tuple(m for _, m in problems[1:])
        if problems
        else (described, *compile_notes(value, rules)),
        inputs=shown if problems else None,
        got=described if problems else None,
        mistake=problems[0][0] if problems else None,
    )
    return task_result(task, [result])


def _compile_rules(task: Task) -> CompileRules:
    options = task.options
    assert isinstance(options, KerasCompileOptions)
    labels = options.labels
    return CompileRules(
        function=task.function,
        labels=labels,
        output="sigmoid" if labels == "binary" else "softmax",
        losses=options.loss or tuple(LOSSES[labels]),
        metrics=options.metrics or tuple(METRICS[labels]),
    )


def grade_augmenter_task(task: Task, context: GradingContext) -> TaskResult:
    """Run the student's pipeline on images; check shape, training and inference behaviour."""
    unavailable = keras_unavailable(task)
    if unavailable is not None:
        return unavailable
    announce_tensorflow(context)
    options = task.options
    assert isinstance(options, KerasAugmenterOptions)
    shape = tuple(int(d) for d in options.image_shape)
    count = options.images
    rng = np.random.default_rng(context.assignment.public_seed)
    images = rng.random((count, *shape)).astype(np.float32)  # asymmetric: a flip shows
    case = Case("public-1", Visibility.PUBLIC, CaseInput(()))
    shown = f"{task.function}() applied to {count} random images of shape {shape}"
    outcome = context.session.probe(
        task.function, "augment", (), {"images": images, "seed": 0}, probe_seconds(task, context)
    )
    if outcome.status != CallStatus.RETURNED:
        return task_result(task, [failed_call(task, case, outcome, context, task.points, shown)])
    value = outcome.value if isinstance(outcome.value, dict) else {}
    if probe_fault(value):
        return task_result(task, [fault_case(case, task.points, probe_fault(value), shown)])
    problems = augmentation_problems(task.function, value, images)
    layers = ("Layers: " + ", ".join(value["layers"]) + ".",) if value.get("layers") else ()
    result = probe_case(
        case,
        Status.FAILED if problems else Status.PASSED,
        task.points,
        problems[0][1] if problems else "",
        details=(*(m for _, m in problems[1:]), *layers),
        inputs=shown if problems else None,
        mistake=problems[0][0] if problems else None,
    )
    return task_result(task, [result])
