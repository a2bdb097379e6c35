layer_1 = relu(layer_0.dot(weights_0_1)) * (2 * M)
