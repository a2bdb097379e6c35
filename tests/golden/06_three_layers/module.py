"""l3 = relu(relu(l0W0)W1)W2

Written by notation (book style, book naming)."""


def relu(x):
    return (x > 0) * x


def run(*, layer_0, weights_0_1, weights_1_2, weights_2_3):
    """Inputs, by keyword: l0 as layer_0, W0 as weights_0_1, W1 as weights_1_2, W2 as
    weights_2_3.

    Returns {notation name: value} for l3.
    """
    layer_3 = relu(relu(layer_0.dot(weights_0_1)).dot(weights_1_2)).dot(weights_2_3)
    return {"l3": layer_3}
