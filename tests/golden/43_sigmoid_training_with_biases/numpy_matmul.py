layer_1 = sigmoid(layer_0 @ weights_0_1 + b_0)
layer_2 = sigmoid(layer_1 @ weights_1_2 + b_1)
layer_2_delta = (layer_2 - y) * sigmoid2deriv(layer_2)
layer_1_delta = layer_2_delta @ weights_1_2.T * sigmoid2deriv(layer_1)
weights_1_2 -= alpha * layer_1.T @ layer_2_delta
b_1 -= alpha * np.sum(layer_2_delta, axis=0, keepdims=True)
weights_0_1 -= alpha * layer_0.T @ layer_1_delta
b_0 -= alpha * np.sum(layer_1_delta, axis=0, keepdims=True)
