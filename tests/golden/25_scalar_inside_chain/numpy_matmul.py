weights_1_2 -= alpha * layer_1.T * beta @ layer_2_delta
