l1 = relu(l0.dot(W0)) * (2 * M)
