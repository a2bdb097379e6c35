"""The ``notation`` command (SPEC §7).

Reads a program from an argument, ``-f FILE`` or standard input; prints a view; writes
``-o FILE`` only once the output is complete. Exit status: 0 success, 1 bad input (the
rendered NotationError on stderr), 2 bad usage. Only what a command needs is imported, so
``notation algebra`` starts about as fast as Python can import Lark.
"""

from __future__ import annotations

import argparse
import os
import sys

USAGE_ERROR = 2
INPUT_ERROR = 1


class UsageError(Exception):
    """Bad usage that argparse cannot see (an unreadable file, a malformed --sizes)."""


# ---------------------------------------------------------------------------- input, output

def _read_bounded(stream, what: str) -> str:
    """At most one character more than the parser reads (so that it can say the text is too
    long), decoded as UTF-8: `-f /dev/zero` or 200 MB on stdin cost a megabyte, not all of it.
    Editors on Windows start UTF-8 files with a byte order mark, which is no part of the
    program: "utf-8-sig" drops it there, and only there (a U+FEFF inside the text is still an
    unexpected character)."""
    import codecs
    from .parser import MAX_SOURCE_CHARS
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    pieces, count = [], 0
    try:
        while count <= MAX_SOURCE_CHARS:
            chunk = stream.read(1 << 16)
            text = decoder.decode(chunk, final=not chunk)
            pieces.append(text)
            count += len(text)
            if not chunk:
                break
    except UnicodeDecodeError as e:
        raise UsageError(f"cannot read {what}: it is not UTF-8 text ({e.reason})") from None
    return "".join(pieces)[:MAX_SOURCE_CHARS + 1]


def read_file(path: str) -> str:
    """A text file's contents (at most the parser's limit and one character more)."""
    try:
        with open(path, "rb") as f:
            return _read_bounded(f, path)
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror or e}") from None


def _read_stdin() -> str:
    # Bytes, decoded as a file is: non-UTF-8 input is bad usage (2) either way.
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:                          # a StringIO put in place by a test
        return sys.stdin.read().removeprefix("\ufeff")
    try:
        return _read_bounded(stream, "standard input")
    except OSError as e:
        raise UsageError(f"cannot read standard input: {e.strerror or e}") from None


def read_source(args) -> str:
    if args.file is not None and args.source is not None:
        raise UsageError("give the program as an argument or with -f, not both")
    if args.file is not None:
        if args.file == "-":
            return _read_stdin()
        return read_file(args.file)
    if args.source == "-":                  # '-' is standard input, as for cat and black
        return _read_stdin()
    if args.source is not None:
        return args.source
    if sys.stdin is None or sys.stdin.isatty():
        raise UsageError("no program given: pass it as an argument, with -f FILE, or on stdin")
    return _read_stdin()


class OutputError(Exception):
    """The output could not be written (a full disk, a file-size limit): exit status 1."""


def write_output(text: str, path: str | None) -> None:
    """Print, or write ``path`` atomically: a temporary file renamed into place on success.

    A path that is a device, a pipe or a socket (``/dev/stdout``, a FIFO) is written
    through, never replaced; a symbolic link keeps pointing where it did, and the file it
    points to is written as any file is; a folder, an empty name and a file without write
    permission (even for root) are refused."""
    if not text.endswith("\n"):
        text += "\n"
    if path is None or path == "-":
        _write_stream(sys.stdout, text, "standard output")
        return
    import stat
    if path == "":
        raise UsageError("-o needs a file name")
    target = os.path.realpath(path)              # a link is followed, and stays a link
    if os.path.abspath(path).startswith(("/dev/", "/proc/")) and os.path.exists(path):
        target = path              # /dev/stdout on a pipe resolves to no path: open it as is
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise UsageError(f"cannot write {path}: {e.strerror or e}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise UsageError(f"cannot write {path}: it is a folder; give a file name")
    special = any(p.startswith(("/dev/", "/proc/"))
                  for p in (os.path.abspath(path), target))
    if st is not None and (special or not stat.S_ISREG(st.st_mode)):
        # A terminal, /dev/null, a pipe, /dev/stdout (a link to whatever standard output
        # is, a file perhaps): written through, as a shell's > would, never replaced.
        try:
            with open(target, "w", encoding="utf-8") as f:
                f.write(text)
        except OSError as e:
            raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
        return
    if st is not None and not st.st_mode & 0o222:
        # Root may replace any file; a file that nobody may write is still not replaced.
        raise UsageError(f"cannot write {path}: the file is read-only")
    _replace_atomically(text, path, target, st)


def _write_stream(stream, text: str, what: str) -> None:
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as e:
        # Nothing more can reach this stream: point it at /dev/null, so that Python's own
        # flush at exit does not fail a second time with a traceback.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        raise OutputError(f"cannot write {what}: {e.strerror or e}") from None


def _replace_atomically(text: str, path: str, target: str, st) -> None:
    import signal
    import tempfile
    folder = os.path.dirname(target)

    def stop(signum, frame):                    # SIGTERM, SIGHUP: clean up, then end
        raise SystemExit(128 + signum)
    handled = {}
    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            try:
                handled[sig] = signal.signal(sig, stop)
            except (ValueError, OSError):       # not the main thread
                pass
    tmp = None
    try:
        try:
            fd, tmp = tempfile.mkstemp(prefix=".notation-", dir=folder)
        except OSError as e:
            raise UsageError(f"cannot write {path}: {e.strerror or e}") from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            # mkstemp makes the file private (0600); give it the mode any new file would
            # get, or keep the mode of the file it replaces.
            if st is not None:
                mode = st.st_mode & 0o7777
            else:
                umask = os.umask(0)
                os.umask(umask)
                mode = 0o666 & ~umask
            os.chmod(tmp, mode)
            os.replace(tmp, target)
            tmp = None
        except OSError as e:
            raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
    finally:
        # A signal now would stop the clean-up itself: hold it until the temporary file is
        # gone and the previous handlers are back, then let it act.
        blocked = hasattr(signal, "pthread_sigmask") and handled
        if blocked:
            signal.pthread_sigmask(signal.SIG_BLOCK, set(handled))
        try:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
            for sig, previous in handled.items():
                signal.signal(sig, previous)
        finally:
            if blocked:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, set(handled))


# ---------------------------------------------------------------------------- commands

def _parse(args):
    source = read_source(args)
    if (getattr(args, "file", None) or "").lower().endswith(".py"):
        # a .py file is NumPy (issue 14): --names chooses names, --columns reads W·a + b
        from .read.numpy import from_numpy
        return from_numpy(source, names=getattr(args, "names", None),
                          columns=getattr(args, "columns", False))
    # A whole LaTeX document (`latex --document` output) is read by its math environments.
    from .read.latex import from_latex
    return from_latex(source, strict=getattr(args, "strict", False),
                      functions=_functions(getattr(args, "function", None)))


def _functions(specs) -> dict[str, str] | None:
    """``--function g=relu`` (repeatable, or comma-separated) as ``{"g": "relu"}``."""
    if not specs:
        return None
    out = {}
    for spec in ",".join(specs).split(","):
        letter, eq, fn = (part.strip() for part in spec.partition("="))
        if not (eq and letter and fn):
            raise UsageError(f"--function takes LETTER=FUNCTION, such as g=relu, not {spec!r}")
        out[letter] = fn
    return out


def cmd_algebra(args) -> str:
    return _parse(args).algebra(ascii=args.ascii)


def _shape_options(args):
    from .declarations import OptionError
    from .shapes import options
    try:
        return options(args.sizes, args.dims, args.batch, columns=getattr(args, "columns", False))
    except OptionError as e:
        raise UsageError(e.message)


def _plan(args, program=None):
    from .plan import build
    program = program if program is not None else _parse(args)
    return build(program, _shape_options(args), convention=not args.no_convention,
                 optimize=getattr(args, "optimize", False), dtype=getattr(args, "dtype", "float64"))


def cmd_check(args) -> str:
    """Read the program and check its shapes: ``ok`` and each name's shape, or the error."""
    from .emit.algebra import algebra
    from .shapes import infer
    if getattr(args, "json", False):
        return check_json(args)
    program = _parse(args)
    shapes = infer(program, _shape_options(args), convention=not args.no_convention)
    n = len(program.statements)
    lines = [f"ok: {n} statement{'s' if n != 1 else ''} read, and the shapes agree"]
    for name, shape in shapes.names.items():
        how = "declared" if name in shapes.declared else "inferred"
        lines.append(f"  {algebra(name)} : {shapes.text(shape)}  ({how})")
    unknown = shapes.unknowns()
    if unknown:
        lines.append("not determined: " + ", ".join(f"{s} ({what})" for s, what in unknown))
    return "\n".join(lines)


def cmd_plan(args) -> str:
    plan = _plan(args)
    return plan.json() if args.json else plan.text()


def cmd_run(args) -> str:
    """Compile the program, run it on the arrays of an .npz file, print what it assigns."""
    from .run import load_inputs, show_values
    program = _parse(args)
    _shape_options(args)        # bad shape options are bad usage (2), not a traceback
    f = program.compile(style=args.style, sizes=args.sizes, dims=args.dims, batch=args.batch,
                        convention=not args.no_convention, optimize=args.optimize,
                        columns=args.columns)
    if not args.inputs and args.init is None:
        raise UsageError("give the inputs with --inputs FILE.npz (and the parameters with "
                         "--init SCHEME, or a file that notation init wrote)")
    start = None
    if args.init is not None:
        start = program.init(scheme=args.init, seed=args.seed, sizes=args.sizes, dims=args.dims,
                             batch=args.batch, convention=not args.no_convention,
                             columns=args.columns)
    inputs = load_inputs([_stdin_or(path) for path in args.inputs or []], f.plan.inputs,
                         UsageError, start=start)
    return show_values(f(**inputs))


SHOW_WIDTH = 100


def _colour(stream) -> bool:
    """Colour only for a terminal (or FORCE_COLOR), never with NO_COLOR (colour_on)."""
    return colour_on(stream)


def _fit(line: str, width: int) -> list[str]:
    """A line cut into pieces of at most ``width`` columns, continuations marked with ↪."""
    if len(line) <= width:
        return [line]
    pieces = [line[:width]]
    rest = line[width:]
    while rest:
        pieces.append("↪ " + rest[:width - 2])
        rest = rest[width - 2:]
    return pieces


def cmd_show(args) -> str:
    """Algebra, NumPy, LaTeX, the plan's summary and the diagram, one under another."""
    from .side_by_side import html_page, views
    program = _parse(args)
    _shape_options(args)        # bad shape options are bad usage (2), not a traceback
    options = dict(sizes=args.sizes, dims=args.dims, batch=args.batch,
                   convention=not args.no_convention, columns=args.columns)
    if args.html:
        v = views(program, **options)
        if v.plan_error is not None:
            raise v.plan_error
        return html_page(program, **options)
    v = views(program, **options)
    if v.plan_error is not None:
        raise v.plan_error          # a shape error is an error of show too (exit 1)
    from .emit.diagram import text as diagram_text
    pic = v.picture()
    sections = [("algebra", program.algebra(ascii=args.ascii)),
                ("NumPy", program.numpy()),
                ("LaTeX", program.latex()),
                ("plan", v.plan.summary())]
    if pic is not None:
        sections.append(("diagram", diagram_text(pic)))
    colour = args.output is None and _colour(sys.stdout)
    width = show_width(args)
    out = []
    for title, body in sections:
        rule = f"── {title} " + "─" * max(0, width - len(title) - 4)
        out.append(f"\033[1;36m{rule}\033[0m" if colour else rule)
        for line in body.splitlines():
            out.extend(("  " + piece).rstrip() for piece in _fit(line, width - 2))
    return "\n".join(out)


def cmd_diagram(args) -> str:
    """The book's picture: text for a terminal, or SVG (--svg, or -o FILE.svg)."""
    from .emit.diagram import svg, text
    from .side_by_side import views
    program = _parse(args)
    _shape_options(args)        # bad shape options are bad usage (2), not a traceback
    v = views(program, sizes=args.sizes, dims=args.dims, batch=args.batch,
              convention=not args.no_convention, columns=args.columns)
    if v.plan_error is not None:
        raise v.plan_error          # as in show: a picture of shapes that disagree is an error
    pic = v.picture()
    if pic is None:
        from .errors import NotationTranslationError
        raise NotationTranslationError(
            "there is no forward pass to draw: the diagram draws assignments such as "
            "l2 = relu(l0W0)W1")
    as_svg = args.svg or (args.output or "").lower().endswith(".svg")
    return svg(pic) if as_svg else text(pic)


def cmd_numpy(args) -> str:
    from .emit.numpy import scheme_for, emitter_class
    try:
        emitter_class(args.style)
        scheme_for(args.naming)
    except ValueError as e:
        raise UsageError(getattr(e, "message", str(e)))
    return _parse(args).numpy(style=args.style, naming=args.naming, module=args.module)


def cmd_latex(args) -> str:
    return _parse(args).latex(document=args.document)


VIEW_KINDS = {".py": "numpy", ".tex": "latex", ".nn": "algebra"}


def cmd_compare(args):
    """Exit 0 when the views are equivalent, 1 when they differ."""
    from .compare import compare, read_view
    if len(args.views) < 2:
        raise UsageError("give two or more views to compare")
    views = []
    for arg in args.views:
        if arg == "-":                      # '-' is standard input, here too
            views.append(read_view(_read_stdin(), naming=args.naming, names=args.names,
                                   columns=args.columns))
            continue
        ext = os.path.splitext(arg)[1].lower()
        # A file by its extension, unless it is plainly a formula (`y = x.py` is no path).
        if ext in VIEW_KINDS and (os.path.exists(arg) or not any(c in arg for c in " =\n")):
            views.append(read_view(read_file(arg), VIEW_KINDS[ext], naming=args.naming,
                                   names=args.names, columns=args.columns))
        else:
            views.append(read_view(arg, naming=args.naming, names=args.names,
                                   columns=args.columns))
    result = compare(*views, naming=args.naming)
    return result.report(), (0 if result.equivalent else INPUT_ERROR)


def cmd_backward(args) -> str:
    """The derived training step, printed in the view --to names."""
    program = _parse(args)
    _shape_options(args)        # bad shape options are bad usage (2), whichever view --to names
    params = [p for p in args.params.split(",") if p.strip()] if args.params else None
    args.to = args.to or "algebra"
    derived = program.backward(loss=args.loss, lr=args.lr, target=args.target, params=params,
                               delta=args.delta, mean=args.mean, sizes=args.sizes,
                               dims=args.dims, batch=args.batch, columns=args.columns)
    if getattr(args, "document", False) and args.to != "latex":
        raise UsageError(f"--document makes a LaTeX document: use it with --to latex, "
                         f"not --to {args.to}")
    view = BACKWARD_VIEWS[args.to]
    return view(derived, args)


BACKWARD_VIEWS = {
    "algebra": lambda program, args: program.algebra(),
    "numpy": lambda program, args: program.numpy(),
    "latex": lambda program, args: program.latex(document=getattr(args, "document", False)),
    "plan": lambda program, args: program.plan(sizes=args.sizes, dims=args.dims,
                                               batch=args.batch, columns=args.columns).text(),
}


# ---------------------------------------------------------------------------- argument parsing

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="notation",
        description="Translate the algebra of neural networks (Grokking Deep Learning, ch. 7) "
                    "into its other views.")
    from . import __version__
    parser.add_argument("--version", action="version", version=f"notation {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

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

    p = sub.add_parser("diagram", help="the book's picture of the network (text, or SVG)")
    _add_input(p)
    _add_shapes(p)
    p.add_argument("--svg", action="store_true", help="SVG instead of text (implied by -o *.svg)")
    p.set_defaults(run=cmd_diagram)

    p = sub.add_parser("algebra", help="the canonical algebra")
    _add_input(p)
    p.add_argument("--columns", action="store_true",
                   help="read a .py program as column-vector code: np.dot(W, a) + b")
    p.add_argument("--ascii", action="store_true",
                   help="spell ᵀ ⊙ α … as ^T * \\alpha … (parses back the same)")
    p.set_defaults(run=cmd_algebra)

    p = sub.add_parser("check", help="read the program and report any error")
    _add_input(p, output=False)
    _add_shapes(p)
    p.add_argument("--json", action="store_true",
                   help="the errors and warnings as a JSON list of objects (line, column, end, "
                        "kind, message, hint)")
    p.set_defaults(run=cmd_check, output=None)

    p = sub.add_parser("plan", help="the shape-checked execution plan: steps, FLOPs, memory")
    _add_input(p)
    _add_shapes(p)
    p.add_argument("--optimize", action="store_true",
                   help="compute each chain of products in its cheapest order")
    p.add_argument("--json", action="store_true", help="the plan as JSON")
    p.add_argument("--dtype", default="float64", choices=["float64", "float32", "float16"],
                   help="the element type the bytes are counted for (default float64)")
    p.set_defaults(run=cmd_plan)

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
    p.set_defaults(run=cmd_run)

    p = sub.add_parser("numpy", help="the NumPy code, as the book writes it")
    _add_input(p)
    p.add_argument("--columns", action="store_true",
                   help="read a .py program as column-vector code: np.dot(W, a) + b")
    p.add_argument("--style", default="book", metavar="{" + ",".join(NUMPY_STYLES) + "}",
                   help="book (default: .dot()), matmul (@), plan (one step a line, in place), "
                        "or another registered style")
    p.add_argument("--naming", default="book",
                   help="book (default: layer_1, weights_0_1) or plain (l1, W0)")
    p.add_argument("--module", action="store_true",
                   help="a complete module: imports, the helpers used, and a function run(*, …)")
    p.set_defaults(run=cmd_numpy)

    p = sub.add_parser("latex", help="the LaTeX")
    _add_input(p)
    p.add_argument("--columns", action="store_true",
                   help="read a .py program as column-vector code: np.dot(W, a) + b")
    p.add_argument("--document", action="store_true",
                   help="a complete .tex file (article, amsmath, amssymb)")
    p.set_defaults(run=cmd_latex)

    p = sub.add_parser("compare", help="are two or more views the same computation? "
                                       "(exit 0 equivalent, 1 different)")
    p.add_argument("views", nargs="+", metavar="VIEW",
                   help="an algebra, LaTeX or NumPy text, or a .nn, .tex or .py file")
    p.add_argument("--naming", default="book", choices=["book", "plain"],
                   help="the naming scheme of NumPy views (default book)")
    p.add_argument("--names", help="notation names for identifiers of NumPy views, "
                                   "e.g. input=l0,weights=W0")
    p.add_argument("--columns", action="store_true",
                   help="read NumPy views as column-vector code: np.dot(W, a) + b")
    p.add_argument("-o", "--output", help="write the report to FILE, only once it is complete")
    p.add_argument("--strict", action="store_true",
                   help="treat warnings (a reading picked where two were plausible) as errors")
    p.set_defaults(run=cmd_compare)

    p = sub.add_parser("backward", help="derive the deltas and weight updates of a forward pass")
    _add_input(p)
    p.add_argument("--loss", choices=["mse", "cross_entropy"], default="mse")
    p.add_argument("--to", choices=sorted(BACKWARD_VIEWS), default=None,
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
    _add_init(sub)
    describe(sub)
    return parser


# ---------------------------------------------------------------------------- conventions
#
# What the subcommands share, as black, ruff and sqlglot do it: '-' for standard input, -o's
# extension choosing the format, each subcommand's own usage on bad usage, colour on a
# terminal only, a description and an example in every --help.

MIN_WIDTH = 40
WEIGHT_SCHEMES = ("book", "xavier", "glorot", "he")       # notation.weights.SCHEMES
NUMPY_STYLES = ("book", "matmul", "plan")                 # emit.numpy.STYLES (a test checks)


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


def show_width(args) -> int:
    """--width, else the terminal's width (COLUMNS, then the terminal itself) but at least
    MIN_WIDTH, else SHOW_WIDTH when the output is no terminal."""
    if getattr(args, "width", None):
        return args.width
    import shutil
    columns = shutil.get_terminal_size((SHOW_WIDTH, 24)).columns
    return max(MIN_WIDTH, columns)


def colour_on(stream) -> bool:
    """Colour for a terminal: never with NO_COLOR set or TERM=dumb, always with FORCE_COLOR
    set (to anything but "0"), else when ``stream`` is a terminal (https://no-color.org)."""
    if "NO_COLOR" in os.environ:
        return False
    force = os.environ.get("FORCE_COLOR")
    if force is not None and force != "0":
        return True
    return (hasattr(stream, "isatty") and stream.isatty() and
            os.environ.get("TERM") != "dumb")


_PAINT = {"error:": "\033[1;31m", "warning:": "\033[1;33m"}


def paint(rendered: str, stream) -> str:
    """A rendered error or warning, coloured when ``stream`` takes colour: the first word
    (red error, yellow warning), the carets, and the ``-->`` and ``=`` lines."""
    if not colour_on(stream):
        return rendered
    import re
    out = []
    for line in rendered.split("\n"):
        word = next((w for w in _PAINT if line.startswith(w)), None)
        if word:
            line = f"{_PAINT[word]}{word}\033[0m\033[1m{line[len(word):]}\033[0m"
        elif re.match(r"\s*\d* \|", line) and "^" in line:
            line = re.sub(r"(\^+)", "\033[1;31m\\1\033[0m", line)
        elif re.match(r"\s*(-->|=)", line):
            line = f"\033[1;34m{line}\033[0m"
        out.append(line)
    return "\n".join(out)


def usage_error(parser, args, message: str) -> None:
    """Bad usage found after parsing: the message, then the subcommand's usage (the message
    first, so that the first line says what is wrong; docs/cli.md)."""
    text = f"notation {args.command}: error: {message}"
    if colour_on(sys.stderr):
        text = f"{_PAINT['error:']}notation {args.command}: error:\033[0m {message}"
    sys.stderr.write(text + "\n")
    sub = _subcommand(parser, getattr(args, "command", None))
    if sub is not None:
        sys.stderr.write(sub.format_usage())


def _subcommand(parser, name):
    for action in parser._subparsers._group_actions:
        if name in getattr(action, "choices", {}):
            return action.choices[name]
    return None


def _stdin_or(path: str):
    """A path, or standard input's bytes for '-'."""
    if path != "-":
        return path
    import io
    return io.BytesIO(sys.stdin.buffer.read())


# The format an -o extension names; every other extension (.txt, .nn, none) is the text view.
OUTPUT_FORMATS = {".html": "html", ".htm": "html", ".svg": "svg", ".tex": "latex",
                  ".json": "json", ".py": "numpy", ".npz": "npz"}
_FORMAT_WORDS = {"html": "an HTML page", "svg": "an SVG picture", "latex": "LaTeX",
                 "json": "JSON", "numpy": "NumPy code", "npz": "NumPy arrays"}


def _set(attr, value):
    def apply(args):
        current = getattr(args, attr, None)
        if current not in (None, False, value):
            return f"--{attr} {current}"
        setattr(args, attr, value)
        return None
    return apply


# For each command: the formats its -o may name, and how each is switched on.
COMMAND_FORMATS = {
    "show": {"html": _set("html", True)},
    "diagram": {"svg": _set("svg", True)},
    "plan": {"json": _set("json", True)},
    "latex": {"latex": None},
    "numpy": {"numpy": None},
    "backward": {"latex": _set("to", "latex"), "numpy": _set("to", "numpy")},
    "init": {"npz": None},
}


def output_format(args) -> None:
    """Let -o FILE's extension choose the format (``show -o page.html`` is --html), or refuse
    an extension that names a format the command does not print."""
    path = getattr(args, "output", None)
    if not path or path == "-":
        return
    fmt = OUTPUT_FORMATS.get(os.path.splitext(path)[1].lower())
    allowed = COMMAND_FORMATS.get(args.command, {})
    if fmt is None:
        if args.command == "init":
            raise _usage(args, f"-o {path}: init writes NumPy arrays: name the file .npz")
        return
    if fmt not in allowed:
        can = " or ".join(sorted(e for e, f in OUTPUT_FORMATS.items() if f in allowed
                                 and e != ".htm"))
        raise _usage(args, f"-o {path}: {os.path.splitext(path)[1]} is "
                           f"{_FORMAT_WORDS[fmt]}, which notation {args.command} does not "
                           f"print" + (f" (it writes {can}, or text)" if can else
                                        " (it writes text)"))
    switch = allowed[fmt]
    if switch is not None:
        clash = switch(args)
        if clash:
            raise _usage(args, f"-o {path} asks for {_FORMAT_WORDS[fmt]}, {clash} for another "
                               f"view")


def _usage(args, message: str) -> SystemExit:
    parser = build_parser()
    sub = _subcommand(parser, args.command)
    (sub or parser).error(message)          # prints the usage and exits with status 2


def check_json(args) -> str:
    """``check --json``: a JSON list, one object per error or warning."""
    import json
    import warnings

    from .errors import NotationError
    from .shapes import infer
    found = []
    source = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            source = read_source(args)
            from .read.latex import from_latex
            program = from_latex(source)
            infer(program, _shape_options(args), convention=not args.no_convention)
        except NotationError as e:
            found.append(("error", e))
    for w in caught:
        message = w.message
        if isinstance(message, NotationError) or hasattr(message, "span"):
            found.append(("warning", message))
    out = [diagnostic(kind, e, source) for kind, e in found]
    return json.dumps(out, ensure_ascii=False, indent=2), (INPUT_ERROR if any(
        kind == "error" for kind, _ in found) else 0)


def diagnostic(kind: str, e, source: str | None) -> dict:
    """One error or warning as a JSON object: where (1-based line and column, and where it
    ends), its kind, the message and the hint."""
    from .errors import line_and_column
    text = getattr(e, "source", None) or source
    span = getattr(e, "span", None)
    where = {"line": None, "column": None, "end": None}
    if span is not None and text is not None:
        line, column = line_and_column(text, span.start)
        end_line, end_column = line_and_column(text, span.end)
        where = {"line": line, "column": column,
                 "end": {"line": end_line, "column": end_column}}
    category = type(e).__name__.removeprefix("Notation").removesuffix("Error").removesuffix(
        "Warning").lower() or kind
    return {**where, "kind": kind, "category": category,
            "message": getattr(e, "message", str(e)), "hint": getattr(e, "hint", None)}


def cmd_init(args):
    """Initial weights of the checked shapes, written as an .npz file."""
    from .weights import save
    program = _parse(args)
    _shape_options(args)
    arrays = program.init(scheme=args.scheme, seed=args.seed, sizes=args.sizes, dims=args.dims,
                          batch=args.batch, convention=not args.no_convention,
                          columns=args.columns)
    if not arrays:
        from .errors import NotationTranslationError
        raise NotationTranslationError(
            "the program has no parameters to initialise (W… and b…)")
    if args.output in (None, "-"):
        if args.output == "-" or not sys.stdout.isatty():
            import io

            import numpy as np
            buffer = io.BytesIO()
            np.savez(buffer, **arrays)
            sys.stdout.buffer.write(buffer.getvalue())
            sys.stdout.flush()
            return None
        raise UsageError("give -o FILE.npz: the weights are binary (or -o - to pipe them)")
    save(arrays, args.output)
    lines = [f"wrote {args.output}: " + ", ".join(
        f"{k} {'×'.join(map(str, v.shape))}" for k, v in arrays.items())
        + f" ({args.scheme}" + (f", seed {args.seed})" if args.seed is not None else ")")]
    sys.stderr.write(lines[0] + "\n")
    return None


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
    p.set_defaults(run=cmd_init)


# Each subcommand's --help: what it does, and an example to copy.
DESCRIPTIONS = {
    "show": ("Every view of one program, one under another: algebra, NumPy, LaTeX, the "
             "plan's summary and the diagram (or one HTML page).",
             'notation show "l2 = relu(l0W0)W1" --sizes 3,4,1\n'
             '  notation show "l2 = relu(l0W0)W1" --sizes 3,4,1 -o net.html'),
    "diagram": ("The book's picture of the network: layers as rows of units, matrices as "
                "boxes between them, layer 0 at the bottom.",
                'notation diagram "l2 = relu(l0W0)W1" --sizes 3,4,1 -o net.svg'),
    "algebra": ("The canonical algebra of a program written in any accepted spelling "
                "(also LaTeX, or a whole .tex document).",
                'notation algebra "l2=relu( l_0 W_{0} ) W1"\n  notation algebra -f net.tex'),
    "check": ("Read the program and check its shapes: ok and each name's shape, or the "
              "error with its place (exit 1).",
              'notation check "l2 = relu(l0W0)W1" --sizes 3,4,1\n'
              '  notation check "l2 = relu(l0W0" --json'),
    "plan": ("The shape-checked execution plan: one step per operation, its shape, FLOPs "
             "and bytes, then the totals and where each shape came from.",
             'notation plan "l2 = relu(l0W0)W1" --sizes 3,4,1'),
    "run": ("Compile the program and run it on the arrays of .npz files, printing what it "
            "assigns.",
            'notation init "l2 = relu(l0W0)W1" --sizes 3,4,1 --seed 1 -o weights.npz\n'
            '  notation run "l2 = relu(l0W0)W1" --inputs weights.npz --inputs data.npz'),
    "numpy": ("The NumPy code of the program, as the book writes it.",
              'notation numpy "l2 = relu(l0W0)W1" --style matmul'),
    "latex": ("The LaTeX of the program; --document makes a .tex file that pdflatex "
              "compiles.",
              'notation latex "l2 = relu(l0W0)W1" --document -o net.tex'),
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
        description, example = DESCRIPTIONS.get(name, (None, None))
        p.description = description
        if example:
            p.epilog = "example:\n  " + example
        p.formatter_class = argparse.RawDescriptionHelpFormatter


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:
            # An option the subcommand does not know: its own usage, not the top level's.
            parser._subparsers._group_actions[0].choices[args.command].error(
                "unrecognized arguments: " + " ".join(extra))
        output_format(args)
    except SystemExit as e:  # argparse has printed the usage message
        return int(e.code or 0)
    import warnings
    from .errors import NotationError, NotationOptionError, NotationWarning
    try:
        with warnings.catch_warnings(record=True) as found:
            warnings.simplefilter("always", NotationWarning)
            out = args.run(args)
        # A view that runs the shape check again (show runs every view) finds the same
        # warning again: each is said once.
        raised = list({(str(w.message), getattr(w.message.span, "start", None)): w.message
                       for w in found if isinstance(w.message, NotationWarning)}.values())
        for w in found:
            if not isinstance(w.message, NotationWarning):
                warnings.showwarning(w.message, w.category, w.filename, w.lineno)
        if raised and getattr(args, "strict", False):
            raise raised[0].error()
        for w in raised:
            sys.stderr.write(w.render() + "\n")
        status = 0
        if isinstance(out, tuple):          # (text, status): compare says "different" with 1
            out, status = out
        if out is not None:                 # init has written its binary file itself
            write_output(out, args.output)
    except NotationOptionError as e:         # an option the library refused: bad usage
        usage_error(parser, args, e.message)
        return USAGE_ERROR
    except NotationError as e:
        sys.stderr.write(paint(e.render(), sys.stderr) + "\n")
        return INPUT_ERROR
    except UsageError as e:
        usage_error(parser, args, str(e))
        return USAGE_ERROR
    except OutputError as e:
        sys.stderr.write(f"notation {args.command}: error: {e}\n")
        return INPUT_ERROR
    except BrokenPipeError:
        # The reader went away (`notation show … | head`); say nothing more.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
    return status


if __name__ == "__main__":
    sys.exit(main())
