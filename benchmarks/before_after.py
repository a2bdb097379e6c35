"""The benchmarks of benchmarks/README.md for two trees of notation, side by side in one run.

    nice -n 10 python benchmarks/before_after.py OLD_TREE NEW_TREE [--rounds 3] [--only NAME]

Each case is the timed part of one benchmark (translate.py's four sections, execution.py,
parse.py, deep.py, fuzz.py's readers), run in a child process whose PYTHONPATH is one tree.
The rounds are interleaved (old, new; then new, old; …) so that the machine's drift falls on
both alike; each child reports the best of its repeats in CPU time (``time.process_time``;
a cold start is the child's user + system time), and each side's figure is the best over
the rounds. Printed: both figures and new / old. Each tree makes its inputs with its own
notation (the training programs come from its backward, as translate.py makes them).

The comparison libraries of translate.py (SymPy, latexify, opt_einsum) are the same code on
both sides, so only notation's side of each ratio is timed here; backward_oracle.py is a
correctness run (checked / skipped / failed), not timed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

# --------------------------------------------------------------------------- the inputs

MAKE_INPUTS = r'''
import json, random, sys
sys.path.insert(0, sys.argv[2])
import notation
ACTIVATIONS = ["relu", "sigmoid", "tanh"]

def singles(count):
    out = []
    for i in range(count):
        k, f, g, shape = i % 7, ACTIVATIONS[i % 3], ACTIVATIONS[(i + 1) % 3], i % 5
        out.append([f"l{k + 2} = {f}(l{k}W{k})W{k + 1}", f"l{k + 1} = {f}(l{k}W{k} + b{k})",
                    f"δ{k} = δ{k + 1}W{k}ᵀ ⊙ {f}'(l{k})", f"W{k} -= αl{k}ᵀδ{k + 1}",
                    f"l{k + 3} = softmax({g}({f}(l{k}W{k})W{k + 1})W{k + 2})"][shape])
    return out

def training(statements):            # translate.py's training_program
    depth = max(1, statements // 4)
    decl = [f"l{k} : 32×{16 + (k * 7) % 48}" for k in range(depth + 1)]
    forward = "\n".join(f"l{k + 1} = {ACTIVATIONS[k % 3]}(l{k}W{k} + b{k})"
                        if k < depth - 1 else f"l{k + 1} = l{k}W{k}" for k in range(depth))
    lines = decl + notation.parse(forward).backward().algebra().splitlines()
    while len(lines) < statements:
        lines.append(lines[-1])
    return "\n".join(lines[:statements])

TEMPLATES = ["l{n} = relu(l{k}W{k})", "l{n} = relu(l{k}W{k} + b{k}) ⊙ M{k}",
             "δ{k} = δ{n}W{k}ᵀ ⊙ relu'(l{k})", "W{k} -= αl{k}ᵀδ{n}", "l{n} = softmax(l{k}W{k})",
             "l{k} : b×{u}", "δ{n} = l{n} - y", "l{n} = σ(l{k}W{k}) # a comment"]
parse_program = "\n".join(TEMPLATES[i % 8].format(k=i % 997, n=i % 997 + 1, u=10 + i % 997)
                          for i in range(10_000))
sys.path.insert(0, sys.argv[3])
import fuzz
fuzzed = []
i = 0
while len(fuzzed) < 3000:
    kind, text = fuzz.generate(random.Random(f"1:{i}"))
    i += 1
    if kind not in ("grammar", "python"):
        fuzzed.append(text)
line = "l2 = relu(l1W1 + b1)\n"
json.dump({"singles": singles(300), "training_1000": training(1000),
           "training_10000": training(10_000), "parse_10000": parse_program, "fuzz": fuzzed,
           "limit": line * (999_999 // len(line))},
          open(sys.argv[1], "w", encoding="utf-8"), ensure_ascii=False)
'''

# --------------------------------------------------------------------------- the cases
# Each: (name, benchmark it stands for, repeats, code). The code sees INPUTS (the dict
# above) and defines run(); setup outside run() is not timed.

def _every_view_and_plan(inputs: str) -> str:
    """The timed part that parses one of INPUTS and prints every view and the plan."""
    return f"""
import notation
text = INPUTS["{inputs}"]
def run():
    p = notation.parse(text); p.algebra(); p.numpy(); p.latex(); p.plan()
"""


CASES = [
    ("translate 1: 300 single statements, parse+algebra+NumPy+LaTeX", 5, """
import notation
notation.parse("x")
def run():
    for s in INPUTS["singles"]:
        p = notation.parse(s); p.algebra(); p.numpy(); p.latex()
"""),
    ("translate 2: 1,000 statements, every view + plan", 3, _every_view_and_plan("training_1000")),
    ("translate 2: 10,000 statements, every view + plan", 2, _every_view_and_plan("training_10000")),
    ("translate 3: plan of a 3-factor chain (x200)", 5, """
import notation
p = notation.parse("y = W0W1W2\\nW0 : 44×300\\nW1 : 300×17\\nW2 : 17×480")
def run():
    for _ in range(200): p.plan(convention=False)
"""),
    ("translate 3: plan of a 10-factor chain (x200)", 5, """
import notation
dims = [44, 300, 17, 480, 96, 250, 8, 511, 64, 130, 22]
p = notation.parse("y = " + "".join(f"W{k}" for k in range(10)) + "\\n" +
                   "\\n".join(f"W{k} : {dims[k]}×{dims[k + 1]}" for k in range(10)))
def run():
    for _ in range(200): p.plan(convention=False)
"""),
    ("execution a: tiny call 1x3->4->1, book + plan style (x3000 each)", 5, """
import numpy as np, notation
p = notation.parse("l2 = relu(l0W0)W1")
book, plan = p.compile(style="book"), p.compile(style="plan")
rng = np.random.default_rng(1)
x, W0, W1 = np.array([[1.0, 0.0, 1.0]]), 2 * rng.random((3, 4)) - 1, 2 * rng.random((4, 1)) - 1
def run():
    for _ in range(3000): book(l0=x, W0=W0, W1=W1); plan(l0=x, W0=W0, W1=W1)
"""),
    ("execution b: batch 4096x784->256->10 float64, plan style", 5, """
import numpy as np, notation
f = notation.parse("l2 = relu(l0W0)W1").compile(style="plan")
rng = np.random.default_rng(1)
x = rng.standard_normal((4096, 784)); W0 = rng.standard_normal((784, 256)) * 0.05
W1 = rng.standard_normal((256, 10)) * 0.05
def run():
    f(l0=x, W0=W0, W1=W1)
"""),
    ("execution c: plan of a 10-factor chain with --sizes (x1000)", 5, """
import notation
from notation.plan import build
from notation.shapes import options
p = notation.parse("l10 = l0" + "".join(f"W{k}" for k in range(10)))
opts = options(sizes="64,512,32,256,16,128,8,1024,4,64,10", batch="32")
def run():
    for _ in range(1000): build(p, opts)
"""),
    ("parse: 10,000 statements", 5, """
import notation
notation.parse("x")
text = INPUTS["parse_10000"]
def run():
    notation.parse(text)
"""),
    ("deep: 100,000 factors, parse+algebra+NumPy+LaTeX", 1, """
import notation
text = "y = " + "".join(f"W{i % 10}" for i in range(100_000))
def run():
    p = notation.parse(text); p.algebra(); p.numpy(); p.latex(document=True)
"""),
    ("deep: 100,000 factors, plan (no convention)", 1, """
import notation
p = notation.parse("y = " + "".join(f"W{i % 10}" for i in range(100_000)))
def run():
    p.plan(convention=False)
"""),
    ("deep: 10,000 layers, symbolic plan and its text", 1, """
import notation
net = notation.parse("".join(f"l{i + 1} = relu(l{i}W{i} + b{i})\\n" for i in range(10_000)))
def run():
    net.plan().text()
"""),
    ("deep: 10,000 layers, plan with --sizes", 2, """
import notation
net = notation.parse("".join(f"l{i + 1} = relu(l{i}W{i} + b{i})\\n" for i in range(10_000)))
def run():
    net.plan(sizes=[8] * 10_001)
"""),
    ("deep: 10,000 layers, backward + its NumPy and LaTeX", 1, """
import notation
net = notation.parse("".join(f"l{i + 1} = relu(l{i}W{i} + b{i})\\n" for i in range(10_000)))
def run():
    b = net.backward(); b.numpy(); b.latex()
"""),
    ("deep: 999,999 characters, parse+algebra+NumPy+LaTeX+plan", 1, _every_view_and_plan("limit")),
    ("fuzz: 3,000 generated texts through parse", 3, """
import notation
texts = INPUTS["fuzz"]
def run():
    for t in texts:
        try:
            notation.parse(t)
        except notation.NotationError:
            pass
"""),
]

CHILD = r'''
import json, sys, time, warnings
warnings.simplefilter("ignore")
INPUTS = json.load(open(sys.argv[1], encoding="utf-8"))
repeats = int(sys.argv[2])
exec(sys.stdin.read())
run()                                   # warm: imports, caches, first-call compilation
best = float("inf")
for _ in range(repeats):
    t = time.process_time(); run(); best = min(best, time.process_time() - t)
print(best)
'''

COLD = [("cold start: python -c 'import lark'", ["-c", "import lark"]),
        ("cold start: notation numpy", ["-m", "notation", "numpy", "l2 = relu(l0W0)W1"]),
        ("cold start: notation latex", ["-m", "notation", "latex", "l2 = relu(l0W0)W1"]),
        ("cold start: notation algebra", ["-m", "notation", "algebra", "l2 = relu(l0W0)W1"]),
        ("cold start: notation show", ["-m", "notation", "show", "l2 = relu(l0W0)W1",
                                       "--sizes", "3,4,1"])]


def env_for(tree: str) -> dict:
    return dict(os.environ, PYTHONPATH=tree, PYTHONHASHSEED="0")


def timed_case(tree: str, inputs: str, repeats: int, code: str) -> float:
    out = subprocess.run([sys.executable, "-c", CHILD, inputs, str(repeats)], input=code,
                         capture_output=True, text=True, env=env_for(tree), cwd="/tmp")
    if out.returncode:
        raise SystemExit(f"a case failed in {tree}:\n{out.stderr[-2000:]}")
    return float(out.stdout.split()[-1])


def cold_start(tree: str, args: list[str], runs: int = 7) -> float:
    """The best user + system CPU time of a child process, over ``runs`` runs."""
    best = float("inf")
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, *args], check=True, capture_output=True,
                       env=env_for(tree), cwd="/tmp")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best = min(best, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--heavy-rounds", type=int, default=None,
                    help="rounds for the cases of a second or more (deep.py's, 10,000 "
                         "statements); default --rounds")
    ap.add_argument("--only", default="", help="run the cases whose name holds this text")
    args = ap.parse_args()
    old, new = os.path.abspath(args.old), os.path.abspath(args.new)
    # Each tree makes its own inputs (the training programs come from its own backward, as
    # translate.py makes them: a renamed function would not parse in the other tree); the
    # generator of the fuzzed texts is the new tree's for both.
    folder = tempfile.mkdtemp()
    made = {}
    for tree in (old, new):
        made[tree] = os.path.join(folder, f"inputs{len(made)}.json")
        subprocess.run([sys.executable, "-c", MAKE_INPUTS, made[tree], tree,
                        str(Path(new) / "benchmarks")], check=True, env=env_for(tree),
                       cwd="/tmp")
    print(f"old {old}\nnew {new}\nbest CPU seconds over {args.rounds} interleaved rounds\n")
    print(f"{'case':<66} {'old':>9} {'new':>9} {'new/old':>8}")
    rows = []
    heavy = args.heavy_rounds if args.heavy_rounds is not None else args.rounds
    # the light cases first, then the cold starts, then the heavy ones (a run cut short
    # still has the most cases)
    cases = CASES
    for name, repeats, code in cases:
        if args.only not in name:
            continue
        if repeats <= 2:
            continue
        best = {old: float("inf"), new: float("inf")}
        for r in range(args.rounds):
            for tree in ((old, new) if r % 2 == 0 else (new, old)):
                best[tree] = min(best[tree], timed_case(tree, made[tree], repeats, code))
        rows.append((name, best[old], best[new]))
        print(f"{name:<66} {best[old]:9.4f} {best[new]:9.4f} {best[new] / best[old]:8.2f}",
              flush=True)
    for name, command in COLD:
        if args.only not in name:
            continue
        best = {old: float("inf"), new: float("inf")}
        for r in range(args.rounds):
            for tree in ((old, new) if r % 2 == 0 else (new, old)):
                best[tree] = min(best[tree], cold_start(tree, command))
        rows.append((name, best[old], best[new]))
        print(f"{name:<66} {best[old]:9.4f} {best[new]:9.4f} {best[new] / best[old]:8.2f}",
              flush=True)
    for name, repeats, code in cases:
        if args.only not in name or repeats > 2:
            continue
        best = {old: float("inf"), new: float("inf")}
        for r in range(heavy):
            for tree in ((old, new) if r % 2 == 0 else (new, old)):
                best[tree] = min(best[tree], timed_case(tree, made[tree], repeats, code))
        rows.append((name, best[old], best[new]))
        print(f"{name:<66} {best[old]:9.4f} {best[new]:9.4f} {best[new] / best[old]:8.2f}",
              flush=True)
    json.dump(rows, sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
