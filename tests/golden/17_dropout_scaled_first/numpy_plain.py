l1 = 2 * relu(l0.dot(W0)) * M
