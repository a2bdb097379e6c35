"""The tree: one parse gives one tree, and every view is printed from it.

Frozen dataclasses with no behaviour (CPython's ``ast``, Lark's ``create_ast`` example).
Each node carries the span of source it came from; spans are left out of equality, so two
trees compare equal when they mean the same thing, wherever they were written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import lru_cache
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

    The views are reached through methods that import their emitter on first use, so
    parsing alone loads neither NumPy nor SymPy.
    """

    statements: tuple[Statement, ...]
    source: str = field(default="", compare=False, repr=False)

    def algebra(self, *, ascii: bool = False) -> str:
        """The canonical algebra: ``parse("l2=relu( l_0 W_{0} ) W1").algebra() == "l2 = relu(l0W0)W1"``."""
        from .emit.algebra import algebra
        return algebra(self, ascii=ascii)

    def numpy(self, *, style: str = "book", naming: str = "book", module: bool = False,
              function: str = "run") -> str:
        """The NumPy code: ``parse("W1 -= αl1ᵀδ2").numpy()`` is
        ``"weights_1_2 -= alpha * layer_1.T.dot(layer_2_delta)"``.

        ``style`` is ``"book"`` (``.dot``) or ``"matmul"`` (``@``); ``naming`` is ``"book"``
        (``layer_1``) or ``"plain"`` (``l1``); ``module=True`` gives an importable module
        whose function ``function`` takes the inputs by keyword.
        """
        from .emit.numpy import numpy
        from .errors import NotationError
        try:
            return numpy(self, style=style, naming=naming, module=module, function=function)
        except NotationError as e:
            raise e.with_source(self.source) from None

    def latex(self, *, document: bool = False) -> str:
        """The LaTeX: ``l_{2} = \\operatorname{relu}\\left(l_{0} W_{0}\\right) W_{1}``;
        ``document=True`` gives a complete ``.tex`` file."""
        from .emit.latex import latex
        from .errors import NotationError
        try:
            return latex(self, document=document)
        except NotationError as e:
            raise e.with_source(self.source) from None

    def _repr_latex_(self) -> str:
        return "$$" + self.latex() + "$$"

    def _repr_html_(self) -> str:
        """Jupyter's rich display: every view side by side (algebra, math, NumPy, LaTeX,
        plan, diagram), shapes inferred symbolically."""
        from .side_by_side import html_fragment
        return html_fragment(self)

    def backward(self, loss: str = "mse", lr: str = "α", target: str = "y",
                 params=None) -> "Program":
        """The training step, as the book's loops: forward, deltas, then updates (SPEC §5).

        ``parse("l2 = relu(l0W0)W1").backward()`` gives ``δ2 = l2 - y``,
        ``δ1 = δ2W1ᵀ ⊙ relu'(l1)``, ``W1 -= αl1ᵀδ2``, ``W0 -= αl0ᵀδ1`` after the forward lines.
        """
        from .backward import backward
        from .errors import NotationError
        try:
            return backward(self, loss=loss, lr=lr, target=target, params=params)
        except NotationError as e:
            raise e.with_source(self.source) from None

    def plan(self, *, sizes=None, dims=None, batch=None, convention: bool = True,
             optimize: bool = False, dtype: str = "float64", params=None, **names):
        """The shape-checked plan (SPEC §4): ``parse("l2 = relu(l0W0)W1").plan(sizes=(3, 4, 1))``
        has steps of 1×4, 1×4 and 1×1, 36 FLOPs and 16 parameters.

        Shapes come as the CLI's options do — ``sizes``, ``dims``, ``batch`` — or one keyword
        per name: ``l0=3`` (units), ``W0=(3, 4)``, ``l0=("b", 784)``. Raises NotationShapeError.
        """
        NotationError, build, shape_options = _plan_api()
        opts = shape_options(sizes, dims, batch, **names)
        try:
            return build(self, opts, convention=convention, optimize=optimize, dtype=dtype,
                         params=params)
        except NotationError as e:
            raise e.with_source(self.source) from None

    def compile(self, *, style: str = "plan", sizes=None, dims=None, batch=None,
                convention: bool = True, optimize: bool = False, check: bool = True, **names):
        """A fast callable from the emitted code (SPEC §7): ``f = parse("l2 = relu(l0W0)W1")
        .compile(); f(l0=x, W0=A, W1=B)`` returns ``{"l2": …}``, checking the shapes passed.

        ``style`` is ``"plan"`` (default, the fastest), ``"book"`` or ``"matmul"``; shapes may
        be fixed as for :meth:`plan`.
        """
        from .compile import compile_program
        from .errors import NotationError
        from .shapes import shape_options
        opts = shape_options(sizes, dims, batch, **names)
        try:
            return compile_program(self, opts, style=style, convention=convention,
                                   optimize=optimize, check=check)
        except NotationError as e:
            raise e.with_source(self.source) from None

    def to_sympy(self, *, sizes=None, dims=None, batch=None, convention: bool = True, **names):
        """SymPy matrix expressions with the checked shapes: ``{"l2": relu(l0*W0)*W1}`` of
        ``MatrixSymbol`` s (SPEC §7). Unknown dimensions are positive integer symbols."""
        from .errors import NotationError
        from .shapes import shape_options
        from .sympy_export import to_sympy
        opts = shape_options(sizes, dims, batch, **names)
        try:
            return to_sympy(self, opts, convention=convention)
        except NotationError as e:
            raise e.with_source(self.source) from None

    def __str__(self) -> str:
        return self.algebra()


@lru_cache(maxsize=None)
def _plan_api():
    """What ``Program.plan`` calls, imported on its first use and kept: three imports in the
    method cost 1.8 µs a plan, 2% of planning a 10-factor chain."""
    from .errors import NotationError
    from .plan import build
    from .shapes import shape_options
    return NotationError, build, shape_options


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
