"""Issue 16's repros, each timed in a fresh process against its target (the issue's "done when").

    python benchmarks/repros.py [--only H1,R3] [--list]

Every repro of the adversarial review (issue 16) is run as the issue wrote it, in a child
process of its own (so no repro warms a cache for the next), and the line prints the CPU time
of the call (user + system, ``time.process_time`` around the call alone: the imports and the
making of the input are not the repro), the target (2 s, or 5 s for an input at the
1,000,000-character limit), and what came back. A repro is met when it finishes within its
target and answers as SPEC §6 asks: the API returns or raises a NotationError (nothing else),
the command line exits 0, 1 or 2 with no traceback. For a command the time is the whole
command's, start-up and parse included, as its user waits for it.

The machine's speed moves by 1.3-1.8x between minutes (docs/performance.md): a repro near its
target is run again with ``--only`` before it is read as over it. R4 (growth per decade) is
``benchmarks/growth.py``'s, not this script's.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile

LIMIT = "'l2 = relu(l1W1 + b1)\\n' * 47619"      # 999,999 characters

# (id, what, target s, setup, call): Python run in a child; `call` is timed alone, and its
# value (a result, or an exception) is what the repro answered.
API = [
    ("H1", "parse: 32,000 spaces inside a statement", 2,
     "text = 'y = σ' + ' ' * 32000 + 'x'", "notation.parse(text)"),
    ("H1", "parse: 16,000 newlines after an error", 2,
     "text = 'y = aa' + '\\n' * 16000", "notation.parse(text)"),
    ("H2", "compare with 8,000 unclosed equations", 2,
     "text = '\\\\begin{document}' + '\\\\begin{equation}' * 8000",
     "notation.compare('l1 = l0W0', text)"),
    ("H3", "to_sympy of 1e-9999999", 2,
     "import sympy; p = notation.parse('y = 1e-9999999 x')", "p.to_sympy()"),
    ("H3", "to_sympy of 1e99999999999", 2,
     "import sympy; p = notation.parse('y = 1e99999999999 x')", "p.to_sympy()"),
    ("H4", "from_numpy of 4,000 lines x = 1", 2,
     "src = '\\n'.join('x = 1' for _ in range(4000))", "notation.from_numpy(src)"),
    ("R1", "a shape error after 4,000 statements", 2,
     "p = notation.parse('\\n'.join(f'h{i} = x{i}W{i}' for i in range(4000))"
     " + '\\ny = A h1\\nz = C h1\\nA : 2×3\\nC : 2×5')", "p.plan()"),
    ("R1", "plan of a 10,000-factor symbolic chain", 2,
     "p = notation.parse('y = ' + ''.join(f'A{i}' for i in range(10000)))", "p.plan().text()"),
    ("R2", "compare of a 1,000-layer network with its own NumPy", 2,
     "fs = ['relu', 'sigmoid', 'tanh']\n"
     "p = notation.parse('\\n'.join(['l0 : 1×3'] + [f'l{k+1} = {fs[k%3]}(l{k}W{k})' for k in range(1000)]))\n"
     "code = p.numpy()", "notation.compare(p, code)"),
    ("R3", "API: plan and its text at the limit", 5,
     f"p = notation.parse({LIMIT})", "p.plan().text()"),
    ("R3", "API: parse at the limit", 5, f"text = {LIMIT}", "notation.parse(text)"),
    ("R3", "API: the page (_repr_html_) at the limit", 5,
     f"p = notation.parse({LIMIT})", "p._repr_html_()"),
    ("R3", "API: numpy(module=True) at the limit", 5,
     f"p = notation.parse({LIMIT})", "p.numpy(module=True)"),
    ("M1", "a compiled call on lists", 2,
     "f = notation.parse('l2 = relu(l0W0)W1').compile(sizes='3,4,1')",
     "f(l0=[[1., 2., 3.]], W0=[[0.1] * 4] * 3, W1=[[0.2]] * 4)"),
    ("M1", "a compiled call on None", 2,
     "f = notation.parse('l2 = relu(l0W0)W1').compile(sizes='3,4,1')",
     "f(l0=None, W0=None, W1=None)"),
    ("M2", "float32 arrays for a symbolic batch", 2,
     "import numpy as np\nf = notation.parse('l0 : b×3\\nl1 = sigmoid(l0W0)').compile()",
     "f(l0=np.ones((2, 3), np.float32), W0=np.ones((3, 4), np.float32))"),
    ("M3", "a subscript of 4,400 digits", 2,
     "text = 'y = W' + '1' * 4400", "notation.parse(text).plan()"),
    ("M4", "from_numpy of a 4,000-digit hexadecimal number", 2,
     "src = 'x = 0x' + 'f' * 4000", "notation.from_numpy(src)"),
    ("M5", "the page of 400 transposes", 2,
     "p = notation.parse('y = x' + 'ᵀ' * 400)", "p._repr_html_()"),
    ("M6", "softmax of a scalar", 2,
     "f = notation.parse('γ = softmax(α)').compile()", "f(α=1.0)"),
    ("M6", "1 / 0", 2, "f = notation.parse('γ = 1 / 0').compile()", "f()"),
    ("M6", "a 309-digit integer literal", 2,
     "f = notation.parse('γ = ' + '9' * 309 + 'α').compile()", "f(α=1.0)"),
    ("M6", "int arrays updated in the book style", 2,
     "import numpy as np\nf = notation.parse('W0 -= αl0ᵀδ1').compile()",
     "f(W0=np.ones((3, 4), int), α=0.1, l0=np.ones((1, 3)), δ1=np.ones((1, 4)))"),
    ("M6", "a read-only updated weight", 2,
     "import numpy as np\nf = notation.parse('W0 -= αl0ᵀδ1').compile()\n"
     "W = np.ones((3, 4)); W.flags.writeable = False",
     "f(W0=W, α=0.1, l0=np.ones((1, 3)), δ1=np.ones((1, 4)))"),
    ("M6", "np.matrix inputs", 2,
     "import numpy as np\nf = notation.parse('l1 = relu(l0W0)').compile()",
     "f(l0=np.matrix(np.ones((1, 3))), W0=np.matrix(np.ones((3, 4))))"),
    ("M6", "a complex α", 2,
     "import numpy as np\nf = notation.parse('W0 -= αl0ᵀδ1').compile()",
     "f(W0=np.ones((3, 4)), α=0.1j, l0=np.ones((1, 3)), δ1=np.ones((1, 4)))"),
    ("M6", "a 0×0 array into softmax", 2,
     "import numpy as np\nf = notation.parse('l1 = softmax(l0)').compile()",
     "f(l0=np.ones((0, 0)))"),
    ("M9", "compare of 100,000×100,000 declared sizes", 2,
     "", "notation.compare('A : 100000×100000\\ny = (AB)C', 'y = A(BC)')"),
    ("M12", "plan(sizes='0')", 2, "p = notation.parse('l2 = relu(l0W0)W1')", "p.plan(sizes='0')"),
    ("M12", "numpy(style='x')", 2, "p = notation.parse('l2 = relu(l0W0)W1')", "p.numpy(style='x')"),
    ("M12", "backward(lr=0.1)", 2, "p = notation.parse('l2 = relu(l0W0)W1')", "p.backward(lr=0.1)"),
    ("M11", "%%notation --sizes \"3", 2,
     "from notation.ipython import notation_cell", "notation_cell('--sizes \"3', 'l1 = l0W0')"),
    ("M11", "%%notation --sizes 0", 2,
     "from notation.ipython import notation_cell", "notation_cell('--sizes 0', 'l1 = l0W0')"),
]

# (id, what, target s, argv after `notation`, where its standard output goes or None for
# /dev/null); "{big}", "{tmp}" and
# "{npz}" are filled in with the limit program's file, a folder and a forged .npz.
CLI = [
    ("R3", "notation plan -f LIMIT", 5, ["plan", "-f", "{big}"], None),
    ("R3", "notation show --html -f LIMIT", 5, ["show", "--html", "-f", "{big}"], None),
    ("R3", "notation numpy --module -f LIMIT", 5, ["numpy", "--module", "-f", "{big}"], None),
    ("H4", "compare of two 4,000-line .py files", 2, ["compare", "{tmp}/a.py", "{tmp}/b.py"], None),
    ("H6", "-o a FIFO (written through)", 2, ["algebra", "l1 = l0W0", "-o", "{tmp}/fifo"], None),
    ("H6", "-o /dev/stdout", 2, ["algebra", "l1 = l0W0", "-o", "/dev/stdout"], None),
    ("H6", "-o a read-only file", 2, ["algebra", "l1 = l0W0", "-o", "{tmp}/readonly"], None),
    ("M7", "-o a folder", 2, ["algebra", "l1 = l0W0", "-o", "{tmp}"], None),
    ("M7", "-o ''", 2, ["algebra", "l1 = l0W0", "-o", ""], None),
    ("M7", "standard output on /dev/full", 2, ["algebra", "l1 = l0W0"], "/dev/full"),
    ("M10", "algebra -f /dev/zero", 2, ["algebra", "-f", "/dev/zero"], None),
    ("M8", "run --inputs with a header claiming 728 TiB", 2,
     ["run", "l1 = l0W0", "--inputs", "{npz}"], None),
    ("M13", "compare 'y = Π1x' 'y = Pi_1 * x'", 2, ["compare", "y = Π1x", "y = Pi_1 * x"], None),
    ("L1", "escape codes in a comment of a wrong program", 2,
     ["check", "y = ((x  # \x1b[31mred\x1b[0m"], None),
    ("L3", "backward 'W0 : 3×4'", 2, ["backward", "W0 : 3×4"], None),
    ("L4", "--target W0", 2, ["backward", "l2 = relu(l0W0)W1", "--target", "W0"], None),
    ("L4", "--dims with a non-letter name", 2, ["plan", "l1 = l0W0", "--dims", "★=3"], None),
]

CHILD = r"""
import json, sys, time
import notation
from notation import NotationError
exec(compile(sys.argv[1], "<setup>", "exec"))
call = compile(sys.argv[2], "<call>", "eval")
start = time.process_time()
try:
    eval(call)
    answer, ok = "returned", True
except NotationError as e:
    answer, ok = f"{type(e).__name__}: {str(e).splitlines()[0][:60]}", True
except BaseException as e:
    answer, ok = f"RAISED {type(e).__name__}: {str(e)[:60]}", False
print(json.dumps({"cpu": time.process_time() - start, "answer": answer, "ok": ok}))
"""


def run_api(setup: str, call: str) -> tuple[float, str, bool]:
    r = subprocess.run([sys.executable, "-c", CHILD, setup, call], capture_output=True,
                       text=True, timeout=600)
    if r.returncode != 0 or not r.stdout.strip():
        return float("nan"), f"child failed: {r.stderr.strip().splitlines()[-1:]}", False
    out = json.loads(r.stdout.strip().splitlines()[-1])
    return out["cpu"], out["answer"], out["ok"]


def run_cli(argv: list[str], stdout_path: str | None) -> tuple[float, str, bool]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(stdout_path or os.devnull, "w") as out:
        r = subprocess.run([sys.executable, "-m", "notation", *argv], stdout=out,
                           stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=600)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    err = r.stderr.decode(errors="replace")
    ok = r.returncode in (0, 1, 2) and "Traceback" not in err
    first = next((line for line in err.splitlines() if line.strip()), "")
    return cpu, f"exit {r.returncode}" + (f": {first[:60]}" if first else ""), ok


def files(tmp: str) -> dict[str, str]:
    """The inputs the command-line repros name: two 4,000-line NumPy files, the limit
    program, a FIFO with a reader, a
    read-only file, and an .npz whose header claims 10^7 × 10^7 float64."""
    import io
    import threading
    import zipfile

    import numpy as np
    code = "\n".join(f"x{i} = w{i}.dot(v{i})" for i in range(4000))
    for name in ("a.py", "b.py"):
        with open(os.path.join(tmp, name), "w") as f:
            f.write(code)
    big = os.path.join(tmp, "big.txt")
    with open(big, "w") as f:
        f.write("l2 = relu(l1W1 + b1)\n" * 47619)
    fifo = os.path.join(tmp, "fifo")
    os.mkfifo(fifo)
    threading.Thread(target=lambda: open(fifo).read(), daemon=True).start()
    readonly = os.path.join(tmp, "readonly")
    open(readonly, "w").close()
    os.chmod(readonly, 0o444)
    header = np.lib.format.header_data_from_array_1_0(np.ones((1, 3)))
    header["shape"] = (10_000_000, 10_000_000)
    forged, honest = io.BytesIO(), io.BytesIO()
    np.lib.format.write_array_header_1_0(forged, header)
    np.lib.format.write_array(honest, np.ones((3, 4)))
    npz = os.path.join(tmp, "f.npz")
    with zipfile.ZipFile(npz, "w") as z:
        z.writestr("l0.npy", forged.getvalue() + b"\0" * 24)
        z.writestr("W0.npy", honest.getvalue())
    return {"big": big, "tmp": tmp, "npz": npz}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="comma-separated repro ids (H1,R3,...)")
    ap.add_argument("--list", action="store_true", help="list the repros and stop")
    args = ap.parse_args()
    wanted = set(args.only.split(",")) if args.only else None
    chosen_api = [r for r in API if wanted is None or r[0] in wanted]
    chosen_cli = [r for r in CLI if wanted is None or r[0] in wanted]
    if args.list:
        for r in chosen_api + chosen_cli:
            print(f"{r[0]:4} {r[1]}")
        return
    met = total = 0
    print(f"{'id':4} {'repro':58} {'CPU s':>7} {'target':>6}  answer")
    with tempfile.TemporaryDirectory() as tmp:
        paths = files(tmp)
        rows = [(i, what, target, run_api, (setup, call)) for i, what, target, setup, call
                in chosen_api]
        rows += [(i, what, target, run_cli,
                  ([a.format(**paths) for a in argv], stdin)) for i, what, target, argv, stdin
                 in chosen_cli]
        for i, what, target, runner, runner_args in rows:
            cpu, answer, ok = runner(*runner_args)
            good = ok and cpu < target
            met, total = met + good, total + 1
            verdict = "" if good else ("  ** SLOW" if ok else "  ** WRONG ANSWER")
            print(f"{i:4} {what[:58]:58} {cpu:7.2f} {target:6}  {answer}{verdict}", flush=True)
    print(f"\n{met} of {total} repros met (finished within their target with a NotationError "
          "or an answer; exit 0, 1 or 2 without a traceback)")


if __name__ == "__main__":
    main()
