l2 = relu(l0.dot(W0)).dot(W1)
