l1 = W0.T.dot(l0.T).T
