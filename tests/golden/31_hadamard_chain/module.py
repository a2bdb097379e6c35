"""y = a ⊙ c ⊙ d

Written by notation (book style, book naming)."""


def run(*, a, c, d):
    """Inputs, by keyword: a as a, c as c, d as d.

    Returns {notation name: value} for y.
    """
    y = a * c * d
    return {"y": y}
