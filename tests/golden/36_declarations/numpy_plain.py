# l0 : 2×3
# W0 : 3×4
l1 = relu(l0.dot(W0))
