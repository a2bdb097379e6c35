l1 = 1 / (1 + np.exp(-l0.dot(W0)))
