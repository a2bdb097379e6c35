"""l1 = -l0W0

Written by notation (book style, book naming)."""


def run(*, layer_0, weights_0_1):
    """Inputs, by keyword: l0 as layer_0, W0 as weights_0_1.

    Returns {notation name: value} for l1.
    """
    layer_1 = -layer_0.dot(weights_0_1)
    return {"l1": layer_1}
