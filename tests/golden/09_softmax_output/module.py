"""l2 = softmax(tanh(l0W0)W1)

Written by notation (book style, book naming)."""

import numpy as np


def tanh(x):
    return np.tanh(x)


def softmax(x):
    e = np.exp(x - np.max(x, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


def run(*, layer_0, weights_0_1, weights_1_2):
    """Inputs, by keyword: l0 as layer_0, W0 as weights_0_1, W1 as weights_1_2.

    Returns {notation name: value} for l2.
    """
    layer_2 = softmax(tanh(layer_0.dot(weights_0_1)).dot(weights_1_2))
    return {"l2": layer_2}
