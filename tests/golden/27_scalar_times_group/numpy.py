weights_1_2 -= alpha * (layer_1.T.dot(layer_2_delta))
