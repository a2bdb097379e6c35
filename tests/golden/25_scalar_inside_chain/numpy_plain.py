W1 -= alpha * (l1.T * beta).dot(delta_2)
