"""Architecture rules on plain-data model summaries (no TensorFlow needed)."""

from __future__ import annotations

from typing import Any

import pytest

from grader.checks.architecture import Rules, check_architecture, layer_table

SOFTMAX = Rules("softmax", 10, 1_000_000)
SIGMOID = Rules("sigmoid", 1, 1_000_000)


def layer(cls: str, **settings: Any) -> dict[str, Any]:
    return {"class": cls, "output_shape": [None, 4], "params": 0, **settings}


def conv(activation: str = "linear") -> dict[str, Any]:
    return layer("Conv2D", activation=activation, filters=8, padding="same")


BLOCK = [conv(), layer("BatchNormalization", momentum=0.99), layer("Activation", activation="relu")]
HEAD = [
    layer("GlobalAveragePooling2D"),
    layer("Dense", activation="relu", units=32),
    layer("Dropout", rate=0.3),
]


def summary(layers: list[dict[str, Any]], outputs: int = 10, params: int = 1000) -> dict[str, Any]:
    return {"layers": layers, "output_shape": [None, outputs], "params": params}


def model(*middle: dict[str, Any], output: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    out = output or layer("Dense", activation="softmax", units=10)
    return [*BLOCK, layer("MaxPooling2D"), *middle, *HEAD, out]


def ids(problems: list[Any]) -> list[str]:
    return [p.id for p in problems]


def test_the_lecture_pattern_passes() -> None:
    assert check_architecture(summary(model()), SOFTMAX) == []


def test_variants_of_the_pattern_pass() -> None:
    """Two convs per block, ReLU layers, Flatten, no hidden dense, a separate Softmax layer,
    preprocessing first: all follow the pattern."""
    layers = [
        layer("Rescaling"),
        *BLOCK,
        conv(),
        layer("BatchNormalization"),
        layer("ReLU", activation="relu"),
        layer("MaxPooling2D"),
        *BLOCK,
        layer("AveragePooling2D"),
        layer("Flatten"),
        layer("Dense", activation="linear", units=10),
        layer("Softmax", activation="softmax"),
    ]
    assert check_architecture(summary(layers), SOFTMAX) == []


@pytest.mark.parametrize(
    ("layers", "mistake", "words"),
    [
        (
            [
                conv("relu"),
                *BLOCK[1:],
                layer("MaxPooling2D"),
                *HEAD,
                layer("Dense", activation="softmax", units=10),
            ],
            "activation_in_conv",
            "layer 1: the Conv2D applies activation='relu' itself",
        ),
        (
            [conv(), layer("Activation", activation="relu"), layer("BatchNormalization")],
            "activation_before_batchnorm",
            "layer 2: expected BatchNormalization after the Conv2D, found Activation('relu')",
        ),
        (
            [conv(), layer("BatchNormalization"), layer("MaxPooling2D")],
            "unexpected_pool_after_bn",
            "layer 3: expected an Activation('relu') after BatchNormalization, found MaxPooling2D",
        ),
        (
            model(output=layer("Dense", activation="linear", units=10)),
            "linear_output",
            "layer 8: the output Dense layer has no activation (linear)",
        ),
        (
            model(output=layer("Dense", activation="softmax", units=7)),
            "wrong_output_units",
            "the output layer has 7 units; it needs 10",
        ),
        (
            model(output=layer("Dense", activation="sigmoid", units=10)),
            "wrong_dense_activation",
            "the Dense layer uses 'sigmoid'",
        ),
        (
            [
                *BLOCK,
                layer("MaxPooling2D"),
                layer("Flatten"),
                layer("Dense", activation="relu", units=8),
                layer("Dense", activation="softmax", units=10),
            ],
            "unexpected_dense_after_dense_relu",
            "expected Dropout after the hidden Dense-ReLU layer, found Dense",
        ),
        (
            [*BLOCK, layer("Flatten")],
            "no_pooling",
            "layer 4: Flatten follows the convolutions, but no convolution block ends in a pooling",
        ),
        (
            [*BLOCK, layer("MaxPooling2D"), *BLOCK, layer("Flatten")],
            "unexpected_flatten_after_conv_relu",
            "layer 8: expected another Conv2D, or a pooling layer",
        ),
        (
            [*BLOCK, *BLOCK, layer("GlobalAveragePooling2D"), layer("Dense", activation="softmax")],
            "no_pooling",
            "layer 7: GlobalAveragePooling2D follows the convolutions, but no convolution block",
        ),
        (
            [*BLOCK, layer("Dropout", rate=0.2), layer("MaxPooling2D")],
            "unexpected_dropout_after_conv_relu",
            "layer 4: expected another Conv2D, or a pooling layer to end the block",
        ),
        (
            [*BLOCK, layer("MaxPooling2D"), layer("GlobalAveragePooling2D")],
            "no_output_layer",
            "the model ends after layer 5 (GlobalAveragePooling2D)",
        ),
        (
            [layer("Dense", activation="relu", units=8)],
            "unexpected_dense_after_start",
            "layer 1: expected a Conv2D",
        ),
    ],
)
def test_each_mistake_is_named_at_its_layer(
    layers: list[dict[str, Any]], mistake: str, words: str
) -> None:
    problems = check_architecture(summary(layers), SOFTMAX)
    assert ids(problems)[:1] == [mistake]
    assert words in problems[0].message


def test_binary_models_end_in_one_sigmoid_unit() -> None:
    good = model(output=layer("Dense", activation="sigmoid", units=1))
    assert check_architecture(summary(good, outputs=1), SIGMOID) == []
    two = model(output=layer("Dense", activation="softmax", units=2))
    problems = check_architecture(summary(two, outputs=2), SIGMOID)
    assert ids(problems) == ["wrong_dense_activation"]
    assert "Dense(1, activation='sigmoid')" in problems[0].message


def test_parameter_budget_and_output_shape() -> None:
    problems = check_architecture(summary(model(), params=2_000_000), SOFTMAX)
    assert ids(problems) == ["too_many_parameters"]
    assert "2,000,000 parameters" in problems[0].message
    wrong_shape = summary(model(), outputs=5)
    assert ids(check_architecture(wrong_shape, SOFTMAX)) == ["output_shape"]


def test_layer_table_lists_every_layer_with_its_settings() -> None:
    table = layer_table(summary(model(), params=1234))
    lines = table.splitlines()
    assert len(lines) == 1 + 8 + 1  # header, layers, total
    assert "momentum=0.99" in table and "rate=0.3" in table
    assert lines[-1] == "total: 1,234 parameters"


def test_a_fixed_input_shape_is_named_before_anything_else() -> None:
    fixed = {**summary(model()), "input_shape": [None, 8, 8, 1]}
    rules = Rules("softmax", 10, 1_000_000, (28, 28, 1))
    problems = check_architecture(fixed, rules)
    assert ids(problems) == ["wrong_input_shape"]
    assert "(None, 8, 8, 1)" in problems[0].message
    assert "28" not in problems[0].message  # a hidden case's input shape is not revealed
    asked = {**summary(model()), "input_shape": [None, 28, 28, 1]}
    assert check_architecture(asked, rules) == []


def test_missing_batchnorm_is_told_from_a_swapped_one() -> None:
    missing = [conv(), layer("Activation", activation="relu"), layer("MaxPooling2D")]
    swapped = [conv(), layer("Activation", activation="relu"), layer("BatchNormalization")]
    assert ids(check_architecture(summary(missing), SOFTMAX)) == ["missing_batchnorm"]
    assert ids(check_architecture(summary(swapped), SOFTMAX)) == ["activation_before_batchnorm"]


def test_a_relu_output_layer_is_named_as_the_output() -> None:
    relu_out = model(output=layer("Dense", activation="relu", units=10))
    problems = check_architecture(summary(relu_out), SOFTMAX)
    assert ids(problems) == ["wrong_output_activation"]
    assert problems[0].message.startswith("layer 8: the last layer uses 'relu'")


def test_a_hidden_dense_without_activation_is_named_at_its_own_layer() -> None:
    layers = [*BLOCK, layer("MaxPooling2D"), layer("Flatten"), layer("Dense", units=8)]
    layers += [layer("Dropout", rate=0.5), layer("Dense", activation="softmax", units=10)]
    problems = check_architecture(summary(layers), SOFTMAX)
    assert ids(problems) == ["linear_hidden_dense"]
    assert problems[0].message.startswith("layer 6: the Dense layer has no activation")


def lecture_model(classes: int = 10, output: str = "softmax") -> list[dict[str, Any]]:
    """The lecture's model as the sandbox describes it: four Conv2D-BN-ReLU units with
    pooling after the second, third and fourth, Dropout after the last pooling, global
    average pooling, Dense(128, relu), Dropout, Dense(classes, output)."""
    rows: list[dict[str, Any]] = []
    for number, filters in enumerate((32, 64, 128, 256)):
        rows += [
            layer("Conv2D", activation="linear", filters=filters, padding="same"),
            layer("BatchNormalization", momentum=0.95),
            layer("Activation", activation="relu"),
        ]
        if number:
            rows.append(layer("MaxPooling2D", pool_size=[2, 2]))
    return [
        *rows,
        layer("Dropout", rate=0.25),
        layer("GlobalAveragePooling2D"),
        layer("Dense", activation="relu", units=128),
        layer("Dropout", rate=0.5),
        layer("Dense", activation=output, units=classes),
    ]


def test_the_lecture_model_passes() -> None:
    """Does the lecture's own model (dropout after pooling) follow the pattern, for a softmax
    over the classes and as a binary classifier?"""
    assert check_architecture(summary(lecture_model()), SOFTMAX) == []
    binary = summary(lecture_model(1, "sigmoid"), outputs=1)
    assert check_architecture(binary, SIGMOID) == []


def pooled(*rest: dict[str, Any]) -> list[dict[str, Any]]:
    return [*BLOCK, *rest]


OUTPUT = layer("Dense", activation="softmax", units=10)
RELU_DENSE = layer("Dense", activation="relu", units=32)
GAP = layer("GlobalAveragePooling2D")


@pytest.mark.parametrize(
    "layers",
    [
        pooled(layer("AveragePooling2D"), GAP, OUTPUT),
        pooled(layer("MaxPooling2D"), layer("Dropout", rate=0.2), GAP, OUTPUT),
        pooled(layer("MaxPooling2D"), layer("SpatialDropout2D", rate=0.2), *BLOCK, GAP, OUTPUT),
        pooled(layer("MaxPooling2D"), GAP, layer("Dropout", rate=0.5), OUTPUT),
        pooled(layer("MaxPooling2D"), layer("Flatten"), layer("Dropout", rate=0.5), OUTPUT),
        pooled(layer("MaxPooling2D"), *BLOCK, GAP, OUTPUT),  # the last block closed by GAP
        pooled(layer("MaxPooling2D"), *BLOCK, layer("GlobalMaxPooling2D"), OUTPUT),
        pooled(
            layer("MaxPooling2D"),
            GAP,
            layer("Dense", activation="linear", units=32),
            layer("BatchNormalization"),
            layer("ReLU", activation="relu"),
            layer("Dropout", rate=0.5),
            layer("Dense", activation="linear", units=10),
            layer("Activation", activation="softmax"),
        ),
        pooled(
            layer("MaxPooling2D"),
            GAP,
            RELU_DENSE,
            layer("Dropout"),
            RELU_DENSE,
            layer("Dropout"),
            OUTPUT,
        ),
    ],
    ids=[
        "average-pooling",
        "dropout-after-pooling",
        "spatial-dropout-between-blocks",
        "dropout-after-global-pooling",
        "dropout-after-flatten",
        "global-pooling-closes-last-block",
        "global-max-pooling",
        "dense-batchnorm-relu-layer-and-softmax-layer",
        "two-hidden-dense",
    ],
)
def test_the_family_the_lecture_teaches_passes(layers: list[dict[str, Any]]) -> None:
    """Do the variants the lecture teaches (any pooling closing a block, dropout after
    pooling or global pooling, activations as layers) pass?"""
    assert check_architecture(summary(layers), SOFTMAX) == []
