delta_2 = l2 - y
