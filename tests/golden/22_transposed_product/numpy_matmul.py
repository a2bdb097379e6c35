layer_1 = (weights_0_1.T @ layer_0.T).T
