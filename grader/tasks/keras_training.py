"""The `keras_training` task kind: the student's model, built in the sandbox with a fixed seed,
trained by the grader's own compile and fit on real data within a budget; test accuracy is
computed here, in the grader process, from predictions only (the test labels never leave it).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from grader.checks.keras_training import (
    held_out_accuracy,
    shortfall_reasons,
    smaller_batch_note,
    training_batch_size,
)
from grader.data.images import ImageDataset
from grader.data.registry import load_image_dataset
from grader.notebook.calls import CallStatus
from grader.report.model import CaseResult, Status, TaskResult, TrainingRun, Visibility
from grader.spec.model import Case, CaseInput, Task
from grader.spec.options import KerasTrainingOptions
from grader.tasks.context import GradingContext
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
TRAINING_DIED = (
    "the sandbox ended while the grader trained your model ({reason}); the model is within "
    "the parameter budget, so the grader should have trained it"
)


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
        skipped = probe_case(case, Status.SKIPPED, 0.0, SKIPPED_NO_TRAIN)
        return TaskResult(task.name, task.title, 0.0, 0.0, (skipped,), notes=(SKIPPED_NO_TRAIN,))
    unavailable = keras_unavailable(task)
    if unavailable is not None:
        return unavailable
    announce_tensorflow(context)
    setup = _training_setup(task, context)
    attempts = 1 + _training_options(task).retries
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
    seconds = probe_seconds(task, context)
    outcome = context.session.probe(task.function, "build", setup.args, options, seconds)
    if outcome.status != CallStatus.RETURNED:
        return failed_call(task, case, outcome, context, task.points, setup.shown)
    value = outcome.value if isinstance(outcome.value, dict) else {}
    fault = probe_fault(value)
    if fault:
        return fault_case(case, task.points, fault, setup.shown)
    return _not_trainable(task, case, value, setup) or value


def _fit(
    task: Task, context: GradingContext, case: Case, setup: _Training, options: dict[str, Any]
) -> dict[str, Any] | CaseResult:
    """The fit probe's answer, or the case's result when training did not come back. The
    model was accepted and the grader chose how to train it: a sandbox that dies now is the
    grader's fault; one that runs past the time limit has a model too slow to train."""
    seconds = float(options["train_seconds"]) + _training_options(task).extra_seconds
    start = time.perf_counter()
    outcome = context.session.probe(task.function, "fit", (), options, seconds)
    if outcome.status == CallStatus.TIMEOUT:
        message = TIMEOUT.format(seconds=seconds)
        return probe_case(case, Status.TIMEOUT, task.points, message, inputs=setup.shown)
    if outcome.status == CallStatus.CRASHED:
        reason = TRAINING_DIED.format(reason=outcome.message)
        return fault_case(case, task.points, reason, setup.shown)
    if outcome.status != CallStatus.RETURNED:
        return failed_call(task, case, outcome, context, task.points, setup.shown)
    value = outcome.value if isinstance(outcome.value, dict) else {}
    fault = probe_fault(value)
    if fault:
        return fault_case(case, task.points, fault, setup.shown)
    return {"train_seconds": time.perf_counter() - start, **value}


def _not_trainable(
    task: Task, case: Case, value: dict[str, Any], setup: _Training
) -> CaseResult | None:
    """A failed case when the build probe says the model cannot be trained, else None."""
    summary = value.get("summary") or {}
    if "problem" in summary or "layers" not in summary:
        message = not_a_model(task, summary)
        return probe_case(
            case, Status.FAILED, task.points, message, inputs=setup.shown, mistake="not_a_model"
        )
    if value.get("too_big"):
        params = int(summary.get("params", 0))
        reason = TOO_BIG.format(params=params, budget=int(setup.build["max_params"]))
        message = NOT_TRAINED.format(reason=reason)
        return probe_case(case, Status.FAILED, task.points, message, mistake="too_big")
    if value.get("compile_problem"):
        message = NOT_TRAINED.format(reason=value["compile_problem"])
        return probe_case(case, Status.FAILED, task.points, message)
    return None


def _training_setup(task: Task, context: GradingContext) -> _Training:
    options = _training_options(task)
    path: Path | None = None
    if context.data_dir is not None:  # the course's files, when the instructor gives them
        for alternative in options.alternatives.values():
            if (context.data_dir / alternative["file"]).exists():
                settings = {k: v for k, v in alternative.items() if k != "file"}
                options = dataclasses.replace(options, **settings)
                path = context.data_dir / alternative["file"]
                break
    dataset = load_image_dataset(options.dataset, path)
    args = (
        (dataset.image_shape, dataset.num_classes)
        if options.output == "softmax"
        else (dataset.image_shape,)
    )
    labels = {"labels": options.labels, "num_classes": dataset.num_classes}
    build = {
        "input_shape": list(dataset.image_shape),
        "seed": options.seed,
        "max_params": options.max_params,
        "learning_rate": options.learning_rate,
        "loss": options.loss,
        "compile": options.compile,
        **labels,
    }
    fit = {
        "seed": build["seed"],
        "scale": dataset.scale,
        "X_train": dataset.X_train,
        "y_train": dataset.y_train,
        "X_test": dataset.X_test,  # the test labels never leave this process
        "epochs": options.epochs,
        "batch_size": options.batch_size,
        "train_seconds": options.train_seconds,
        **labels,
    }
    call = f"{task.function}({', '.join(repr(a) for a in args)})"
    shown = f"{call}, trained for {fit['epochs']} epochs on {dataset.description}"
    return _Training(dataset, build, fit, args, options.threshold, shown)


def _training_options(task: Task) -> KerasTrainingOptions:
    options = task.options
    assert isinstance(options, KerasTrainingOptions)
    return options


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
        return probe_case(case, Status.FAILED, task.points, problem, inputs=setup.shown), run
    assert accuracy is not None
    ok = accuracy >= threshold
    data = f"{len(dataset.y_test)} held-out {dataset.name} images"
    message = (REACHED if ok else TOO_LOW).format(accuracy=accuracy, data=data, threshold=threshold)
    found = shortfall_reasons(value, losses, params, options) if not ok else []
    result = probe_case(
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
