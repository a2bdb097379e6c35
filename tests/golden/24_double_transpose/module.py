"""y = xᵀᵀ

Written by notation (book style, book naming)."""


def run(*, x):
    """Inputs, by keyword: x as x.

    Returns {notation name: value} for y.
    """
    y = x.T.T
    return {"y": y}
