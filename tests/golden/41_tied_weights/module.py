"""y = relu(xW0)W0ᵀ

Written by notation (book style, book naming)."""


def relu(x):
    return (x > 0) * x


def run(*, x, weights_0_1):
    """Inputs, by keyword: x as x, W0 as weights_0_1.

    Returns {notation name: value} for y.
    """
    y = relu(x.dot(weights_0_1)).dot(weights_0_1.T)
    return {"y": y}
