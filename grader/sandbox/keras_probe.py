"""Sandbox-side Keras probes: turn a student's model, compile step or augmentation pipeline
into plain data the grader can judge.

A Keras model cannot cross the channel, so the grader asks for a *probe*: the sandbox calls the
student's function, then one of the actions below describes what came back (layer by layer),
trains it, or runs it, and returns numbers, strings and arrays only. Every verdict is made in
the grader process; the test labels of a training check never come here.

Actions (`run(action, function, args, kwargs, options, namespace)`):
    summary  - call `function(*args)`, describe the model it returns
    build    - seed, build with `function(*args)`, describe, compile for training (the course's
               settings, or the student's compile function) and keep the model for `fit`
    fit      - train the kept model on the given training data within a time budget,
               re-estimate its BatchNorm statistics, predict on the test images
    compile  - build a small fixed model, call `function(model)`, describe the compile step and
               try one training step with labels in the assignment's format
    augment  - call `function()`, run the pipeline on given images in training and in
               inference mode

Whose fault an exception is: the student's function, and Keras running the student's model
(building, calling, training it), may raise; that error is raised again as it was, and the
grader tells the student. Everything else here is the grader's own code: an exception in it
comes back as `{"probe_fault": "..."}`, and so does running out of memory while the grader
trains a model it accepted (the grader chose the batch size), so the grader reports its own
fault, never the student's.

TensorFlow is imported here only when an action runs, never by the zygote. Imports nothing from
the grader package (loaded by file path, like its siblings).
"""

from __future__ import annotations

import importlib.util
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np


def _sibling(name: str) -> ModuleType:
    """A sibling sandbox-side module: the zygote loaded it already; tests load it here."""
    if name not in sys.modules:
        path = Path(__file__).with_name(f"{name}.py")
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


description = _sibling("keras_description")

RECALIBRATION_IMAGES = 512  # training images used to re-estimate BatchNorm statistics
OUT_OF_MEMORY = (
    "out of memory while training the model with batch size {batch} ({error}); the grader "
    "chose that batch size, so this is the grader's fault"
)
NOTHING_KEPT = "no model was kept for training: the fit action ran without a build before it"

# The model `build` made, kept for `fit` (one sandbox grades one submission).
_KEPT: dict[str, Any] = {}


class StudentError(Exception):
    """Wraps an exception from the student's code, or from Keras running the student's model;
    `run` raises the original again, so the student reads it as theirs."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


class ProbeFault(Exception):
    """Something the grader's side of a probe could not do (reported as the grader's fault)."""


def student(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call the student's code, or Keras on the student's model: its exceptions are theirs."""
    try:
        return call(*args, **kwargs)
    except Exception as error:
        raise StudentError(error) from error


def on_model(batch: int, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Keras training or running the student's model for the grader, `batch` images at a
    time: running out of memory is the grader's fault (it chose the batch size), any other
    exception the model's."""
    try:
        return call(*args, **kwargs)
    except Exception as error:
        if _out_of_memory(error):
            raise ProbeFault(OUT_OF_MEMORY.format(batch=batch, error=_one_line(error))) from error
        raise StudentError(error) from error


def _out_of_memory(error: Exception) -> bool:
    text = str(error)[:2000]
    return (
        isinstance(error, MemoryError)
        or type(error).__name__ == "ResourceExhaustedError"
        or re.search(r"\bOOM\b", text) is not None
        or "out of memory" in text.lower()
    )


def _one_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0][:300] if lines else ''}".rstrip(": ")


def run(
    action: str,
    function: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    options: dict[str, Any],
    namespace: dict[str, Any],
) -> dict[str, Any]:
    """Run one probe action; the result is plain data (see the module docstring).

    Raises:
        Exception: What the student's function, or Keras running the student's model, raised
            (the original exception). Any other failure is returned as
            `{"probe_fault": "..."}` instead.
    """
    try:
        keras = _import_keras()
        return _act(keras, action, function, args, kwargs, options, namespace)
    except StudentError as wrapped:
        raise wrapped.error from None
    except ProbeFault as fault:
        return {"probe_fault": str(fault)}
    except Exception as error:  # the grader's own code: never the student's fault
        return {"probe_fault": f"the {action} probe failed: {_one_line(error)}"}


def _act(
    keras: Any,
    action: str,
    function: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    options: dict[str, Any],
    namespace: dict[str, Any],
) -> dict[str, Any]:
    if action == "summary":
        _seed(keras, int(options.get("seed", 0)))
        return summarize(keras, student(function, *args, **kwargs), options["input_shape"])
    if action == "build":
        return build(keras, function, args, kwargs, options, namespace)
    if action == "fit":
        return fit(keras, options)
    if action == "compile":
        return inspect_compile(keras, function, options)
    if action == "augment":
        return augment(keras, function, options)
    raise ValueError(f"unknown probe action {action!r}")


def _import_keras() -> Any:
    import keras

    return keras


def _seed(keras: Any, seed: int) -> None:
    keras.utils.set_random_seed(seed)


def summarize(keras: Any, model: Any, input_shape: list[int]) -> dict[str, Any]:
    """Layer-by-layer description of a model: class, output shape, parameters, settings.

    A model built for another input shape than the one asked for is described as it is (its
    own input shape is reported), without running it on the asked-for shape. Building and
    running the model is the student's (an exception there is theirs); describing it is ours.
    """
    if not isinstance(model, keras.Model):
        return {"problem": "not_model", "type": type(model).__name__}
    if not model.built:
        student(model.build, (None, *input_shape))
    own = description.input_shape(model)
    summary: dict[str, Any] = {
        "input_shape": own,
        "layers": [
            description.describe_layer(layer) for layer in description.flat_layers(keras, model)
        ],
        "params": int(student(model.count_params)),
    }
    if own is not None and own[1:] != list(input_shape):
        summary["output_shape"] = description.output_shape(model)
        return summary
    batch = np.zeros((2, *input_shape), dtype="float32")
    output = np.asarray(student(model, batch, training=False))
    summary["output_shape"] = [None, *output.shape[1:]]
    return summary


class _Budget:
    """A Keras callback that stops training when its time budget runs out."""

    def __init__(self, keras: Any, seconds: float) -> None:
        outer = self

        class Callback(keras.callbacks.Callback):
            def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
                if time.monotonic() > outer.deadline:
                    outer.ran_out = True
                    self.model.stop_training = True

            def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
                outer.epochs_done = epoch + 1

        self.deadline = time.monotonic() + seconds
        self.ran_out = False
        self.epochs_done = 0
        self.callback = Callback()


def build(
    keras: Any,
    function: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    options: dict[str, Any],
    namespace: dict[str, Any],
) -> dict[str, Any]:
    """Build the student's model with a fixed seed, describe it, compile it for training, and
    keep it for `fit` (unless it is not a model, is over the parameter budget, or its compile
    step failed: the result says which)."""
    _KEPT.clear()
    _seed(keras, int(options["seed"]))
    model = student(function, *args, **kwargs)
    summary = summarize(keras, model, options["input_shape"])
    result: dict[str, Any] = {"summary": summary, "device": description.device()}
    if "problem" in summary:
        return result
    if summary["params"] > int(options["max_params"]):
        result["too_big"] = True
        return result
    model, problem = _compile_for_training(keras, model, options, namespace)
    if problem:
        result["compile_problem"] = problem
        return result
    _KEPT["model"] = model
    return result


def fit(keras: Any, options: dict[str, Any]) -> dict[str, Any]:
    """Train the kept model within the time budget, `batch_size` images at a time, then
    re-estimate its BatchNorm statistics and predict on the test images in batches as small."""
    model = _KEPT.pop("model", None)
    if model is None:
        raise ProbeFault(NOTHING_KEPT)
    _seed(keras, int(options["seed"]))
    scale, batch = float(options["scale"]), int(options["batch_size"])
    X = np.asarray(options["X_train"], dtype="float32") * scale
    Y = _labels(keras, np.asarray(options["y_train"]), options)
    budget = _Budget(keras, float(options["train_seconds"]))
    start = time.perf_counter()
    history = on_model(
        batch,
        model.fit,
        X,
        Y,
        epochs=int(options["epochs"]),
        batch_size=batch,
        shuffle=True,
        verbose=0,
        callbacks=[budget.callback],
    )
    result: dict[str, Any] = {
        "train_seconds": time.perf_counter() - start,
        "epochs": budget.epochs_done,
        "ran_out_of_time": budget.ran_out,
        "loss": [float(v) for v in history.history.get("loss", [])],
        "batch_size": batch,
    }
    images = X[:RECALIBRATION_IMAGES]
    result["recalibrated"] = recalibrate_batchnorm(keras, model, images, batch)
    X_test = np.asarray(options["X_test"], dtype="float32") * scale
    predictions = on_model(batch, model.predict, X_test, batch_size=batch, verbose=0)
    result["predictions"] = np.asarray(predictions).astype("float32")
    return result


def recalibrate_batchnorm(keras: Any, model: Any, images: np.ndarray, chunk: int) -> int:
    """Set each BatchNormalization layer's moving statistics to those of the training images
    under the trained weights ("precise BatchNorm"); return how many layers there were.

    Keras' moving averages (momentum 0.99) need many hundred steps to settle; a short training
    run would otherwise be judged by how far the averages got rather than by what the model
    learned. The images go through the model in training mode `chunk` at a time (the training
    batch size, so memory stays as in training), with momentum k/(k+1) for chunk k: the moving
    statistics end as the average of the chunks' statistics.
    """
    layers = [
        layer
        for layer in description.flat_layers(keras, model)
        if isinstance(layer, keras.layers.BatchNormalization)
    ]
    saved = [layer.momentum for layer in layers]
    try:
        for k, first in enumerate(range(0, len(images) if layers else 0, chunk)):
            for layer in layers:
                layer.momentum = k / (k + 1)
            on_model(chunk, model, images[first : first + chunk], training=True)
    finally:
        for layer, momentum in zip(layers, saved, strict=True):
            layer.momentum = momentum
    return len(layers)


def _compile_for_training(
    keras: Any, model: Any, options: dict[str, Any], namespace: dict[str, Any]
) -> tuple[Any, str | None]:
    """Compile as the spec says: the course's settings, or the student's `compile_model`."""
    how = str(options.get("compile", "reference"))
    if how.startswith("student:"):
        name = how.partition(":")[2]
        compile_model = namespace.get(name)
        if not callable(compile_model):
            return model, f"`{name}` is not defined"
        returned = student(compile_model, model)
        model = returned if isinstance(returned, keras.Model) else model
        return model, None if model.compiled else f"`{name}` did not compile the model"
    student(
        model.compile,
        optimizer=keras.optimizers.Adam(learning_rate=float(options["learning_rate"])),
        loss=options["loss"],
        metrics=["accuracy"],
    )
    return model, None


def _labels(keras: Any, y: np.ndarray, options: dict[str, Any]) -> np.ndarray:
    if options.get("labels") == "one_hot":
        return np.asarray(keras.utils.to_categorical(y, int(options["num_classes"])), "float32")
    return y.astype("float32").reshape(-1, 1) if options.get("labels") == "binary" else y


def inspect_compile(
    keras: Any, function: Callable[..., Any], options: dict[str, Any]
) -> dict[str, Any]:
    """Compile a small fixed model with the student's function and describe the result: the
    loss (its name, from_logits, and its value on the given `loss_check` labels and
    probabilities), the metrics, the optimizer, and whether one training step runs."""
    num_classes = int(options["num_classes"])
    _seed(keras, 0)
    layers = keras.layers
    model = keras.Sequential(
        [
            keras.Input(tuple(options["input_shape"])),
            layers.Flatten(),
            layers.Dense(num_classes, activation=options.get("output_activation", "softmax")),
        ]
    )
    returned = student(function, model)
    if isinstance(returned, keras.Model):
        model = returned
    if not model.compiled:
        return {"compiled": False, "returned": type(returned).__name__}
    result: dict[str, Any] = {
        "compiled": True,
        **description.describe_compile(keras, model, options),
    }
    x = np.random.default_rng(0).random((8, *options["input_shape"]), dtype="float32")
    y = _labels(keras, np.arange(8) % num_classes, options)
    try:
        model.fit(x, y, epochs=1, batch_size=8, verbose=0)
        result["fit_error"] = None
    except Exception as error:  # the loss does not fit the labels, for instance
        result["fit_error"] = _one_line(error)
    return result


def augment(keras: Any, function: Callable[..., Any], options: dict[str, Any]) -> dict[str, Any]:
    """Run the student's augmentation pipeline in training and in inference mode."""
    _seed(keras, int(options.get("seed", 0)))
    pipeline = student(function)
    if not callable(pipeline):
        return {"problem": "not_callable", "type": type(pipeline).__name__}
    images = np.asarray(options["images"], dtype="float32")
    sublayers = getattr(pipeline, "layers", None) or [pipeline]
    return {
        "layers": [type(layer).__name__ for layer in sublayers],
        "training": np.asarray(student(pipeline, images, training=True), dtype="float32"),
        "inference": np.asarray(student(pipeline, images, training=False), dtype="float32"),
    }
