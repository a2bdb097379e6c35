"""b1 -= αbatchsum(δ2)

Written by notation (book style, book naming)."""

import numpy as np


def run(*, b_1, alpha, layer_2_delta):
    """Inputs, by keyword: b1 as b_1, α as alpha, δ2 as layer_2_delta.

    Returns {notation name: value} for b1.
    """
    b_1 -= alpha * np.sum(layer_2_delta, axis=0, keepdims=True)
    return {"b1": b_1}
