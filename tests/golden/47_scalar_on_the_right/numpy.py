layer_1 = layer_0.dot(weights_0_1) * 2
