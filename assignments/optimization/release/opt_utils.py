"""Stand-in for the course's older `opt_utils` module: the same helpers as `opt_utils_v1a`.

Older copies of the notebook import `opt_utils` instead of `opt_utils_v1a`; the only
difference that matters here is that this version's `compute_cost` averages over the examples.
"""

from __future__ import annotations

import numpy as np
from opt_utils_v1a import (  # noqa: F401  (re-exported for `from opt_utils import ...`)
    backward_propagation,
    forward_propagation,
    initialize_parameters,
    load_dataset,
    load_params_and_grads,
    plot_decision_boundary,
    predict,
    predict_dec,
    relu,
    sigmoid,
)


def compute_cost(a3, Y):
    """The mean cross-entropy over the m examples.

    Args:
        a3: output activations (1, m).
        Y: labels (1, m).

    Returns:
        cost: a float.
    """
    m = Y.shape[1]
    logprobs = np.multiply(-np.log(a3), Y) + np.multiply(-np.log(1 - a3), 1 - Y)
    return float(1.0 / m * np.sum(logprobs))
