layer_1 = -(layer_0 @ weights_0_1)
