"""l1 = relu(l0W0) ⊙ 2M

Written by notation (book style, book naming)."""


def relu(x):
    return (x > 0) * x


def run(*, layer_0, weights_0_1, M):
    """Inputs, by keyword: l0 as layer_0, W0 as weights_0_1, M as M.

    Returns {notation name: value} for l1.
    """
    layer_1 = relu(layer_0.dot(weights_0_1)) * (2 * M)
    return {"l1": layer_1}
