W1 -= alpha * (l1.T.dot(delta_2))
