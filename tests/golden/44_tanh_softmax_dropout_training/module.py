"""l1 = tanh(l0W0) ⊙ 2M
l2 = softmax(l1W1)
δ2 = (y - l2) / 100
δ1 = δ2W1ᵀ ⊙ tanh'(l1) ⊙ M
W1 += αl1ᵀδ2
W0 += αl0ᵀδ1

Written by notation (book style, book naming)."""

import numpy as np


def tanh(x):
    return np.tanh(x)


def softmax(x):
    e = np.exp(x - np.max(x, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


def tanh2deriv(output):
    return 1 - output ** 2


def run(*, layer_0, weights_0_1, M, weights_1_2, y, alpha):
    """Inputs, by keyword: l0 as layer_0, W0 as weights_0_1, M as M, W1 as weights_1_2, y as y,
    α as alpha.

    Returns {notation name: value} for l1, l2, δ2, δ1, W1, W0.
    """
    layer_1 = tanh(layer_0.dot(weights_0_1)) * (2 * M)
    layer_2 = softmax(layer_1.dot(weights_1_2))
    layer_2_delta = (y - layer_2) / 100
    layer_1_delta = layer_2_delta.dot(weights_1_2.T) * tanh2deriv(layer_1) * M
    weights_1_2 += alpha * layer_1.T.dot(layer_2_delta)
    weights_0_1 += alpha * layer_0.T.dot(layer_1_delta)
    return {
        "l1": layer_1,
        "l2": layer_2,
        "δ2": layer_2_delta,
        "δ1": layer_1_delta,
        "W1": weights_1_2,
        "W0": weights_0_1,
    }
