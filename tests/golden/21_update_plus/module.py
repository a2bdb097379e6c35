"""W0 += αl0ᵀδ1

Written by notation (book style, book naming)."""


def run(*, weights_0_1, alpha, layer_0, layer_1_delta):
    """Inputs, by keyword: W0 as weights_0_1, α as alpha, l0 as layer_0, δ1 as layer_1_delta.

    Returns {notation name: value} for W0.
    """
    weights_0_1 += alpha * layer_0.T.dot(layer_1_delta)
    return {"W0": weights_0_1}
