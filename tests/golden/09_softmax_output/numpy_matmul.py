layer_2 = softmax(tanh(layer_0 @ weights_0_1) @ weights_1_2)
