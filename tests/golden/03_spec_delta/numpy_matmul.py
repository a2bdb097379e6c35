layer_1_delta = layer_2_delta @ weights_1_2.T * relu2deriv(layer_1)
