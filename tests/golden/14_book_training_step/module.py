"""l1 = relu(l0W0)
l2 = l1W1
δ2 = l2 - y
δ1 = δ2W1ᵀ ⊙ relu'(l1)
W1 -= αl1ᵀδ2
W0 -= αl0ᵀδ1

Written by notation (book style, book naming)."""


def relu(x):
    return (x > 0) * x


def relu2deriv(output):
    return (output > 0) * 1.0


def run(*, layer_0, weights_0_1, weights_1_2, y, alpha):
    """Inputs, by keyword: l0 as layer_0, W0 as weights_0_1, W1 as weights_1_2, y as y, α as
    alpha.

    Returns {notation name: value} for l1, l2, δ2, δ1, W1, W0.
    """
    layer_1 = relu(layer_0.dot(weights_0_1))
    layer_2 = layer_1.dot(weights_1_2)
    layer_2_delta = layer_2 - y
    layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1)
    weights_1_2 -= alpha * layer_1.T.dot(layer_2_delta)
    weights_0_1 -= alpha * layer_0.T.dot(layer_1_delta)
    return {
        "l1": layer_1,
        "l2": layer_2,
        "δ2": layer_2_delta,
        "δ1": layer_1_delta,
        "W1": weights_1_2,
        "W0": weights_0_1,
    }
