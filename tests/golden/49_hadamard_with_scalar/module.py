"""y = α ⊙ x

Written by notation (book style, book naming)."""

import numpy as np


def run(*, alpha, x):
    """Inputs, by keyword: α as alpha, x as x.

    Returns {notation name: value} for y.
    """
    y = np.multiply(alpha, x)
    return {"y": y}
