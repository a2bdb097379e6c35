layer_1 = 0.5 * layer_0.dot(weights_0_1) + 1e-3
