"""Keras task graders: architecture, compile step, augmentation pipeline and training checks.

A Keras model cannot cross the channel, so each grader asks the sandbox for a *probe*
(`sandbox/keras_probe.py`): the student's function runs there and a plain-data description of
what it returned comes back. Every verdict is made here. The training check sends training
images and labels and the test images only; test labels stay in this process, and accuracy is
computed here.

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
from grader.execution import CallOutcome, CallStatus
from grader.image_datasets import ImageDataset, load_image_dataset
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
RAN_OUT = (
    "Training stopped after {done} of {epochs} epochs: the time budget of {seconds:g} s ran "
    "out. Your model is too slow to train ({params:,} parameters): make it smaller."
)
NOT_LEARNING = (
    "The training loss did not go down ({first:.3g} -> {last:.3g}): the model is not "
    "learning. Check the output layer's activation and that no layer blocks the signal."
)
DIVERGED = (
    "The training loss became NaN or infinite: training diverged (an output activation that "
    "is not a probability, such as 'relu' or 'linear', can do this)."
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

# The loss a spec accepts, and what to say about the usual wrong ones.
LOSS_MISTAKES = {
    "one_hot": {
        "sparse_categorical_crossentropy": "The labels are one-hot vectors (to_categorical), "
        "so the loss is categorical_crossentropy; sparse_categorical_crossentropy expects "
        "integer class labels.",
        "binary_crossentropy": "Binary cross-entropy is for one sigmoid output (two classes); "
        "this model has a softmax over several classes: use categorical_crossentropy.",
    },
    "binary": {
        "categorical_crossentropy": "Categorical cross-entropy needs one output per class; a "
        "binary classifier has one sigmoid output: use binary_crossentropy.",
        "sparse_categorical_crossentropy": "Sparse categorical cross-entropy needs one output "
        "per class; a binary classifier has one sigmoid output: use binary_crossentropy.",
    },
}
REGRESSION_LOSS = (
    "`{loss}` is a regression loss; a classifier is trained with cross-entropy: use {wanted}."
)
WRONG_LOSS = "The loss is `{loss}`; with these labels it should be {wanted}."
FROM_LOGITS = (
    "The loss has from_logits=True, but the model already ends with {activation}: the loss "
    "would apply it a second time. Leave from_logits at False."
)
NO_ACCURACY = "No accuracy metric: add metrics=['accuracy'] to model.compile(...)."
NOT_COMPILED = (
    "Your `{name}` did not compile the model: call model.compile(optimizer=..., loss=..., "
    "metrics=['accuracy']) on the model it receives (and return it)."
)
FIT_FAILED = "One training step with your compile settings failed: {error}"

AUGMENT_SHAPE = (
    "In {mode} mode your pipeline changed the image shape from {before} to {after}; "
    "augmentation must keep the size (RandomFlip, RandomRotation, RandomTranslation and "
    "RandomZoom do)."
)
AUGMENT_INFERENCE = (
    "In inference mode (training=False) your pipeline changed the images; random "
    "augmentation layers pass images through unchanged at inference, so a layer that always "
    "changes images (e.g. Rescaling) does not belong in the augmenter."
)
AUGMENT_NO_CHANGE = (
    "In training mode your pipeline did not change any of the {count} test images: add random "
    "layers such as RandomFlip('horizontal') and RandomRotation(0.2)."
)
AUGMENT_NOT_CALLABLE = (
    "Your `{name}` returned {type}, which cannot be applied to images: return a "
    "keras.Sequential of preprocessing layers."
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
            continue
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
    options: dict[str, Any]  # what the sandbox's training probe receives
    args: tuple[Any, ...]
    threshold: float  # stays here, with the test labels


def grade_training_task(task: Task, context: GradingContext) -> TaskResult:
    """Train the student's model in the sandbox on real data; score test accuracy here."""
    case = Case("public-1", Visibility.PUBLIC, CaseInput(()))
    if not context.train:
        skipped = _case(case, Status.SKIPPED, 0.0, SKIPPED_NO_TRAIN)
        return TaskResult(task.name, task.title, 0.0, 0.0, (skipped,), notes=(SKIPPED_NO_TRAIN,))
    _announce(context)
    setup = _training_setup(task, context)
    call = f"{task.function}({', '.join(repr(a) for a in setup.args)})"
    epochs = setup.options["epochs"]
    shown = f"{call}, trained for {epochs} epochs on {setup.dataset.description}"
    seconds = float(setup.options["train_seconds"]) + float(task.options.get("extra_seconds", 90))
    attempts = 1 + int(task.options.get("retries", 1))
    seed = int(setup.options["seed"])
    for attempt in range(attempts):
        options = {**setup.options, "seed": seed + attempt}
        start = time.perf_counter()
        outcome = context.session.probe(task.function, "train", setup.args, options, seconds)
        if outcome.status == CallStatus.TIMEOUT:
            message = TIMEOUT.format(seconds=seconds)
            timed_out = _case(case, Status.TIMEOUT, task.points, message, inputs=shown)
            return task_result(task, [timed_out])
        if outcome.status != CallStatus.RETURNED:
            return task_result(
                task, [failed_call(task, case, outcome, context, task.points, shown)]
            )
        result, run = _training_case(
            task, case, outcome.value, setup, shown, time.perf_counter() - start
        )
        if run is None or result.status is Status.PASSED or attempt == attempts - 1:
            break
    if attempt:  # say that the model was given a second start, and how the first went
        note = RETRIED.format(seed=seed, retry=seed + attempt)
        result = replace(result, details=(*result.details, note))
    return TaskResult(task.name, task.title, result.points, task.points, (result,), training=run)


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
    probe = {
        "input_shape": list(dataset.image_shape),
        "num_classes": dataset.num_classes,
        "seed": int(options.get("seed", 0)),
        "max_params": int(options.get("max_params", 1_000_000)),
        "scale": dataset.scale,
        "X_train": dataset.X_train,
        "y_train": dataset.y_train,
        "X_test": dataset.X_test,  # the test labels never leave this process
        "epochs": int(options["epochs"]),
        "batch_size": int(options.get("batch_size", 32)),
        "learning_rate": float(options.get("learning_rate", 0.001)),
        "loss": str(options.get("loss", "categorical_crossentropy")),
        "labels": str(options.get("labels", "one_hot")),
        "train_seconds": float(options.get("train_seconds", 120)),
        "compile": str(options.get("compile", "reference")),
    }
    return _Training(dataset, probe, args, float(options["threshold"]))


def _training_case(
    task: Task,
    case: Case,
    value: Any,
    setup: _Training,
    shown: str,
    seconds: float,
) -> tuple[CaseResult, TrainingRun | None]:
    value = value if isinstance(value, dict) else {}
    options, dataset = setup.options, setup.dataset
    summary = value.get("summary") or {}
    if "problem" in summary or "layers" not in summary:
        message = _not_a_model(task, summary)
        failed = _case(
            case, Status.FAILED, task.points, message, inputs=shown, mistake="not_a_model"
        )
        return failed, None
    params = int(summary.get("params", 0))
    if value.get("too_big"):
        reason = TOO_BIG.format(params=params, budget=int(options["max_params"]))
        message = NOT_TRAINED.format(reason=reason)
        return _case(case, Status.FAILED, task.points, message, mistake="too_big"), None
    if value.get("compile_problem"):
        message = NOT_TRAINED.format(reason=value["compile_problem"])
        return _case(case, Status.FAILED, task.points, message), None
    losses = tuple(float(v) for v in value.get("loss", []))
    accuracy, problem = _accuracy(value.get("predictions"), dataset, options)
    threshold = setup.threshold
    run = TrainingRun(
        device=str(value.get("device", "CPU")),
        seconds=float(value.get("train_seconds", seconds)),
        epochs=int(value.get("epochs", 0)),
        planned_epochs=int(options["epochs"]),
        losses=losses,
        accuracy=accuracy,
        threshold=threshold,
        data=dataset.description,
        test_images=len(dataset.y_test),
    )
    data = f"{len(dataset.y_test)} held-out {dataset.name} images"
    if problem is not None:
        return _case(case, Status.FAILED, task.points, problem, inputs=shown), run
    assert accuracy is not None
    ok = accuracy >= threshold
    template = REACHED if ok else TOO_LOW
    message = template.format(accuracy=accuracy, data=data, threshold=threshold)
    found = _training_details(value, losses, params, options) if not ok else ()
    details = tuple(message for _, message in found)
    status = Status.PASSED if ok else Status.FAILED
    result = _case(
        case,
        status,
        task.points,
        message,
        details=details,
        inputs=None if ok else shown,
        expected=f"accuracy >= {threshold:.0%}",
        got=f"accuracy {accuracy:.1%}",
        mistake=None if ok else (found[0][0] if found else "low_accuracy"),
    )
    return result, run


def _accuracy(
    predictions: Any, dataset: ImageDataset, options: dict[str, Any]
) -> tuple[float | None, str | None]:
    n = len(dataset.y_test)
    if not isinstance(predictions, np.ndarray) or predictions.shape[:1] != (n,):
        shape = getattr(predictions, "shape", None)
        return None, f"The model's predictions on the {n} test images have shape {shape}."
    if not np.all(np.isfinite(predictions)):
        return None, "The model's predictions contain NaN or infinite values: " + DIVERGED
    if options["labels"] == "binary":
        if predictions.size != n:
            return None, (
                f"A binary classifier gives one probability per image; the predictions have "
                f"shape {predictions.shape}, expected ({n}, 1)."
            )
        labels = (predictions.reshape(n) > 0.5).astype(np.int64)
    else:
        if predictions.ndim != 2 or predictions.shape[1] != dataset.num_classes:
            return None, (
                f"The predictions have shape {predictions.shape}; expected ({n}, "
                f"{dataset.num_classes}), one probability per class."
            )
        labels = predictions.argmax(axis=1)
    return float(np.mean(labels == dataset.y_test)), None


def _training_details(
    value: dict[str, Any], losses: tuple[float, ...], params: int, options: dict[str, Any]
) -> list[tuple[str, str]]:
    """Why a model fell short, as (mistake id, message), most telling first."""
    details = []
    if value.get("ran_out_of_time"):
        message = RAN_OUT.format(
            done=int(value.get("epochs", 0)),
            epochs=int(options["epochs"]),
            seconds=float(options["train_seconds"]),
            params=params,
        )
        details.append(("too_slow", message))
    if losses and not all(np.isfinite(losses)):
        details.append(("diverged", DIVERGED))
    elif len(losses) >= 2 and losses[-1] > 0.9 * losses[0]:
        details.append(("not_learning", NOT_LEARNING.format(first=losses[0], last=losses[-1])))
    return details


def grade_compile_task(task: Task, context: GradingContext) -> TaskResult:
    """Compile a small fixed model with the student's function; check loss, metric, a step."""
    _announce(context)
    options = task.options
    labels = str(options.get("labels", "one_hot"))
    output = "sigmoid" if labels == "binary" else "softmax"
    num_classes = 1 if labels == "binary" else int(options.get("num_classes", 10))
    probe = {
        "input_shape": list(options.get("input_shape", [8, 8, 1])),
        "num_classes": num_classes,
        "labels": labels,
        "output_activation": output,
    }
    case = Case("public-1", Visibility.PUBLIC, CaseInput(()))
    last = f"Dense({num_classes}, activation='{output}')"
    shown = f"{task.function}(model) with a small model ending in {last}"
    outcome = context.session.probe(task.function, "compile", (), probe, _seconds(task, context))
    if outcome.status != CallStatus.RETURNED:
        return task_result(task, [failed_call(task, case, outcome, context, task.points, shown)])
    value = outcome.value if isinstance(outcome.value, dict) else {}
    problems = _compile_problems(task, value, labels, output)
    status = Status.FAILED if problems else Status.PASSED
    described = _describe_compile(value)
    result = _case(
        case,
        status,
        task.points,
        problems[0][1] if problems else "",
        details=tuple(m for _, m in problems[1:]) if problems else (described,),
        inputs=shown if problems else None,
        got=described if problems else None,
        mistake=problems[0][0] if problems else None,
    )
    return task_result(task, [result])


def _compile_problems(
    task: Task, value: dict[str, Any], labels: str, output: str
) -> list[tuple[str, str]]:
    """What is wrong with the compile step, as (mistake id, message)."""
    if not value.get("compiled"):
        return [("not_compiled", NOT_COMPILED.format(name=task.function))]
    wanted = list(task.options.get("loss", ["categorical_crossentropy"]))
    wanted_text = " or ".join(f"`{name}`" for name in wanted[:1])
    loss = value.get("loss") or {}
    name = str(loss.get("name", ""))
    problems = []
    if name not in wanted:
        known = LOSS_MISTAKES.get(labels, {}).get(name)
        if known:
            problems.append((name, known))
        elif name in ("mean_squared_error", "mse", "mean_absolute_error", "mae"):
            message = REGRESSION_LOSS.format(loss=name, wanted=wanted_text)
            problems.append(("regression_loss", message))
        else:
            message = WRONG_LOSS.format(loss=name or "missing", wanted=wanted_text)
            problems.append(("wrong_loss", message))
    elif loss.get("from_logits"):
        problems.append(("from_logits", FROM_LOGITS.format(activation=output)))
    accepted = set(task.options.get("metrics", ["accuracy", "acc", "categorical_accuracy"]))
    if not accepted & set(value.get("metrics", [])):
        problems.append(("no_accuracy_metric", NO_ACCURACY))
    if value.get("fit_error") and not problems:
        problems.append(("training_step_fails", FIT_FAILED.format(error=value["fit_error"])))
    return problems


def _describe_compile(value: dict[str, Any]) -> str:
    if not value.get("compiled"):
        return "not compiled"
    loss = value.get("loss") or {}
    rate = value.get("learning_rate")
    parts = [
        f"loss {loss.get('name', '?')}"
        + (" (from_logits=True)" if loss.get("from_logits") else ""),
        "metrics " + (", ".join(value.get("metrics", [])) or "none"),
        f"optimizer {value.get('optimizer', '?')}"
        + (f" (learning rate {rate:g})" if isinstance(rate, float) else ""),
    ]
    return "Compiled with " + "; ".join(parts) + "."


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
    problems = _augment_problems(task, value, images)
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


def _augment_problems(
    task: Task, value: dict[str, Any], images: np.ndarray
) -> list[tuple[str, str]]:
    """What is wrong with the pipeline, as (mistake id, message)."""
    if "problem" in value:
        message = AUGMENT_NOT_CALLABLE.format(name=task.function, type=value.get("type"))
        return [("not_callable", message)]
    problems = []
    training, inference = value.get("training"), value.get("inference")
    for mode, out in (("training", training), ("inference", inference)):
        if not isinstance(out, np.ndarray) or out.shape != images.shape:
            after = out.shape[1:] if isinstance(out, np.ndarray) else type(out).__name__
            message = AUGMENT_SHAPE.format(mode=mode, before=images.shape[1:], after=after)
            return [("changes_shape", message)]
    assert isinstance(training, np.ndarray) and isinstance(inference, np.ndarray)
    if not np.allclose(inference, images, atol=1e-5):
        problems.append(("changes_images_at_inference", AUGMENT_INFERENCE))
    changed = np.abs(training - images).reshape(len(images), -1).max(axis=1) > 1e-3
    if not changed.any():
        problems.append(("no_augmentation", AUGMENT_NO_CHANGE.format(count=len(images))))
    return problems


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
