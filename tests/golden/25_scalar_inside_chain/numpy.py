weights_1_2 -= alpha * (layer_1.T * beta).dot(layer_2_delta)
