"""Architecture checks for Keras models, on the plain-data summary the sandbox sends back.

The lecture's pattern for an image classifier, and the family of models it teaches:

    [(Conv2D -> BatchNormalization -> ReLU)+ -> Pooling -> Dropout?]+
        -> (GlobalAveragePooling2D | GlobalMaxPooling2D | Flatten) -> Dropout?
        -> (Dense -> [BatchNormalization ->] ReLU -> Dropout)*
        -> Dense output (softmax over the classes, or one sigmoid unit for a binary classifier)

- A block is one or more Conv2D -> BatchNormalization -> ReLU units, closed by a pooling layer
  (MaxPooling2D or AveragePooling2D). The last block may be closed by the global pooling
  itself (GlobalAveragePooling2D / GlobalMaxPooling2D straight after it), but at least one
  block must end in MaxPooling2D or AveragePooling2D: a model that never pools is a mistake.
- Dropout (or SpatialDropout2D) may follow a pooling layer, the global pooling or Flatten,
  and must follow each hidden Dense-ReLU layer.
- ReLU is Activation('relu'), layers.ReLU(), or activation='relu' in a Dense layer; the
  output activation is activation='softmax' / 'sigmoid' in the last Dense, or a separate
  Activation / Softmax layer after it. Input layers and preprocessing layers (Rescaling,
  Random*) before the first convolution are allowed, in Sequential or functional models.
- Mistakes named: an activation inside the Conv2D or before BatchNormalization, no
  BatchNormalization, no pooling, a hidden Dense without ReLU or without Dropout after it,
  a linear or ReLU output, the wrong output activation or number of units, an input shape
  fixed instead of taken from the argument, too many parameters.

Each layer becomes one or two *steps* (a Dense or Conv2D with a built-in activation is two: the
layer, then its activation), and a small state machine walks the steps. The first step that
breaks the pattern is reported with its layer number and what was expected there:
"layer 3: expected an Activation('relu') after BatchNormalization, found MaxPooling2D".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CONV = {"Conv2D", "SeparableConv2D", "DepthwiseConv2D"}
POOL = {"MaxPooling2D", "AveragePooling2D"}
GLOBAL = {"GlobalAveragePooling2D", "GlobalMaxPooling2D"}
ACTIVATION_LAYERS = {"Activation", "ReLU", "Softmax", "LeakyReLU", "ELU", "PReLU"}
DROPOUT = {"Dropout", "SpatialDropout2D"}
PREPROCESSING_PREFIXES = ("Random", "Rescaling", "Normalization", "Resizing", "CenterCrop")

# What each state of the walk accepts next, and how feedback says it.
EXPECTED = {
    "start": "a Conv2D: the first convolution block starts with one",
    "conv": "BatchNormalization after the Conv2D (the pattern is Conv2D -> BatchNormalization "
    "-> ReLU)",
    "bn": "an Activation('relu') after BatchNormalization",
    "conv_relu": "another Conv2D, or a pooling layer to end the block (MaxPooling2D or "
    "AveragePooling2D; GlobalAveragePooling2D after the last block)",
    "pool": "another Conv2D block, Dropout, or GlobalAveragePooling2D / Flatten before the "
    "dense layers",
    "pool_dropout": "another Conv2D block, or GlobalAveragePooling2D / Flatten before the "
    "dense layers",
    "features_dropout": "a Dense layer",
    "dense": "an activation for the Dense layer: 'relu' for a hidden layer, or the output "
    "activation",
    "dense_bn": "an Activation('relu') after BatchNormalization",
    "dense_relu": "Dropout after the hidden Dense-ReLU layer",
    "dropout": "a Dense layer",
    "done": "nothing: the output layer must be the last layer",
}
# The walk's moves that do not depend on the rules: (state, step kind) -> next state.
MOVES = {
    ("start", "pre"): "start",
    ("start", "conv"): "conv",
    ("conv", "bn"): "bn",
    ("conv_relu", "conv"): "conv",
    ("conv_relu", "pool"): "pool",
    ("pool", "conv"): "conv",
    ("pool", "dropout"): "pool_dropout",
    ("pool", "global"): "features",
    ("pool", "flatten"): "features",
    ("pool_dropout", "conv"): "conv",
    ("pool_dropout", "global"): "features",
    ("pool_dropout", "flatten"): "features",
    ("features", "dropout"): "features_dropout",
    ("features", "dense"): "dense",
    ("features_dropout", "dense"): "dense",
    ("dense", "bn"): "dense_bn",
    ("dense_relu", "dropout"): "dropout",
    ("dropout", "dense"): "dense",
}
RELU_AFTER = {"bn": "conv_relu", "dense_bn": "dense_relu", "dense": "dense_relu"}


@dataclass(frozen=True)
class Step:
    """One step of the pattern: a layer, or the activation built into a layer."""

    layer: int  # 1-based, as feedback counts layers
    kind: str  # conv, bn, act, pool, global, flatten, dense, dropout, pre, other
    name: str  # how feedback names it: "MaxPooling2D", "Activation('relu')"
    activation: str | None = None
    fused: bool = False  # an activation built into a Conv2D or Dense layer
    units: int | None = None


@dataclass(frozen=True)
class Problem:
    """One way the model breaks the rules: an id (for counting mistakes) and what to say."""

    id: str
    message: str


@dataclass(frozen=True)
class Rules:
    """What the spec requires of a model."""

    output: str = "softmax"  # or "sigmoid" (one unit, binary classification)
    num_outputs: int = 10
    max_params: int = 1_000_000
    input_shape: tuple[int, ...] | None = None  # what the function was asked to build for


def check_architecture(summary: dict[str, Any], rules: Rules) -> list[Problem]:
    """Problems with the model, most important first; empty when it follows the pattern."""
    own = summary.get("input_shape")
    if rules.input_shape is not None and own is not None and own[1:] != list(rules.input_shape):
        message = (  # the asked-for shape is not named: hidden cases' inputs stay hidden
            f"the model's input shape is fixed at {_shape(own)} and does not follow the "
            "input_shape argument: build the input from it, keras.Input(shape=input_shape)"
        )
        return [Problem("wrong_input_shape", message)]
    problems = _pattern_problems(_steps(summary.get("layers", [])), rules)
    expected_shape = [None, rules.num_outputs]
    if list(summary.get("output_shape", [])) != expected_shape and not problems:
        message = (
            f"the model's output shape is {_shape(summary.get('output_shape'))}; expected "
            f"{_shape(expected_shape)} (one output per {_what_outputs(rules)})"
        )
        problems.append(Problem("output_shape", message))
    params = int(summary.get("params", 0))
    if params > rules.max_params:
        message = (
            f"the model has {params:,} parameters, more than the budget of "
            f"{rules.max_params:,}: use fewer filters or units, or GlobalAveragePooling2D "
            "instead of Flatten"
        )
        problems.append(Problem("too_many_parameters", message))
    return problems


def _steps(layers: list[dict[str, Any]]) -> list[Step]:
    steps = []
    for number, row in enumerate(layers, start=1):
        cls = str(row.get("class", ""))
        activation = row.get("activation")
        if cls in CONV or cls == "Dense":
            kind = "conv" if cls in CONV else "dense"
            steps.append(Step(number, kind, cls, units=row.get("units")))
            if activation not in (None, "linear"):
                steps.append(
                    Step(number, "act", f"{cls}(activation='{activation}')", activation, True)
                )
        elif cls in ACTIVATION_LAYERS:
            shown = f"Activation('{activation}')" if cls == "Activation" else cls
            steps.append(Step(number, "act", shown, activation))
        elif cls == "BatchNormalization":
            steps.append(Step(number, "bn", cls))
        elif cls in POOL:
            steps.append(Step(number, "pool", cls))
        elif cls in GLOBAL:
            steps.append(Step(number, "global", cls))
        elif cls == "Flatten":
            steps.append(Step(number, "flatten", cls))
        elif cls in DROPOUT:
            steps.append(Step(number, "dropout", cls))
        elif cls.startswith(PREPROCESSING_PREFIXES):
            steps.append(Step(number, "pre", cls))
        else:
            steps.append(Step(number, "other", cls))
    return steps


@dataclass(frozen=True)
class _Walk:
    """Where the walk over the steps is: the state, whether a block has ended in a pooling
    layer yet, and the units of the last Dense layer."""

    state: str = "start"
    pooled: bool = False
    dense_units: int | None = None


def _pattern_problems(steps: list[Step], rules: Rules) -> list[Problem]:
    walk = _Walk()
    for index, step in enumerate(steps):
        following = steps[index + 1] if index + 1 < len(steps) else None
        special = _special_message(walk, step, rules, following)
        if special:
            return [Problem(*special)]
        state = _transition(walk, step, rules)
        if state is None:
            expected = _expected(walk.state, rules)
            message = f"layer {step.layer}: expected {expected}, found {step.name}"
            return [Problem(f"unexpected_{step.kind}_after_{walk.state}", message)]
        walk = _Walk(
            state,
            walk.pooled or step.kind == "pool",
            step.units if step.kind == "dense" else walk.dense_units,
        )
    return _ending_problems(walk.state, steps, rules)


def _ending_problems(state: str, steps: list[Step], rules: Rules) -> list[Problem]:
    """What is wrong with how the model ends (nothing when it ends with its output layer)."""
    if state == "dense_relu":  # ends with a Dense-ReLU: no output layer
        message = (
            f"layer {steps[-1].layer}: the last layer uses 'relu'; the output layer "
            f"{_output_phrase(rules)}"
        )
        return [Problem("wrong_output_activation", message)]
    if state == "dense":  # ends with a Dense layer that has no activation
        message = (
            f"layer {steps[-1].layer}: the output Dense layer has no activation (linear); the "
            f"output layer {_output_phrase(rules)}"
        )
        return [Problem("linear_output", message)]
    if state != "done":
        last = steps[-1] if steps else None
        where = f"the model ends after layer {last.layer} ({last.name})" if last else "no layers"
        return [Problem("no_output_layer", f"{where}; expected {_expected(state, rules)}")]
    return []


def _transition(walk: _Walk, step: Step, rules: Rules) -> str | None:
    """The next state, or None when the step breaks the pattern."""
    if step.kind == "act":
        if step.activation == "relu" and walk.state in RELU_AFTER:
            return RELU_AFTER[walk.state]
        return "done" if walk.state == "dense" and step.activation == rules.output else None
    if walk.state == "conv_relu" and step.kind == "global" and walk.pooled:
        return "features"  # the global pooling closes the last block
    return MOVES.get((walk.state, step.kind))


def _special_message(
    walk: _Walk, step: Step, rules: Rules, following: Step | None
) -> tuple[str, str] | None:
    """Known mistakes that deserve more than "expected X, found Y", as (id, message)."""
    state, at = walk.state, f"layer {step.layer}"
    if state == "conv" and step.kind == "act":
        return _activation_before_batchnorm(at, step, following)
    if state == "conv_relu" and step.kind in ("global", "flatten") and not walk.pooled:
        return "no_pooling", (
            f"{at}: {step.name} follows the convolutions, but no convolution block ends in a "
            "pooling layer: close a block with MaxPooling2D (or AveragePooling2D) so that the "
            "model downsamples between blocks, as in the lecture's pattern"
        )
    if state == "dense" and step.kind == "act" and step.activation not in ("relu", rules.output):
        return "wrong_dense_activation", (
            f"{at}: the Dense layer uses '{step.activation}'; a hidden Dense layer uses 'relu' "
            f"and the output layer {_output_phrase(rules)}"
        )
    output = state == "dense" and step.kind == "act" and step.activation == rules.output
    if output and walk.dense_units != rules.num_outputs:
        return "wrong_output_units", (
            f"{at}: the output layer has {walk.dense_units} units; it needs "
            f"{rules.num_outputs} (one per {_what_outputs(rules)})"
            + (": use Dense(num_classes, ...)" if rules.output == "softmax" else "")
        )
    if state == "dense" and step.kind not in ("act", "bn"):
        return "linear_hidden_dense", (
            f"layer {step.layer - 1}: the Dense layer has no activation (linear) and is not the "
            f"last layer: add activation='relu' to a hidden Dense layer; the output layer "
            f"{_output_phrase(rules)}"
        )
    return None


def _activation_before_batchnorm(at: str, step: Step, following: Step | None) -> tuple[str, str]:
    """An activation straight after a Conv2D: inside it, before BatchNormalization, or with
    no BatchNormalization at all."""
    if step.fused:
        return "activation_in_conv", (
            f"{at}: the Conv2D applies activation='{step.activation}' itself, before "
            "BatchNormalization; the pattern is Conv2D (no activation) -> BatchNormalization -> "
            "ReLU: remove the activation from the Conv2D and add Activation('relu') after the "
            "BatchNormalization"
        )
    if following is not None and following.kind == "bn":
        return "activation_before_batchnorm", (
            f"{at}: expected BatchNormalization after the Conv2D, found {step.name}: the pattern "
            "normalizes before the activation (Conv2D -> BatchNormalization -> ReLU)"
        )
    return "missing_batchnorm", (
        f"{at}: expected BatchNormalization after the Conv2D, found {step.name}: each "
        "convolution block is Conv2D -> BatchNormalization -> ReLU"
    )


def _expected(state: str, rules: Rules) -> str:
    if state in ("features_dropout", "dropout"):
        return f"a Dense layer (the output layer {_output_phrase(rules)})"
    if state == "features":
        return f"Dropout or a Dense layer (the output layer {_output_phrase(rules)})"
    if state == "dense":
        return f"an activation for the Dense layer: the output layer {_output_phrase(rules)}"
    return EXPECTED[state]


def _output_phrase(rules: Rules) -> str:
    if rules.output == "sigmoid":
        return "is Dense(1, activation='sigmoid') for a binary classifier"
    return "is Dense(num_classes, activation='softmax') so that the outputs are probabilities"


def _what_outputs(rules: Rules) -> str:
    return "image: the probability of the positive class" if rules.output == "sigmoid" else "class"


def _shape(shape: Any) -> str:
    if not isinstance(shape, list | tuple):
        return str(shape)
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def layer_table(summary: dict[str, Any]) -> str:
    """The model layer by layer, as feedback shows it (Keras 3 has no per-layer
    `output_shape`, so the sandbox computes shapes itself)."""
    rows = [("#", "layer", "output shape", "params", "settings")]
    for number, row in enumerate(summary.get("layers", []), start=1):
        rows.append(
            (
                str(number),
                str(row.get("class", "?")),
                _shape(row.get("output_shape")),
                f"{int(row.get('params', 0)):,}",
                " ".join(_settings(row)),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(r[i].ljust(widths[i]) for i in range(4)) + "  " + r[4] for r in rows]
    lines.append(f"total: {int(summary.get('params', 0)):,} parameters")
    return "\n".join(line.rstrip() for line in lines)


def _settings(row: dict[str, Any]) -> list[str]:
    """The settings worth reading, compactly: defaults (stride 1, 'valid' padding, a stride
    equal to the pool size, a linear activation) are left out."""
    shown = []
    for key in (
        "activation",
        "filters",
        "units",
        "kernel_size",
        "pool_size",
        "strides",
        "padding",
        "rate",
        "momentum",
    ):
        value = row.get(key)
        if value is None or (key, value) in (("activation", "linear"), ("padding", "valid")):
            continue
        if key == "strides" and (set(value) == {1} or value == row.get("pool_size")):
            continue
        shown.append(f"{key}={value!r}" if isinstance(value, str) else f"{key}={_setting(value)}")
    return shown


def _setting(value: Any) -> str:
    if isinstance(value, list):
        return "x".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
