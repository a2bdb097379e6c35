l2 = relu(l1.dot(W1)) + l1
