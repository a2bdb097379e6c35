"""Train the book's streetlight network (chapter 6), with the training step derived by notation.

The forward pass is the algebra `l2 = relu(l0W0)W1`; `notation` derives the deltas and the
weight updates from it and compiles them, with the sign chapter 6 writes (`δ2 = y - l2`,
updates `+=`; `--delta y-l` on the command line). The data, seed, hidden size, learning
rate and loop are the book's, and the error is printed every 10 iterations as the book
prints it.

    python examples/streetlight_train.py            # the book's sign
    python examples/streetlight_train.py l-y        # the gradient's sign: the same errors
"""

import sys

import numpy as np

import notation

forward = notation.parse("l2 = relu(l0W0)W1")
training_step = forward.backward(loss="mse", delta=(sys.argv[1:] or ["y-l"])[0])
print("the training step, derived from", forward.algebra())
print("\n".join("    " + line for line in training_step.algebra().splitlines()))
print()
print("as the book writes it:")
print("\n".join("    " + line for line in training_step.numpy().splitlines()))
print()
step = training_step.compile(style="book")

streetlights = np.array([[1, 0, 1],
                         [0, 1, 1],
                         [0, 0, 1],
                         [1, 1, 1]])
walk_vs_stop = np.array([[1, 1, 0, 0]]).T
alpha = 0.2
hidden_size = 4
# The book's start: np.random.seed(1), then 2 * np.random.random(shape) - 1 for each matrix
# in turn. Program.init draws the same numbers for the shapes it checked (`notation init`).
weights = forward.init(sizes=(3, hidden_size, 1), seed=1)
weights_0_1, weights_1_2 = weights["W0"], weights["W1"]

for iteration in range(60):
    layer_2_error = 0
    for i in range(len(streetlights)):
        out = step(l0=streetlights[i:i + 1], W0=weights_0_1, W1=weights_1_2,
                   y=walk_vs_stop[i:i + 1], α=alpha)
        layer_2_error += np.sum((out["l2"] - walk_vs_stop[i:i + 1]) ** 2)
        weights_0_1, weights_1_2 = out["W0"], out["W1"]
    if iteration % 10 == 9:
        print("Error:" + str(layer_2_error))
