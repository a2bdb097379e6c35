l2 = softmax(tanh(l0.dot(W0)).dot(W1))
