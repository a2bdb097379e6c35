# lambda_ : scalar
W0 -= alpha * (l0.T.dot(delta_1) + lambda_ * W0)
