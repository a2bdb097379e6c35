# lambda_ : scalar
weights_0_1 -= alpha * (layer_0.T.dot(layer_1_delta) + lambda_ * weights_0_1)
