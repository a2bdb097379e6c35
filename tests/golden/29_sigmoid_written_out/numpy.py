layer_1 = 1 / (1 + np.exp(-layer_0.dot(weights_0_1)))
