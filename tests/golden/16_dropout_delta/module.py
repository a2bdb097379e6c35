"""δ1 = δ2W1ᵀ ⊙ relu'(l1) ⊙ M

Written by notation (book style, book naming)."""


def relu2deriv(output):
    return (output > 0) * 1.0


def run(*, layer_2_delta, weights_1_2, layer_1, M):
    """Inputs, by keyword: δ2 as layer_2_delta, W1 as weights_1_2, l1 as layer_1, M as M.

    Returns {notation name: value} for δ1.
    """
    layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1) * M
    return {"δ1": layer_1_delta}
