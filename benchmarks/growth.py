"""Growth per decade of every entry point (issue 16): linear is ×10, the target is ≤ 12×.

    python benchmarks/growth.py [--ladder layers|factors|both] [--sizes …] [--only plan,compile]

Two ladders, each given to every entry point (parse, algebra, numpy, numpy --module, latex,
plan, compile, from_numpy, compare, diagram, show --html, backward):

- ``layers``: a network of n statements ``l1 = relu(l0W0)``, ``l2 = sigmoid(l1W1)``, … after
  ``l0 : 1×3`` (so the batch is known and every other dimension is a symbol), for n = 1,000
  and 10,000. 100,000 statements do not fit: the program would be 2.9 million characters and
  the limit is 1,000,000 (SPEC §6), so this ladder stops at 10,000.
- ``factors``: one statement ``l1 = l0W0W1…W(n-1)``, a chain of n + 1 factors whose shapes
  the book's convention chains (W_k : n_k×n_(k+1)), for n = 1,000, 10,000 and 100,000 (the
  last is 588,897 characters). from_numpy and compare read its NumPy one product a line
  (stepwise_numpy): Python's parser refuses the book style's single expression that deep.

Each time is CPU time (time.process_time: the machine is shared, wall time measures the
neighbours), the best of five runs (three for a size whose first run took over 3 s), each
after a ``gc.collect()``, after one uncounted run at the smallest size (imports, caches). The sizes are interleaved: the first round runs them smallest
first (so ``--budget`` can stop a ladder early), the next ones alternate largest first and
smallest first, so that a minute of heavy load on the machine falls on every size and not
on one. The line prints, for each size, the best time and its spread (how much the slowest
run took over the best), then the growth per decade (the ratio of the best times) with, in
brackets, the range of the ratios of the runs made in the same round (the two sizes
measured next to each other): a growth whose range stays under ×12 is a fact, not noise.
An entry point that refuses an input with a NotationError says so on its line (a clear
refusal is an answer, not a time).

``--instructions`` counts instead of timing: each size's run is made in a child process under
valgrind (cachegrind, no cache simulation), and its instructions are those of a child that
sets up and runs it less those of one that only sets it up (both make the same uncounted
warm-up run, and both leave without freeing anything). An instruction count does not move
with the neighbours' load, so this growth is the work's own; what the CPU time adds to it is
the memory's cost of a larger heap (caches, the collector). Slow (about 50× the run).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import gc
import os
import re
import shutil
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


def chain(n: int) -> str:
    return "l1 = l0" + "".join(f"W{k}" for k in range(n))


def book_numpy(program) -> str:
    return program.numpy()


def stepwise_numpy(program) -> str:
    """The NumPy of a long chain one product a line (t1 = layer_0.dot(weights_0_1), t2 = …),
    as the plan style writes it without its del lines: the book style's one expression of
    1,000 nested .dot() calls is past what Python's own parser reads (RecursionError during
    ast construction; from_numpy refuses it with a clear error)."""
    return "\n".join(line for line in program.numpy(style="plan").split("\n")
                     if not line.startswith("del "))


LADDERS = {"layers": (network, book_numpy, "1000,10000"),
           "factors": (chain, stepwise_numpy, "1000,10000,100000")}


def cli(args: list[str], source: str) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".nn", delete=False, encoding="utf-8") as f:
        f.write(source)
    try:
        subprocess.run([sys.executable, "-m", "notation", *args, "-f", f.name, "-o",
                        os.devnull], check=True, capture_output=True)
    finally:
        os.unlink(f.name)


def entry_points(source=network, code=book_numpy):
    """name -> (setup(n) -> state, run(state)), for programs ``source(n)`` and their NumPy
    ``code(program)`` (from_numpy and compare read it)."""
    parse = notation.parse
    p = lambda n: parse(source(n))  # noqa: E731
    return {
        "parse": (source, parse),
        "algebra": (p, lambda prog: prog.algebra()),
        "numpy": (p, lambda prog: prog.numpy()),
        "numpy --module": (p, lambda prog: prog.numpy(module=True)),
        "latex": (p, lambda prog: prog.latex()),
        "plan": (p, lambda prog: prog.plan()),
        "compile": (p, lambda prog: prog.compile()),
        "from_numpy": (lambda n: code(p(n)), notation.from_numpy),
        "compare": (lambda n: (source(n), code(p(n))), lambda v: notation.compare(*v)),
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


LONG = 3.0      # seconds: a size whose first run took longer is run 3 times, not 5


def timed_once(run, state) -> float:
    """One CPU time of run(state), after a collection. The result is freed after the clock
    stops: freeing a 10,000-layer plan's objects is no part of making it, and its time moved
    with the memory the others used."""
    gc.collect()
    start = time.process_time()
    result = run(state)
    elapsed = time.process_time() - start
    del result
    return elapsed


def measure(setup, run, sizes: list[int], budget: float, repeat: int = 5):
    """The runs of ``run`` at each size, interleaved: {n: [seconds of each round, None where
    that round did not run n]}, and the message of a NotationError if a size was refused
    (the sizes after it are not run). Round 1 goes up the sizes and stops before a size
    whose predecessor took over budget/12; the next rounds alternate down and up. One run
    at the smallest size before them all is not counted (the first call of an entry point
    imports modules and fills caches)."""
    states, runs, refused = {}, {}, None
    try:    # a first call imports modules and fills caches: not counted
        run(setup(sizes[0]))
    except notation.NotationError:
        pass
    for n in sizes:
        if runs and runs[list(runs)[-1]][0] * 12 > budget:
            break
        try:
            states[n] = setup(n)
            runs[n] = [timed_once(run, states[n])]
        except notation.NotationError as e:
            refused = f"n={n}: {e.message}"
            states.pop(n, None)
            break
    wanted = {n: repeat if t[0] <= LONG else min(repeat, 3) for n, t in runs.items()}
    for r in range(1, max(wanted.values(), default=0)):
        order = list(runs)[::-1] if r % 2 else list(runs)
        for n in order:
            runs[n].append(timed_once(run, states[n]) if r < wanted[n] else None)
    return runs, refused


def summary(runs: dict[int, list]) -> tuple[list[float], list[tuple[float, float, float]]]:
    """The best time of each size, and for each step up the ladder (best ratio, lowest and
    highest ratio of two runs of the same round)."""
    sizes = list(runs)
    best = [min(t for t in runs[n] if t is not None) for n in sizes]
    steps = []
    for (a, b), (ta, tb) in zip(zip(sizes, sizes[1:]), zip(best, best[1:])):
        pairs = [y / x for x, y in zip(runs[a], runs[b]) if x is not None and y is not None]
        steps.append((tb / ta, min(pairs), max(pairs)))
    return best, steps


def spread(times: list) -> float:
    """How much the slowest run took over the best, as a fraction of the best."""
    done = [t for t in times if t is not None]
    return max(done) / min(done) - 1


def instructions(ladder: str, name: str, n: int) -> int | str:
    """The instructions of one run of entry point ``name`` at size ``n`` (valgrind), or
    the message of the NotationError that refused it."""
    def child(runs: int) -> str:
        command = ["valgrind", "--tool=cachegrind", "--cache-sim=no",
                   "--cachegrind-out-file=/dev/null", sys.executable, os.path.abspath(__file__),
                   "--child", f"{ladder},{name},{n},{runs}"]
        done = subprocess.run(command, capture_output=True, text=True)
        refused = re.search(r"^refused: (.*)$", done.stdout, re.M)
        if refused:
            return refused.group(0)
        found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
        if found is None:
            raise SystemExit(f"valgrind gave no count for {name} at {n}:\n{done.stderr[-2000:]}")
        return found.group(1)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:    # the two children side by side
        setup_only, setup_and_run = pool.map(child, (0, 1))
    for out in (setup_only, setup_and_run):
        if out.startswith("refused: "):
            return out[len("refused: "):]
    return int(setup_and_run.replace(",", "")) - int(setup_only.replace(",", ""))


def _child(spec: str) -> None:
    """A child of ``instructions``: set up size n, make the warm-up run, make ``runs`` runs,
    and leave without freeing (os._exit), so that the two children differ by the runs."""
    ladder, name, n, runs = spec.split(",")
    source, code, _ = LADDERS[ladder]
    setup, run = entry_points(source, code)[name]
    kept = []
    try:
        kept.append(run(setup(10)))         # imports, caches: in both children
        state = setup(int(n))
        for _ in range(int(runs)):
            gc.collect()
            kept.append(run(state))
    except notation.NotationError as e:
        print(f"refused: n={n}: {e.message}", flush=True)
    sys.stdout.flush()
    os._exit(0)


def _instruction_ladder(ladder: str, sizes: list[int], names: list[str]) -> float:
    worst = 0.0
    for name in names:
        counts = {}
        for n in sizes:
            got = instructions(ladder, name, n)
            if isinstance(got, str):
                print(f"{name:15} {got}")
                break
            counts[n] = got
        if not counts:
            continue
        steps = [counts[b] / counts[a] for a, b in zip(counts, list(counts)[1:])]
        worst = max([worst, *steps])
        cells = "  ".join(f"{n:>7,}: {c / 1e9:8.3f} G" for n, c in counts.items())
        ratio = "  ".join(f"×{g:.2f}" for g in steps)
        print(f"{name:15} {cells}   growth per decade {ratio}", flush=True)
    return worst


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _child(sys.argv[2])
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ladder", choices=["layers", "factors", "both"], default="both")
    ap.add_argument("--sizes", help="comma-separated sizes (default: the ladder's)")
    ap.add_argument("--only", help="comma-separated entry points")
    ap.add_argument("--budget", type=float, default=120.0,
                    help="skip the next size of an entry point once one run took this long")
    ap.add_argument("--repeat", type=int, default=5,
                    help=f"runs of each size (at most 3 for a size whose first run took over "
                         f"{LONG:g} s)")
    ap.add_argument("--instructions", action="store_true",
                    help="count each run's instructions under valgrind instead of timing it")
    args = ap.parse_args()
    if args.instructions and shutil.which("valgrind") is None:
        print("--instructions needs valgrind (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    worst = 0.0
    for ladder in (["layers", "factors"] if args.ladder == "both" else [args.ladder]):
        source, code, default = LADDERS[ladder]
        sizes = [int(s) for s in (args.sizes or default).split(",")]
        print(f"ladder {ladder}: {source(2)!r} … at " + ", ".join(f"{n:,}" for n in sizes)
              + f"; from_numpy and compare read its {code.__name__}", flush=True)
        if args.instructions:
            names = args.only.split(",") if args.only else list(entry_points(source, code))
            worst = max(worst, _instruction_ladder(ladder, sizes, names))
        else:
            worst = max(worst, _ladder(source, code, sizes, args))
    print(f"worst growth per decade: ×{worst:.1f} (target ≤ ×12)")
    return 0 if worst <= 12 else 1


def _ladder(source, code, sizes, args) -> float:
    table = entry_points(source, code)
    names = args.only.split(",") if args.only else list(table)
    worst = 0.0
    for name in names:
        setup, run = table[name]
        runs, refused = measure(setup, run, sizes, args.budget, args.repeat)
        if refused:
            print(f"{name:15} {refused}")
        if not runs:
            continue
        best, steps = summary(runs)
        worst = max([worst, *(g for g, _, _ in steps)])
        cells = "  ".join(f"{n:>7,}: {t:8.3f} s +{spread(runs[n]):4.0%}"
                          for n, t in zip(runs, best))
        ratio = "  ".join(f"×{g:.1f} [×{lo:.1f}–×{hi:.1f}]" for g, lo, hi in steps)
        print(f"{name:15} {cells}   growth per decade {ratio}", flush=True)
    return worst


if __name__ == "__main__":
    sys.exit(main())
