y = relu(x.dot(weights_0_1)).dot(weights_0_1.T)
