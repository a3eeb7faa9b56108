"""Reference solution and known mistakes for `param_counts` (grader side only).

Counting the parameters of dense and convolutional layers and the output shape of a
convolution. Conventions: images are (m, n_H, n_W, n_C); conv filters W are
(f, f, n_C_prev, n_C) with one bias per filter. Every result is a Python int (or a tuple of
ints / a list of ints), so comparisons are exact.

`network_params` takes `dense_layer_params` as a keyword-only injectable helper, so a wrong
`dense_layer_params` costs its own points only. The two named answers `lecture_conv_params`
and `lecture_output_shape` are module attributes: the grader reads the notebook variables of
the same names (tasks of kind "variable").
"""

from __future__ import annotations

import math

from grader.spec.model import Mistake


def dense_layer_params(n_in, n_out):
    """Number of trainable parameters of a fully connected layer.

    The layer has a weight matrix W of shape (n_out, n_in) and a bias vector b of shape
    (n_out, 1).

    Args:
        n_in: number of units of the previous layer (int).
        n_out: number of units of this layer (int).

    Returns:
        The number of weights plus the number of biases, an int.
    """
    return int(n_in * n_out + n_out)


def network_params(layer_dims, *, dense_layer_params=dense_layer_params):
    """Number of parameters of every layer of a fully connected network.

    Args:
        layer_dims: list of layer sizes [n_x, n_1, ..., n_L]; layer_dims[0] is the input,
            which has no parameters.

    Returns:
        A list of L ints: entry l - 1 is the number of parameters (weights and biases) of
        layer l, for l = 1, ..., L. For example [n, 3, 2, 1] gives [3n + 3, 8, 3].
    """
    return [
        int(dense_layer_params(layer_dims[l - 1], layer_dims[l])) for l in range(1, len(layer_dims))
    ]


def conv_layer_params(f, n_C_prev, n_filters):
    """Number of trainable parameters of a convolutional layer.

    The layer has n_filters filters, each of shape (f, f, n_C_prev), so W has shape
    (f, f, n_C_prev, n_filters), and one bias per filter.

    Args:
        f: filter size (int); the filters are f x f.
        n_C_prev: number of channels of the input (int).
        n_filters: number of filters, which is the number of output channels (int).

    Returns:
        The number of weights plus the number of biases, an int.
    """
    return int((f * f * n_C_prev + 1) * n_filters)


def conv_output_shape(input_shape, f, n_filters, stride=1, pad=0):
    """Shape of the output volume of a convolutional layer (for one example).

    n_H = floor((n_H_prev + 2 * pad - f) / stride) + 1, and the same for n_W.

    Args:
        input_shape: (n_H_prev, n_W_prev, n_C_prev), the shape of one input image.
        f: filter size (int).
        n_filters: number of filters (int).
        stride: the stride (int).
        pad: the amount of zero padding on each side (int).

    Returns:
        (n_H, n_W, n_C), a tuple of three ints.
    """
    n_H_prev, n_W_prev, _ = input_shape
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1
    return (int(n_H), int(n_W), int(n_filters))


# The lecture's question: a 32x32x3 image, six 5x5x3 filters, stride 1, no padding.
lecture_conv_params = 456
lecture_output_shape = (28, 28, 6)


# --- Known mistakes --------------------------------------------------------------------------


def _dense_without_biases(n_in, n_out):
    return n_in * n_out


def _dense_bias_per_input(n_in, n_out):
    return n_in * n_out + n_in


def _dense_both_biases(n_in, n_out):
    return (n_in + 1) * (n_out + 1)


def _network(count, first=1, stop=0):
    """A `network_params` that counts each layer with `count` over l = first .. L - stop."""

    def variant(layer_dims, *, dense_layer_params=dense_layer_params):
        return [
            count(layer_dims[l - 1], layer_dims[l]) for l in range(first, len(layer_dims) - stop)
        ]

    return variant


def _network_total(layer_dims, *, dense_layer_params=dense_layer_params):
    return sum(network_params(layer_dims))


def _conv_variant(weights, biases):
    def variant(f, n_C_prev, n_filters):
        return weights(f, n_C_prev) * n_filters + biases(n_C_prev, n_filters)

    return variant


def _output_variant(size, depth="filters", swap=False):
    """A `conv_output_shape` computing each spatial size with `size(n, f, stride, pad)`."""

    def variant(input_shape, f, n_filters, stride=1, pad=0):
        n_H_prev, n_W_prev, n_C_prev = input_shape
        n_H, n_W = size(n_H_prev, f, stride, pad), size(n_W_prev, f, stride, pad)
        if swap:
            n_H, n_W = n_W, n_H
        return (n_H, n_W, n_filters if depth == "filters" else n_C_prev)

    return variant


def _floor_size(n, f, stride, pad):
    return (n + 2 * pad - f) // stride + 1


MISTAKES: list[Mistake] = [
    Mistake(
        "dense_layer_params",
        "forgot_biases",
        "You counted only the weights. Each of the n_out units also has a bias: "
        "n_in * n_out + n_out.",
        _dense_without_biases,
    ),
    Mistake(
        "dense_layer_params",
        "bias_per_input",
        "You counted one bias per input unit (n_in * n_out + n_in). b has shape (n_out, 1): "
        "one bias per unit of this layer, so add n_out.",
        _dense_bias_per_input,
    ),
    Mistake(
        "dense_layer_params",
        "both_sides_plus_one",
        "You computed (n_in + 1) * (n_out + 1). Only the input side gets the extra 1 (the "
        "bias acts like a weight on a constant input): (n_in + 1) * n_out.",
        _dense_both_biases,
    ),
    Mistake(
        "network_params",
        "forgot_biases",
        "Your counts leave out the biases: layer l has n_{l-1} * n_l weights and n_l biases.",
        _network(_dense_without_biases),
    ),
    Mistake(
        "network_params",
        "bias_per_input",
        "Your counts give each layer n_{l-1} biases. Layer l has one bias per unit, n_l: "
        "n_{l-1} * n_l + n_l.",
        _network(_dense_bias_per_input),
    ),
    Mistake(
        "network_params",
        "counts_input_layer",
        "Your list has one entry too many: you loop from l = 0, so layer_dims[l - 1] wraps "
        "around to the last layer. The input layer has no parameters: loop over "
        "range(1, len(layer_dims)).",
        _network(lambda a, b: a * b + b, first=0),
    ),
    Mistake(
        "network_params",
        "misses_last_layer",
        "Your list misses the output layer: loop over range(1, len(layer_dims)), which "
        "includes l = L = len(layer_dims) - 1.",
        _network(lambda a, b: a * b + b, stop=1),
    ),
    Mistake(
        "network_params",
        "returns_total",
        "You return the total number of parameters. Return a list with one count per layer "
        "(layers 1 to L); the total would be sum() of that list.",
        _network_total,
    ),
    Mistake(
        "conv_layer_params",
        "forgot_biases",
        "You counted only the weights f * f * n_C_prev * n_filters. Each filter also has one "
        "bias: (f * f * n_C_prev + 1) * n_filters.",
        _conv_variant(lambda f, c: f * f * c, lambda c, n: 0),
    ),
    Mistake(
        "conv_layer_params",
        "bias_per_channel",
        "You counted one bias per input channel of each filter. A filter has a single bias, "
        "whatever its depth: (f * f * n_C_prev + 1) * n_filters.",
        _conv_variant(lambda f, c: (f * f + 1) * c, lambda c, n: 0),
    ),
    Mistake(
        "conv_layer_params",
        "forgot_input_channels",
        "Your filters have no depth: each filter is f x f x n_C_prev (it spans all input "
        "channels), so it has f * f * n_C_prev weights: (f * f * n_C_prev + 1) * n_filters.",
        _conv_variant(lambda f, c: f * f + 1, lambda c, n: 0),
    ),
    Mistake(
        "conv_layer_params",
        "counted_one_filter",
        "You counted the parameters of a single filter. The layer has n_filters of them: "
        "multiply by n_filters.",
        lambda f, n_C_prev, n_filters: f * f * n_C_prev + 1,
    ),
    Mistake(
        "conv_layer_params",
        "f_not_squared",
        "You used f instead of f * f: a filter is f x f x n_C_prev, so it has "
        "f * f * n_C_prev weights.",
        _conv_variant(lambda f, c: f * c + 1, lambda c, n: 0),
    ),
    Mistake(
        "conv_output_shape",
        "stride_ignored",
        "Your sizes ignore the stride. Divide by it: n_H = (n_H_prev + 2 * pad - f) // "
        "stride + 1 (the same for n_W).",
        _output_variant(lambda n, f, s, p: n + 2 * p - f + 1),
    ),
    Mistake(
        "conv_output_shape",
        "pad_not_doubled",
        "You added pad once. The padding goes on both sides, so add 2 * pad: "
        "n_H = (n_H_prev + 2 * pad - f) // stride + 1.",
        _output_variant(lambda n, f, s, p: (n + p - f) // s + 1),
    ),
    Mistake(
        "conv_output_shape",
        "pad_ignored",
        "Your sizes ignore the padding: n_H = (n_H_prev + 2 * pad - f) // stride + 1.",
        _output_variant(lambda n, f, s, p: (n - f) // s + 1),
    ),
    Mistake(
        "conv_output_shape",
        "ceil_instead_of_floor",
        "You rounded up. A filter position must fit inside the padded input, so round down: "
        "n_H = (n_H_prev + 2 * pad - f) // stride + 1 (floor, not ceil).",
        _output_variant(lambda n, f, s, p: math.ceil((n + 2 * p - f) / s) + 1),
    ),
    Mistake(
        "conv_output_shape",
        "true_division",
        "Your sizes are not whole numbers: / gives a fraction. Use floor division: "
        "n_H = (n_H_prev + 2 * pad - f) // stride + 1.",
        _output_variant(lambda n, f, s, p: (n + 2 * p - f) / s + 1),
    ),
    Mistake(
        "conv_output_shape",
        "forgot_plus_one",
        "Your sizes are one too small: count the first filter position too, "
        "n_H = (n_H_prev + 2 * pad - f) // stride + 1.",
        _output_variant(lambda n, f, s, p: (n + 2 * p - f) // s),
    ),
    Mistake(
        "conv_output_shape",
        "height_width_swapped",
        "Your n_H and n_W are swapped: n_H comes from n_H_prev = input_shape[0] and n_W from "
        "n_W_prev = input_shape[1]; return (n_H, n_W, n_C).",
        _output_variant(_floor_size, swap=True),
    ),
    Mistake(
        "conv_output_shape",
        "depth_from_input",
        "Your output depth is the input's n_C_prev. Each filter gives one output channel, so "
        "n_C = n_filters.",
        _output_variant(_floor_size, depth="input"),
    ),
    Mistake(
        "lecture_conv_params",
        "forgot_biases",
        "450 counts only the weights (5 * 5 * 3 * 6). Each of the six filters also has one bias.",
        variant=lambda: 450,
    ),
    Mistake(
        "lecture_conv_params",
        "forgot_input_channels",
        "156 = (5 * 5 + 1) * 6 treats the filters as flat 5x5. Each filter is 5x5x3: it "
        "spans all 3 input channels.",
        variant=lambda: 156,
    ),
    Mistake(
        "lecture_conv_params",
        "counted_one_filter",
        "76 = 5 * 5 * 3 + 1 is the count of one filter. The layer has six filters.",
        variant=lambda: 76,
    ),
    Mistake(
        "lecture_conv_params",
        "bias_per_channel",
        "468 = (5 * 5 + 1) * 3 * 6 gives each filter one bias per input channel. A filter "
        "has a single bias.",
        variant=lambda: 468,
    ),
    Mistake(
        "lecture_output_shape",
        "forgot_plus_one",
        "(27, 27, 6) uses 32 - 5 without the + 1: a 5-wide filter fits in 32 - 5 + 1 = 28 "
        "positions along each side.",
        variant=lambda: (27, 27, 6),
    ),
    Mistake(
        "lecture_output_shape",
        "kept_input_depth",
        "(28, 28, 3) keeps the input's depth. Each of the six filters gives one output "
        "channel, so the depth is 6.",
        variant=lambda: (28, 28, 3),
    ),
    Mistake(
        "lecture_output_shape",
        "depth_missing",
        "Your answer has only the height and width. Give all three: (n_H, n_W, n_C).",
        variant=lambda: (28, 28),
    ),
]
