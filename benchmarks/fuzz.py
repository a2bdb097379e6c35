"""Long fuzzing run: every input parses or raises NotationError, within 1 s (SPEC §6).

    python benchmarks/fuzz.py --count 1000000 --seed 1 [--state fuzz-state.json]

Deterministic: input i of a run is made by random.Random(f"{seed}:{i}"), so a run can be
stopped and resumed (--state keeps the count done and the findings) and any finding can be
replayed from its index alone. Generators: random text over the notation's alphabet,
token soups, mutations of valid programs (delete/insert/swap/duplicate, unbalanced
brackets, huge numbers, stray Unicode, NUL bytes), random LaTeX, and random Python for the
NumPy reader when that reader is installed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import string
import sys
import time
import traceback

import notation
from notation import NotationError

ALPHABET = (string.ascii_letters + string.digits + " \t\n;#%_{}()[]^'′.,:=+-−*/@·⋅⊙∘÷ᵀ⊤×∈ℝ\\&$~!"
            + "αβγδεσλΔΣ")
STRAY = ["\x00", "\u200b", "\ufeff", "\U0001F600", "\u202e", "\r", "\x0b", "é", "ﬁ", "𝑊"]
TOKENS = ["relu", "sigmoid", "softmax", "tanh", "exp", "log", "\\left(", "\\right)",
          "\\operatorname{relu}", "\\mathrm{tanh}", "\\frac", "\\cdot", "\\odot", "^{\\top}",
          "\\alpha", "\\delta", "\\in", "\\mathbb{R}", "^{", "^T", "_{", "l0", "W0", "l1", "W1",
          "δ2", "α", "scalar", "x", "R^", "\\begin{aligned}", "\\end{aligned}", "\\\\", "&=",
          "-=", "+=", "\\mathrel{-}=", "1e-3", "(", ")", "{", "}", "ᵀ", "'", " ", "\n", ";",
          "⊙", "*", "/", "+", "-", "@", "·", "=", ":", "∈", "×", ","]
VALID = [
    "l2 = relu(l0W0)W1",
    "l1 = relu(l0W0)\nl2 = l1W1",
    "δ1 = δ2W1ᵀ ⊙ relu'(l1)",
    "W1 -= αl1ᵀδ2",
    "l0 : b×784\nW0 ∈ ℝ^{784×40}\nl1 = relu(l0W0 + b0) ⊙ M1\nl2 = softmax(l1W1)",
    "l_{2} = \\operatorname{relu}\\left(l_{0} W_{0}\\right) W_{1}",
    "\\begin{aligned} l_{1} &= \\sigma\\left(l_{0} W_{0}\\right) \\\\ "
    "W_{0} &\\mathrel{-}= \\alpha l_{0}^{\\top} \\delta_{1} \\end{aligned}",
    "δ2 = l2 - y; W0 += 0.5 l0ᵀδ1 # update",
]
PYTHON = [
    "layer_2 = relu(layer_0.dot(weights_0_1)).dot(weights_1_2)",
    "layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1)",
    "weights_1_2 -= alpha * layer_1.T.dot(layer_2_delta)",
    "def f(layer_0, weights_0_1):\n    return np.maximum(0, layer_0 @ weights_0_1)",
    "layer_1 = 1 / (1 + np.exp(-np.dot(layer_0, weights_0_1)))",
]


def mutate(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 4)):
        i = rng.randint(0, len(text))
        j = rng.randint(0, len(text))
        op = rng.choice(["delete", "insert", "swap", "duplicate", "bracket", "number", "stray"])
        if op == "delete":
            text = text[:i] + text[i + rng.randint(1, 4):]
        elif op == "insert":
            text = text[:i] + rng.choice(TOKENS) + text[i:]
        elif op == "swap" and i < len(text) and j < len(text):
            chars = list(text)
            chars[i], chars[j] = chars[j], chars[i]
            text = "".join(chars)
        elif op == "duplicate":
            text = text[:i] + text[min(i, j):max(i, j)] + text[i:]
        elif op == "bracket":
            text = text[:i] + rng.choice("(){}") * rng.randint(1, 300) + text[i:]
        elif op == "number":
            text = text[:i] + str(rng.randint(0, 9)) * rng.randint(20, 5000) + text[i:]
        else:
            text = text[:i] + rng.choice(STRAY) + text[i:]
    return text


def generate(rng: random.Random) -> tuple[str, str]:
    kind = rng.choice(["alphabet", "tokens", "mutation", "latex", "python"])
    if kind == "alphabet":
        return kind, "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 60)))
    if kind == "tokens":
        return kind, "".join(rng.choice(TOKENS) for _ in range(rng.randint(0, 30)))
    if kind == "mutation":
        return kind, mutate(rng, rng.choice(VALID))
    if kind == "latex":
        return kind, mutate(rng, rng.choice(VALID[5:7]))
    return kind, mutate(rng, rng.choice(PYTHON))


def readers():
    """Every reader of text the library has, by input kind."""
    table = {"text": notation.parse}
    from_numpy = getattr(notation, "from_numpy", None)
    if from_numpy is not None:
        table["python"] = from_numpy
    return table


def check(reader, text: str) -> str | None:
    """None if the reader behaved; otherwise a description of the finding."""
    start = time.perf_counter()
    try:
        result = reader(text)
    except NotationError as e:
        span = e.span
        if span is not None and not (0 <= span.start <= span.end <= len(text)):
            return f"span {span} outside the text"
        str(e)
        result = None
    except Exception:  # noqa: BLE001 - the point is to catch anything else
        return "raised " + traceback.format_exc(limit=4)
    elapsed = time.perf_counter() - start
    if elapsed > 1.0:
        return f"took {elapsed:.2f} s"
    if result is not None and hasattr(result, "algebra"):
        try:
            again = notation.parse(result.algebra())
        except Exception:  # noqa: BLE001
            return "its algebra does not parse: " + traceback.format_exc(limit=4)
        if again != result:
            return "its algebra parses to another tree"
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--state", help="JSON file to resume from and save progress to")
    args = ap.parse_args()

    state = {"seed": args.seed, "done": 0, "findings": [], "by_kind": {}}
    if args.state and os.path.exists(args.state):
        with open(args.state, encoding="utf-8") as f:
            saved = json.load(f)
        if saved.get("seed") == args.seed:
            state = saved
    table = readers()
    started = time.perf_counter()
    last_save = started
    i = state["done"]
    while i < args.count:
        rng = random.Random(f"{args.seed}:{i}")
        kind, text = generate(rng)
        targets = [table["text"]] + ([table["python"]] if kind == "python" and "python" in table else [])
        for reader in targets:
            finding = check(reader, text)
            if finding:
                state["findings"].append({"index": i, "kind": kind, "input": text[:500],
                                          "reader": reader.__name__, "finding": finding})
        state["by_kind"][kind] = state["by_kind"].get(kind, 0) + 1
        i += 1
        now = time.perf_counter()
        if args.state and now - last_save > 10:
            state["done"] = i
            _save(args.state, state)
            last_save = now
        if i % 100_000 == 0:
            print(f"{i:,} inputs, {len(state['findings'])} findings, "
                  f"{i / max(now - started, 1e-9):,.0f} inputs/s this run", flush=True)
    state["done"] = i
    if args.state:
        _save(args.state, state)
    print(f"done: {state['done']:,} inputs (seed {args.seed}) by kind {state['by_kind']}; "
          f"readers: {', '.join(table)}; findings: {len(state['findings'])}")
    for f in state["findings"][:20]:
        print(json.dumps(f, ensure_ascii=False)[:800])
    return 1 if state["findings"] else 0


def _save(path: str, state: dict) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(state, f, ensure_ascii=False)
    os.replace(tmp, path)


if __name__ == "__main__":
    sys.exit(main())
