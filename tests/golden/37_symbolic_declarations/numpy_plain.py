# l0 : b×784
# W0 : 784×h
l1 = relu(l0.dot(W0))
