layer_1 = tanh(layer_0.dot(weights_0_1)) * (2 * M)
layer_2 = softmax(layer_1.dot(weights_1_2))
layer_2_delta = (y - layer_2) / 100
layer_1_delta = layer_2_delta.dot(weights_1_2.T) * tanh2deriv(layer_1) * M
weights_1_2 += alpha * layer_1.T.dot(layer_2_delta)
weights_0_1 += alpha * layer_0.T.dot(layer_1_delta)
