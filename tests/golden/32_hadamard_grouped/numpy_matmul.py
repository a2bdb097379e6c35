y = a * (c * d)
