layer_1 = np.log(1 + np.exp(layer_0 @ weights_0_1))
