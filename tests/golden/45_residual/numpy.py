layer_2 = relu(layer_1.dot(weights_1_2)) + layer_1
