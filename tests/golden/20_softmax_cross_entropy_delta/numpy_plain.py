delta_2 = (y - l2) / 100
