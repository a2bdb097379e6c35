layer_1 = relu(layer_0 @ weights_0_1)
layer_2 = layer_1 @ weights_1_2
