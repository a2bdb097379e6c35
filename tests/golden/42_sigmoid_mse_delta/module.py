"""δ2 = (l2 - y) ⊙ sigmoid'(l2)

Written by notation (book style, book naming)."""


def sigmoid2deriv(output):
    return output * (1 - output)


def run(*, layer_2, y):
    """Inputs, by keyword: l2 as layer_2, y as y.

    Returns {notation name: value} for δ2.
    """
    layer_2_delta = (layer_2 - y) * sigmoid2deriv(layer_2)
    return {"δ2": layer_2_delta}
