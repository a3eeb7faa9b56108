"""Reference solution for `keras_cnn` (grader side; never sent to the sandbox).

The grader process never calls these functions (it does not import TensorFlow): Keras tasks are
judged from what the sandbox reports about the *student's* model. They are the model answer the
release is checked against (tests fill the released notebook with them and expect full marks),
and the model the training threshold was set from (bench/bench_train.py). The notebook's first
cell imports `keras` and `layers`; the functions use those names.

Known mistakes are diagnosed by the architecture rules (grader/checks/architecture.py) and the
compile and augmentation checks (grader/tasks/keras_*.py), not by variants here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by the notebook, never by the grader process
    import keras
    from keras import layers

MISTAKES = ()


def build_model(input_shape, num_classes):
    """Build a CNN classifier following the lecture's pattern.

    [(Conv2D -> BatchNormalization -> ReLU)+ -> pooling -> Dropout?]+
        -> GlobalAveragePooling2D or Flatten -> Dropout?
        -> (Dense -> ReLU -> Dropout)* -> Dense(num_classes, activation='softmax')

    Accepted: blocks of one or more Conv2D -> BatchNormalization -> ReLU, each closed by
    MaxPooling2D or AveragePooling2D (the last block may go straight into
    GlobalAveragePooling2D or GlobalMaxPooling2D, but at least one block must end in a
    pooling layer); Dropout or SpatialDropout2D after a pooling layer, the global pooling or
    Flatten; the ReLU as Activation('relu'), layers.ReLU() or, in a Dense layer,
    activation='relu'; the softmax inside the last Dense layer or as its own layer after it;
    any BatchNormalization momentum; keras.Input(shape=input_shape) or input_shape=... on the
    first layer; keras.Sequential([...]), model.add(...) or the functional API; imports from
    keras or tensorflow.keras. Use padding='same' so that small images survive the pooling.

    Not accepted: an activation inside a Conv2D or before its BatchNormalization, a Conv2D
    without BatchNormalization, no pooling layer at all, a hidden Dense layer without 'relu'
    or without Dropout after it, an output other than a softmax over num_classes units, an
    input shape that does not come from input_shape, more than 1,000,000 parameters.

    Training check: the grader builds your model with a fixed seed, compiles it itself (Adam,
    categorical cross-entropy) and trains it for 15 epochs with batch size 32 (fewer images
    at a time only if your model's activations would not fit in memory), stopping early once
    120 seconds of training have passed; a model stopped early is judged by what it learned
    by then. It needs 90% accuracy on held-out digits.

    Arguments:
    input_shape -- shape of one image, e.g. (8, 8, 1)
    num_classes -- number of classes (units of the softmax output layer)

    Returns:
    model -- a keras.Model (not compiled) whose output has shape (None, num_classes)
    """
    model = keras.Sequential(
        [
            keras.Input(shape=input_shape),
            layers.Conv2D(32, 3, padding="same"),
            layers.BatchNormalization(),
            layers.Activation("relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, padding="same"),
            layers.BatchNormalization(),
            layers.Activation("relu"),
            layers.MaxPooling2D(2),
            layers.GlobalAveragePooling2D(),
            layers.Dense(64, activation="relu"),
            layers.Dropout(0.3),
            layers.Dense(num_classes, activation="softmax"),
        ]
    )
    return model


def compile_model(model):
    """Compile the model for one-hot labels: categorical cross-entropy and accuracy.

    Accepted: the loss as 'categorical_crossentropy', keras.losses.categorical_crossentropy
    or keras.losses.CategoricalCrossentropy() (from_logits left False: the model already ends
    in a softmax), or your own function that computes it; metrics=['accuracy'] ('acc',
    'categorical_accuracy' and keras.metrics.CategoricalAccuracy() work too); any optimizer
    Keras provides, as a string or an object ('adam', keras.optimizers.Adadelta(), SGD,
    RMSprop...). One training step with your settings must run.

    Not accepted: sparse categorical or binary cross-entropy (the labels are one-hot vectors
    over several classes), a regression loss such as 'mse', from_logits=True, no accuracy
    metric. (keras.metrics.Accuracy() passes but counts exact matches only: prefer
    'accuracy'.)

    Arguments:
    model -- a keras.Model whose last layer is a softmax

    Returns:
    model -- the same model, compiled
    """
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.001),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def data_augmenter():
    """Build a data augmentation pipeline: random horizontal flips and small rotations.

    In training mode it changes images at random; in inference mode (training=False) it must
    return them unchanged. It must keep the image shape.

    Returns:
    augmenter -- a keras.Sequential of random preprocessing layers
    """
    return keras.Sequential(
        [
            layers.RandomFlip("horizontal"),
            layers.RandomRotation(0.1),
        ]
    )
