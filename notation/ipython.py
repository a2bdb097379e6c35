"""Jupyter: ``%load_ext notation`` and the ``%%notation`` cell magic (SPEC §7).

    %load_ext notation

    %%notation --sizes 3,4,1
    l1 = relu(l0W0)
    l2 = l1W1

shows the side-by-side view of the cell (algebra, math, NumPy, LaTeX, plan, diagram). A
cell with an error shows the rendered error instead of a traceback.
"""

from __future__ import annotations

import argparse
import shlex


class _Shown:
    """What the magic returns: Jupyter displays it through its _repr_html_."""

    def __init__(self, html: str, text: str):
        self._html, self._text = html, text

    def _repr_html_(self) -> str:
        return self._html

    def __repr__(self) -> str:
        return self._text


def _options(line: str) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="%%notation", add_help=False)
    p.add_argument("--sizes")
    p.add_argument("--dims")
    p.add_argument("--batch")
    p.add_argument("--no-convention", action="store_true")
    p.add_argument("--columns", action="store_true")
    return p.parse_args(shlex.split(line))


def notation_cell(line: str, cell: str):
    """The body of the ``%%notation`` magic: parse the cell, show every view of it."""
    from html import escape

    from .api import parse
    from .errors import NotationError
    from .side_by_side import html_fragment
    try:
        opts = _options(line)
    except (SystemExit, ValueError) as e:
        # argparse exits on an unknown option; shlex raises ValueError on an open quote.
        why = f"error: {e}\n" if isinstance(e, ValueError) else ""
        usage = "usage: %%notation [--sizes 3,4,1] [--dims l0=3] [--batch b] [--no-convention]"
        return _Shown(f"<pre class='notation-error'>{escape(why + usage)}</pre>", why + usage)
    try:
        program = parse(cell)
        html = html_fragment(program, sizes=opts.sizes, dims=opts.dims, batch=opts.batch,
                             convention=not opts.no_convention, columns=opts.columns)
        return _Shown(html, program.algebra())
    except NotationError as e:
        return _Shown(f"<pre class='notation-error'>{escape(str(e))}</pre>", str(e))


def load_ipython_extension(ipython) -> None:
    ipython.register_magic_function(notation_cell, magic_kind="cell", magic_name="notation")
