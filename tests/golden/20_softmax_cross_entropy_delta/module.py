"""δ2 = (y - l2) / 100

Written by notation (book style, book naming)."""


def run(*, y, layer_2):
    """Inputs, by keyword: y as y, l2 as layer_2.

    Returns {notation name: value} for δ2.
    """
    layer_2_delta = (y - layer_2) / 100
    return {"δ2": layer_2_delta}
