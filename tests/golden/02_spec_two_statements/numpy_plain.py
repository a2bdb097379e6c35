l1 = relu(l0.dot(W0))
l2 = l1.dot(W1)
