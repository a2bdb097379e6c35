"""Translation speed and scale, measured side by side in one run (issue: speed and scale).

    python benchmarks/translate.py            # makes benchmarks/.venv on first use

The comparison libraries (latexify-py, opt_einsum) are installed only in the benchmark's own
virtual environment, never as dependencies of notation: on first run this script makes
``benchmarks/.venv``, installs notation (editable) and them into it, and runs itself there.

Prints:
  1. throughput of parse -> algebra + NumPy + LaTeX on a corpus of single-statement networks,
     against SymPy (parse_expr with implicit multiplication, then latex) on the closest
     expressions it accepts, and against latexify on the equivalent Python functions;
  2. programs of 10, 100, 1,000 and 10,000 statements through every view and the plan, with
     the growth per decade;
  3. plan building for 3- and 10-factor chains against opt_einsum.contract_path;
  4. CLI cold start of `notation numpy`, `notation latex`, `notation algebra` and
     `notation show` as ratios to `python -c "import lark"`.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV = HERE / ".venv"
NEEDED = ("latexify", "opt_einsum", "sympy")


def _bootstrap() -> None:
    """Re-run inside benchmarks/.venv, made on first use, when a comparison library is missing."""
    missing = []
    for module in NEEDED:
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if not missing or os.environ.get("NOTATION_BENCH_VENV"):
        if missing:
            sys.exit(f"missing in the benchmark venv: {', '.join(missing)}")
        return
    python = VENV / "bin" / "python"
    if not python.exists():
        print(f"making {VENV} for the comparison libraries ({', '.join(missing)}) …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-e", str(ROOT),
                        "latexify-py", "opt_einsum"], check=True)
    env = dict(os.environ, NOTATION_BENCH_VENV="1")
    os.execve(str(python), [str(python), __file__, *sys.argv[1:]], env)


# ---------------------------------------------------------------------------- corpora

ACTIVATIONS = ["relu", "sigmoid", "tanh"]


def single_statements(count: int) -> list[tuple[str, str, str]]:
    """(notation, SymPy text, Python function source) for varied one-statement networks."""
    out = []
    for i in range(count):
        k = i % 7
        f = ACTIVATIONS[i % 3]
        g = ACTIVATIONS[(i + 1) % 3]
        shape = i % 5
        if shape == 0:
            nn = f"l{k + 2} = {f}(l{k}W{k})W{k + 1}"
            sp = f"{f}(l{k} W{k}) W{k + 1}"
            py = (f"def f{i}(layer_{k}, weights_{k}_{k + 1}, weights_{k + 1}_{k + 2}):\n"
                  f"    return {f}(layer_{k} @ weights_{k}_{k + 1}) @ weights_{k + 1}_{k + 2}\n")
        elif shape == 1:
            nn = f"l{k + 1} = {f}(l{k}W{k} + b{k})"
            sp = f"{f}(l{k} W{k} + b{k})"
            py = (f"def f{i}(layer_{k}, weights_{k}_{k + 1}, b_{k}):\n"
                  f"    return {f}(layer_{k} @ weights_{k}_{k + 1} + b_{k})\n")
        elif shape == 2:
            nn = f"δ{k} = δ{k + 1}W{k}ᵀ ⊙ {f}'(l{k})"
            sp = f"delta{k + 1} W{k}_T * {f}p(l{k})"
            py = (f"def f{i}(layer_{k + 1}_delta, weights_{k}_{k + 1}, layer_{k}):\n"
                  f"    return layer_{k + 1}_delta @ weights_{k}_{k + 1}.T * {f}2deriv(layer_{k})\n")
        elif shape == 3:
            nn = f"W{k} -= αl{k}ᵀδ{k + 1}"
            sp = f"W{k} - alpha l{k}_T delta{k + 1}"
            py = (f"def f{i}(weights_{k}_{k + 1}, alpha, layer_{k}, layer_{k + 1}_delta):\n"
                  f"    return weights_{k}_{k + 1} - alpha * layer_{k}.T @ layer_{k + 1}_delta\n")
        else:
            nn = f"l{k + 3} = softmax({g}({f}(l{k}W{k})W{k + 1})W{k + 2})"
            sp = f"softmax({g}({f}(l{k} W{k}) W{k + 1}) W{k + 2})"
            py = (f"def f{i}(layer_{k}, weights_{k}_{k + 1}, weights_{k + 1}_{k + 2}, "
                  f"weights_{k + 2}_{k + 3}):\n"
                  f"    return softmax({g}({f}(layer_{k} @ weights_{k}_{k + 1}) @ "
                  f"weights_{k + 1}_{k + 2}) @ weights_{k + 2}_{k + 3})\n")
        out.append((nn, sp, py))
    return out


def training_program(statements: int) -> str:
    """A deep network's shape declarations, forward pass, deltas and updates: `statements` lines.

    Each layer has units of its own, so every shape is determined and checked.
    """
    import notation
    depth = max(1, statements // 4)
    declarations = [f"l{k} : 32×{16 + (k * 7) % 48}" for k in range(depth + 1)]
    forward = "\n".join(f"l{k + 1} = {ACTIVATIONS[k % 3]}(l{k}W{k} + b{k})"
                        if k < depth - 1 else f"l{k + 1} = l{k}W{k}" for k in range(depth))
    derived = notation.parse(forward).backward().algebra().splitlines()
    lines = declarations + derived
    while len(lines) < statements:        # pad with more updates of the same weights
        lines.append(lines[-1])
    return "\n".join(lines[:statements])


# ---------------------------------------------------------------------------- measuring

def best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def section_throughput() -> None:
    import sympy
    from sympy.parsing.sympy_parser import (implicit_multiplication_application, parse_expr,
                                            standard_transformations)

    import latexify
    import notation

    corpus = single_statements(300)
    notation.parse("x")  # load the parser once, as any long-running user has

    def ours():
        for nn, _, _ in corpus:
            p = notation.parse(nn)
            p.algebra()
            p.numpy()
            p.latex()

    transformations = standard_transformations + (implicit_multiplication_application,)

    def sympys():
        for _, sp, _ in corpus:
            sympy.latex(parse_expr(sp, transformations=transformations))

    # latexify reads a function's source: write the corpus as a module and import it.
    folder = tempfile.mkdtemp()
    helpers = ("import numpy as np\n"
               "def relu(x): return (x > 0) * x\n"
               "def sigmoid(x): return 1 / (1 + np.exp(-x))\n"
               "def tanh(x): return np.tanh(x)\n"
               "def softmax(x): return np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)\n"
               "def relu2deriv(o): return o > 0\n"
               "def sigmoid2deriv(o): return o * (1 - o)\n"
               "def tanh2deriv(o): return 1 - o ** 2\n")
    Path(folder, "corpus_fns.py").write_text(helpers + "\n".join(py for _, _, py in corpus))
    sys.path.insert(0, folder)
    import corpus_fns
    functions = [getattr(corpus_fns, f"f{i}") for i in range(len(corpus))]

    def latexifys():
        for fn in functions:
            latexify.get_latex(fn)

    ours(), sympys(), latexifys()       # warm up caches and imports on all three sides
    rows = []
    for label, fn in (("notation: parse + algebra + NumPy + LaTeX", ours),
                      ("SymPy: parse_expr (implicit mult.) + latex", sympys),
                      ("latexify: get_latex of the same function", latexifys)):
        rows.append((label, len(corpus) / best(fn, 3)))
    print("1. throughput, single-statement networks (statements per second, best of 3)")
    ours_rate = rows[0][1]
    for label, rate in rows:
        print(f"   {label:<46} {rate:>10,.0f}/s")
    print(f"   ratio to SymPy    {ours_rate / rows[1][1]:6.1f}×   target ≥ 10×: "
          f"{'met' if ours_rate / rows[1][1] >= 10 else 'NOT met'}")
    print(f"   ratio to latexify {ours_rate / rows[2][1]:6.1f}×   target ≥ 1×:  "
          f"{'met' if ours_rate / rows[2][1] >= 1 else 'NOT met'}")


def section_scale() -> None:
    import notation
    print("2. programs through every view and the plan (seconds, best of 3)")
    print(f"   {'statements':>10} {'parse':>7} {'algebra':>8} {'NumPy':>7} {'LaTeX':>7} "
          f"{'plan':>7} {'total':>7} {'growth':>7}")
    previous = None
    totals = {}
    for n in (10, 100, 1_000, 10_000):
        text = training_program(n)
        program = notation.parse(text)
        parts = {
            "parse": best(lambda: notation.parse(text), 3),
            "algebra": best(program.algebra, 3),
            "numpy": best(program.numpy, 3),
            "latex": best(program.latex, 3),
            "plan": best(program.plan, 3),
        }
        total = sum(parts.values())
        totals[n] = total
        growth = f"{total / previous:6.1f}×" if previous else "      "
        print(f"   {n:>10,} {parts['parse']:7.3f} {parts['algebra']:8.3f} {parts['numpy']:7.3f} "
              f"{parts['latex']:7.3f} {parts['plan']:7.3f} {total:7.3f} {growth:>7}")
        previous = total
    worst = max(totals[b] / totals[a] for a, b in ((10, 100), (100, 1000), (1000, 10000)))
    print(f"   10,000 statements: {totals[10_000]:.3f} s, target < 1 s: "
          f"{'met' if totals[10_000] < 1 else 'NOT met'}; worst growth per decade {worst:.1f}×, "
          f"target ≤ 12×: {'met' if worst <= 12 else 'NOT met'}")


def section_chains() -> None:
    import numpy as np
    import opt_einsum

    import notation
    print("3. plan building for matrix chains (µs, best of 200), against opt_einsum.contract_path")
    rng = np.random.default_rng(0)
    letters = "abcdefghijklmnopqrstuvwxyz"
    for factors in (3, 10):
        dims = [int(d) for d in rng.integers(8, 512, size=factors + 1)]
        names = [f"W{k}" for k in range(factors)]
        text = f"y = {''.join(names)}\n" + "\n".join(
            f"W{k} : {dims[k]}×{dims[k + 1]}" for k in range(factors))
        program = notation.parse(text)
        ours = best(lambda: program.plan(convention=False), 200)
        spec = ",".join(letters[k] + letters[k + 1] for k in range(factors)) + "->" + \
            letters[0] + letters[factors]
        shapes = [(dims[k], dims[k + 1]) for k in range(factors)]
        theirs = best(lambda: opt_einsum.contract_path(spec, *shapes, shapes=True,
                                                       optimize="optimal"), 200)
        plan = program.plan(convention=False)
        print(f"   {factors:>2} factors: notation plan {ours * 1e6:8.1f} µs, "
              f"opt_einsum.contract_path {theirs * 1e6:8.1f} µs (ratio {ours / theirs:5.2f}); "
              f"FLOPs {plan.flops}" + ("   target < 100 µs: " + ("met" if ours < 1e-4 else
                                                                   "NOT met") if factors == 10 else ""))


def section_cold_start(runs: int = 15) -> None:
    # The console script of this interpreter's environment, not whichever is first on PATH:
    # both sides of the ratio must start the same Python with the same site-packages.
    script = os.path.join(os.path.dirname(sys.executable), "notation")
    exe = script if os.path.exists(script) else None
    base = [sys.executable, "-c", "import lark"]
    commands = {
        "numpy": ["numpy", "l2 = relu(l0W0)W1"],
        "latex": ["latex", "l2 = relu(l0W0)W1"],
        "algebra": ["algebra", "l2 = relu(l0W0)W1"],
        "show": ["show", "l2 = relu(l0W0)W1", "--sizes", "3,4,1"],
    }
    prefix = [exe] if exe else [sys.executable, "-m", "notation"]
    for args in commands.values():
        subprocess.run(prefix + args, check=True, capture_output=True)   # warm the disk
    times: dict[str, list[float]] = {k: [] for k in ["lark", *commands]}
    for _ in range(runs):      # interleaved, so that machine noise falls on all alike
        for key, cmd in [("lark", base)] + [(k, prefix + a) for k, a in commands.items()]:
            t = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            times[key].append(time.perf_counter() - t)
    lark = statistics.median(times["lark"])
    print(f"4. CLI cold start (median of {runs}), `python -c \"import lark\"` = {lark * 1e3:.1f} ms")
    for key in commands:
        t = statistics.median(times[key])
        target = "" if key == "show" else \
            f"   target ≤ 1.5×: {'met' if t / lark <= 1.5 else 'NOT met'}"
        print(f"   notation {key:<8} {t * 1e3:7.1f} ms  {t / lark:5.2f}×{target}")


def main() -> None:
    _bootstrap()
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores\n")
    section_throughput()
    print()
    section_scale()
    print()
    section_chains()
    print()
    section_cold_start()


if __name__ == "__main__":
    main()
