"""y = σ·(a + c)

Written by notation (book style, book naming)."""


def run(*, sigma, a, c):
    """Inputs, by keyword: σ as sigma, a as a, c as c.

    Returns {notation name: value} for y.
    """
    y = sigma * (a + c)
    return {"y": y}
