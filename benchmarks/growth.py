"""Growth per decade of every entry point (issue 16): linear is ×10, the target is ≤ 12×.

    python benchmarks/growth.py [--sizes 1000,10000,100000] [--only plan,compile]

A network of n layers (``l1 = relu(l0W0)``, ``l2 = sigmoid(l1W1)``, …, with --sizes-style
declarations so that plan and compile have numbers) is given to each entry point; a chain of
n factors for the chain-ordering entry point. Each time is the best of a few runs (one for
the largest size), and the line prints the ratio of each size's time to the one before.
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import time

import notation

FUNCTIONS = ["relu", "sigmoid", "tanh"]


def network(n: int) -> str:
    lines = ["l0 : 1×3"]
    for k in range(n):
        lines.append(f"l{k + 1} = {FUNCTIONS[k % 3]}(l{k}W{k})")
    return "\n".join(lines)


def cli(args: list[str], source: str) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".nn", delete=False, encoding="utf-8") as f:
        f.write(source)
    try:
        subprocess.run([sys.executable, "-m", "notation", *args, "-f", f.name, "-o",
                        os.devnull], check=True, capture_output=True)
    finally:
        os.unlink(f.name)


def entry_points():
    """name -> (setup(n) -> state, run(state))."""
    parse = notation.parse
    p = lambda n: parse(network(n))  # noqa: E731
    return {
        "parse": (network, parse),
        "algebra": (p, lambda prog: prog.algebra()),
        "numpy": (p, lambda prog: prog.numpy()),
        "numpy --module": (p, lambda prog: prog.numpy(module=True)),
        "latex": (p, lambda prog: prog.latex()),
        "plan": (p, lambda prog: prog.plan()),
        "compile": (p, lambda prog: prog.compile()),
        "from_numpy": (lambda n: p(n).numpy(), notation.from_numpy),
        "compare": (lambda n: (network(n), p(n).numpy()), lambda v: notation.compare(*v)),
        "diagram": (p, _diagram),
        "show --html": (p, _html),
        "backward": (p, lambda prog: prog.backward()),
    }


def _diagram(program):
    from notation.emit.diagram import svg, text
    from notation.side_by_side import views
    pic = views(program).picture()
    return svg(pic), text(pic)


def _html(program):
    from notation.side_by_side import html_page
    return html_page(program)


def timed(setup, run, n: int, repeat: int) -> float:
    state = setup(n)
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        run(state)
        best = min(best, time.process_time() - start)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--only", help="comma-separated entry points")
    ap.add_argument("--budget", type=float, default=120.0,
                    help="skip the next size of an entry point once one run took this long")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    table = entry_points()
    names = args.only.split(",") if args.only else list(table)
    worst = 0.0
    for name in names:
        setup, run = table[name]
        times: list[float] = []
        for n in sizes:
            if times and times[-1] * 12 > args.budget:
                break
            try:
                times.append(timed(setup, run, n, 1 if n == sizes[-1] else 3))
            except notation.NotationError as e:
                print(f"{name:15} n={n}: {e.message}")
                break
        growth = [b / a for a, b in zip(times, times[1:])]
        worst = max([worst, *growth])
        cells = "  ".join(f"{n:>7,}: {t:8.3f} s" for n, t in zip(sizes, times))
        ratio = "  ".join(f"×{g:.1f}" for g in growth)
        print(f"{name:15} {cells}   growth per decade {ratio}", flush=True)
    print(f"worst growth per decade: ×{worst:.1f} (target ≤ ×12)")
    return 0 if worst <= 12 else 1


if __name__ == "__main__":
    sys.exit(main())
