"""y = a / (b + c)

Written by notation (book style, book naming)."""


def run(*, a, b, c):
    """Inputs, by keyword: a as a, b as b, c as c.

    Returns {notation name: value} for y.
    """
    y = a / (b + c)
    return {"y": y}
