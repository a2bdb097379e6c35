W0 += alpha * l0.T.dot(delta_1)
