y = np.multiply(x, gamma) + beta
