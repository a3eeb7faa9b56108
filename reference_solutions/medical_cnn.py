"""Reference solution for `medical_cnn` (grader side; never sent to the sandbox).

As for `keras_cnn`, the grader process never calls it (it does not import TensorFlow): the
release is checked against it (tests fill the released notebook with it and expect full marks)
and the training threshold was set from it (bench/bench_train.py). The notebook's first cell
imports `keras` and `layers`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by the notebook, never by the grader process
    import keras
    from keras import layers

MISTAKES = ()


def build_binary_model(input_shape):
    """Build a binary CNN classifier following the lecture's pattern.

    [(Conv2D -> BatchNormalization -> ReLU)+ -> pooling -> Dropout?]+
        -> GlobalAveragePooling2D or Flatten -> Dropout?
        -> (Dense -> ReLU -> Dropout)* -> Dense(1, activation='sigmoid')

    Accepted: blocks of one or more Conv2D -> BatchNormalization -> ReLU, each closed by
    MaxPooling2D or AveragePooling2D (the last block may go straight into
    GlobalAveragePooling2D or GlobalMaxPooling2D, but at least one block must end in a
    pooling layer); Dropout or SpatialDropout2D after a pooling layer, the global pooling or
    Flatten; the ReLU as Activation('relu'), layers.ReLU() or, in a Dense layer,
    activation='relu'; the sigmoid inside the last Dense layer or as its own layer after it;
    any BatchNormalization momentum; keras.Input(shape=input_shape) or input_shape=... on the
    first layer; keras.Sequential([...]), model.add(...) or the functional API; imports from
    keras or tensorflow.keras.

    Not accepted: an activation inside a Conv2D or before its BatchNormalization, a Conv2D
    without BatchNormalization, no pooling layer at all, a hidden Dense layer without 'relu'
    or without Dropout after it, an output other than one sigmoid unit (two softmax units
    included), an input shape that does not come from input_shape, more than 2,000,000
    parameters.

    Training check: the grader builds your model for 64x64x3 images with a fixed seed,
    compiles it itself (Adam, binary cross-entropy) and trains it for 15 epochs with batch
    size 32 (fewer images at a time only if your model's activations would not fit in
    memory), stopping early once 180 seconds of training have passed; a model stopped early
    is judged by what it learned by then. It needs 85% accuracy on held-out images. The
    lecture's model (32, 64, 128 and 256 filters, 423,361 parameters) is well inside this
    budget.

    Arguments:
    input_shape -- shape of one image, e.g. (64, 64, 3)

    Returns:
    model -- a keras.Model (not compiled) whose output has shape (None, 1): the probability of
             the positive class (parasitized, or ink)
    """
    model = keras.Sequential(
        [
            keras.Input(shape=input_shape),
            layers.Conv2D(16, 3, padding="same"),
            layers.BatchNormalization(),
            layers.Activation("relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(32, 3, padding="same"),
            layers.BatchNormalization(),
            layers.Activation("relu"),
            layers.MaxPooling2D(2),
            layers.GlobalAveragePooling2D(),
            layers.Dense(32, activation="relu"),
            layers.Dropout(0.2),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    return model
