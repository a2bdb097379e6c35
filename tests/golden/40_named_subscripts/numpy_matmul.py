h = relu(x @ W_in)
y = h @ W_out
