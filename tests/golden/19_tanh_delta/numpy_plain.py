delta_1 = delta_2.dot(W1.T) * tanh2deriv(l1)
