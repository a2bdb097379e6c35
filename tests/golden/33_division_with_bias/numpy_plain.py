y = a / (b + c)
