y = a * c * d
