"""Write the scenario notebooks of `param_counts`.

    .venv/bin/python tests/scenarios/build_param_counts.py

One correct, course-style notebook (formulas, a tuple shape, the named answers computed with
the student's own functions); every scenario is that notebook with one change: a function or
the answers cell patched to make one known mistake, or replaced by a correct one in another
style (loops, a list shape, answers typed in as numbers). `expected.toml` says how each should
be graded (maintained by hand, never written here). The output is deterministic (fixed cell
ids), so rerunning the script leaves git clean.
"""

from __future__ import annotations

from pathlib import Path

from scenario_kit import (
    Scenario,
    main,
    patch,
    patches,
    write_assignment,
)

ASSIGNMENT = "param_counts"
ANSWERS = "answers"  # the cell with the two named answers, patched like a function


def graded(name: str, body: str) -> str:
    """A graded cell: the course's marker comment, then the function."""
    return f"# GRADED FUNCTION: {name}\n\n{body}"


CORRECT = {
    "dense_layer_params": graded(
        "dense_layer_params",
        '''\
def dense_layer_params(n_in, n_out):
    """Weights (n_out, n_in) plus biases (n_out, 1)"""
    return n_in * n_out + n_out
''',
    ),
    "network_params": graded(
        "network_params",
        '''\
def network_params(layer_dims):
    """One count per layer 1..L"""
    counts = []
    for l in range(1, len(layer_dims)):
        counts.append(dense_layer_params(layer_dims[l - 1], layer_dims[l]))
    return counts
''',
    ),
    "conv_layer_params": graded(
        "conv_layer_params",
        '''\
def conv_layer_params(f, n_C_prev, n_filters):
    """Each filter is f x f x n_C_prev, plus one bias"""
    return (f * f * n_C_prev + 1) * n_filters
''',
    ),
    "conv_output_shape": graded(
        "conv_output_shape",
        '''\
def conv_output_shape(input_shape, f, n_filters, stride=1, pad=0):
    """(n_H, n_W, n_C) of the output volume"""
    (n_H_prev, n_W_prev, n_C_prev) = input_shape
    n_H = int((n_H_prev + 2 * pad - f) / stride) + 1
    n_W = int((n_W_prev + 2 * pad - f) / stride) + 1
    return (n_H, n_W, n_filters)
''',
    ),
    ANSWERS: """\
# GRADED ANSWER: the lecture's question
# A 32x32x3 image, six 5x5x3 filters, stride 1, no padding
lecture_conv_params = conv_layer_params(5, 3, 6)
lecture_output_shape = conv_output_shape((32, 32, 3), 5, 6)
print(lecture_conv_params, lecture_output_shape)
""",
}

SETUP = "import numpy as np\nimport math"

DEMO = """\
print(dense_layer_params(4, 3))
print(network_params([4, 3, 2, 1]))
print(conv_output_shape((64, 48, 3), 3, 8, stride=2, pad=1))"""

LOOPS = {
    "dense_layer_params": graded(
        "dense_layer_params",
        """\
def dense_layer_params(n_in, n_out):
    W = np.zeros((n_out, n_in))
    b = np.zeros((n_out, 1))
    return W.size + b.size
""",
    ),
    "network_params": graded(
        "network_params",
        """\
def network_params(layer_dims):
    L = len(layer_dims) - 1
    return [layer_dims[l] * (layer_dims[l - 1] + 1) for l in range(1, L + 1)]
""",
    ),
    "conv_layer_params": graded(
        "conv_layer_params",
        """\
def conv_layer_params(f, n_C_prev, n_filters):
    total = 0
    for c in range(n_filters):
        total += f * f * n_C_prev  # weights of filter c
        total += 1  # its bias
    return total
""",
    ),
    "conv_output_shape": graded(
        "conv_output_shape",
        """\
def conv_output_shape(input_shape, f, n_filters, stride=1, pad=0):
    sizes = []
    for n in input_shape[:2]:
        sizes.append(math.floor((n + 2 * pad - f) / stride) + 1)
    return [sizes[0], sizes[1], n_filters]
""",
    ),
    ANSWERS: """\
# GRADED ANSWER: the lecture's question
lecture_conv_params = 456  # (5*5*3 + 1) * 6
lecture_output_shape = [28, 28, 6]
""",
}

_DENSE = "    return n_in * n_out + n_out\n"
_NET_CALL = "dense_layer_params(layer_dims[l - 1], layer_dims[l])"
_CONV = "    return (f * f * n_C_prev + 1) * n_filters\n"
_H = "    n_H = int((n_H_prev + 2 * pad - f) / stride) + 1\n"
_W = "    n_W = int((n_W_prev + 2 * pad - f) / stride) + 1\n"
_SHAPE = "conv_output_shape"


def _sizes(h: str, w: str) -> Scenario:
    """Both spatial sizes computed with the same wrong formula."""
    return patches((_SHAPE, _H, f"    n_H = {h}\n"), (_SHAPE, _W, f"    n_W = {w}\n"))


def _answers(conv_params: str, shape: str) -> Scenario:
    return Scenario(
        functions={
            ANSWERS: "# GRADED ANSWER: the lecture's question\n"
            f"lecture_conv_params = {conv_params}\nlecture_output_shape = {shape}\n"
        }
    )


SCENARIOS: dict[str, Scenario] = {
    "correct-formulas": Scenario(),
    "correct-loops-and-lists": Scenario(functions=LOOPS),
    "correct-floor-division": _sizes(
        "(n_H_prev + 2 * pad - f) // stride + 1", "(n_W_prev + 2 * pad - f) // stride + 1"
    ),
    "dense-forgot-biases": patch("dense_layer_params", _DENSE, "    return n_in * n_out\n"),
    "dense-bias-per-input": patch("dense_layer_params", _DENSE, "    return n_in * n_out + n_in\n"),
    "dense-both-sides-plus-one": patch(
        "dense_layer_params", _DENSE, "    return (n_in + 1) * (n_out + 1)\n"
    ),
    "network-forgot-biases": patch(
        "network_params", _NET_CALL, "layer_dims[l - 1] * layer_dims[l]"
    ),
    "network-counts-input-layer": patch(
        "network_params", "range(1, len(layer_dims))", "range(len(layer_dims))"
    ),
    "network-misses-last-layer": patch(
        "network_params", "range(1, len(layer_dims))", "range(1, len(layer_dims) - 1)"
    ),
    "network-returns-total": patch(
        "network_params", "    return counts\n", "    return sum(counts)\n"
    ),
    "conv-forgot-biases": patch(
        "conv_layer_params", _CONV, "    return f * f * n_C_prev * n_filters\n"
    ),
    "conv-bias-per-channel": patch(
        "conv_layer_params", _CONV, "    return (f * f + 1) * n_C_prev * n_filters\n"
    ),
    "conv-forgot-input-channels": patch(
        "conv_layer_params", _CONV, "    return (f * f + 1) * n_filters\n"
    ),
    "conv-counted-one-filter": patch(
        "conv_layer_params", _CONV, "    return f * f * n_C_prev + 1\n"
    ),
    "shape-stride-ignored": _sizes("n_H_prev + 2 * pad - f + 1", "n_W_prev + 2 * pad - f + 1"),
    "shape-pad-not-doubled": _sizes(
        "int((n_H_prev + pad - f) / stride) + 1", "int((n_W_prev + pad - f) / stride) + 1"
    ),
    "shape-ceil-instead-of-floor": _sizes(
        "math.ceil((n_H_prev + 2 * pad - f) / stride) + 1",
        "math.ceil((n_W_prev + 2 * pad - f) / stride) + 1",
    ),
    "shape-pad-ignored": _sizes(
        "int((n_H_prev - f) / stride) + 1", "int((n_W_prev - f) / stride) + 1"
    ),
    "shape-forgot-plus-one": _sizes(
        "int((n_H_prev + 2 * pad - f) / stride)", "int((n_W_prev + 2 * pad - f) / stride)"
    ),
    "shape-true-division": _sizes(
        "(n_H_prev + 2 * pad - f) / stride + 1", "(n_W_prev + 2 * pad - f) / stride + 1"
    ),
    "shape-height-width-swapped": patch(
        _SHAPE, "    return (n_H, n_W, n_filters)", "    return (n_W, n_H, n_filters)"
    ),
    "shape-depth-from-input": patch(
        _SHAPE, "    return (n_H, n_W, n_filters)", "    return (n_H, n_W, n_C_prev)"
    ),
    "lecture-params-forgot-biases": _answers("5 * 5 * 3 * 6", "(28, 28, 6)"),
    "lecture-params-forgot-input-channels": _answers("(5 * 5 + 1) * 6", "(28, 28, 6)"),
    "lecture-params-counted-one-filter": _answers("5 * 5 * 3 + 1", "(28, 28, 6)"),
    "lecture-shape-without-plus-one": _answers("456", "(32 - 5, 32 - 5, 6)"),
    "lecture-shape-kept-input-depth": _answers("456", "(28, 28, 3)"),
    "named-answers-missing": Scenario(
        functions={ANSWERS: "# The lecture's question: I'll come back to it later\n"}
    ),
    "not-implemented": Scenario(
        functions={
            **{
                name: graded(
                    name,
                    source.split("\n", 3)[2]
                    + "\n    # YOUR CODE HERE\n    raise NotImplementedError()\n",
                )
                for name, source in CORRECT.items()
                if name != ANSWERS
            },
            ANSWERS: "# GRADED ANSWER: lecture_conv_params\n\n"
            "lecture_conv_params = None  # YOUR ANSWER HERE\n"
            "lecture_output_shape = None  # YOUR ANSWER HERE\n",
        }
    ),
}


def layout(functions: dict[str, str]) -> list[tuple[str, str]]:
    """The cells of one submission as (cell type, source), in notebook order."""
    cells = [("markdown", "# Counting parameters and output shapes"), ("code", SETUP)]
    for name, source in functions.items():
        heading = "### The lecture's question" if name == ANSWERS else f"### `{name}`"
        cells += [("markdown", heading), ("code", source)]
    cells += [("markdown", "### Try it"), ("code", DEMO)]
    return cells


def write_all() -> list[Path]:
    """Write every scenario; return the paths written."""
    return write_assignment(ASSIGNMENT, CORRECT, SCENARIOS, layout)


if __name__ == "__main__":
    main(write_all)
