l1 = relu(l0.dot(W0) + b0)
l2 = l1.dot(W1) + b1
