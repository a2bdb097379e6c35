"""δ1 = δ2W1ᵀ ⊙ relu'(l1)

Written by notation (book style, book naming)."""


def relu2deriv(output):
    return (output > 0) * 1.0


def run(*, layer_2_delta, weights_1_2, layer_1):
    """Inputs, by keyword: δ2 as layer_2_delta, W1 as weights_1_2, l1 as layer_1.

    Returns {notation name: value} for δ1.
    """
    layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1)
    return {"δ1": layer_1_delta}
