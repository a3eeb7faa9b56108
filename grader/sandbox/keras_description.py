"""Sandbox-side: a Keras model described in plain data: its layers (for the architecture
checks), what it was compiled with (loss, metrics, optimizer), the device it trains on. Used
by `keras_probe`.

Imports nothing from the grader (loaded by path, like every sandbox-side module); needs numpy
only, and Keras through the objects it is handed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

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


def describe_compile(keras: Any, model: Any, options: dict[str, Any]) -> dict[str, Any]:
    """The compiled model's loss (checked on `options["loss_check"]`), metrics, optimizer and
    learning rate."""
    given = _compile_arguments(model)
    check = options.get("loss_check") or {}
    return {
        "loss": describe_loss(keras, _first(given.get("loss")), check),
        "metrics": [describe_metric(m) for m in _as_list(given.get("metrics"))],
        "optimizer": type(model.optimizer).__name__ if model.optimizer is not None else "?",
        "learning_rate": _learning_rate(model),
    }


def _compile_arguments(model: Any) -> dict[str, Any]:
    """The loss and metrics as the student passed them to model.compile (not serialized:
    a lambda or the student's own function cannot be)."""
    config = getattr(getattr(model, "_compile_config", None), "config", None)
    if isinstance(config, dict):
        return config
    metrics = getattr(getattr(model, "_compile_metrics", None), "_user_metrics", None)
    return {"loss": getattr(model, "loss", None), "metrics": metrics}


def describe_loss(keras: Any, loss: Any, check: dict[str, Any]) -> dict[str, Any]:
    """The loss's canonical name (aliases resolved: 'mse' is mean_squared_error, an object
    is named by the function it wraps), whether it takes logits, whether Keras defines it
    (else it is the student's own), and its mean value on `check["y_true"]` and
    `check["y_pred"]` (None when it cannot be computed)."""
    if loss is None:  # compiled without a loss
        return {"name": "", "from_logits": False, "builtin": False, "value": None}
    resolved = loss
    if isinstance(loss, str):
        try:
            resolved = keras.losses.get(loss)
        except Exception:  # not a loss Keras knows: named as written
            return {"name": _snake(loss), "from_logits": False, "builtin": False, "value": None}
    wrapped = getattr(resolved, "fn", None)
    function = wrapped if callable(wrapped) else resolved
    if hasattr(function, "__name__"):
        name = str(function.__name__)
    else:
        name = _snake(type(resolved).__name__)
    from_logits = getattr(resolved, "from_logits", None)
    if from_logits is None:
        from_logits = (getattr(resolved, "_fn_kwargs", None) or {}).get("from_logits", False)
    return {
        "name": name,
        "from_logits": bool(from_logits),
        "builtin": _defined_by_keras(function),
        "value": _loss_value(resolved, check),
    }


def _defined_by_keras(item: Any) -> bool:
    module = getattr(item, "__module__", None) or type(item).__module__
    return str(module).split(".")[0] in ("keras", "tensorflow", "tf_keras")


def _loss_value(loss: Any, check: dict[str, Any]) -> float | None:
    if not callable(loss) or "y_true" not in check:
        return None
    y_true = np.asarray(check["y_true"], dtype="float32")
    y_pred = np.asarray(check["y_pred"], dtype="float32")
    try:  # the student's own loss function may raise: then it is not identified by value
        value = float(np.mean(np.asarray(loss(y_true, y_pred))))
    except Exception:
        return None
    return value if np.isfinite(value) else None


def describe_metric(metric: Any) -> dict[str, str]:
    """A metric's name (an object is named by the function it computes: CategoricalAccuracy()
    is categorical_accuracy, Accuracy() is accuracy) and how it was given: 'string' (Keras
    chooses the computation, as for 'accuracy'), 'function' or 'object'."""
    if isinstance(metric, str):
        return {"name": metric, "given": "string"}
    wrapped = getattr(metric, "_fn", None)
    if callable(wrapped) and hasattr(wrapped, "__name__"):
        return {"name": str(wrapped.__name__), "given": "object"}
    if hasattr(metric, "__name__"):
        return {"name": str(metric.__name__), "given": "function"}
    return {"name": _snake(type(metric).__name__), "given": "object"}


def _first(value: Any) -> Any:
    """The loss of the first output (a model with one output has one)."""
    if isinstance(value, dict) and value:
        return next(iter(value.values()))
    if isinstance(value, list | tuple) and value:
        return value[0]
    return value


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, dict):  # metrics per output
        return [m for v in value.values() for m in _as_list(v)]
    if isinstance(value, list | tuple):
        return [m for v in value for m in _as_list(v)]
    return [value]


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


def input_shape(model: Any) -> list[int | None] | None:
    try:
        return [None if d is None else int(d) for d in model.inputs[0].shape]
    except Exception:  # a subclassed model without a graph
        return None


def flat_layers(keras: Any, model: Any) -> list[Any]:
    """The model's layers in order, nested models expanded, input layers left out."""
    layers = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            layers += flat_layers(keras, layer)
        elif type(layer).__name__ != "InputLayer":
            layers.append(layer)
    return layers


def describe_layer(layer: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": str(layer.name),
        "class": type(layer).__name__,
        "output_shape": output_shape(layer),
        "params": int(layer.count_params()) if layer.built else 0,
        "activation": activation(layer),
    }
    for field in LAYER_FIELDS:
        value = getattr(layer, field, None)
        if isinstance(value, bool | int | float | str):
            row[field] = value
        elif isinstance(value, tuple | list) and all(isinstance(v, int) for v in value):
            row[field] = list(value)
    return row


def output_shape(layer: Any) -> list[int | None] | None:
    try:
        return [None if d is None else int(d) for d in layer.output.shape]
    except Exception:  # a layer used twice, or a subclassed model without a graph
        return None


def activation(layer: Any) -> str | None:
    """'relu', 'softmax', 'linear'... for layers that apply one (fused or on their own)."""
    fixed = {"ReLU": "relu", "Softmax": "softmax", "LeakyReLU": "leaky_relu", "ELU": "elu"}
    if type(layer).__name__ in fixed:
        return fixed[type(layer).__name__]
    activation = getattr(layer, "activation", None)
    if activation is None:
        return None
    return str(getattr(activation, "__name__", type(activation).__name__))


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
