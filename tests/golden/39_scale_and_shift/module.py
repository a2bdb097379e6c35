"""y = x ⊙ γ + β

Written by notation (book style, book naming)."""

import numpy as np


def run(*, x, gamma, beta):
    """Inputs, by keyword: x as x, γ as gamma, β as beta.

    Returns {notation name: value} for y.
    """
    y = np.multiply(x, gamma) + beta
    return {"y": y}
