"""Predict with the book's streetlight network (chapter 6): 3 → 4 → 1, relu, from the algebra alone.

Everything below is driven by the one line `l2 = relu(l0W0)W1`: notation infers the weight
shapes from the layer sizes, prints the shape-checked plan, and compiles the plan into the
function that makes the prediction. The seed and the random weights are the book's.

    python examples/streetlight_predict.py
"""

import numpy as np

import notation

network = notation.parse("l2 = relu(l0W0)W1")
plan = network.plan(sizes=(3, 4, 1))
print(plan)
print()

np.random.seed(1)
weights_0_1 = 2 * np.random.random((3, 4)) - 1
weights_1_2 = 2 * np.random.random((4, 1)) - 1
layer_0 = np.array([[1, 0, 1]])            # the first streetlight: on, off, on

prediction = plan(l0=layer_0, W0=weights_0_1, W1=weights_1_2)["l2"]
print("the plan as NumPy:")
print("\n".join("    " + line for line in network.numpy(style="plan").splitlines()))
print()
print(f"prediction for {layer_0.tolist()}: {prediction[0, 0]:.8f}")
