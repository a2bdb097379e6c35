l3 = relu(relu(l0.dot(W0)).dot(W1)).dot(W2)
