"""l2 = sigmoid(relu(l0W0)W1)

Written by notation (book style, book naming)."""

import numpy as np


def relu(x):
    return (x > 0) * x


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def run(*, layer_0, weights_0_1, weights_1_2):
    """Inputs, by keyword: l0 as layer_0, W0 as weights_0_1, W1 as weights_1_2.

    Returns {notation name: value} for l2.
    """
    layer_2 = sigmoid(relu(layer_0.dot(weights_0_1)).dot(weights_1_2))
    return {"l2": layer_2}
