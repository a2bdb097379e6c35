"""l3 = l0(W0W1)

Written by notation (book style, book naming)."""


def run(*, layer_0, weights_0_1, weights_1_2):
    """Inputs, by keyword: l0 as layer_0, W0 as weights_0_1, W1 as weights_1_2.

    Returns {notation name: value} for l3.
    """
    layer_3 = layer_0.dot(weights_0_1.dot(weights_1_2))
    return {"l3": layer_3}
