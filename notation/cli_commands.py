"""The command line's subcommands: each ``cmd_<name>(args)`` reads the program, runs its
stage and returns the text to print (``cli.main`` writes it and turns errors into exit
statuses); and what they share: the shape options, the width and colour of ``show``.
Only what a command needs is imported, inside it, so that ``notation algebra`` starts fast.
"""

from __future__ import annotations

import os
import sys

from .cli_io import INPUT_ERROR, UsageError, _read_stdin, read_file, read_source

# ---------------------------------------------------------------------------- commands

def _parse(args):
    source = read_source(args)
    if (getattr(args, "file", None) or "").lower().endswith(".ipynb"):
        # a notebook: one code cell, with the definitions of the cells before it (issue 14)
        from .read.numpy import from_numpy
        from .read.numpy.notebook import is_notebook
        if not is_notebook(source):
            raise UsageError(f"{args.file} is not a Jupyter notebook (nbformat JSON)")
        return from_numpy(source, names=getattr(args, "names", None),
                          columns=getattr(args, "columns", False), cell=getattr(args, "cell", None))
    if getattr(args, "cell", None) is not None:
        raise UsageError("--cell chooses a cell of an .ipynb notebook given with -f")
    if (getattr(args, "file", None) or "").lower().endswith(".py"):
        # a .py file is NumPy (issue 14): --names chooses names, --columns reads W·a + b.
        # It is read up to the limit, as any program: one cut there is too long, not
        # Python that does not parse ("'(' was never closed").
        from .parser import check_length
        check_length(source)
        from .read.numpy import from_numpy
        return from_numpy(source, names=getattr(args, "names", None),
                          columns=getattr(args, "columns", False))
    # A whole LaTeX document (`latex --document` output) is read by its math environments;
    # any other text is parsed as it is (as from_latex does), without loading that reader.
    from .read import DOCUMENT_BEGIN
    if DOCUMENT_BEGIN in source:
        from .read.latex import from_latex
        reader = from_latex
    else:
        from .parser import parse
        reader = parse
    return reader(source, strict=getattr(args, "strict", False),
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


def _shape_options(args):
    from .declarations import OptionError
    from .shapes import options
    try:
        return options(args.sizes, args.dims, args.batch, columns=getattr(args, "columns", False))
    except OptionError as e:
        raise UsageError(e.message)


SHOW_WIDTH = 100


def _colour(stream) -> bool:
    """Colour only for a terminal (or FORCE_COLOR), never with NO_COLOR (colour_on)."""
    return colour_on(stream)


def _fit(line: str, width: int) -> list[str]:
    """A line cut into pieces of at most ``width`` columns, continuations marked with ↪."""
    if len(line) <= width:
        return [line]
    # Cut at offsets into the line: taking the rest off it piece by piece copied the rest
    # each time (quadratic: a 999,993-character line took show of a chain over 40 s).
    step = width - 2
    return [line[:width]] + ["↪ " + line[at:at + step] for at in range(width, len(line), step)]


def cmd_show(args) -> str:
    """The sections of the registry of views (notation/views.py), one under another: algebra,
    NumPy, LaTeX, the plan's summary and the diagram; or their HTML page."""
    from .side_by_side import views
    from .views import page_sections, show_sections
    program = _parse(args)
    _shape_options(args)        # bad shape options are bad usage (2), not a traceback
    v = views(program, sizes=args.sizes, dims=args.dims, batch=args.batch,
              convention=not args.no_convention, columns=args.columns)
    if v.plan_error is not None:
        raise v.plan_error          # a shape error is an error of show too (exit 1)
    if args.html:
        from .emit.html import page
        return page(program, page_sections(v))
    colour = args.output is None and _colour(sys.stdout)
    width = show_width(args)
    out = []
    for title, body in show_sections(v, ascii=args.ascii):
        rule = f"── {title} " + "─" * max(0, width - len(title) - 4)
        out.append(f"\033[1;36m{rule}\033[0m" if colour else rule)
        for line in body.splitlines():
            out.extend(("  " + piece).rstrip() for piece in _fit(line, width - 2))
    return "\n".join(out)


def view_command(view):
    """The subcommand of a view of the registry (notation/views.py): check its options,
    read the program, print the view."""
    def run(args) -> str:
        options = view.keywords(lambda dest, default: getattr(args, dest, default))
        if view.check is not None:
            view.check(**options)        # a bad --style is bad usage, before the program is read
        return print_view(view, _parse(args), args, options)
    run.__name__ = run.__qualname__ = f"cmd_{view.name}"
    return run


def print_view(view, program, args, options: dict, convention: bool | None = None) -> str:
    """``view``'s text of ``program`` with ``options`` (and, for a view of shapes, the shape
    options of ``args``; ``convention`` overrides --no-convention)."""
    from .errors import NotationError
    subject = program
    if view.shapes:
        shapes = _shape_options(args)   # bad shape options are bad usage (2), not a traceback
        given = dict(sizes=args.sizes, dims=args.dims, batch=args.batch,
                     convention=(not args.no_convention) if convention is None else convention,
                     columns=args.columns)
        if view.on_views:
            from .side_by_side import views
            subject = views(program, **given, plan=False)     # the shapes, not the steps
        else:
            options = {**options, **given, "shapes": shapes}
    try:
        return view.text(subject, **options)
    except NotationError as e:
        raise e.with_source(program.source) from None


def cmd_compare(args):
    """Exit 0 when the views are equivalent, 1 when they differ."""
    from .comparing import compare, read_view
    from .views import read_kinds
    # the registry's views that compare reads back, and a notebook (read as NumPy, no view)
    kinds = {**read_kinds(), ".ipynb": "notebook"}
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
        if ext in kinds and (os.path.exists(arg) or not any(c in arg for c in " =\n")):
            views.append(read_view(read_file(arg, notebook=ext == ".ipynb"), kinds[ext],
                                   naming=args.naming, names=args.names, columns=args.columns,
                                   cell=args.cell))
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
    from .views import backward_views
    offered = backward_views()
    view = offered[args.to]
    def documents(v) -> bool:       # --document is an option of the views that have one
        return any(o.dest == "document" for o in v.options)
    if getattr(args, "document", False) and not documents(view):
        takes = " or ".join(f"--to {n}" for n, v in offered.items() if documents(v))
        raise UsageError(f"--document makes a LaTeX document: use it with {takes}, "
                         f"not --to {args.to}")
    # the view's own options at their defaults, but backward's --document (for latex); a
    # view of shapes takes backward's shape options, under the book's convention as the
    # step was derived (backward's --no-convention is not passed on, as before)
    options = view.keywords(lambda dest, default: getattr(args, dest, default))
    return print_view(view, derived, args, options, convention=True)


# ---------------------------------------------------------------------------- conventions
#
# What the subcommands share, as black, ruff and sqlglot do it: '-' for standard input, -o's
# extension choosing the format, each subcommand's own usage on bad usage, colour on a
# terminal only, a description and an example in every --help.

MIN_WIDTH = 40


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
