"""The tree: one parse gives one tree, and every view is printed from it.

Frozen dataclasses with no behaviour (CPython's ``ast``, Lark's ``create_ast`` example).
Each node carries the span of source it came from; spans are left out of equality, so two
trees compare equal when they mean the same thing, wherever they were written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
        from .errors import NotationError
        from .plan import build
        from .shapes import shape_options
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
