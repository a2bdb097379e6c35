"""W1 -= αl1ᵀδ2

Written by notation (book style, book naming)."""


def run(*, weights_1_2, alpha, layer_1, layer_2_delta):
    """Inputs, by keyword: W1 as weights_1_2, α as alpha, l1 as layer_1, δ2 as layer_2_delta.

    Returns {notation name: value} for W1.
    """
    weights_1_2 -= alpha * layer_1.T.dot(layer_2_delta)
    return {"W1": weights_1_2}
