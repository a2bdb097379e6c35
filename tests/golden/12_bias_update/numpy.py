b_1 -= alpha * np.sum(layer_2_delta, axis=0, keepdims=True)
