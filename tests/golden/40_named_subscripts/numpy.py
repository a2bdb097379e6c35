h = relu(x.dot(W_in))
y = h.dot(W_out)
