layer_2_delta = layer_2 - y
