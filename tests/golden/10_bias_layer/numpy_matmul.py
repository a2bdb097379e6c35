layer_1 = relu(layer_0 @ weights_0_1 + b_0)
