layer_3 = layer_0 @ (weights_0_1 @ weights_1_2)
