y = relu(x.dot(W0)).dot(W0.T)
