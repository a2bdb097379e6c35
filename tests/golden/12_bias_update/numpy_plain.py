b1 -= alpha * np.sum(delta_2, axis=0, keepdims=True)
