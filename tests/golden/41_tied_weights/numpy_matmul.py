y = relu(x @ weights_0_1) @ weights_0_1.T
