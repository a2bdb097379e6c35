"""Parse speed and CLI start-up (issue: language core).

    python benchmarks/parse.py

(a) parse time of a generated 10,000-statement program (target < 1 s), best of 5;
(b) cold start of `notation algebra "l2 = relu(l0W0)W1"` as a ratio to
    `python -c "import lark"` (target <= 1.5), medians of interleaved runs.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

import notation
from notation.parser import driver

TEMPLATES = [
    "l{n} = relu(l{k}W{k})",
    "l{n} = relu(l{k}W{k} + b{k}) ⊙ M{k}",
    "δ{k} = δ{n}W{k}ᵀ ⊙ relu'(l{k})",
    "W{k} -= αl{k}ᵀδ{n}",
    "l{n} = softmax(l{k}W{k})",
    "l{k} : b×{u}",
    "δ{n} = l{n} - y",
    "l{n} = σ(l{k}W{k}) # a comment",
]


def program(statements: int) -> str:
    lines = []
    for i in range(statements):
        k = i % 997
        lines.append(TEMPLATES[i % len(TEMPLATES)].format(k=k, n=k + 1, u=10 + k))
    return "\n".join(lines)


def best_of(fn, repeat=5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def cold_start(runs: int = 21) -> tuple[float, float]:
    # The console script of this interpreter's environment, not whichever is first on PATH:
    # both sides of the ratio must start the same Python with the same site-packages.
    script = os.path.join(os.path.dirname(sys.executable), "notation")
    exe = script if os.path.exists(script) else ""
    ours = [exe, "algebra", "l2 = relu(l0W0)W1"] if exe else \
        [sys.executable, "-m", "notation", "algebra", "l2 = relu(l0W0)W1"]
    base = [sys.executable, "-c", "import lark"]
    subprocess.run(ours, check=True, capture_output=True)  # warm the disk
    a, b = [], []
    for _ in range(runs):  # interleaved, so that machine noise hits both alike
        for cmd, acc in ((base, a), (ours, b)):
            t = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            acc.append(time.perf_counter() - t)
    return statistics.median(a), statistics.median(b)


def main() -> None:
    driver()  # load the parser's tables once, as any long-running user does
    text = program(10_000)
    seconds = best_of(lambda: notation.parse(text))
    per_statement = seconds / 10_000 * 1e6
    print(f"(a) parse 10,000 statements ({len(text):,} chars): {seconds:.3f} s "
          f"({per_statement:.0f} µs per statement)  target < 1 s: "
          f"{'met' if seconds < 1 else 'NOT met'}")
    base, ours = cold_start()
    ratio = ours / base
    print(f"(b) cold start: `import lark` {base * 1e3:.1f} ms, "
          f"`notation algebra …` {ours * 1e3:.1f} ms, ratio {ratio:.2f}  target <= 1.5: "
          f"{'met' if ratio <= 1.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
