"""The tree builder: called at each reduction of the parse, it makes the node of the rule.

Methods are named after the grammar's rule aliases (grammar/notation.lark), so the same
builder serves the project's own LALR loop (notation/parser.py) and Lark's parser, which
the tests run side by side. Spans come from the tokens, so positions stay exact.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import functions
from .errors import NotationNameError, NotationSyntaxError
from .greek import canonical_letter
from .nodes import (Add, Assign, Call, Declare, Divide, ExprStatement, Hadamard, MatMul, Name,
                    Negate, Number, Span, Subtract, Transpose, Update)

_NAME = re.compile(r"(\\[A-Za-z]+|.)(?:_\{ *([A-Za-z0-9]+) *\}|_([A-Za-z0-9]+)|([0-9]+))?\Z", re.S)


@lru_cache(maxsize=4096)
def name_parts(text: str) -> tuple[str, str]:
    """``"l_{12}"`` -> ``("l", "12")``; ``"\\delta2"`` -> ``("δ", "2")``."""
    m = _NAME.match(text)
    letter, *subs = m.groups()
    return canonical_letter(letter), next((s for s in subs if s), "")


def normal_number(text: str) -> str:
    """One spelling per number where it costs nothing: ``007`` -> ``7``, ``1E3`` -> ``1e3``."""
    text = text.replace("E", "e")
    if text.isdigit():
        return text.lstrip("0") or "0"
    mantissa, _, exponent = text.partition("e")
    whole, dot, frac = mantissa.partition(".")
    whole = whole.lstrip("0") or "0"
    return whole + dot + frac + ("e" + exponent if exponent else "")


def _start(x) -> int:
    # A token (ours or Lark's) knows its offsets; a node carries a span.
    start = getattr(x, "start_pos", None)
    return x.span.start if start is None else start


def _end(x) -> int:
    end = getattr(x, "end_pos", None)
    return x.span.end if end is None else end


def _kind(x) -> str | None:
    """The terminal of a token, None for a node."""
    return getattr(x, "type", None)


def _span(first, last) -> Span:
    return Span(_start(first), _end(last))


def _name(tok) -> Name:
    text = str(tok)
    if text[0].isascii() and text[1:].isdigit() or len(text) == 1 and text.isascii():
        letter, sub = text[0], text[1:]      # l0, W12, x: the common case, no regex
    else:
        letter, sub = name_parts(text)
    return Name(letter, sub, Span(tok.start_pos, tok.end_pos))


_FUNC_SPELLING = re.compile(r"\\(?:operatorname\*?|mathrm|text|textrm|mathit)\s*\{\s*([A-Za-z]+)\s*\}")


def _function_name(tok) -> str:
    text = str(tok)
    m = _FUNC_SPELLING.fullmatch(text)
    return m.group(1) if m else text


class TreeBuilder:
    """Called by the LALR parser at each reduction; each method returns a node."""

    # -- statements
    def start(self, children):
        return children

    def assign(self, c):
        return Assign(_name(c[0]), c[2], _span(c[0], c[2]))

    def update(self, c):
        op = "+=" if "+" in str(c[1]) else "-="
        return Update(_name(c[0]), op, c[2], _span(c[0], c[2]))

    def declare(self, c):
        dims, end = c[2]
        return Declare(_name(c[0]), dims, Span(c[0].start_pos, end))

    def expr_statement(self, c):
        return ExprStatement(c[0], c[0].span)

    # -- shapes: (dims, end offset)
    def shape(self, c):
        first, last = c[0], c[-1]
        if _kind(first) == "SCALAR":
            return (), first.end_pos
        dims = next((x for x in c if isinstance(x, _Dims)), None)
        if dims is None:
            if _kind(last) == "REALS":
                return (), last.end_pos          # α ∈ ℝ
            dims = _Dims((self._dim(last),), last.start_pos, last.end_pos)  # ℝ^3
        start = first.start if isinstance(first, _Dims) else first.start_pos
        end = last.end if isinstance(last, _Dims) else last.end_pos
        if len(dims.dims) > 2:
            raise NotationSyntaxError(
                f"a shape has at most two dimensions, and this one has {len(dims.dims)}",
                Span(start, end), label=f"{len(dims.dims)} dimensions",
                hint="every value is a scalar or a 2-D array: batch × units, or inputs × outputs")
        return dims.dims, end

    def dims(self, c):
        return _Dims(tuple(self._dim(t) for t in c if t.type != "DIMSEP"),
                     c[0].start_pos, c[-1].end_pos)

    @staticmethod
    def _dim(tok):
        if tok.type == "INT":
            digits = str(tok).lstrip("0") or "0"
            if len(digits) > 18:
                raise NotationSyntaxError(
                    f"the dimension {digits[:20]}… is too large", Span(tok.start_pos, tok.end_pos),
                    hint="a dimension is a whole number below 10^18, or a symbol such as b")
            return int(digits)  # never int() of the raw text: 5,000 zeros is a short number
        return _name(tok)

    # -- expressions
    def name(self, c):
        return _name(c[0])

    def number(self, c):
        return Number(normal_number(str(c[0])), _span(c[0], c[0]))

    def word(self, c):
        from .syntax_errors import word_error  # error paths load their module on demand
        raise word_error(c[0])

    def group(self, c):
        inner = c[1]
        # The parentheses belong to the value they enclose: carets then cover them too.
        return _respan(inner, _span(c[0], c[-1]))

    def call(self, c):
        fn_tok = c[0]
        derivative = c[1].type == "PRIME"
        arg = c[-2]
        spelling = _function_name(fn_tok)
        fn = functions.lookup(spelling)
        if fn is None:
            from .syntax_errors import unknown_function
            raise unknown_function(spelling, fn_tok)
        if derivative and fn.derivative is None:
            raise NotationNameError(
                f"{fn.name} has no derivative in the notation",
                _span(fn_tok, c[1]), label="no derivative helper for this function",
                hint=("softmax is used with cross-entropy, whose delta is output - y"
                      if fn.name == "softmax" else
                      f"the derivatives known are those of "
                      f"{', '.join(f.name for f in functions.FUNCTIONS.values() if f.derivative)}"))
        return Call(fn.name, arg, derivative, _span(fn_tok, c[-1]))

    def frac(self, c):
        return Divide(c[2], c[5], _span(c[0], c[-1]))

    def transpose(self, c):
        return Transpose(c[0], _span(c[0], c[1]))

    def mat_mul(self, c):
        return MatMul(c[0], c[-1], _span(c[0], c[-1]))

    def negate(self, c):
        return Negate(c[1], _span(c[0], c[1]))

    def hadamard(self, c):
        return Hadamard(c[0], c[2], _span(c[0], c[2]))

    def divide(self, c):
        return Divide(c[0], c[2], _span(c[0], c[2]))

    def add(self, c):
        return Add(c[0], c[2], _span(c[0], c[2]))

    def subtract(self, c):
        return Subtract(c[0], c[2], _span(c[0], c[2]))


def _respan(node, span):
    from dataclasses import replace
    return replace(node, span=span)


class _Dims:
    """The dimensions of a shape while it is being built, with where they were written."""

    __slots__ = ("dims", "start", "end")

    def __init__(self, dims, start, end):
        self.dims, self.start, self.end = dims, start, end


