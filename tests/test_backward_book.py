"""The book's own numbers, from steps notation derives (issue 13's "done when").

Chapter 13 opens with a two-layer linear network trained on four examples, full batch:
``notation backward 'l2 = l0W0W1' --loss mse --to numpy`` must be that training step, so
ten runs of it print the book's ten losses. (The data, seed and learning rate are the
book's; the loop below is this test's own.)
"""

import subprocess
import sys

import numpy as np

from notation import parse

# Grokking Deep Learning, chapter 13, "Use autograd to train a neural network": the loss
# Σ (layer_2 - target)² printed at each of ten iterations, before that iteration's update.
BOOK_CHAPTER_13 = [5.066439994622395, 0.4959907791902342, 0.4180671892167177,
                   0.35298133007809646, 0.2972549636567377, 0.2492326038163328,
                   0.20785392075862477, 0.17231260916265176, 0.14193744536652986,
                   0.11613979792168384]


def _chapter_13_losses(step_code: str) -> list[float]:
    np.random.seed(0)
    scope = {
        "np": np,
        "layer_0": np.array([[0, 0], [0, 1], [1, 0], [1, 1]]),
        "y": np.array([[0], [1], [0], [1]]),
        "weights_0_1": np.random.rand(2, 3),
        "weights_1_2": np.random.rand(3, 1),
        "alpha": 0.1,
    }
    losses = []
    for _ in range(10):
        exec(step_code, scope)      # noqa: S102 (notation's own output)
        losses.append(float(np.sum((scope["layer_2"] - scope["y"]) ** 2)))
    return losses


def test_chapter_13_step_from_the_cli_prints_the_books_ten_losses():
    r = subprocess.run([sys.executable, "-m", "notation", "backward", "l2 = l0W0W1",
                        "--loss", "mse", "--to", "numpy"],
                       capture_output=True, text=True, encoding="utf-8", check=True)
    losses = _chapter_13_losses(r.stdout)
    for ours, book in zip(losses, BOOK_CHAPTER_13):
        assert f"{ours:.13g}" == f"{book:.13g}", (ours, book, r.stdout)


def test_chapter_13_step_is_the_books_code():
    # The book names the product layer_1 and computes every update from the forward values.
    assert parse("l2 = l0W0W1").backward().algebra().splitlines() == [
        "l1 = l0W0", "l2 = l1W1", "δ2 = l2 - y", "δ1 = δ2W1ᵀ", "W1 -= αl1ᵀδ2", "W0 -= αl0ᵀδ1"]


def test_chapter_6_streetlight_in_both_signs_prints_the_books_six_errors():
    from pathlib import Path

    from tests.test_examples import _book_streetlight_errors
    example = Path(__file__).resolve().parent.parent / "examples" / "streetlight_train.py"
    book = _book_streetlight_errors()
    for sign in ("y-l", "l-y"):
        r = subprocess.run([sys.executable, str(example), sign], capture_output=True,
                           text=True, encoding="utf-8", timeout=120)
        assert r.returncode == 0, r.stderr
        assert [line for line in r.stdout.splitlines() if line.startswith("Error:")] == book
    assert "δ2 = y - l2" in r.stdout or sign == "l-y"


def test_the_books_sign_is_chapter_6s_code():
    step = parse("l2 = relu(l0W0)W1").backward(delta="y-l").numpy().splitlines()
    assert step[2:] == [
        "layer_2_delta = y - layer_2",
        "layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1)",
        "weights_1_2 += alpha * layer_1.T.dot(layer_2_delta)",
        "weights_0_1 += alpha * layer_0.T.dot(layer_1_delta)"]
