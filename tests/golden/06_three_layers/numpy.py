layer_3 = relu(relu(layer_0.dot(weights_0_1)).dot(weights_1_2)).dot(weights_2_3)
