"""The tree: one parse gives one tree, and every view is printed from it.

Frozen dataclasses with no behaviour (CPython's ``ast``, Lark's ``create_ast`` example).
Each node carries the span of source it came from; spans are left out of equality, so two
trees compare equal when they mean the same thing, wherever they were written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Union


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets ``[start, end)`` into the source text."""

    start: int
    end: int


def _span():
    return field(default=None, compare=False, repr=False)


class Node:
    __slots__ = ()


class Expr(Node):
    __slots__ = ()


class Statement(Node):
    __slots__ = ()


# ---------------------------------------------------------------------------- expressions

@dataclass(frozen=True, slots=True)
class Name(Expr):
    """A variable: one letter (Latin, or Greek as Unicode) and an optional subscript.

    ``l0``, ``l_0`` and ``l_{0}`` are all ``Name("l", "0")``.
    """

    letter: str
    sub: str = ""
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Number(Expr):
    """A scalar literal, kept as written (``2``, ``0.5``, ``1e-3``) so views print it back."""

    text: str
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Call(Expr):
    """``relu(x)``; with ``derivative`` set, ``relu'(x)``: the derivative applied to an output."""

    func: str
    arg: Expr
    derivative: bool = False
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Transpose(Expr):
    operand: Expr
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class MatMul(Expr):
    """A product: matrix product of two arrays, scaling when one side is a scalar."""

    left: Expr
    right: Expr
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Negate(Expr):
    operand: Expr
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Hadamard(Expr):
    """Elementwise product ``a ⊙ b``."""

    left: Expr
    right: Expr
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Divide(Expr):
    """Elementwise division ``a / b``."""

    left: Expr
    right: Expr
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Add(Expr):
    left: Expr
    right: Expr
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Subtract(Expr):
    left: Expr
    right: Expr
    span: Span | None = _span()


BinaryOp = Union[MatMul, Hadamard, Divide, Add, Subtract]
BINARY = (MatMul, Hadamard, Divide, Add, Subtract)

# ---------------------------------------------------------------------------- statements

Dim = Union[int, Name]


@dataclass(frozen=True, slots=True)
class Assign(Statement):
    """``l1 = relu(l0W0)``"""

    target: Name
    value: Expr
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Update(Statement):
    """``W1 -= αl1ᵀδ2`` (``op`` is ``"-="`` or ``"+="``)."""

    target: Name
    op: str
    value: Expr
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Declare(Statement):
    """``l0 : 1×3``, ``W0 ∈ ℝ^{3×4}``, ``α : scalar``.

    ``dims`` holds integers and symbols (``Name("b")``); an empty tuple declares a scalar.
    """

    target: Name
    dims: tuple[Dim, ...]
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class ExprStatement(Statement):
    """A bare expression on a line of its own."""

    expr: Expr
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Program(Node):
    """One or more statements, and the text they were read from.

    Its methods (``algebra()``, ``numpy()``, ``plan()``, …) are notation/api.py's, attached
    to this class when ``notation`` is imported: this module is the tree as data only.
    """

    statements: tuple[Statement, ...]
    source: str = field(default="", compare=False, repr=False)
    # NotationWarnings the reading gave (a letter before "(" read as a product, …)
    warnings: tuple = field(default=(), compare=False, repr=False)
    # parse(strict=True): a warning found later (by the shape check) is raised as an error
    strict: bool = field(default=False, compare=False, repr=False)


# ---------------------------------------------------------------------------- deep trees
#
# The generated __eq__, __hash__ and __repr__ of a dataclass recurse through its fields, so
# a product of 100,000 factors (a left-deep chain of MatMul) would end in RecursionError.
# The composite nodes get the same three methods written with an explicit stack; names and
# numbers, the leaves, keep the generated ones, which are the fast path of every lookup.

def _compared(cls) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.compare)


def _shown(cls) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.repr)


def _parts(value, names):
    if isinstance(value, tuple):
        return value
    return [getattr(value, n) for n in names[type(value)]]


def _is_composite(value, names) -> bool:
    return type(value) in names or type(value) is tuple


def _tree_eq(self, other):
    if other.__class__ is not self.__class__:
        return NotImplemented
    stack = [(self, other)]
    while stack:
        a, b = stack.pop()
        if a is b:
            continue
        if a.__class__ is not b.__class__:
            return False
        if _is_composite(a, _COMPARED):
            pa, pb = _parts(a, _COMPARED), _parts(b, _COMPARED)
            if len(pa) != len(pb):
                return False
            stack.extend(zip(pa, pb))
        elif a != b:
            return False
    return True


def _fold(root, names, leaf, combine):
    """Post-order fold over composite nodes and tuples, without recursion."""
    out: list = []
    stack = [(root, False)]
    while stack:
        value, ready = stack.pop()
        if not _is_composite(value, names):
            out.append(leaf(value))
        elif not ready:
            stack.append((value, True))
            stack.extend((p, False) for p in reversed(_parts(value, names)))
        else:
            n = len(_parts(value, names))
            kids = out[len(out) - n:]
            del out[len(out) - n:]
            out.append(combine(value, kids))
    return out[0]


def _tree_hash(self):
    return _fold(self, _COMPARED, hash, lambda v, kids: hash((type(v).__name__, *kids)))


class _Text(str):
    """Punctuation on the repr's stack, told apart from a field that holds a string."""


def _tree_repr(self):
    # Written front to back as fragments and joined once: building each node's text from
    # its children's would copy a deep chain's text once per level.
    out: list[str] = []
    stack: list = [self]
    while stack:
        item = stack.pop()
        if type(item) is _Text:
            out.append(item)
        elif type(item) is tuple:
            stack.append(_Text(",)" if len(item) == 1 else ")"))
            for i, part in reversed(list(enumerate(item))):
                stack.append(part)
                if i:
                    stack.append(_Text(", "))
            stack.append(_Text("("))
        elif type(item) in _SHOWN:
            stack.append(_Text(")"))
            names = _SHOWN[type(item)]
            for i, n in reversed(list(enumerate(names))):
                stack.append(getattr(item, n))
                stack.append(_Text(("" if i == 0 else ", ") + n + "="))
            stack.append(_Text(type(item).__qualname__ + "("))
        else:
            out.append(repr(item))
    return "".join(out)


_COMPOSITE = (Call, Transpose, MatMul, Negate, Hadamard, Divide, Add, Subtract,
              Assign, Update, Declare, ExprStatement, Program)
_COMPARED = {cls: _compared(cls) for cls in _COMPOSITE}
_SHOWN = {cls: _shown(cls) for cls in _COMPOSITE}
for _cls in _COMPOSITE:
    _cls.__eq__ = _tree_eq
    _cls.__hash__ = _tree_hash
    _cls.__repr__ = _tree_repr
del _cls
