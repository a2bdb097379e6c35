layer_2_delta = (layer_2 - y) * sigmoid2deriv(layer_2)
