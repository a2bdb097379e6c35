"""l2 = relu(l1W1) + l1

Written by notation (book style, book naming)."""


def relu(x):
    return (x > 0) * x


def run(*, layer_1, weights_1_2):
    """Inputs, by keyword: l1 as layer_1, W1 as weights_1_2.

    Returns {notation name: value} for l2.
    """
    layer_2 = relu(layer_1.dot(weights_1_2)) + layer_1
    return {"l2": layer_2}
