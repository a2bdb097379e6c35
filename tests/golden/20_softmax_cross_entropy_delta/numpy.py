layer_2_delta = (y - layer_2) / 100
