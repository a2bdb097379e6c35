layer_1 = 2 * relu(layer_0 @ weights_0_1) * M
