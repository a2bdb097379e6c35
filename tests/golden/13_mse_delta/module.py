"""δ2 = l2 - y

Written by notation (book style, book naming)."""


def run(*, layer_2, y):
    """Inputs, by keyword: l2 as layer_2, y as y.

    Returns {notation name: value} for δ2.
    """
    layer_2_delta = layer_2 - y
    return {"δ2": layer_2_delta}
