layer_1 = tanh(layer_0.dot(weights_0_1))
