layer_3 = layer_0.dot(weights_0_1.dot(weights_1_2))
