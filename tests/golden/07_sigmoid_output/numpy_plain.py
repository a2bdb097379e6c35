l2 = sigmoid(relu(l0.dot(W0)).dot(W1))
