layer_3 = relu(relu(layer_0 @ weights_0_1) @ weights_1_2) @ weights_2_3
