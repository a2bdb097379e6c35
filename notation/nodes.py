"""The tree: one parse gives one tree, and every view is printed from it.

Frozen, slotted records with no behaviour (CPython's ``ast``, Lark's ``create_ast``
example). Each node carries the span of source it came from; spans are left out of
equality, so two trees compare equal when they mean the same thing, wherever they were
written.

The classes behave as ``@dataclass(frozen=True, slots=True)`` made them (the same
``__init__``, equality, hash, ``repr``, frozen fields, pickling, ``__match_args__``, and
``dataclasses.fields``/``replace``/``asdict``), but their methods are written out instead
of generated at import (notation/records.py says why); ``tests/test_nodes.py`` checks each
class against the dataclass it replaces. The leaves (Span, Name, Number) have their own
equality and hash, the fast path of every lookup; the composite nodes take
``records.tree_methods``, which walk deep trees without recursion.
"""

from __future__ import annotations

from typing import Union

from .records import Record, set_field as _set, tree_methods


class Span(Record):
    """Character offsets ``[start, end)`` into the source text."""

    __slots__ = __match_args__ = ("start", "end")

    def __init__(self, start: int, end: int):
        _set(self, "start", start)
        _set(self, "end", end)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.start, self.end) == (other.start, other.end)
        return NotImplemented

    def __hash__(self):
        return hash((self.start, self.end))

    def __repr__(self):
        return f"Span(start={self.start!r}, end={self.end!r})"


class Node(Record):
    __slots__ = ()
    _HIDDEN = ("span",)


class Expr(Node):
    __slots__ = ()


class Statement(Node):
    __slots__ = ()


# ---------------------------------------------------------------------------- expressions

class Name(Expr):
    """A variable: one letter (Latin, or Greek as Unicode) and an optional subscript.

    ``l0``, ``l_0`` and ``l_{0}`` are all ``Name("l", "0")``.
    """

    __slots__ = __match_args__ = ("letter", "sub", "span")

    def __init__(self, letter: str, sub: str = "", span: Span | None = None):
        _set(self, "letter", letter)
        _set(self, "sub", sub)
        _set(self, "span", span)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.letter, self.sub) == (other.letter, other.sub)
        return NotImplemented

    def __hash__(self):
        return hash((self.letter, self.sub))

    def __repr__(self):
        return f"Name(letter={self.letter!r}, sub={self.sub!r})"


class Number(Expr):
    """A scalar literal, kept as written (``2``, ``0.5``, ``1e-3``) so views print it back."""

    __slots__ = __match_args__ = ("text", "span")

    def __init__(self, text: str, span: Span | None = None):
        _set(self, "text", text)
        _set(self, "span", span)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self.text == other.text
        return NotImplemented

    def __hash__(self):
        return hash((self.text,))

    def __repr__(self):
        return f"Number(text={self.text!r})"


@tree_methods
class Call(Expr):
    """``relu(x)``; with ``derivative`` set, ``relu'(x)``: the derivative applied to an output."""

    __slots__ = __match_args__ = ("func", "arg", "derivative", "span")

    def __init__(self, func: str, arg: Expr, derivative: bool = False,
                 span: Span | None = None):
        _set(self, "func", func)
        _set(self, "arg", arg)
        _set(self, "derivative", derivative)
        _set(self, "span", span)


@tree_methods
class Transpose(Expr):
    """``Wᵀ``."""

    __slots__ = __match_args__ = ("operand", "span")

    def __init__(self, operand: Expr, span: Span | None = None):
        _set(self, "operand", operand)
        _set(self, "span", span)


@tree_methods
class Negate(Expr):
    """``-x``."""

    __slots__ = __match_args__ = ("operand", "span")

    def __init__(self, operand: Expr, span: Span | None = None):
        _set(self, "operand", operand)
        _set(self, "span", span)


class _Binary(Expr):
    """The operators of two operands, left and right (only the class differs)."""

    __slots__ = ()

    def __init__(self, left: Expr, right: Expr, span: Span | None = None):
        _set(self, "left", left)
        _set(self, "right", right)
        _set(self, "span", span)


@tree_methods
class MatMul(_Binary):
    """A product: matrix product of two arrays, scaling when one side is a scalar."""

    __slots__ = __match_args__ = ("left", "right", "span")


@tree_methods
class Hadamard(_Binary):
    """Elementwise product ``a ⊙ b``."""

    __slots__ = __match_args__ = ("left", "right", "span")


@tree_methods
class Divide(_Binary):
    """Elementwise division ``a / b``."""

    __slots__ = __match_args__ = ("left", "right", "span")


@tree_methods
class Add(_Binary):
    """``a + b``."""

    __slots__ = __match_args__ = ("left", "right", "span")


@tree_methods
class Subtract(_Binary):
    """``a - b``."""

    __slots__ = __match_args__ = ("left", "right", "span")


BinaryOp = Union[MatMul, Hadamard, Divide, Add, Subtract]
BINARY = (MatMul, Hadamard, Divide, Add, Subtract)

# ---------------------------------------------------------------------------- statements

Dim = Union[int, Name]


@tree_methods
class Assign(Statement):
    """``l1 = relu(l0W0)``"""

    __slots__ = __match_args__ = ("target", "value", "span")

    def __init__(self, target: Name, value: Expr, span: Span | None = None):
        _set(self, "target", target)
        _set(self, "value", value)
        _set(self, "span", span)


@tree_methods
class Update(Statement):
    """``W1 -= αl1ᵀδ2`` (``op`` is ``"-="`` or ``"+="``)."""

    __slots__ = __match_args__ = ("target", "op", "value", "span")

    def __init__(self, target: Name, op: str, value: Expr, span: Span | None = None):
        _set(self, "target", target)
        _set(self, "op", op)
        _set(self, "value", value)
        _set(self, "span", span)


@tree_methods
class Declare(Statement):
    """``l0 : 1×3``, ``W0 ∈ ℝ^{3×4}``, ``α : scalar``.

    ``dims`` holds integers and symbols (``Name("b")``); an empty tuple declares a scalar.
    """

    __slots__ = __match_args__ = ("target", "dims", "span")

    def __init__(self, target: Name, dims: tuple[Dim, ...], span: Span | None = None):
        _set(self, "target", target)
        _set(self, "dims", dims)
        _set(self, "span", span)


@tree_methods
class ExprStatement(Statement):
    """A bare expression on a line of its own."""

    __slots__ = __match_args__ = ("expr", "span")

    def __init__(self, expr: Expr, span: Span | None = None):
        _set(self, "expr", expr)
        _set(self, "span", span)


@tree_methods
class Program(Node):
    """One or more statements, and the text they were read from.

    Its methods (``algebra()``, ``numpy()``, ``plan()``, …) are notation/api.py's, attached
    to this class when ``notation`` is imported: this module is the tree as data only.
    ``warnings`` holds the NotationWarnings the reading gave (a letter before "(" read as a
    product, …); with ``strict`` (``parse(strict=True)``) a warning found later, by the shape
    check, is raised as an error. Only ``statements`` takes part in equality.
    """

    __slots__ = __match_args__ = ("statements", "source", "warnings", "strict")
    _HIDDEN = ("source", "warnings", "strict")

    def __init__(self, statements: tuple[Statement, ...], source: str = "",
                 warnings: tuple = (), strict: bool = False):
        _set(self, "statements", statements)
        _set(self, "source", source)
        _set(self, "warnings", warnings)
        _set(self, "strict", strict)
