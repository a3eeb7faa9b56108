"""Architecture cases for `keras_cnn` (grader side only).

`build_model` is described for several (input_shape, num_classes) pairs, so a model that
hard-codes the digits' shape or ten classes fails the hidden cases. Shapes stay small (at most
28x28) so that a model using Flatten stays within the parameter budget on every case.
"""

from __future__ import annotations

import numpy as np

from grader.spec.model import CaseInput, call

PUBLIC = [((8, 8, 1), 10)]
HIDDEN = [((28, 28, 1), 10), ((16, 16, 3), 4), ((24, 24, 3), 7), ((20, 20, 1), 3)]


def build_model(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """The digits' shape in public; other shapes and class counts in hidden cases."""
    pool = PUBLIC if visibility == "public" else HIDDEN
    input_shape, num_classes = pool[int(rng.integers(len(pool)))]
    return call(input_shape, num_classes, note=f"input {input_shape}, {num_classes} classes")
