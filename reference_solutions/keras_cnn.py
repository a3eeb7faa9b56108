"""Reference solution for `keras_cnn` (grader side; never sent to the sandbox).

The grader process never calls these functions (it does not import TensorFlow): Keras tasks are
judged from what the sandbox reports about the *student's* model. They are the model answer the
release is checked against (tests fill the released notebook with them and expect full marks),
and the model the training threshold was set from (bench/bench_train.py). The notebook's first
cell imports `keras` and `layers`; the functions use those names.

Known mistakes are diagnosed by the architecture rules (grader/checks/architecture.py) and the
compile and augmentation checks (grader/keras_tasks.py), not by variants here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by the notebook, never by the grader process
    import keras
    from keras import layers

MISTAKES = ()


def build_model(input_shape, num_classes):
    """Build a CNN classifier following the lecture's pattern.

    [(Conv2D -> BatchNormalization -> ReLU)+ -> MaxPooling2D]+ -> GlobalAveragePooling2D or
    Flatten -> (Dense -> ReLU -> Dropout)* -> Dense(num_classes, activation='softmax')

    Use convolutions without their own activation (the ReLU comes after BatchNormalization)
    and padding='same'. Keep the model under 1,000,000 parameters.

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
    """Compile the model for one-hot labels with the Adam optimizer.

    Use a categorical cross-entropy loss (the labels are one-hot vectors) and report accuracy.

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
