layer_2 = relu(layer_1 @ weights_1_2) + layer_1
