l1 = -l0.dot(W0)
