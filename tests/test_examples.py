"""The examples run, and print what the book's own code prints."""

import subprocess
import sys
from pathlib import Path

import numpy as np

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _book_streetlight_errors() -> list[str]:
    """Chapter 6 of the book, as written there (with y - l2 and +=)."""
    np.random.seed(1)

    def relu(x):
        return (x > 0) * x

    def relu2deriv(output):
        return output > 0

    streetlights = np.array([[1, 0, 1], [0, 1, 1], [0, 0, 1], [1, 1, 1]])
    walk_vs_stop = np.array([[1, 1, 0, 0]]).T
    alpha, hidden_size = 0.2, 4
    weights_0_1 = 2 * np.random.random((3, hidden_size)) - 1
    weights_1_2 = 2 * np.random.random((hidden_size, 1)) - 1
    printed = []
    for iteration in range(60):
        layer_2_error = 0
        for i in range(len(streetlights)):
            layer_0 = streetlights[i:i + 1]
            layer_1 = relu(np.dot(layer_0, weights_0_1))
            layer_2 = np.dot(layer_1, weights_1_2)
            layer_2_error += np.sum((layer_2 - walk_vs_stop[i:i + 1]) ** 2)
            layer_2_delta = (walk_vs_stop[i:i + 1] - layer_2)
            layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1)
            weights_1_2 += alpha * layer_1.T.dot(layer_2_delta)
            weights_0_1 += alpha * layer_0.T.dot(layer_1_delta)
        if iteration % 10 == 9:
            printed.append("Error:" + str(layer_2_error))
    return printed


def test_streetlight_training_prints_the_books_errors():
    r = subprocess.run([sys.executable, str(EXAMPLES / "streetlight_train.py")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    errors = [line for line in r.stdout.splitlines() if line.startswith("Error:")]
    assert errors == _book_streetlight_errors()
    assert len(errors) == 6
    assert "δ1 = δ2W1ᵀ ⊙ relu'(l1)" in r.stdout
