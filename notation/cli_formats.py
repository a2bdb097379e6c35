"""``-o FILE``'s extension chooses the format: ``show -o page.html`` is ``show --html``,
``diagram -o net.svg`` is ``--svg``, ``backward -o step.tex`` is ``--to latex``; an extension
naming a format the command does not print is bad usage. A view's formats are in its record
(notation/views.py). Loaded only when -o is given."""

from __future__ import annotations

import os

from .views import VIEWS, backward_views


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


def command_formats() -> dict:
    """For each command: the formats its -o may name, and how each is switched on (a view's
    from its record; backward's: the views --to offers, by their own formats)."""
    out = {"show": {"html": _set("html", True)}, "init": {"npz": None}}
    for name, view in VIEWS.items():
        out[name] = {fmt: None if switch is None else _set(*switch)
                     for fmt, switch in view.formats.items()}
    out["backward"] = {fmt: _set("to", name) for name, view in backward_views().items()
                       for fmt, switch in view.formats.items() if switch is None}
    return out


def output_format(args, parser) -> None:
    """Let -o FILE's extension choose the format (``show -o page.html`` is --html), or refuse
    an extension that names a format the command does not print."""
    path = getattr(args, "output", None)
    if not path or path == "-":
        return
    fmt = OUTPUT_FORMATS.get(os.path.splitext(path)[1].lower())
    allowed = command_formats().get(args.command, {})
    if fmt is None:
        if args.command == "init":
            raise _usage(parser, args, f"-o {path}: init writes NumPy arrays: name the file .npz")
        return
    if fmt not in allowed:
        can = " or ".join(sorted(e for e, f in OUTPUT_FORMATS.items() if f in allowed
                                 and e != ".htm"))
        raise _usage(parser, args, f"-o {path}: {os.path.splitext(path)[1]} is "
                           f"{_FORMAT_WORDS[fmt]}, which notation {args.command} does not "
                           f"print" + (f" (it writes {can}, or text)" if can else
                                        " (it writes text)"))
    switch = allowed[fmt]
    if switch is not None:
        clash = switch(args)
        if clash:
            raise _usage(parser, args, f"-o {path} asks for {_FORMAT_WORDS[fmt]}, {clash} for another "
                               f"view")


def _usage(parser, args, message: str) -> SystemExit:
    from .cli_errors import subcommand
    sub = subcommand(parser, args.command)
    (sub or parser).error(message)          # prints the usage and exits with status 2
