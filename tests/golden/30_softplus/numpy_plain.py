l1 = np.log(1 + np.exp(l0.dot(W0)))
