"""Write the scenario notebooks of the Keras assignments, `keras_cnn` and `medical_cnn`.

    .venv/bin/python tests/scenarios/build_keras.py

Each assignment has one correct notebook: the imports the release starts with (`import keras`,
`from keras import layers`), then one cell per graded function, taken as written from the
reference solution (`reference_solutions/<id>.py`). Every scenario is that notebook with one
change: a function patched to make one known mistake (a layer out of the lecture's order, a
wrong loss, an augmenter that changes the image size...), or replaced by a correct function in
another style (functional API, Flatten, `layers.ReLU()`, loss and metric objects).
`not-implemented.ipynb` is the release notebook itself, untouched. The file name says what the
submission does; `expected.toml` in each folder says how it should be graded, and which
scenarios are graded with the (slow) training check (maintained by hand, never written here).
The output is deterministic (fixed cell ids), so rerunning the script leaves git clean.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

import nbformat
from scenario_kit import (
    ROOT,
    SCENARIO_ROOT,
    Scenario,
    apply,
    function_cells,
    main,
    new_notebook,
    patch,
    patches_in,
    write_scenarios,
)

SETUP = "import numpy as np\nimport keras\nfrom keras import layers"
RELEASE = Scenario()  # stands for the untouched release notebook (not-implemented)


def graded(name: str, body: str) -> str:
    """A graded cell: the course's marker comment, then the function."""
    return f"# GRADED FUNCTION: {name}\n\n{body}"


def reference(assignment: str) -> dict[str, str]:
    """The graded functions of the reference solution, as written there, in file order."""
    path = ROOT / "reference_solutions" / f"{assignment}.py"
    text = path.read_text()
    return {
        node.name: graded(node.name, str(ast.get_source_segment(text, node)) + "\n")
        for node in ast.parse(text).body
        if isinstance(node, ast.FunctionDef)
    }


@dataclass
class Course:
    """One Keras assignment: its title, correct functions, headings and scenarios."""

    assignment: str
    title: str
    functions: dict[str, str]  # correct sources, in notebook order
    headings: dict[str, str]
    scenarios: dict[str, Scenario]


# --- keras_cnn -----------------------------------------------------------------------------

CNN = reference("keras_cnn")
BUILD, COMPILE, AUGMENT = "build_model", "compile_model", "data_augmenter"

# Lines of the reference's build_model, as written there (12 spaces deep in the list).
_IN = "keras.Input(shape=input_shape)"
_CONV32 = 'layers.Conv2D(32, 3, padding="same"),\n'
_CONV64 = 'layers.Conv2D(64, 3, padding="same"),\n'
_BN = "            layers.BatchNormalization(),\n"
_RELU = '            layers.Activation("relu"),\n'
_POOL = "            layers.MaxPooling2D(2),\n"
_GAP = "layers.GlobalAveragePooling2D(),"
_HIDDEN = 'layers.Dense(64, activation="relu"),'
_DROPOUT = "            layers.Dropout(0.3),\n"
_OUTPUT = 'layers.Dense(num_classes, activation="softmax"),'
_RETURN = "    return model\n"


def _both_blocks(old: str, new: str) -> Scenario:
    """The same edit to both convolution blocks. In `old` and `new`, {conv} stands for the
    block's Conv2D line and {conv_relu} for that line with activation="relu" added."""
    edits = []
    for conv in (_CONV32, _CONV64):
        with_relu = conv.replace("),", ', activation="relu"),')
        lines = {"conv": "            " + conv, "conv_relu": "            " + with_relu}
        edits.append((old.format(**lines), new.format(**lines)))
    return patches_in(BUILD, *edits)


CNN_FUNCTIONAL_FLATTEN = {
    BUILD: graded(
        BUILD,
        '''\
def build_model(input_shape, num_classes):
    """Two blocks of two convolutions each, Flatten, and the softmax output (functional API)"""
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters in (16, 32):
        for _ in range(2):
            x = layers.Conv2D(filters, (3, 3), padding="same")(x)
            x = layers.BatchNormalization()(x)
            x = layers.ReLU()(x)
        x = layers.MaxPooling2D(pool_size=(2, 2))(x)
    x = layers.Flatten()(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)
''',
    ),
    COMPILE: graded(
        COMPILE,
        '''\
def compile_model(model):
    """Loss and metric as objects"""
    model.compile(
        optimizer=keras.optimizers.Adam(),
        loss=keras.losses.CategoricalCrossentropy(),
        metrics=[keras.metrics.CategoricalAccuracy()],
    )
    return model
''',
    ),
    AUGMENT: graded(
        AUGMENT,
        '''\
def data_augmenter():
    """Flips, rotations, shifts and zooms"""
    augmenter = keras.Sequential()
    augmenter.add(layers.RandomFlip("horizontal"))
    augmenter.add(layers.RandomRotation(0.1))
    augmenter.add(layers.RandomTranslation(0.1, 0.1))
    augmenter.add(layers.RandomZoom(0.1))
    return augmenter
''',
    ),
}

# The lecture's Keras example, verbatim (only padding='same' added so 8x8 inputs fit, and
# input_shape a parameter), with the imports lecture notebooks use.
LECTURE_IMPORTS = {
    "keras": (
        "from keras.models import Sequential\n"
        "from keras.layers import Conv2D, BatchNormalization, Activation, MaxPooling2D\n"
        "from keras.layers import Dropout, GlobalAveragePooling2D, Dense\n"
    ),
    "tensorflow": (
        "from tensorflow import keras\n"
        "from tensorflow.keras.models import Sequential\n"
        "from tensorflow.keras.layers import Conv2D, BatchNormalization, Activation\n"
        "from tensorflow.keras.layers import MaxPooling2D, Dropout, GlobalAveragePooling2D, Dense\n"
    ),
}
LECTURE_LAYERS = """\
    model = Sequential()
    model.add(Conv2D(32, kernel_size=(3, 3), padding='same', input_shape=input_shape))
    model.add(BatchNormalization(momentum=0.95))
    model.add(Activation('relu'))
    model.add(Conv2D(64, kernel_size=(3, 3), padding='same'))
    model.add(BatchNormalization(momentum=0.95))
    model.add(Activation('relu'))
    model.add(MaxPooling2D(pool_size=(2, 2)))
    model.add(Conv2D(128, (3, 3), padding='same'))
    model.add(BatchNormalization(momentum=0.95))
    model.add(Activation('relu'))
    model.add(MaxPooling2D(pool_size=(2, 2)))
    model.add(Conv2D(256, (3, 3), padding='same'))
    model.add(BatchNormalization(momentum=0.95))
    model.add(Activation('relu'))
    model.add(MaxPooling2D(pool_size=(2, 2)))
    model.add(Dropout(0.25))
    model.add(GlobalAveragePooling2D())
    model.add(Dense(128, activation='relu'))
    model.add(Dropout(0.5))
"""
LECTURE_COMPILE = (
    "model.compile(loss=keras.losses.categorical_crossentropy, "
    "optimizer=keras.optimizers.Adadelta(), metrics=['accuracy'])"
)


def lecture_functions(imports: str, output: str, name: str, signature: str) -> str:
    """A graded cell with the lecture's imports and model, ending in `output`."""
    body = f"{LECTURE_IMPORTS[imports]}\n\ndef {name}({signature}):\n{LECTURE_LAYERS}"
    return graded(name, f"{body}    model.add({output})\n    return model\n")


def lecture_cnn(imports: str) -> dict[str, str]:
    """keras_cnn's build_model and compile_model as the lecture writes them."""
    compile_model = f"def compile_model(model):\n    {LECTURE_COMPILE}\n    return model\n"
    output = "Dense(num_classes, activation='softmax')"
    return {
        BUILD: lecture_functions(imports, output, BUILD, "input_shape, num_classes"),
        COMPILE: graded(COMPILE, compile_model),
    }


def _compile_with(optimizer: str, loss: str, metrics: str) -> Scenario:
    """compile_model with another optimizer, loss and metrics (all correct)."""
    source = (
        "def compile_model(model):\n"
        f"    model.compile(optimizer={optimizer}, loss={loss}, metrics={metrics})\n"
        "    return model\n"
    )
    return Scenario(functions={COMPILE: graded(COMPILE, source)})


_LOSS = 'loss="categorical_crossentropy",'
_METRICS = '        metrics=["accuracy"],\n'
_AUGMENT_LAYERS = "            layers.RandomRotation(0.1),\n"


def _loss(new: str) -> Scenario:
    return patch(COMPILE, _LOSS, f"loss={new},")


def _augmenter(body: str) -> Scenario:
    """data_augmenter with another body (the def line and docstring kept)."""
    start, _, _ = CNN[AUGMENT].partition("    return keras.Sequential(")
    return Scenario(functions={AUGMENT: start + body})


CNN_SCENARIOS: dict[str, Scenario] = {
    # Correct: the reference, and another correct style of all three functions.
    "correct": Scenario(),
    "correct-functional-flatten": Scenario(functions=CNN_FUNCTIONAL_FLATTEN),
    # The lecture's own model and compile line, and the family of models it teaches.
    "lecture-model": Scenario(functions=lecture_cnn("keras")),
    "lecture-model-tf-keras-imports": Scenario(functions=lecture_cnn("tensorflow")),
    "dropout-after-pooling": patch(BUILD, _POOL, _POOL + "            layers.Dropout(0.25),\n"),
    "average-pooling": patch(BUILD, "layers.MaxPooling2D(2)", "layers.AveragePooling2D(2)"),
    "global-pooling-closes-last-block": patch(
        BUILD, _POOL + "            " + _GAP, "            " + _GAP
    ),
    "loss-and-metric-functions": _compile_with(
        '"adam"', "keras.losses.categorical_crossentropy", "[keras.metrics.categorical_accuracy]"
    ),
    "loss-object-metric-acc": _compile_with(
        "keras.optimizers.Adam()", "keras.losses.CategoricalCrossentropy()", '["acc"]'
    ),
    "optimizer-adadelta": _compile_with(
        "keras.optimizers.Adadelta()", '"categorical_crossentropy"', '["accuracy"]'
    ),
    "optimizer-sgd": _compile_with(
        "keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)",
        '"categorical_crossentropy"',
        '["accuracy"]',
    ),
    "optimizer-rmsprop": _compile_with('"rmsprop"', '"categorical_crossentropy"', '["accuracy"]'),
    # build_model: one mistake in the lecture's pattern each.
    "no-softmax-output": patch(BUILD, _OUTPUT, "layers.Dense(num_classes),"),
    "relu-inside-conv": _both_blocks("{conv}" + _BN + _RELU, "{conv_relu}" + _BN),
    "relu-before-batchnorm": _both_blocks("{conv}" + _BN + _RELU, "{conv}" + _RELU + _BN),
    "no-batchnorm": _both_blocks("{conv}" + _BN, "{conv}"),
    "output-hard-coded-10-classes": patch(
        BUILD, _OUTPUT, 'layers.Dense(10, activation="softmax"),'
    ),
    "sigmoid-output": patch(BUILD, _OUTPUT, 'layers.Dense(num_classes, activation="sigmoid"),'),
    "no-dropout-after-hidden-dense": patch(BUILD, _DROPOUT, ""),
    "no-pooling": patch(BUILD, _POOL, ""),  # both blocks (replace() edits every one)
    "hidden-dense-without-activation": patch(BUILD, _HIDDEN, "layers.Dense(64),"),
    "flatten-dense-4096-over-budget": patches_in(
        BUILD, (_GAP, "layers.Flatten(),"), (_HIDDEN, 'layers.Dense(4096, activation="relu"),')
    ),
    "forgot-return-model": patch(BUILD, _RETURN, ""),
    "input-shape-hard-coded": patch(BUILD, _IN, "keras.Input(shape=(8, 8, 1))"),
    # compile_model
    "loss-sparse-categorical": _loss('"sparse_categorical_crossentropy"'),
    "loss-binary-crossentropy": _loss('"binary_crossentropy"'),
    "loss-mse": _loss('"mse"'),
    "loss-from-logits": _loss("keras.losses.CategoricalCrossentropy(from_logits=True)"),
    "no-metrics": patch(COMPILE, _METRICS, ""),
    "compile-not-called": Scenario(
        functions={
            COMPILE: graded(
                COMPILE,
                '''\
def compile_model(model):
    """Compile the model for one-hot labels with the Adam optimizer."""
    optimizer = keras.optimizers.Adam(learning_rate=0.001)
    return model
''',
            )
        }
    ),
    # data_augmenter
    "augmenter-with-rescaling": patch(
        AUGMENT, _AUGMENT_LAYERS, _AUGMENT_LAYERS + "            layers.Rescaling(1.0 / 255),\n"
    ),
    "augmenter-resizes": patch(
        AUGMENT, _AUGMENT_LAYERS, _AUGMENT_LAYERS + "            layers.Resizing(64, 64),\n"
    ),
    "augmenter-only-rescaling": _augmenter(
        "    return keras.Sequential([layers.Rescaling(1.0 / 255)])\n"
    ),
    "augmenter-returns-list": _augmenter(
        '    return [layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)]\n'
    ),
    "not-implemented": RELEASE,
}

# --- medical_cnn ---------------------------------------------------------------------------

MEDICAL = reference("medical_cnn")
BINARY = "build_binary_model"
_BINARY_OUTPUT = 'layers.Dense(1, activation="sigmoid"),'

MEDICAL_FLATTEN_TWO_DENSE = graded(
    BINARY,
    '''\
def build_binary_model(input_shape):
    """Three convolution blocks, Flatten, two hidden Dense layers, one sigmoid unit"""
    model = keras.Sequential()
    model.add(keras.Input(shape=input_shape))
    for filters in (16, 32, 64):
        model.add(layers.Conv2D(filters, 3, padding="same"))
        model.add(layers.BatchNormalization())
        model.add(layers.Activation("relu"))
        model.add(layers.MaxPooling2D(2))
    model.add(layers.Flatten())
    model.add(layers.Dense(64, activation="relu"))
    model.add(layers.Dropout(0.3))
    model.add(layers.Dense(32, activation="relu"))
    model.add(layers.Dropout(0.3))
    model.add(layers.Dense(1, activation="sigmoid"))
    return model
''',
)

MEDICAL_LECTURE = lecture_functions(
    "keras", "Dense(1, activation='sigmoid')", BINARY, "input_shape"
)

MEDICAL_SCENARIOS: dict[str, Scenario] = {
    "correct": Scenario(),
    "correct-flatten-two-dense": Scenario(functions={BINARY: MEDICAL_FLATTEN_TWO_DENSE}),
    # The lecture's model (32/64/128/256 filters, padding='same', 423,361 parameters at 64x64):
    # it used to run out of memory in the grader's own BatchNorm re-estimation.
    "lecture-model": Scenario(functions={BINARY: MEDICAL_LECTURE}),
    "softmax-two-units": patch(BINARY, _BINARY_OUTPUT, 'layers.Dense(2, activation="softmax"),'),
    "input-shape-hard-coded": patch(BINARY, _IN, "keras.Input(shape=(64, 64, 3))"),
    "relu-output": patch(BINARY, _BINARY_OUTPUT, 'layers.Dense(1, activation="relu"),'),
    "not-implemented": RELEASE,
}

COURSES = [
    Course(
        "keras_cnn",
        "# Convolutional Networks in Keras: Handwritten Digits",
        CNN,
        {
            BUILD: "## build_model(input_shape, num_classes)",
            COMPILE: "## compile_model(model)",
            AUGMENT: "## data_augmenter()",
        },
        CNN_SCENARIOS,
    ),
    Course(
        "medical_cnn",
        "# Practical: Classifying Medical Images with a CNN",
        MEDICAL,
        {BINARY: "## build_binary_model(input_shape)"},
        MEDICAL_SCENARIOS,
    ),
]

# --- Notebook layout ------------------------------------------------------------------------


def notebook(course: Course, scenario: Scenario) -> nbformat.NotebookNode:
    """One scenario's notebook: title, imports, the graded functions; or the release's."""
    if scenario is RELEASE:
        release = ROOT / "assignments" / course.assignment / "release"
        return nbformat.read(release / f"{course.assignment}.ipynb", as_version=4)
    functions = apply(course.functions, scenario, label=f"{course.assignment}: ")
    cells = [("markdown", course.title), ("code", SETUP)]
    cells += function_cells(course.functions, course.headings, functions)
    return new_notebook(cells, {"assignment": course.assignment})


def write_all() -> list[Path]:
    """Write every scenario of both assignments; return the paths written."""
    written = []
    for course in COURSES:
        written += write_scenarios(
            SCENARIO_ROOT / course.assignment,
            course.scenarios,
            functools.partial(notebook, course),
        )
    return written


if __name__ == "__main__":
    main(write_all)
