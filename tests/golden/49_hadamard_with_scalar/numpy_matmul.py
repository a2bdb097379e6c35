y = np.multiply(alpha, x)
