weights_0_1 += -(alpha * layer_0.T @ layer_1_delta)
