l1 = 0.5 * l0.dot(W0) + 1e-3
