delta_1 = delta_2.dot(W1.T) * sigmoid2deriv(l1)
