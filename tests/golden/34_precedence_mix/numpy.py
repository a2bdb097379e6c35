y = a - (c - d) + e * f
