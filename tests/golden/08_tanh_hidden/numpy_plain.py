l1 = tanh(l0.dot(W0))
