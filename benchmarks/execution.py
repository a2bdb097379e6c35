"""Speed and memory of compiled code against hand-written book NumPy (issue: shapes and plan).

    python benchmarks/execution.py [--rounds N] [--quick]

The network is the book's `l2 = relu(l0W0)W1`. Compared, in interleaved rounds (each round
times every variant once, in a rotating order, so drift in the machine's speed hits all of
them alike), medians reported as ratios to the hand-written code:

    hand     relu(x.dot(W0)).dot(W1) with relu = (x > 0) * x, as the book writes it
    book     Program.compile(style="book"): the book's code, with shape checks
    plan     Program.compile(style="plan"): one step per line, relu in place, shape checks

(a) a tiny call, 1×3 → 4 → 1 (target: plan ≤ 1.15× hand, with the shape checks on);
(b) a batch of 4096, 784 → 256 → 10, float64 and float32 (target: plan ≤ 1.0× hand, and
    no more peak memory, measured with tracemalloc);
(c) building the plan of a 10-factor chain, shapes, steps, totals and chain order
    included (target < 100 µs).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
import tracemalloc

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import notation  # noqa: E402
from notation.plan import build  # noqa: E402
from notation.shapes import options  # noqa: E402

PROGRAM = "l2 = relu(l0W0)W1"


def relu(x):
    return (x > 0) * x


def hand(x, W0, W1):
    return relu(x.dot(W0)).dot(W1)


def variants():
    program = notation.parse(PROGRAM)
    book = program.compile(style="book")
    plan = program.compile(style="plan")
    return {
        "hand": lambda x, W0, W1: hand(x, W0, W1),
        "book": lambda x, W0, W1: book(l0=x, W0=W0, W1=W1)["l2"],
        "plan": lambda x, W0, W1: plan(l0=x, W0=W0, W1=W1)["l2"],
    }


def interleaved(funcs: dict, args, rounds: int, calls: int) -> dict[str, tuple[float, float]]:
    """(median seconds per call, median ratio to "hand") of each function, over rounds that
    time each once; the ratio is taken within each round, so that a round slowed by the
    rest of the machine slows both sides of it."""
    names = list(funcs)
    times = {n: [] for n in names}
    for f in funcs.values():                      # warm up: first calls compile, fault pages
        f(*args)
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            f = funcs[name]
            start = time.perf_counter()
            for _ in range(calls):
                f(*args)
            times[name].append((time.perf_counter() - start) / calls)
    return {n: (statistics.median(t),
                statistics.median(a / b for a, b in zip(t, times["hand"])))
            for n, t in times.items()}


def peak_memory(f, args) -> int:
    f(*args)
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        result = f(*args)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    del result
    return peak


def check_same(funcs, args) -> None:
    expected = funcs["hand"](*args)
    for name, f in funcs.items():
        if f(*args).tobytes() != expected.tobytes():
            raise SystemExit(f"{name} does not compute the hand-written result bit for bit")


def report(title: str, medians: dict, unit: float, unit_name: str) -> float:
    print(title)
    for name, (t, ratio) in medians.items():
        print(f"  {name:<5} {t / unit:10.2f} {unit_name}   {ratio:5.3f}× hand")
    return medians["plan"][1]


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="fewer rounds and calls")
    args = parser.parse_args(argv)
    rounds = 5 if args.quick else args.rounds
    funcs = variants()
    print(f"NumPy {np.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n")

    # (a) the tiny call
    rng = np.random.default_rng(1)
    tiny = (np.array([[1.0, 0.0, 1.0]]), 2 * rng.random((3, 4)) - 1, 2 * rng.random((4, 1)) - 1)
    check_same(funcs, tiny)
    ratio_tiny = report("(a) one example, 1×3 → 4 → 1, per call",
                        interleaved(funcs, tiny, rounds * 2, 500 if args.quick else 3000),
                        1e-6, "µs")
    print(f"  target plan ≤ 1.15× hand: {verdict(ratio_tiny <= 1.15)}\n")

    # (b) a batch of 4096
    big_ok = True
    for dtype in (np.float64, np.float32):
        x = rng.standard_normal((4096, 784)).astype(dtype)
        W0 = (rng.standard_normal((784, 256)) * 0.05).astype(dtype)
        W1 = (rng.standard_normal((256, 10)) * 0.05).astype(dtype)
        big = (x, W0, W1)
        check_same(funcs, big)
        ratio = report(f"(b) batch 4096 × 784 → 256 → 10, {np.dtype(dtype).name}, per call",
                       interleaved(funcs, big, rounds, 1), 1e-3, "ms")
        memory = {name: peak_memory(f, big) for name, f in funcs.items()}
        for name, m in memory.items():
            print(f"  {name:<5} peak {m / 2**20:8.2f} MiB   {m / memory['hand']:5.3f}× hand")
        ok = ratio <= 1.0 and memory["plan"] <= memory["hand"]
        big_ok &= ok
        print(f"  target plan ≤ 1.0× hand and no more memory: {verdict(ok)}\n")

    # (c) plan building
    program = notation.parse("l10 = l0" + "".join(f"W{k}" for k in range(10)))
    sizes = [64, 512, 32, 256, 16, 128, 8, 1024, 4, 64, 10]
    opts = options(sizes=",".join(map(str, sizes)), batch="32")
    plan = build(program, opts)
    assert plan.chains[0].best_flops is not None
    samples = []
    n = 200 if args.quick else 1000
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(n):
            build(program, opts)
        samples.append((time.perf_counter() - start) / n)
    built = statistics.median(samples)
    calibration = min(_loop_time() for _ in range(5))
    print("(c) building the plan of a 10-factor chain (shapes, steps, totals, chain order)")
    print(f"  {built * 1e6:8.1f} µs per plan   (this machine runs sum(range(1000)) in "
          f"{calibration * 1e6:.1f} µs)")
    print(f"  target < 100 µs: {verdict(built < 100e-6)}")
    return 0


def _loop_time() -> float:
    start = time.perf_counter()
    for _ in range(100):
        sum(range(1000))
    return (time.perf_counter() - start) / 100


if __name__ == "__main__":
    sys.exit(main())
