"""Architecture cases for `medical_cnn` (grader side only).

`build_binary_model` is described for the course's 64x64 RGB images and for other image
sizes, so a model that hard-codes (64, 64, 3) fails the hidden cases.
"""

from __future__ import annotations

import numpy as np

from grader.spec.model import CaseInput, call

PUBLIC = [(64, 64, 3)]
HIDDEN = [(32, 32, 3), (48, 48, 3), (40, 40, 3)]


def build_binary_model(rng: np.random.Generator, index: int, visibility: str) -> CaseInput:
    """The course's image shape in public; other sizes in hidden cases."""
    pool = PUBLIC if visibility == "public" else HIDDEN
    input_shape = pool[int(rng.integers(len(pool)))]
    return call(input_shape, note=f"input {input_shape}")
