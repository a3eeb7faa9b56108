"""Keras task graders: architecture, compile step, augmentation pipeline and training checks.

A Keras model cannot cross the channel, so each grader asks the sandbox for a *probe*
(`sandbox/keras_probe.py`): the student's function runs there and a plain-data description of
what it returned comes back. Every verdict is made here, by the rules in `checks/architecture.py`,
`checks/keras_compile.py` and `checks/keras_training.py`. The training check sends training
images and labels and the test images only; test labels stay in this process, and accuracy is
computed here.

Whose fault: an exception from the student's function, or from Keras running the student's
model, is the student's (the usual "Your `build_model` raised an error"). A fault in the
probe's own code comes back as `{"probe_fault": ...}`, and the case is a grader fault; so is an
out-of-memory, or a sandbox that dies, while the grader trains a model it accepted.

Spec kinds (`kind = ...` in assignment.toml):
    keras_architecture  build_model(...) follows the lecture's pattern, per case (input shapes)
    keras_training      the model learns: test accuracy on real data >= threshold
    keras_compile       compile_model(model) uses a loss that matches the labels, and accuracy
    keras_augmenter     data_augmenter() keeps shapes, changes images only in training mode
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from grader.assignment import Case, CaseInput, Task
from grader.checks.architecture import Rules as ArchitectureRules
from grader.checks.architecture import check_architecture, layer_table
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
from grader.checks.keras_training import (
    held_out_accuracy,
    shortfall_reasons,
    smaller_batch_note,
    training_batch_size,
)
from grader.execution import CallOutcome, CallStatus
from grader.image_datasets import ImageDataset, load_image_dataset
from grader.messages import GRADER_FAULT
from grader.presentation import describe_call
from grader.report import CaseResult, Status, TaskResult, TrainingRun, Visibility
from grader.tasks import GradingContext, failed_call, task_cases, task_result

NOT_A_MODEL = (
    "Your `{name}` returned {type}, not a Keras model: build the layers and return the model "
    "(e.g. `model = keras.Sequential([...])` then `return model`)."
)
NOTHING_RETURNED = (
    "Your `{name}` returned None: it builds a model but does not return it. End it with "
    "`return model`."
)
ARCHITECTURE_OK = "Follows the pattern; {params:,} parameters."
NOT_TRAINED = "The model was not trained: {reason}."
TOO_BIG = (
    "it has {params:,} parameters, more than the budget of {budget:,} (use fewer filters or "
    "units, or GlobalAveragePooling2D instead of Flatten)"
)
REACHED = "Your model reached {accuracy:.1%} test accuracy on {data} (needed: {threshold:.0%})."
TOO_LOW = (
    "Your model reached only {accuracy:.1%} test accuracy on {data}; it needs {threshold:.0%}."
)
TIMEOUT = (
    "Building and training your model did not finish within {seconds:g} seconds; it was "
    "stopped. Make the model smaller or faster."
)
RETRIED = (
    "The run with seed {seed} fell short, so the model was trained once more from a new start "
    "(seed {retry}): an unlucky initialization (e.g. every ReLU unit of a layer dying at once) "
    "can stop any model from learning. This is that second run."
)
SKIPPED_NO_TRAIN = "Not run: training checks were turned off for this run (--no-train)."
TENSORFLOW_NOTE = (
    "Keras checks: the sandbox imports TensorFlow (its first import takes several seconds)..."
)
# Grader faults (the student reads GRADER_FAULT with one of these as the error).
PROBE_FAULT = "the Keras probe failed: {fault}"
TRAINING_DIED = (
    "the sandbox ended while the grader trained your model ({reason}); the model is within "
    "the parameter budget, so the grader should have trained it"
)


def grade_architecture_task(task: Task, context: GradingContext) -> TaskResult:
    """Describe the student's model for each case (input shape, classes) and check it."""
    _announce(context)
    cases = task_cases(task, context)
    results = []
    for case in cases:
        max_points = task.points / len(cases)
        args = case.inputs.args
        options = {"input_shape": list(args[0]), "seed": 0}
        outcome = context.session.probe(
            task.function, "summary", args, options, _seconds(task, context)
        )
        shown = describe_call(task.function, args, {}, task.signature)
        if outcome.status != CallStatus.RETURNED:
            results.append(failed_call(task, case, outcome, context, max_points, shown))
        elif _probe_fault(outcome.value):
            results.append(_fault_case(case, max_points, _probe_fault(outcome.value), shown))
        else:
            results.append(_architecture_case(task, case, outcome, max_points, shown))
    return task_result(task, results)


def _architecture_case(
    task: Task, case: Case, outcome: CallOutcome, max_points: float, shown: str
) -> CaseResult:
    summary = outcome.value if isinstance(outcome.value, dict) else {}
    if "problem" in summary or "layers" not in summary:
        message = _not_a_model(task, summary)
        return _case(case, Status.FAILED, max_points, message, inputs=shown, mistake="not_a_model")
    problems = check_architecture(summary, _rules(task, case.inputs))
    # The table's shapes follow the case's input shape: shown for public cases only.
    table = layer_table(summary) if case.visibility is Visibility.PUBLIC else None
    if not problems:
        details = (ARCHITECTURE_OK.format(params=int(summary.get("params", 0))),)
        return _case(case, Status.PASSED, max_points, details=details, got=table)
    first = problems[0].message
    return _case(
        case,
        Status.FAILED,
        max_points,
        first[0].upper() + first[1:],
        details=tuple(p.message for p in problems[1:]),
        inputs=shown,
        got=table,
        mistake=problems[0].id,
    )


def _not_a_model(task: Task, summary: dict[str, Any]) -> str:
    if summary.get("type") == "NoneType":
        return NOTHING_RETURNED.format(name=task.function)
    return NOT_A_MODEL.format(name=task.function, type=summary.get("type", "something"))


def _rules(task: Task, inputs: CaseInput) -> ArchitectureRules:
    options = task.options
    output = str(options.get("output", "softmax"))
    if "num_outputs" in options:
        outputs = int(options["num_outputs"])
    else:  # one output per class: the argument named by the spec (default: the second)
        outputs = int(inputs.args[int(options.get("classes_arg", 1))])
    shape = tuple(int(d) for d in inputs.args[0])
    return ArchitectureRules(output, outputs, int(options.get("max_params", 1_000_000)), shape)


@dataclass(frozen=True)
class _Training:
    """The data and settings of one training check."""

    dataset: ImageDataset
    build: dict[str, Any]  # what the sandbox's build probe receives
    fit: dict[str, Any]  # what its fit probe receives (the test labels stay here)
    args: tuple[Any, ...]
    threshold: float
    shown: str  # the call, as feedback shows it


def grade_training_task(task: Task, context: GradingContext) -> TaskResult:
    """Train the student's model in the sandbox on real data; score test accuracy here."""
    case = Case("public-1", Visibility.PUBLIC, CaseInput(()))
    if not context.train:
        skipped = _case(case, Status.SKIPPED, 0.0, SKIPPED_NO_TRAIN)
        return TaskResult(task.name, task.title, 0.0, 0.0, (skipped,), notes=(SKIPPED_NO_TRAIN,))
    _announce(context)
    setup = _training_setup(task, context)
    attempts = 1 + int(task.options.get("retries", 1))
    seed = int(setup.build["seed"])
    for attempt in range(attempts):
        result, run = _train_once(task, context, case, setup, seed + attempt)
        if run is None or result.status is Status.PASSED or attempt == attempts - 1:
            break
    if attempt:  # say that the model was given a second start, and how the first went
        note = RETRIED.format(seed=seed, retry=seed + attempt)
        result = replace(result, details=(*result.details, note))
    return TaskResult(task.name, task.title, result.points, task.points, (result,), training=run)


def _train_once(
    task: Task, context: GradingContext, case: Case, setup: _Training, seed: int
) -> tuple[CaseResult, TrainingRun | None]:
    """Build (the student's call), then train (the grader's), from one seed."""
    built = _build(task, context, case, setup, seed)
    if isinstance(built, CaseResult):
        return built, None
    summary = built["summary"]
    planned = int(setup.fit["batch_size"])
    batch = training_batch_size(summary, planned, context.assignment.limits.memory_mb)
    trained = _fit(task, context, case, setup, {**setup.fit, "seed": seed, "batch_size": batch})
    if isinstance(trained, CaseResult):
        return trained, None
    result, run = _training_case(task, case, {**built, **trained}, setup)
    note = smaller_batch_note(summary, batch, planned)
    return (replace(result, details=(*result.details, note)) if note else result), run


def _build(
    task: Task, context: GradingContext, case: Case, setup: _Training, seed: int
) -> dict[str, Any] | CaseResult:
    """The build probe's answer, or the case's result when the model cannot be trained."""
    options = {**setup.build, "seed": seed}
    seconds = _seconds(task, context)
    outcome = context.session.probe(task.function, "build", setup.args, options, seconds)
    if outcome.status != CallStatus.RETURNED:
        return failed_call(task, case, outcome, context, task.points, setup.shown)
    value = outcome.value if isinstance(outcome.value, dict) else {}
    fault = _probe_fault(value)
    if fault:
        return _fault_case(case, task.points, fault, setup.shown)
    return _not_trainable(task, case, value, setup) or value


def _fit(
    task: Task, context: GradingContext, case: Case, setup: _Training, options: dict[str, Any]
) -> dict[str, Any] | CaseResult:
    """The fit probe's answer, or the case's result when training did not come back. The
    model was accepted and the grader chose how to train it: a sandbox that dies now is the
    grader's fault; one that runs past the time limit has a model too slow to train."""
    seconds = float(options["train_seconds"]) + float(task.options.get("extra_seconds", 90))
    start = time.perf_counter()
    outcome = context.session.probe(task.function, "fit", (), options, seconds)
    if outcome.status == CallStatus.TIMEOUT:
        message = TIMEOUT.format(seconds=seconds)
        return _case(case, Status.TIMEOUT, task.points, message, inputs=setup.shown)
    if outcome.status == CallStatus.CRASHED:
        reason = TRAINING_DIED.format(reason=outcome.message)
        return _fault_case(case, task.points, reason, setup.shown)
    if outcome.status != CallStatus.RETURNED:
        return failed_call(task, case, outcome, context, task.points, setup.shown)
    value = outcome.value if isinstance(outcome.value, dict) else {}
    fault = _probe_fault(value)
    if fault:
        return _fault_case(case, task.points, fault, setup.shown)
    return {"train_seconds": time.perf_counter() - start, **value}


def _not_trainable(
    task: Task, case: Case, value: dict[str, Any], setup: _Training
) -> CaseResult | None:
    """A failed case when the build probe says the model cannot be trained, else None."""
    summary = value.get("summary") or {}
    if "problem" in summary or "layers" not in summary:
        message = _not_a_model(task, summary)
        return _case(
            case, Status.FAILED, task.points, message, inputs=setup.shown, mistake="not_a_model"
        )
    if value.get("too_big"):
        params = int(summary.get("params", 0))
        reason = TOO_BIG.format(params=params, budget=int(setup.build["max_params"]))
        message = NOT_TRAINED.format(reason=reason)
        return _case(case, Status.FAILED, task.points, message, mistake="too_big")
    if value.get("compile_problem"):
        message = NOT_TRAINED.format(reason=value["compile_problem"])
        return _case(case, Status.FAILED, task.points, message)
    return None


def _training_setup(task: Task, context: GradingContext) -> _Training:
    options = dict(task.options)
    alternatives = options.pop("alternatives", {})
    path: Path | None = None
    if context.data_dir is not None:  # the course's files, when the instructor gives them
        for alternative in alternatives.values():
            if (context.data_dir / alternative["file"]).exists():
                options.update(alternative)
                path = context.data_dir / alternative["file"]
                break
    dataset = load_image_dataset(str(options["dataset"]), path)
    output = str(options.get("output", "softmax"))
    args = (
        (dataset.image_shape, dataset.num_classes)
        if output == "softmax"
        else (dataset.image_shape,)
    )
    labels = {"labels": str(options.get("labels", "one_hot")), "num_classes": dataset.num_classes}
    build = {
        "input_shape": list(dataset.image_shape),
        "seed": int(options.get("seed", 0)),
        "max_params": int(options.get("max_params", 1_000_000)),
        "learning_rate": float(options.get("learning_rate", 0.001)),
        "loss": str(options.get("loss", "categorical_crossentropy")),
        "compile": str(options.get("compile", "reference")),
        **labels,
    }
    fit = {
        "seed": build["seed"],
        "scale": dataset.scale,
        "X_train": dataset.X_train,
        "y_train": dataset.y_train,
        "X_test": dataset.X_test,  # the test labels never leave this process
        "epochs": int(options["epochs"]),
        "batch_size": int(options.get("batch_size", 32)),
        "train_seconds": float(options.get("train_seconds", 120)),
        **labels,
    }
    call = f"{task.function}({', '.join(repr(a) for a in args)})"
    shown = f"{call}, trained for {fit['epochs']} epochs on {dataset.description}"
    return _Training(dataset, build, fit, args, float(options["threshold"]), shown)


def _training_case(
    task: Task, case: Case, value: dict[str, Any], setup: _Training
) -> tuple[CaseResult, TrainingRun]:
    options, dataset = setup.fit, setup.dataset
    params = int(value["summary"].get("params", 0))
    losses = tuple(float(v) for v in value.get("loss", []))
    accuracy, problem = held_out_accuracy(
        value.get("predictions"), dataset.y_test, dataset.num_classes, options["labels"]
    )
    threshold = setup.threshold
    run = TrainingRun(
        device=str(value.get("device", "CPU")),
        seconds=float(value.get("train_seconds", 0.0)),
        epochs=int(value.get("epochs", 0)),
        planned_epochs=int(options["epochs"]),
        losses=losses,
        accuracy=accuracy,
        threshold=threshold,
        data=dataset.description,
        test_images=len(dataset.y_test),
    )
    if problem is not None:
        return _case(case, Status.FAILED, task.points, problem, inputs=setup.shown), run
    assert accuracy is not None
    ok = accuracy >= threshold
    data = f"{len(dataset.y_test)} held-out {dataset.name} images"
    message = (REACHED if ok else TOO_LOW).format(accuracy=accuracy, data=data, threshold=threshold)
    found = shortfall_reasons(value, losses, params, options) if not ok else []
    result = _case(
        case,
        Status.PASSED if ok else Status.FAILED,
        task.points,
        message,
        details=tuple(message for _, message in found),
        inputs=None if ok else setup.shown,
        expected=f"accuracy >= {threshold:.0%}",
        got=f"accuracy {accuracy:.1%}",
        mistake=None if ok else (found[0][0] if found else "low_accuracy"),
    )
    return result, run


def grade_compile_task(task: Task, context: GradingContext) -> TaskResult:
    """Compile a small fixed model with the student's function; check loss, metric, a step."""
    _announce(context)
    rules = _compile_rules(task)
    num_classes = 1 if rules.labels == "binary" else int(task.options.get("num_classes", 10))
    check = loss_check_data(rules.labels, num_classes, context.assignment.public_seed)
    probe = {
        "input_shape": list(task.options.get("input_shape", [8, 8, 1])),
        "num_classes": num_classes,
        "labels": rules.labels,
        "output_activation": rules.output,
        "loss_check": check,
    }
    case = Case("public-1", Visibility.PUBLIC, CaseInput(()))
    last = f"Dense({num_classes}, activation='{rules.output}')"
    shown = f"{task.function}(model) with a small model ending in {last}"
    outcome = context.session.probe(task.function, "compile", (), probe, _seconds(task, context))
    if outcome.status != CallStatus.RETURNED:
        return task_result(task, [failed_call(task, case, outcome, context, task.points, shown)])
    value = outcome.value if isinstance(outcome.value, dict) else {}
    if _probe_fault(value):
        return task_result(task, [_fault_case(case, task.points, _probe_fault(value), shown)])
    problems = compile_problems(value, rules, expected_loss(rules.labels, check))
    described = describe_compile(value)
    result = _case(
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
    labels = str(task.options.get("labels", "one_hot"))
    return CompileRules(
        function=task.function,
        labels=labels,
        output="sigmoid" if labels == "binary" else "softmax",
        losses=tuple(task.options.get("loss", LOSSES[labels])),
        metrics=tuple(task.options.get("metrics", METRICS[labels])),
    )


def grade_augmenter_task(task: Task, context: GradingContext) -> TaskResult:
    """Run the student's pipeline on images; check shape, training and inference behaviour."""
    _announce(context)
    options = task.options
    shape = tuple(int(d) for d in options.get("image_shape", [32, 32, 3]))
    count = int(options.get("images", 8))
    rng = np.random.default_rng(context.assignment.public_seed)
    images = rng.random((count, *shape)).astype(np.float32)  # asymmetric: a flip shows
    case = Case("public-1", Visibility.PUBLIC, CaseInput(()))
    shown = f"{task.function}() applied to {count} random images of shape {shape}"
    outcome = context.session.probe(
        task.function, "augment", (), {"images": images, "seed": 0}, _seconds(task, context)
    )
    if outcome.status != CallStatus.RETURNED:
        return task_result(task, [failed_call(task, case, outcome, context, task.points, shown)])
    value = outcome.value if isinstance(outcome.value, dict) else {}
    if _probe_fault(value):
        return task_result(task, [_fault_case(case, task.points, _probe_fault(value), shown)])
    problems = augmentation_problems(task.function, value, images)
    layers = ("Layers: " + ", ".join(value["layers"]) + ".",) if value.get("layers") else ()
    result = _case(
        case,
        Status.FAILED if problems else Status.PASSED,
        task.points,
        problems[0][1] if problems else "",
        details=(*(m for _, m in problems[1:]), *layers),
        inputs=shown if problems else None,
        mistake=problems[0][0] if problems else None,
    )
    return task_result(task, [result])


def _probe_fault(value: Any) -> str | None:
    """The probe's own failure, if its answer reports one (the grader's fault)."""
    if isinstance(value, dict) and "probe_fault" in value:
        return PROBE_FAULT.format(fault=str(value["probe_fault"])[:500])
    return None


def _fault_case(case: Case, max_points: float, error: str | None, shown: str) -> CaseResult:
    """A case the grader could not judge through its own fault: never the student's."""
    message = GRADER_FAULT.format(error=error)
    return _case(case, Status.GRADER_ERROR, max_points, message, inputs=shown)


def _seconds(task: Task, context: GradingContext) -> float:
    return float(task.call_seconds or context.assignment.limits.call_seconds)


def _announce(context: GradingContext) -> None:
    """Say once per submission that TensorFlow is being imported (it is slow the first time)."""
    if context.progress is not None and "tensorflow" not in context.announced:
        context.announced.add("tensorflow")
        context.progress(TENSORFLOW_NOTE)


def _case(
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
