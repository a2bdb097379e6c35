delta_2 = (l2 - y) * sigmoid2deriv(l2)
