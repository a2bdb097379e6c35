layer_1 = tanh(layer_0 @ weights_0_1)
