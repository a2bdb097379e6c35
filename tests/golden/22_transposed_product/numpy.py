layer_1 = weights_0_1.T.dot(layer_0.T).T
