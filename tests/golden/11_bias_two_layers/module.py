"""l1 = relu(l0W0 + b0)
l2 = l1W1 + b1

Written by notation (book style, book naming)."""


def relu(x):
    return (x > 0) * x


def run(*, layer_0, weights_0_1, b_0, weights_1_2, b_1):
    """Inputs, by keyword: l0 as layer_0, W0 as weights_0_1, b0 as b_0, W1 as weights_1_2, b1
    as b_1.

    Returns {notation name: value} for l1, l2.
    """
    layer_1 = relu(layer_0.dot(weights_0_1) + b_0)
    layer_2 = layer_1.dot(weights_1_2) + b_1
    return {"l1": layer_1, "l2": layer_2}
