"""l1 = sigmoid(l0W0 + b0)
l2 = sigmoid(l1W1 + b1)
δ2 = (l2 - y) ⊙ sigmoid'(l2)
δ1 = δ2W1ᵀ ⊙ sigmoid'(l1)
W1 -= αl1ᵀδ2
b1 -= αbatchsum(δ2)
W0 -= αl0ᵀδ1
b0 -= αbatchsum(δ1)

Written by notation (book style, book naming)."""

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid2deriv(output):
    return output * (1 - output)


def run(*, layer_0, weights_0_1, b_0, weights_1_2, b_1, y, alpha):
    """Inputs, by keyword: l0 as layer_0, W0 as weights_0_1, b0 as b_0, W1 as weights_1_2, b1
    as b_1, y as y, α as alpha.

    Returns {notation name: value} for l1, l2, δ2, δ1, W1, b1, W0, b0.
    """
    layer_1 = sigmoid(layer_0.dot(weights_0_1) + b_0)
    layer_2 = sigmoid(layer_1.dot(weights_1_2) + b_1)
    layer_2_delta = (layer_2 - y) * sigmoid2deriv(layer_2)
    layer_1_delta = layer_2_delta.dot(weights_1_2.T) * sigmoid2deriv(layer_1)
    weights_1_2 -= alpha * layer_1.T.dot(layer_2_delta)
    b_1 -= alpha * np.sum(layer_2_delta, axis=0, keepdims=True)
    weights_0_1 -= alpha * layer_0.T.dot(layer_1_delta)
    b_0 -= alpha * np.sum(layer_1_delta, axis=0, keepdims=True)
    return {
        "l1": layer_1,
        "l2": layer_2,
        "δ2": layer_2_delta,
        "δ1": layer_1_delta,
        "W1": weights_1_2,
        "b1": b_1,
        "W0": weights_0_1,
        "b0": b_0,
    }
