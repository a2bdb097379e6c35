layer_1 = 2 * relu(layer_0.dot(weights_0_1)) * M
