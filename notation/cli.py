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
    from .parser import parse
    return parse(read_source(args))


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
    inputs = load_inputs(args.inputs, f.plan.inputs, UsageError)
    return show_values(f(**inputs))


SHOW_WIDTH = 100


def _colour(stream) -> bool:
    """Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return (hasattr(stream, "isatty") and stream.isatty() and "NO_COLOR" not in os.environ
            and os.environ.get("TERM") != "dumb")


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
    out = []
    for title, body in sections:
        rule = f"── {title} " + "─" * max(0, SHOW_WIDTH - len(title) - 4)
        out.append(f"\033[1;36m{rule}\033[0m" if colour else rule)
        for line in body.splitlines():
            out.extend(("  " + piece).rstrip() for piece in _fit(line, SHOW_WIDTH - 2))
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
        ext = os.path.splitext(arg)[1].lower()
        # A file by its extension, unless it is plainly a formula (`y = x.py` is no path).
        if ext in VIEW_KINDS and (os.path.exists(arg) or not any(c in arg for c in " =\n")):
            views.append(read_view(read_file(arg), VIEW_KINDS[ext], naming=args.naming))
        else:
            views.append(read_view(arg, naming=args.naming))
    result = compare(*views, naming=args.naming)
    return result.report(), (0 if result.equivalent else INPUT_ERROR)


def cmd_backward(args) -> str:
    """The derived training step, printed in the view --to names."""
    program = _parse(args)
    _shape_options(args)        # bad shape options are bad usage (2), whichever view --to names
    params = [p for p in args.params.split(",") if p.strip()] if args.params else None
    derived = program.backward(loss=args.loss, lr=args.lr, target=args.target, params=params,
                               delta=args.delta, mean=args.mean, sizes=args.sizes,
                               dims=args.dims, batch=args.batch, columns=args.columns)
    view = BACKWARD_VIEWS[args.to]
    return view(derived, args)


BACKWARD_VIEWS = {
    "algebra": lambda program, args: program.algebra(),
    "numpy": lambda program, args: program.numpy(),
    "latex": lambda program, args: program.latex(),
    "plan": lambda program, args: program.plan(sizes=args.sizes, dims=args.dims,
                                               batch=args.batch, columns=args.columns).text(),
}


# ---------------------------------------------------------------------------- argument parsing

def _add_input(p: argparse.ArgumentParser, output: bool = True) -> None:
    p.add_argument("source", nargs="?", help="the program (else -f FILE, else standard input)")
    p.add_argument("-f", "--file", help="read the program from FILE ('-' for standard input)")
    if output:
        p.add_argument("-o", "--output", help="write the result to FILE, only once it is complete")


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
                   help="one self-contained HTML page with every view (use with -o page.html)")
    p.set_defaults(run=cmd_show)

    p = sub.add_parser("diagram", help="the book's picture of the network (text, or SVG)")
    _add_input(p)
    _add_shapes(p)
    p.add_argument("--svg", action="store_true", help="SVG instead of text (implied by -o *.svg)")
    p.set_defaults(run=cmd_diagram)

    p = sub.add_parser("algebra", help="the canonical algebra")
    _add_input(p)
    p.add_argument("--ascii", action="store_true",
                   help="spell ᵀ ⊙ α … as ^T * \\alpha … (parses back the same)")
    p.set_defaults(run=cmd_algebra)

    p = sub.add_parser("check", help="read the program and report any error")
    _add_input(p, output=False)
    _add_shapes(p)
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
    p.add_argument("--inputs", required=True, metavar="FILE.npz",
                   help="the inputs, keyed by notation name (l0, W0) or identifier (layer_0)")
    p.add_argument("--style", default="plan", choices=["plan", "book", "matmul"],
                   help="the NumPy style to run (default plan)")
    p.add_argument("--optimize", action="store_true",
                   help="compute each chain of products in its cheapest order")
    p.set_defaults(run=cmd_run)

    p = sub.add_parser("numpy", help="the NumPy code, as the book writes it")
    _add_input(p)
    p.add_argument("--style", default="book",
                   help="book (default: .dot()), matmul (@), or another registered style")
    p.add_argument("--naming", default="book",
                   help="book (default: layer_1, weights_0_1) or plain (l1, W0)")
    p.add_argument("--module", action="store_true",
                   help="a complete module: imports, the helpers used, and a function run(*, …)")
    p.set_defaults(run=cmd_numpy)

    p = sub.add_parser("latex", help="the LaTeX")
    _add_input(p)
    p.add_argument("--document", action="store_true",
                   help="a complete .tex file (article, amsmath, amssymb)")
    p.set_defaults(run=cmd_latex)

    p = sub.add_parser("compare", help="are two or more views the same computation? "
                                       "(exit 0 equivalent, 1 different)")
    p.add_argument("views", nargs="+", metavar="VIEW",
                   help="an algebra, LaTeX or NumPy text, or a .nn, .tex or .py file")
    p.add_argument("--naming", default="book", choices=["book", "plain"],
                   help="the naming scheme of NumPy views (default book)")
    p.add_argument("-o", "--output", help="write the report to FILE, only once it is complete")
    p.set_defaults(run=cmd_compare)

    p = sub.add_parser("backward", help="derive the deltas and weight updates of a forward pass")
    _add_input(p)
    p.add_argument("--loss", choices=["mse", "cross_entropy"], default="mse")
    p.add_argument("--to", choices=sorted(BACKWARD_VIEWS), default="algebra",
                   help="the view to print the training step in")
    p.add_argument("--lr", default="α", help="the learning rate, a name or a number (default α)")
    p.add_argument("--target", default="y", help="the target the output is compared with (y)")
    p.add_argument("--params", help="what is trained besides W… and b…, e.g. E,W")
    p.add_argument("--delta", choices=["l-y", "y-l"], default="l-y",
                   help="the output delta: l-y with -= updates (default), or the book's "
                        "chapters 6 and 8, y-l with +=")
    p.add_argument("--mean", action="store_true",
                   help="the loss is a mean over the batch: the output delta is divided by n")
    _add_shapes(p)
    p.set_defaults(run=cmd_backward)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse has printed the usage message
        return int(e.code or 0)
    from .errors import NotationError, NotationOptionError
    try:
        out = args.run(args)
        status = 0
        if isinstance(out, tuple):          # (text, status): compare says "different" with 1
            out, status = out
        write_output(out, args.output)
    except NotationOptionError as e:         # an option the library refused: bad usage
        sys.stderr.write(f"notation {args.command}: error: {e.message}\n")
        return USAGE_ERROR
    except NotationError as e:
        sys.stderr.write(e.render() + "\n")
        return INPUT_ERROR
    except UsageError as e:
        sys.stderr.write(f"notation {args.command}: error: {e}\n")
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
