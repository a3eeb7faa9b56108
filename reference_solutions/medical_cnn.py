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

    [(Conv2D -> BatchNormalization -> ReLU)+ -> MaxPooling2D]+ -> GlobalAveragePooling2D or
    Flatten -> (Dense -> ReLU -> Dropout)* -> Dense(1, activation='sigmoid')

    Use convolutions without their own activation (the ReLU comes after BatchNormalization).
    Keep the model under 2,000,000 parameters.

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
