"""l4 = l0W0W1W2W3

Written by notation (book style, book naming)."""


def run(*, layer_0, weights_0_1, weights_1_2, weights_2_3, weights_3_4):
    """Inputs, by keyword: l0 as layer_0, W0 as weights_0_1, W1 as weights_1_2, W2 as
    weights_2_3, W3 as weights_3_4.

    Returns {notation name: value} for l4.
    """
    layer_4 = layer_0.dot(weights_0_1).dot(weights_1_2).dot(weights_2_3).dot(weights_3_4)
    return {"l4": layer_4}
