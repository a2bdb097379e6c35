"""Long fuzzing run: every input parses or raises NotationError, within 1 s (SPEC §6).

    python benchmarks/fuzz.py --count 1000000 --seed 1 [--state fuzz-state.json] [--until 05:10]

Deterministic: input i of a run is made by random.Random(f"{seed}:{i}"), so a run can be
stopped and resumed (--state keeps the count done and the findings) and any finding can be
replayed from its index alone. Generators: random text over the notation's alphabet,
token soups, mutations of valid programs (delete/insert/swap/duplicate, unbalanced
brackets, huge numbers, stray Unicode, NUL bytes), random LaTeX, and random Python for the
NumPy reader when that reader is installed; and a grammar-aware generator ("grammar"):
programs built from every construct of the language (each spelling of each operator,
functions and their derivatives, numbers, Greek, subscripts, updates, bare expressions,
declarations with numeric and symbolic dimensions), each given to one entry point with random
options (every view and its options, plan, check, diagram, backward, compile and a call with
random arrays of the inferred shapes or wrong ones, from_numpy of its own NumPy, compare with
it, to_sympy) or to the command line (``notation`` show, diagram, algebra, check, plan, numpy,
latex, compare, backward with random options of that subcommand, the program as an argument or
on standard input). Every entry point must return or raise a NotationError within 1 s of CPU
time; the command line must exit 0, 1 or 2 without a traceback; a compiled call on arrays of
the right shapes must give the book style's numbers.

The mix: half the inputs are grammar programs, each given to one of 18 equally likely
entries (parse, algebra, numpy, latex, latex read back, plan, check, diagram, backward,
compile, a compiled call twice over, from_numpy, compare, show --html, to_sympy, the CLI twice
over); the other half are alphabet text, token soups, mutations, LaTeX mutations and Python
mutations, a tenth each, given to parse (and the Python ones to from_numpy as well).
Everything runs in this process: the CLI through ``notation.cli.main`` with its standard
streams redirected (a subprocess costs ~150 ms, the whole input mix averages ~1.2 ms of CPU).
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


# ---------------------------------------------------------------------------- the grammar

ARRAYS = ["l0", "l1", "l2", "l3", "W0", "W1", "W2", "x", "y", "h", "b0", "b1", "M1", "E", "A",
          "B", "C", "δ1", "δ2", "l_{12}", "W_{out}", "h_{in}", "\\delta_{2}"]
# Spellings SPEC §1 lists that this parser may not read yet (a syntax error is a fine answer
# too): drawn now and then.
RARE = ["W^{(1)}", "ŷ", "\\hat{y}", "\\mathbf{W}_1", "Sigmoid(x)", "max(0, x)"]
SCALARS = ["α", "λ", "β", "η", "\\alpha", "\\lambda", "2", "0.5", "1e-3", "3", "10", "0"]
FUNCTIONS = ["relu", "sigmoid", "tanh", "softmax", "exp", "log", "sum", "ReLU", "σ", "relu",
             "\\operatorname{relu}", "\\mathrm{tanh}", "\\tanh", "\\sigma", "\\exp"]
PRODUCTS = ["", " ", " @ ", " · ", " \\cdot ", "⋅"]
ELEMENTWISE = [" ⊙ ", " * ", " \\odot ", " / "]
SUMS = [" + ", " - ", " − "]
TRANSPOSES = ["ᵀ", "^T", "^{\\top}", ".T", "^{T}", "ᵀ"]
DIMS = ["1", "3", "4", "b", "n", "h", "n_{in}", "784", "2", "k"]


def expression(rng: random.Random, depth: int) -> str:
    if depth <= 0 or rng.random() < 0.25:
        if rng.random() < 0.02:
            return rng.choice(RARE)
        return rng.choice(ARRAYS) if rng.random() < 0.8 else rng.choice(SCALARS)
    form = rng.randrange(9)
    sub = lambda: expression(rng, depth - 1)  # noqa: E731
    if form == 0:
        return sub() + rng.choice(PRODUCTS) + rng.choice(ARRAYS)
    if form == 1:
        return sub() + rng.choice(ELEMENTWISE) + sub()
    if form == 2:
        return sub() + rng.choice(SUMS) + sub()
    if form == 3:
        return "-" + sub()
    if form == 4:
        return "(" + sub() + ")" + rng.choice(TRANSPOSES)
    if form == 5:
        f = rng.choice(FUNCTIONS)
        derivative = f in ("relu", "sigmoid", "tanh", "σ") or rng.random() < 0.1
        prime = rng.choice(["", "", "'", "′"]) if f[0] != "\\" and derivative else ""
        opening = rng.choice(["(", "(", "\\left("])
        return f + prime + opening + sub() + (")" if opening == "(" else "\\right)")
    if form == 6:
        return "(" + sub() + ")"
    if form == 7:
        return rng.choice(SCALARS) + rng.choice(["", " ", " · "]) + sub()
    return rng.choice(ARRAYS) + rng.choice(TRANSPOSES) + rng.choice(PRODUCTS) + sub()


def declaration(rng: random.Random) -> str:
    name = rng.choice(ARRAYS + ["α", "λ"])
    if rng.random() < 0.15:
        return f"{name} : scalar"
    dims = [rng.choice(DIMS) for _ in range(rng.choice([1, 2, 2, 2]))]
    form = rng.randrange(4)
    if form == 0:
        return f"{name} : {'×'.join(dims)}"
    if form == 1:
        return f"{name} : ({', '.join(dims)})"
    if form == 2:
        return f"{name} ∈ ℝ^{{{'×'.join(dims)}}}"
    return f"{name} ∈ R^{{{'x'.join(dims)}}}"


def statement(rng: random.Random) -> str:
    form = rng.randrange(10)
    if form < 5:
        return f"{rng.choice(ARRAYS)} = {expression(rng, rng.randint(1, 4))}"
    if form < 7:
        return f"{rng.choice(ARRAYS)} {rng.choice(['-=', '+='])} {expression(rng, 3)}"
    if form < 9:
        return declaration(rng)
    return expression(rng, 3)


def network(rng: random.Random) -> str:
    """A forward pass as the book writes them, with declarations: mostly shape-correct."""
    depth = rng.randint(1, 4)
    lines = []
    if rng.random() < 0.5:
        lines.append(f"l0 : {rng.choice(['b', '1', '4', 'n'])}×{rng.choice(['3', '4', 'n_{in}'])}")
    for k in range(depth):
        f = rng.choice(["relu", "sigmoid", "tanh", "softmax", ""])
        bias = f" + b{k}" if rng.random() < 0.3 else ""
        inner = f"l{k}W{k}{bias}"
        lines.append(f"l{k + 1} = {f}({inner})" if f else f"l{k + 1} = {inner}")
    return "\n".join(lines)


def program_text(rng: random.Random) -> str:
    if rng.random() < 0.4:
        return network(rng)
    separator = rng.choice(["\n", "; ", "\n\n", " # note\n"])
    return separator.join(statement(rng) for _ in range(rng.randint(1, 5)))


def random_options(rng: random.Random) -> dict:
    out: dict = {}
    if rng.random() < 0.4:
        out["sizes"] = ",".join(rng.choice(["1", "2", "3", "4", "b", "3", "2", "4"]
                                           + ["0", "x", ""] * (rng.random() < 0.2))
                                for _ in range(rng.randint(1, 4)))
    if rng.random() < 0.2:
        out["dims"] = rng.choice(["l0=3", "l0=3,l1=4", "W0=3x4", "l0=b", "W0=4", "l9=2",
                                  "l0=3,l0=4", "x=2", "bogus"])
    if rng.random() < 0.2:
        out["batch"] = rng.choice(["1", "b", "8", "0", "n_{in}", "-1"])
    if rng.random() < 0.1:
        out["convention"] = False
    return out


def arrays_for(rng: random.Random, f, wrong: bool) -> dict:
    """Random inputs of the shapes f's plan infers (symbols chosen small), or wrong ones."""
    import numpy as np
    from notation.compile import keyword
    from notation.shapes import find
    shapes = f.plan.shapes
    chosen: dict = {}
    out = {}
    for name in f.plan.inputs:
        shape = shapes.names.get(name)
        k = keyword(name)
        if shape is None:
            out[k] = rng.choice([0.1, 2, 0.5, -1.0])
            continue
        dims = []
        for v in shape:
            root = find(v)
            dims.append(root.value if isinstance(root.value, int)
                        else chosen.setdefault(root, rng.randint(1, 4)))
        dims = [min(d, 64) for d in dims]
        out[k] = np.random.default_rng(rng.randrange(2**32)).standard_normal(dims)
    if wrong and out:
        k = rng.choice(sorted(out))
        out[k] = rng.choice([None, "text", [[1.0, 2.0]], np.ones((2, 3, 4)), np.ones(5),
                             np.ones((1, 1), complex), 1j, np.ones((7, 9)), np.zeros((0, 0)),
                             np.ones((2, 2), int)])
    return out


CLI_COMMANDS = ["show", "diagram", "algebra", "check", "plan", "numpy", "latex", "compare",
                "backward"]


def cli_arguments(rng: random.Random, text: str, opts: dict) -> list[str]:
    """A random command line of ``notation`` for the program ``text``: a subcommand, the
    program as an argument, as ``-f -`` (standard input) or as ``-`` of compare, and random
    options of that subcommand, wrong ones now and then."""
    command = rng.choice(CLI_COMMANDS)
    args = [command]
    if command == "compare":
        args += [text, rng.choice(["y = x", "-", text, "layer_1 = relu(layer_0.dot(weights_0_1))"])]
        if rng.random() < 0.3:
            args += ["--naming", rng.choice(["book", "plain", "bogus"])]
        return args
    args += [text] if rng.random() < 0.7 else ["-f", "-"]
    known = _cli_options(command)
    for k, v in opts.items():
        option = ["--no-convention"] if k == "convention" else [f"--{k}", str(v)]
        if option[0] in known:
            args += option
    extra = {
        "show": [["--ascii"], ["--html"], ["--width", rng.choice(["40", "200", "0", "x"])]],
        "diagram": [["--svg"]],
        "algebra": [["--ascii"]],
        "check": [["--json"], ["--columns"]],
        "plan": [["--optimize"], ["--json"], ["--dtype", rng.choice(["float32", "float16"])]],
        "numpy": [["--style", rng.choice(["book", "matmul", "plan", "x"])],
                  ["--naming", rng.choice(["book", "plain"])], ["--module"]],
        "latex": [["--document"]],
        "backward": [["--loss", rng.choice(["mse", "cross_entropy"])],
                     ["--to", rng.choice(["algebra", "numpy", "latex", "bogus"])],
                     ["--lr", rng.choice(["0.1", "η", "", "1e999"])],
                     ["--target", rng.choice(["y", "t", "W0"])], ["--params", "E"]],
    }[command]
    for option in extra:
        if rng.random() < 0.35:
            args += option
    if rng.random() < 0.1:
        args += [rng.choice(["--strict", "--bogus", "--function", "g=relu"])]
    return args


_OPTIONS: dict[str, set[str]] = {}


def _cli_options(command: str) -> set[str]:
    """The options the subcommand takes (the shape options are not every command's)."""
    if not _OPTIONS:
        from notation.cli import build_parser
        sub = build_parser()._subparsers._group_actions[0].choices
        for name, p in sub.items():
            _OPTIONS[name] = {o for a in p._actions for o in a.option_strings}
    return _OPTIONS[command]


def run_cli(args: list[str], stdin: str) -> tuple[int, str]:
    """``notation ARGS`` in this process: (exit status, standard error)."""
    import contextlib
    import io
    from notation import cli
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    err = io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8", "surrogatepass")),
                                 encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = cli.main(args)
            except SystemExit as e:
                status = e.code if isinstance(e.code, int) else 2
    finally:
        sys.stdin = old_stdin
    return status, err.getvalue()


def entry_point(rng: random.Random, text: str):
    """One call of one entry point with random options, as a function of no arguments."""
    which = rng.choice(["parse", "algebra", "numpy", "latex", "plan", "check", "diagram",
                        "backward", "compile", "call", "call", "from_numpy", "compare",
                        "html", "sympy", "latex_read", "cli", "cli"])
    opts = random_options(rng)

    def run():
        if which == "cli":
            args = cli_arguments(rng, text, opts)
            status, err = run_cli(args, text)
            assert status in (0, 1, 2), f"notation {args[0]} exited {status}"
            assert "Traceback" not in err, f"notation {args[0]} printed a traceback:\n{err}"
            return None
        from notation.shapes import infer, options
        program = notation.parse(text)
        if which == "parse":
            return program
        if which == "algebra":
            return program.algebra(ascii=rng.random() < 0.5)
        if which == "numpy":
            return program.numpy(style=rng.choice(["book", "matmul", "plan"]),
                                 naming=rng.choice(["book", "plain"]),
                                 module=rng.random() < 0.3)
        if which == "latex":
            return program.latex(document=rng.random() < 0.2)
        if which == "latex_read":
            again = notation.parse(program.latex())
            assert again == program, "the LaTeX reads back as another tree"
            return again
        if which == "plan":
            plan = program.plan(optimize=rng.random() < 0.3,
                                dtype=rng.choice(["float64", "float32"]), **opts)
            return plan.json() if rng.random() < 0.5 else plan.text()
        if which == "check":
            o = {k: v for k, v in opts.items() if k != "convention"}
            return infer(program, options(o.get("sizes"), o.get("dims"), o.get("batch")),
                         convention=opts.get("convention", True))
        if which == "diagram":
            from notation.emit.diagram import svg, text as diagram_text
            from notation.side_by_side import views
            v = views(program, **opts)
            pic = v.picture()
            return (svg(pic), diagram_text(pic)) if pic is not None else None
        if which == "html":
            from notation.side_by_side import html_page
            return html_page(program, **opts)
        if which == "backward":
            derived = program.backward(loss=rng.choice(["mse", "cross_entropy"]),
                                       lr=rng.choice(["α", "0.1", 0.01, "η"]),
                                       target=rng.choice(["y", "y", "t"]),
                                       params=rng.choice([None, ["E"]]))
            return derived.algebra(), derived.numpy()
        if which == "sympy":
            return program.to_sympy(**opts)
        if which == "from_numpy":
            code = program.numpy(style=rng.choice(["book", "matmul"]))
            back = notation.from_numpy(code)
            return back
        if which == "compare":
            code = program.numpy(style=rng.choice(["book", "matmul"]))
            result = notation.compare(program, code)
            assert result.equivalent, "a program differs from its own NumPy: " + result.report()
            return result
        style = rng.choice(["plan", "book", "matmul"])
        f = program.compile(style=style, **opts)
        if which == "compile":
            return f
        wrong = rng.random() < 0.3
        inputs = arrays_for(rng, f, wrong)
        # Each run gets its own copies: an update (W0 -= …) changes its input in place.
        import copy
        kept = copy.deepcopy(inputs)
        out = f(**inputs)
        if not wrong and style != "book":
            reference = program.compile(style="book", **opts)(**kept)
            import numpy as np
            for key, value in out.items():
                assert np.allclose(value, reference[key], equal_nan=True), \
                    f"{key}: the {style} style disagrees with the book style"
        return out
    run.__name__ = which
    return run


def generate(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.5:
        return "grammar", program_text(rng)
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
    """None if the reader behaved; otherwise a description of the finding.

    Time is CPU time (the machine is shared: wall time measures the neighbours). A call over
    1 s is run once more, and is a finding only if it takes over 1 s again: the first call of
    an entry point may import a module (SymPy, the HTML page) — a slow path is slow twice."""
    start = time.process_time()
    try:
        result = _call(reader, text)
    except NotationError as e:
        span = e.span
        # An error about a derived program (backward's step) is located in its own text.
        where = e.source if getattr(e, "source", None) else text
        if span is not None and not (0 <= span.start <= span.end <= len(where)):
            return f"span {span} outside the text"
        str(e)
        result = None
    except Exception:  # noqa: BLE001 - the point is to catch anything else
        return "raised " + traceback.format_exc(limit=-3)
    elapsed = time.process_time() - start
    if elapsed > 1.0:
        start = time.process_time()
        try:
            _call(reader, text)
        except Exception:  # noqa: BLE001 - judged above; only the time is asked here
            pass
        again = time.process_time() - start
        if again > 1.0:
            return f"took {elapsed:.2f} s of CPU time, then {again:.2f} s"
    if result is not None and hasattr(result, "algebra"):
        try:
            again = notation.parse(result.algebra())
        except Exception:  # noqa: BLE001
            return "its algebra does not parse: " + traceback.format_exc(limit=4)
        if again != result:
            return "its algebra parses to another tree"
    return None


def _call(reader, text: str):
    if getattr(reader, "__code__", None) is not None and reader.__code__.co_argcount == 0:
        return reader()
    return reader(text)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--state", help="JSON file to resume from and save progress to")
    ap.add_argument("--until", metavar="HH:MM",
                    help="stop (saving the state) at this UTC time, whatever the count done")
    ap.add_argument("--every", type=int, default=100_000, help="print progress this often")
    args = ap.parse_args()
    deadline = None
    if args.until:
        import datetime
        hour, minute = (int(x) for x in args.until.split(":"))
        now_utc = datetime.datetime.now(datetime.timezone.utc)
        deadline = now_utc.replace(hour=hour, minute=minute, second=0, microsecond=0).timestamp()

    state = {"seed": args.seed, "done": 0, "findings": [], "by_kind": {}}
    if args.state and os.path.exists(args.state):
        with open(args.state, encoding="utf-8") as f:
            saved = json.load(f)
        if saved.get("seed") == args.seed:
            state = saved
    table = readers()
    # Imported before the clock runs: the first import of SymPy alone takes over a second.
    import numpy  # noqa: F401
    import warnings
    warnings.simplefilter("ignore")         # NumPy's overflow warnings, NotationWarnings
    try:
        import sympy  # noqa: F401
    except ImportError:
        pass
    # (the module is notation.comparing, so that importing it leaves the function notation.compare)
    from notation import compare, from_numpy  # noqa: F401
    from notation import side_by_side  # noqa: F401
    from notation.emit import diagram  # noqa: F401
    started = time.perf_counter()
    cpu_started = time.process_time()
    last_save = started
    i = first = state["done"]
    by_entry = state.setdefault("by_entry", {})
    while i < args.count:
        if deadline is not None and time.time() >= deadline:
            print(f"stopped at the deadline {args.until} UTC", flush=True)
            break
        rng = random.Random(f"{args.seed}:{i}")
        kind, text = generate(rng)
        targets = [table["text"]] + ([table["python"]] if kind == "python" and "python" in table else [])
        if kind == "grammar":
            targets = [entry_point(rng, text)]
        for reader in targets:
            by_entry[reader.__name__] = by_entry.get(reader.__name__, 0) + 1
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
        if i % args.every == 0:
            print(f"{i:,} inputs, {len(state['findings'])} findings, "
                  f"{(i - first) / max(now - started, 1e-9):,.0f} inputs/s this run "
                  f"({(i - first) / max(time.process_time() - cpu_started, 1e-9):,.0f} "
                  f"per CPU second)", flush=True)
    state["done"] = i
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(f"this run: {i - first:,} inputs in {wall:,.0f} s ({(i - first) / max(wall, 1e-9):,.0f}"
          f"/s), {cpu:,.0f} s of CPU time ({(i - first) / max(cpu, 1e-9):,.0f}/s)")
    if args.state:
        _save(args.state, state)
    print(f"done: {state['done']:,} inputs (seed {args.seed}) by kind {state['by_kind']}; "
          f"readers: {', '.join(table)}; entry points {dict(sorted(by_entry.items()))}; "
          f"findings: {len(state['findings'])}")
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
