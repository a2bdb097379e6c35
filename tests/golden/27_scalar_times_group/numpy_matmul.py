weights_1_2 -= alpha * (layer_1.T @ layer_2_delta)
