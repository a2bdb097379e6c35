delta_1 = delta_2.dot(W1.T) * relu2deriv(l1) * M
