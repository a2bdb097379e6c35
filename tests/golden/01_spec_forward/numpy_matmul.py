layer_2 = relu(layer_0 @ weights_0_1) @ weights_1_2
