"""y = a - (c - d) + e ⊙ f

Written by notation (book style, book naming)."""


def run(*, a, c, d, e, f):
    """Inputs, by keyword: a as a, c as c, d as d, e as e, f as f.

    Returns {notation name: value} for y.
    """
    y = a - (c - d) + e * f
    return {"y": y}
