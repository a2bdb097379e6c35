l3 = l0.dot(W0.dot(W1))
