l1 = tanh(l0.dot(W0)) * (2 * M)
l2 = softmax(l1.dot(W1))
delta_2 = (y - l2) / 100
delta_1 = delta_2.dot(W1.T) * tanh2deriv(l1) * M
W1 += alpha * l1.T.dot(delta_2)
W0 += alpha * l0.T.dot(delta_1)
