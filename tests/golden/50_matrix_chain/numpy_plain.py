l4 = l0.dot(W0).dot(W1).dot(W2).dot(W3)
