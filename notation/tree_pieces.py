"""What the tree builder's methods share (notation/tree_builder.py): where a token or a
node starts and ends, and the two values a rule hands on before they are nodes, a word
(:class:`Word`) and a shape's dimensions (:class:`Dims`).

A token (ours or Lark's) knows its offsets; a node carries a span.

>>> from notation.tokens import Tok
>>> span_of(Tok("NAME", "l0", 4, 6), Tok("NAME", "W0", 6, 8))
Span(start=4, end=8)
"""

from __future__ import annotations

from .nodes import Span


def start(x) -> int:
    """Where a token or a node starts."""
    start = getattr(x, "start_pos", None)
    return x.span.start if start is None else start


def end(x) -> int:
    """Where a token or a node ends."""
    end = getattr(x, "end_pos", None)
    return x.span.end if end is None else end


def kind(x) -> str | None:
    """The terminal of a token, None for a node."""
    return getattr(x, "type", None)


def span_of(first, last) -> Span:
    """The span from the start of ``first`` to the end of ``last`` (tokens or nodes)."""
    return Span(start(first), end(last))


def respan(node, span):
    """``node`` with the span ``span``."""
    from dataclasses import replace
    return replace(node, span=span)


class Word:
    """A word where a value stands: right only in ``g = relu``. Every builder asks a value
    for its span; a word answers with its error ('layer' is a word, not l·a·y·e·r)."""

    __slots__ = ("tok",)

    def __init__(self, tok):
        self.tok = tok

    @property
    def span(self):
        from .name_errors import word_error  # error paths load their module on demand
        raise word_error(self.tok)


class Dims:
    """The dimensions of a shape while it is being built, with where they were written."""

    __slots__ = ("dims", "start", "end")

    def __init__(self, dims, start, end):
        self.dims, self.start, self.end = dims, start, end
