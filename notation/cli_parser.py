"""The command line's argument parser: the options every command shares (the input, the
reading, the shapes), the subcommands of the views built from their records
(notation/views.py) and those of the other commands, in the order of ``notation --help``,
each with its description and an example.
"""

from __future__ import annotations

import argparse

from .cli_commands import (MIN_WIDTH, SHOW_WIDTH, cmd_backward, cmd_compare, cmd_show,
                           view_command)
from .views import VIEWS, backward_views


def _add_input(p: argparse.ArgumentParser, output: bool = True) -> None:
    p.add_argument("source", nargs="?", help="the program (else -f FILE, else standard input)")
    p.add_argument("-f", "--file", help="read the program from FILE ('-' for standard input)")
    if output:
        p.add_argument("-o", "--output", help="write the result to FILE, only once it is complete")
    _add_reading(p)


def _add_reading(p: argparse.ArgumentParser) -> None:
    p.add_argument("--strict", action="store_true",
                   help="treat warnings (a reading picked where two were plausible) as errors")
    p.add_argument("--function", action="append", metavar="LETTER=FUNCTION",
                   help="read a letter as a function, e.g. g=relu: g(z1) is then relu(z1)")
    p.add_argument("--names", help="notation names for identifiers of a .py program, "
                                   "e.g. input=l0,weights=W0")
    p.add_argument("--cell", help="the code cell of an .ipynb notebook to read: its number "
                                  "(from 1), a tag, or a text of its first line")


def _add_shapes(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sizes", help="units of the input layer, then of each assigned layer, "
                                   "in order (l0, l1, l2, … in the book's letters), e.g. 3,4,1")
    p.add_argument("--dims", help="units of named layers, e.g. l0=3,l1=4 (or W0=3x4)")
    p.add_argument("--batch", help="the batch dimension, a number or a symbol such as b")
    p.add_argument("--no-convention", action="store_true",
                   help="do not assume the book's W_k : n_k × n_{k+1} (W_k joins l_k to l_k+1)")
    p.add_argument("--columns", action="store_true",
                   help="column vectors, as most papers write h = σ(Wx + b): a layer is "
                        "units × batch, W is outputs × inputs, a bias is a column")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of every subcommand, or of the subcommand ``only`` alone (what
    ``main`` builds when the command line names one: a sixth of the cold start's argparse
    work; its parsing, usage and errors are the same)."""
    parser = argparse.ArgumentParser(
        prog="notation",
        description="Translate the algebra of neural networks (Grokking Deep Learning, ch. 7) "
                    "into its other views.")
    from . import __version__
    parser.add_argument("--version", action="version", version=f"notation {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    builders = {"show": _add_show, "check": _add_check, "run": _add_run,
                "compare": _add_compare, "backward": _add_backward, "init": _add_init}
    for name in [c for c in COMMANDS if c in builders or c in VIEWS] + \
            [name for name in VIEWS if name not in COMMANDS]:
        if only is not None and name != only:
            continue
        if name in builders:
            builders[name](sub)
        else:
            _add_view(sub, VIEWS[name])
    describe(sub)
    return parser


# The subcommands in the order of `notation --help`; a view of the registry (notation/views.py)
# that is not named here comes after them.
COMMANDS = ("show", "diagram", "algebra", "check", "plan", "run", "numpy", "latex", "compare",
            "backward", "init")


def _add_view(sub, view) -> None:
    """A view's subcommand: the input, its shape options if it has them, its own options."""
    p = sub.add_parser(view.name, help=view.help)
    _add_input(p)
    if view.shapes:
        _add_shapes(p)
    for o in view.options:
        p.add_argument(*o.flags, **o.argparse)
    p.set_defaults(run=view_command(view))


def _add_show(sub) -> None:
    p = sub.add_parser("show", help="every view of a program, side by side")
    _add_input(p)
    _add_shapes(p)
    p.add_argument("--ascii", action="store_true", help="ASCII spellings in the algebra")
    p.add_argument("--html", action="store_true",
                   help="one self-contained HTML page with every view (implied by -o *.html)")
    p.add_argument("--width", type=_width, metavar="COLUMNS",
                   help=f"the width to fit (default: the terminal's, at least {MIN_WIDTH}; "
                        f"{SHOW_WIDTH} when not a terminal)")
    p.set_defaults(run=cmd_show)


def _add_check(sub) -> None:
    p = sub.add_parser("check", help="read the program and report any error")
    _add_input(p, output=False)
    _add_shapes(p)
    p.add_argument("--json", action="store_true",
                   help="the errors and warnings as a JSON list of objects (line, column, end, "
                        "kind, message, hint)")
    p.set_defaults(run=_check, output=None)


def _add_run(sub) -> None:
    p = sub.add_parser("run", help="run the program on the arrays of an .npz file")
    _add_input(p)
    _add_shapes(p)
    p.add_argument("--inputs", action="append", metavar="FILE.npz",
                   help="the inputs, keyed by notation name (l0, W0) or identifier (layer_0); "
                        "may be given more than once ('-' for standard input)")
    p.add_argument("--init", choices=WEIGHT_SCHEMES, metavar="SCHEME",
                   help="start the parameters no --inputs file holds from initial weights: "
                        + ", ".join(WEIGHT_SCHEMES) + " (as notation init)")
    p.add_argument("--seed", type=_seed, help="the seed of --init (as np.random.seed)")
    p.add_argument("--style", default="plan", choices=["plan", "book", "matmul"],
                   help="the NumPy style to run (default plan)")
    p.add_argument("--optimize", action="store_true",
                   help="compute each chain of products in its cheapest order")
    p.set_defaults(run=_run)


def _add_compare(sub) -> None:
    p = sub.add_parser("compare", help="are two or more views the same computation? "
                                       "(exit 0 equivalent, 1 different)")
    p.add_argument("views", nargs="+", metavar="VIEW",
                   help="an algebra, LaTeX or NumPy text, or a .nn, .tex or .py file")
    p.add_argument("--naming", default="book", choices=["book", "plain"],
                   help="the naming scheme of NumPy views (default book)")
    p.add_argument("--names", help="notation names for identifiers of NumPy views, "
                                   "e.g. input=l0,weights=W0")
    p.add_argument("--cell", help="the code cell of .ipynb views: its number (from 1), a tag, "
                                  "or a text of its first line")
    p.add_argument("--columns", action="store_true",
                   help="read NumPy views as column-vector code: np.dot(W, a) + b")
    p.add_argument("-o", "--output", help="write the report to FILE, only once it is complete")
    p.add_argument("--strict", action="store_true",
                   help="treat warnings (a reading picked where two were plausible) as errors")
    p.set_defaults(run=cmd_compare)


def _add_backward(sub) -> None:
    p = sub.add_parser("backward", help="derive the deltas and weight updates of a forward pass")
    _add_input(p)
    from . import losses            # (imported here: only backward's parser needs it)
    p.add_argument("--loss", choices=losses.names(), default="mse")
    p.add_argument("--to", choices=sorted(backward_views()), default=None,
                   help="the view to print the training step in")
    p.add_argument("--lr", default="α", help="the learning rate, a name or a number (default α)")
    p.add_argument("--target", default="y", help="the target the output is compared with (y)")
    p.add_argument("--params", help="what is trained besides W… and b…, e.g. E,W")
    p.add_argument("--delta", choices=["l-y", "y-l"], default="l-y",
                   help="the output delta: l-y with -= updates (default), or the book's "
                        "chapters 6 and 8, y-l with +=")
    p.add_argument("--mean", action="store_true",
                   help="the loss is a mean over the batch: the output delta is divided by n")
    p.add_argument("--document", action="store_true",
                   help="with --to latex: a complete .tex file (article, amsmath, amssymb)")
    _add_shapes(p)
    p.set_defaults(run=cmd_backward)


# check, run and init: their modules are loaded when they run (the cold start of the others)
def _check(args):
    from .cli_check import cmd_check
    return cmd_check(args)


def _run(args):
    from .cli_arrays import cmd_run
    return cmd_run(args)


def _init(args):
    from .cli_arrays import cmd_init
    return cmd_init(args)


WEIGHT_SCHEMES = ("book", "xavier", "glorot", "he")       # notation.weights.SCHEMES


def _width(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of columns")
    if n < MIN_WIDTH:
        raise argparse.ArgumentTypeError(f"{n} columns is too narrow: at least {MIN_WIDTH}")
    return n


def _seed(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if not 0 <= n < 2 ** 32:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 0 to 2**32 - 1")
    return n


def _add_init(sub) -> None:
    p = sub.add_parser("init", help="initial weights of the checked shapes, as an .npz file")
    _add_input(p)
    _add_shapes(p)
    p.add_argument("--scheme", default="book", choices=WEIGHT_SCHEMES,
                   help="book (default: 2·rand − 1, the book's uniform), xavier or glorot "
                        "(Glorot's uniform), he (He's normal); biases are zero under xavier "
                        "and he")
    p.add_argument("--seed", type=_seed,
                   help="the seed, as np.random.seed: --seed 1 draws the book's numbers")
    p.set_defaults(run=_init)


# Each subcommand's --help: what it does, and an example to copy.
DESCRIPTIONS = {
    "show": ("Every view of one program, one under another: algebra, NumPy, LaTeX, the "
             "plan's summary and the diagram (or one HTML page).",
             'notation show "l2 = relu(l0W0)W1" --sizes 3,4,1\n'
             '  notation show "l2 = relu(l0W0)W1" --sizes 3,4,1 -o net.html'),
    "check": ("Read the program and check its shapes: ok and each name's shape, or the "
              "error with its place (exit 1).",
              'notation check "l2 = relu(l0W0)W1" --sizes 3,4,1\n'
              '  notation check "l2 = relu(l0W0" --json'),
    "run": ("Compile the program and run it on the arrays of .npz files, printing what it "
            "assigns.",
            'notation init "l2 = relu(l0W0)W1" --sizes 3,4,1 --seed 1 -o weights.npz\n'
            '  notation run "l2 = relu(l0W0)W1" --inputs weights.npz --inputs data.npz'),
    "compare": ("Read two or more views (algebra, LaTeX, NumPy, or .nn/.tex/.py files) and say "
                "whether they compute the same thing (exit 0) or where they differ (exit 1).",
                'notation compare "l2 = relu(l0W0)W1" '
                '"layer_2 = relu(layer_0.dot(weights_0_1)).dot(weights_1_2)"'),
    "backward": ("Derive the training step of a forward pass: the deltas and the weight "
                 "updates, as the book's loops write them.",
                 'notation backward "l2 = relu(l0W0)W1" --to numpy\n'
                 '  notation backward "l2 = relu(l0W0)W1" --to latex --document -o step.tex'),
    "init": ("Initial weights of the shapes check infers, written as an .npz file that run "
             "reads.",
             'notation init "l2 = relu(l0W0)W1" --sizes 3,4,1 --seed 1 -o weights.npz'),
}


def describe(sub) -> None:
    """Give every subcommand its description, its example, and its usage on errors."""
    for name, p in sub.choices.items():
        view = VIEWS.get(name)
        description, example = ((view.description, view.example) if view is not None else
                                DESCRIPTIONS.get(name, (None, None)))
        p.description = description
        if example:
            p.epilog = "example:\n  " + example
        p.formatter_class = argparse.RawDescriptionHelpFormatter
