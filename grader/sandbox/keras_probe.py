"""Sandbox-side Keras probes: turn a student's model, compile step or augmentation pipeline
into plain data the grader can judge.

A Keras model cannot cross the channel, so the grader asks for a *probe*: the sandbox calls the
student's function, then one of the actions below describes what came back (layer by layer),
trains it, or runs it, and returns numbers, strings and arrays only. Every verdict is made in
the grader process; the test labels of a training check never come here.

Actions (`run(action, function, args, kwargs, options, namespace)`):
    summary  - call `function(*args)`, describe the model it returns
    train    - seed, build with `function(*args)`, describe, compile, fit on the given training
               data within a time budget, predict on the test images
    compile  - build a small fixed model, call `function(model)`, describe the compile step and
               try one training step with labels in the assignment's format
    augment  - call `function()`, run the pipeline on given images in training and in
               inference mode

TensorFlow is imported here only when an action runs, never by the zygote. Imports nothing from
the grader package (loaded by file path, like its siblings).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

RECALIBRATION_IMAGES = 512  # training images used to re-estimate BatchNorm statistics

# Attributes copied from each layer when present (plain values only).
LAYER_FIELDS = (
    "filters",
    "units",
    "kernel_size",
    "strides",
    "padding",
    "pool_size",
    "rate",
    "momentum",
)


def run(
    action: str,
    function: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    options: dict[str, Any],
    namespace: dict[str, Any],
) -> dict[str, Any]:
    """Run one probe action; the result is plain data (see the module docstring)."""
    keras = _import_keras()
    if action == "summary":
        _seed(keras, int(options.get("seed", 0)))
        return summarize(keras, function(*args, **kwargs), options["input_shape"])
    if action == "train":
        return train(keras, function, args, kwargs, options, namespace)
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
    own input shape is reported), without running it on the asked-for shape.
    """
    if not isinstance(model, keras.Model):
        return {"problem": "not_model", "type": type(model).__name__}
    if not model.built:
        model.build((None, *input_shape))
    own = _input_shape(model)
    summary: dict[str, Any] = {
        "input_shape": own,
        "layers": [_describe_layer(layer) for layer in _flat_layers(keras, model)],
        "params": int(model.count_params()),
    }
    if own is not None and own[1:] != list(input_shape):
        summary["output_shape"] = _output_shape(model)
        return summary
    batch = np.zeros((2, *input_shape), dtype="float32")
    output = np.asarray(model(batch, training=False))
    summary["output_shape"] = [None, *output.shape[1:]]
    return summary


def _input_shape(model: Any) -> list[int | None] | None:
    try:
        return [None if d is None else int(d) for d in model.inputs[0].shape]
    except Exception:  # a subclassed model without a graph
        return None


def _flat_layers(keras: Any, model: Any) -> list[Any]:
    """The model's layers in order, nested models expanded, input layers left out."""
    layers = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            layers += _flat_layers(keras, layer)
        elif type(layer).__name__ != "InputLayer":
            layers.append(layer)
    return layers


def _describe_layer(layer: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": str(layer.name),
        "class": type(layer).__name__,
        "output_shape": _output_shape(layer),
        "params": int(layer.count_params()) if layer.built else 0,
        "activation": _activation(layer),
    }
    for field in LAYER_FIELDS:
        value = getattr(layer, field, None)
        if isinstance(value, bool | int | float | str):
            row[field] = value
        elif isinstance(value, tuple | list) and all(isinstance(v, int) for v in value):
            row[field] = list(value)
    return row


def _output_shape(layer: Any) -> list[int | None] | None:
    try:
        return [None if d is None else int(d) for d in layer.output.shape]
    except Exception:  # a layer used twice, or a subclassed model without a graph
        return None


def _activation(layer: Any) -> str | None:
    """'relu', 'softmax', 'linear'... for layers that apply one (fused or on their own)."""
    fixed = {"ReLU": "relu", "Softmax": "softmax", "LeakyReLU": "leaky_relu", "ELU": "elu"}
    if type(layer).__name__ in fixed:
        return fixed[type(layer).__name__]
    activation = getattr(layer, "activation", None)
    if activation is None:
        return None
    return str(getattr(activation, "__name__", type(activation).__name__))


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


def train(
    keras: Any,
    function: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    options: dict[str, Any],
    namespace: dict[str, Any],
) -> dict[str, Any]:
    """Build the student's model with a fixed seed, train it within the budget, predict."""
    _seed(keras, int(options["seed"]))
    model = function(*args, **kwargs)
    summary = summarize(keras, model, options["input_shape"])
    result: dict[str, Any] = {"summary": summary, "device": device(), "epochs": 0}
    if "problem" in summary:
        return result
    if summary["params"] > int(options["max_params"]):
        result["too_big"] = True
        return result
    _seed(keras, int(options["seed"]))
    model, problem = _compile_for_training(keras, model, options, namespace)
    if problem:
        result["compile_problem"] = problem
        return result
    scale = float(options["scale"])
    X = np.asarray(options["X_train"], dtype="float32") * scale
    Y = _labels(keras, np.asarray(options["y_train"]), options)
    budget = _Budget(keras, float(options["train_seconds"]))
    start = time.perf_counter()
    history = model.fit(
        X,
        Y,
        epochs=int(options["epochs"]),
        batch_size=int(options["batch_size"]),
        shuffle=True,
        verbose=0,
        callbacks=[budget.callback],
    )
    result["train_seconds"] = time.perf_counter() - start
    result["epochs"] = budget.epochs_done
    result["ran_out_of_time"] = budget.ran_out
    result["loss"] = [float(v) for v in history.history.get("loss", [])]
    if options.get("recalibrate_batchnorm", True):
        result["recalibrated"] = recalibrate_batchnorm(keras, model, X[:RECALIBRATION_IMAGES])
    X_test = np.asarray(options["X_test"], dtype="float32") * scale
    result["predictions"] = np.asarray(model.predict(X_test, batch_size=256, verbose=0)).astype(
        "float32"
    )
    return result


def recalibrate_batchnorm(keras: Any, model: Any, images: np.ndarray) -> int:
    """Set each BatchNormalization layer's moving statistics to those of the training images
    under the trained weights ("precise BatchNorm"); return how many layers there were.

    Keras' moving averages (momentum 0.99) need many hundred steps to settle; a short training
    run would otherwise be judged by how far the averages got rather than by what the model
    learned. One forward pass in training mode with momentum 0 replaces them.
    """
    layers = [
        layer
        for layer in _flat_layers(keras, model)
        if isinstance(layer, keras.layers.BatchNormalization)
    ]
    saved = [layer.momentum for layer in layers]
    try:
        for layer in layers:
            layer.momentum = 0.0
        if layers:
            model(images, training=True)
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
        returned = compile_model(model)
        model = returned if isinstance(returned, keras.Model) else model
        return model, None if model.compiled else f"`{name}` did not compile the model"
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=float(options["learning_rate"])),
        loss=options["loss"],
        metrics=["accuracy"],
    )
    return model, None


def _labels(keras: Any, y: np.ndarray, options: dict[str, Any]) -> np.ndarray:
    if options.get("labels") == "one_hot":
        return np.asarray(keras.utils.to_categorical(y, int(options["num_classes"])), "float32")
    return y.astype("float32").reshape(-1, 1) if options.get("labels") == "binary" else y


def device() -> str:
    """Where TensorFlow runs: 'GPU: <name>' when it sees one, else 'CPU'."""
    try:
        import tensorflow as tf

        gpus = tf.config.list_physical_devices("GPU")
        if gpus:
            details = tf.config.experimental.get_device_details(gpus[0])
            return f"GPU: {details.get('device_name', gpus[0].name)}"
    except Exception:  # another Keras backend, or no TensorFlow at all
        pass
    return "CPU"


def inspect_compile(
    keras: Any, function: Callable[..., Any], options: dict[str, Any]
) -> dict[str, Any]:
    """Compile a small fixed model with the student's function and describe the result."""
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
    returned = function(model)
    if isinstance(returned, keras.Model):
        model = returned
    if not model.compiled:
        return {"compiled": False, "returned": type(returned).__name__}
    config = model.get_compile_config() or {}
    result: dict[str, Any] = {
        "compiled": True,
        "loss": _describe_loss(config.get("loss")),
        "metrics": [_name_of(m) for m in _as_list(config.get("metrics"))],
        "optimizer": _class_of(config.get("optimizer")),
        "learning_rate": _learning_rate(model),
    }
    x = np.random.default_rng(0).random((8, *options["input_shape"]), dtype="float32")
    y = _labels(keras, np.arange(8) % num_classes, options)
    try:
        model.fit(x, y, epochs=1, batch_size=8, verbose=0)
        result["fit_error"] = None
    except Exception as error:  # the loss does not fit the labels, for instance
        result["fit_error"] = f"{type(error).__name__}: {str(error).splitlines()[0][:300]}"
    return result


def _describe_loss(loss: Any) -> dict[str, Any]:
    if isinstance(loss, dict):
        config = loss.get("config") or {}
        name = config.get("name") or loss.get("class_name")
        return {
            "name": _snake(str(name)),
            "class": str(loss.get("class_name", "")),
            "from_logits": bool(config.get("from_logits", False)),
        }
    return {"name": _snake(str(loss)), "class": "", "from_logits": False}


def _name_of(item: Any) -> str:
    if isinstance(item, dict):
        config = item.get("config") or {}
        return str(config.get("name") or item.get("class_name", ""))
    return str(item)


def _class_of(item: Any) -> str:
    if isinstance(item, dict):
        return str(item.get("class_name", ""))
    return str(item)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, dict) and "class_name" not in value:  # per-output metrics
        return [m for v in value.values() for m in _as_list(v)]
    return list(value) if isinstance(value, list | tuple) else [value]


def _learning_rate(model: Any) -> float | None:
    try:
        return float(np.asarray(model.optimizer.learning_rate))
    except Exception:  # a schedule, or no optimizer
        return None


def _snake(name: str) -> str:
    out = []
    for i, char in enumerate(name):
        if char.isupper() and i and not name[i - 1].isupper():
            out.append("_")
        out.append(char.lower())
    return "".join(out)


def augment(keras: Any, function: Callable[..., Any], options: dict[str, Any]) -> dict[str, Any]:
    """Run the student's augmentation pipeline in training and in inference mode."""
    _seed(keras, int(options.get("seed", 0)))
    pipeline = function()
    if not callable(pipeline):
        return {"problem": "not_callable", "type": type(pipeline).__name__}
    images = np.asarray(options["images"], dtype="float32")
    sublayers = getattr(pipeline, "layers", None) or [pipeline]
    return {
        "layers": [type(layer).__name__ for layer in sublayers],
        "training": np.asarray(pipeline(images, training=True), dtype="float32"),
        "inference": np.asarray(pipeline(images, training=False), dtype="float32"),
    }
