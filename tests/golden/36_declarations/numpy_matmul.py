# layer_0 : 2×3
# weights_0_1 : 3×4
layer_1 = relu(layer_0 @ weights_0_1)
