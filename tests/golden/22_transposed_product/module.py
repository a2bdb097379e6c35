"""l1 = (W0ᵀl0ᵀ)ᵀ

Written by notation (book style, book naming)."""


def run(*, weights_0_1, layer_0):
    """Inputs, by keyword: W0 as weights_0_1, l0 as layer_0.

    Returns {notation name: value} for l1.
    """
    layer_1 = weights_0_1.T.dot(layer_0.T).T
    return {"l1": layer_1}
