layer_4 = layer_0 @ weights_0_1 @ weights_1_2 @ weights_2_3 @ weights_3_4
