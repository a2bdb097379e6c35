# layer_0 : b×784
# weights_0_1 : 784×h
layer_1 = relu(layer_0.dot(weights_0_1))
