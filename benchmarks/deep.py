"""Deep and large inputs, timed (issue: robustness). The tests (tests/test_deep_inputs.py)
check the answers; this prints how long each takes, since 'within seconds' is a time.

    python benchmarks/deep.py [--factors 100000] [--layers 10000] [--parts layers,limit]

Inputs: a product of --factors factors (a tree as deep as it is long), 10,000 nested
parentheses, a network of --layers layers with dimensions of their own (symbolic shapes),
a 10 MB program. Each line: what was done, CPU seconds, and the answer (ok, or the error's
first line).
"""

from __future__ import annotations

import argparse
import gc
import time

import notation
from notation import NotationError, parse


def timed(label: str, fn) -> None:
    # CPU time, as the other benchmarks: the machine is shared, wall time measures the rest
    gc.collect()
    start = time.process_time()
    try:
        result = fn()
        seconds = time.process_time() - start
        del result                    # (freed after the clock stops)
        answer = "ok"
    except NotationError as e:
        seconds = time.process_time() - start
        answer = "NotationError: " + e.message
    print(f"  {label:<44} {seconds:7.2f} s  {answer[:70]}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--factors", type=int, default=100_000)
    ap.add_argument("--layers", type=int, default=10_000)
    ap.add_argument("--parts", default="factors,parentheses,layers,big,limit",
                    help="comma-separated parts to run (default: all)")
    args = ap.parse_args()
    parts = set(args.parts.split(","))
    if "factors" in parts:
        _factors(args.factors)
    if "parentheses" in parts:
        print("10,000 nested parentheses")
        timed("parse", lambda: parse("(" * 10_000 + "x" + ")" * 10_000))
    if "layers" in parts:
        _layers(args.layers)
    if "big" in parts or "limit" in parts:
        _big(parts)


def _factors(n: int) -> None:
    text = "y = " + "".join(f"W{i % 10}" for i in range(n))
    print(f"a product of {n:,} factors ({len(text):,} characters)")
    box = {}
    timed("parse", lambda: box.setdefault("p", parse(text)))
    p = box["p"]
    timed("algebra", p.algebra)
    timed("algebra --ascii", lambda: p.algebra(ascii=True))
    timed("numpy (book)", p.numpy)
    timed("numpy (plan style)", lambda: p.numpy(style="plan"))
    timed("numpy --module", lambda: p.numpy(module=True))
    timed("latex --document", lambda: p.latex(document=True))
    timed("parse(latex) == tree", lambda: parse(p.latex()) == p)
    timed("== and hash and repr", lambda: (p == parse(text), hash(p), repr(p)))
    timed("plan (no convention)", lambda: p.plan(convention=False))
    timed("compare algebra with latex", lambda: notation.compare(text, p.latex()))
    timed("from_numpy(numpy)", lambda: notation.from_numpy(p.numpy()))
    timed("to_sympy", lambda: p.to_sympy(convention=False))
    timed("backward (l1 = l0W0W1…)",
          lambda: parse("l1 = l0" + "".join(f"W{i}" for i in range(n))).backward())


def _layers(k: int) -> None:
    net = parse("".join(f"l{i + 1} = relu(l{i}W{i} + b{i})\n" for i in range(k)))
    print(f"{k:,} layers, each with dimensions of its own")
    timed("plan (symbolic shapes) and its text", lambda: net.plan().text())
    timed("plan with --sizes", lambda: net.plan(sizes=[8] * (k + 1)))
    timed("backward, every view of it", lambda: (lambda b: (b.numpy(), b.latex()))(net.backward()))


def _big(parts: set) -> None:
    line = "l2 = relu(l1W1 + b1)\n"
    if "big" in parts:
        big = line * (10_000_000 // len(line) + 1)
        print(f"a 10 MB program ({len(big):,} characters)")
        timed("parse", lambda: parse(big))
    if "limit" not in parts:
        return
    at_limit = line * (notation.parser.MAX_SOURCE_CHARS // len(line))
    print(f"a program at the limit ({len(at_limit):,} characters)")
    q = {}
    timed("parse", lambda: q.setdefault("p", parse(at_limit)))
    timed("algebra", q["p"].algebra)
    timed("numpy", q["p"].numpy)
    timed("latex", q["p"].latex)
    timed("plan", lambda: q["p"].plan())


if __name__ == "__main__":
    main()
