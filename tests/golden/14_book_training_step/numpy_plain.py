l1 = relu(l0.dot(W0))
l2 = l1.dot(W1)
delta_2 = l2 - y
delta_1 = delta_2.dot(W1.T) * relu2deriv(l1)
W1 -= alpha * l1.T.dot(delta_2)
W0 -= alpha * l0.T.dot(delta_1)
