"""How the book and matmul styles write an expression (the rules: ``emit/numpy.py``).

>>> from notation import parse
>>> from notation.emit.numpy import numpy
>>> numpy(parse("W1 -= αl1ᵀδ2"), style="matmul")
'weights_1_2 -= alpha * layer_1.T @ layer_2_delta'
"""


from __future__ import annotations

from ..errors import NotationTranslationError
from ..kinds import is_scalar, is_scalar_name
from ..nodes import (Add, Call, Divide, Expr, Hadamard, MatMul, Name, Negate, Number, Subtract,
                     Transpose)
from .numpy_code import ATOM, FACTOR, SUM, TERM, Code, binary, call, method, operand, pieces
from .numpy_emitter import NumpyEmitter, python_number, span_of

# Elementwise operators of two arrays: node -> (Python operator, level).
ELEMENTWISE = {
    Hadamard: ("*", TERM),
    Divide: ("/", TERM),
    Add: ("+", SUM),
    Subtract: ("-", SUM),
}
# Elementwise operators written as NumPy functions where the operator would mean something
# else: `alpha * x` is the scaling αx, so α ⊙ x is np.multiply(alpha, x).
ELEMENTWISE_WITH_SCALAR = {Hadamard: "multiply"}

BINARY = (MatMul, Hadamard, Divide, Add, Subtract)


class Chain:
    """The left spine of a product being written, as the book writes it.

    ``code`` is the whole so far. When the chain opened with scalar factors and its first
    array factor is not itself a product, ``prefix`` holds those scalars and ``rest`` the
    array part, so that the next ``.dot`` can be written ``prefix * rest.dot(…)``.
    """

    __slots__ = ("code", "scalar", "prefix", "rest")

    def __init__(self, code: Code, scalar: bool, prefix: Code | None = None,
                 rest: Code | None = None):
        self.code, self.scalar, self.prefix, self.rest = code, scalar, prefix, rest


# (style class, node class) -> the style's code_<Node> method, found once.
_CODE_METHODS: dict[tuple[type, type], object] = {}


class BookStyle(NumpyEmitter):
    """The book's code: ``relu(layer_0.dot(weights_0_1)).dot(weights_1_2)``."""

    style = "book"

    def expression(self, node: Expr) -> Code:
        method = _CODE_METHODS.get((type(self), type(node)))
        if method is None:
            method = getattr(type(self), f"code_{type(node).__name__}", None)
            if method is None:
                raise NotationTranslationError(
                    f"{type(self).__name__} cannot print {type(node).__name__}", span_of(node))
            _CODE_METHODS[(type(self), type(node))] = method
        return method(self, node)

    def emit_expression(self, node: Expr) -> str:
        return self.expression(node).text

    # -- atoms
    def code_Name(self, node: Name) -> Code:
        known = self._names.get((node.letter, node.sub))
        # A new Code each time: a style may change the one it is given (tests/test_numpy_view)
        return Code(known[1] if known is not None else self.identifier(node), ATOM)

    def code_Number(self, node: Number) -> Code:
        return Code(python_number(node), ATOM)

    def code_Call(self, node: Call) -> Code:
        return self.call_function(node.func, node.derivative, self.expression(node.arg), node)

    def code_Transpose(self, node: Transpose) -> Code:
        # A chain xᵀᵀ… is counted, not recursed into (the parser does not bound it).
        count = 0
        while isinstance(node, Transpose):
            count, node = count + 1, node.operand
        inner = self.expression(node)
        if self.is_scalar(node):
            for _ in range(count):
                inner = call(self.np("transpose"), inner)
            return inner
        return pieces([operand(inner, ATOM), ".T" * count], ATOM)

    def code_Negate(self, node: Negate) -> Code:
        return pieces(["-", operand(self.expression(node.operand), FACTOR)], FACTOR)

    # -- binary operators: the left spine is walked in a loop, so a chain of 100,000
    # terms is one flat line and not 100,000 frames.
    def _binary(self, node) -> Code:
        spine = [node]
        while isinstance(spine[-1].left, BINARY):
            spine.append(spine[-1].left)
        first = spine[-1].left
        chain = Chain(self.expression(first), self.is_scalar(first))
        for parent in reversed(spine):
            right = parent.right
            chain = self.combine(parent, chain, right, self.expression(right), self.is_scalar(right))
        return chain.code

    code_MatMul = code_Hadamard = code_Divide = code_Add = code_Subtract = _binary

    def combine(self, parent, chain: Chain, right: Expr, code: Code, scalar: bool) -> Chain:
        kind = type(parent)
        if kind is MatMul:
            return self.product(chain, right, code, scalar)
        both_scalar = chain.scalar and scalar
        if (chain.scalar or scalar) and kind in ELEMENTWISE_WITH_SCALAR:
            return Chain(call(self.np(ELEMENTWISE_WITH_SCALAR[kind]), chain.code, code),
                          both_scalar)
        op, level = ELEMENTWISE[kind]
        return Chain(binary(chain.code, op, code, level), both_scalar)

    def product(self, chain: Chain, right: Expr, code: Code, scalar: bool) -> Chain:
        # A product on the right keeps its parentheses, whatever Python would need: the
        # grouping α(l1ᵀδ2) must read back as written, not as the chain αl1ᵀδ2.
        grouped = pieces(["(", code, ")"], ATOM) if isinstance(right, MatMul) else code
        if chain.scalar:
            out = binary(chain.code, "*", grouped, TERM)
            if scalar:
                return Chain(out, True)
            if isinstance(right, MatMul):
                return Chain(out, False)
            return Chain(out, False, prefix=chain.code, rest=code)
        if scalar:
            out = binary(chain.code, "*", grouped, TERM)
            rest = binary(chain.rest, "*", grouped, TERM) if chain.rest is not None else None
            return Chain(out, False, chain.prefix if rest is not None else None, rest)
        return self.array_product(chain, code)

    def array_product(self, chain: Chain, code: Code) -> Chain:
        if chain.prefix is not None:
            rest = method(chain.rest, "dot", code)
            return Chain(binary(chain.prefix, "*", rest, TERM), False, chain.prefix, rest)
        return Chain(method(chain.code, "dot", code), False)

    def is_scalar(self, node: Expr) -> bool:
        if type(node) is Name:
            key = (node.letter, node.sub)
            scalar = self._scalars.get(key)
            if scalar is None:
                scalar = self._scalars[key] = is_scalar_name(node, self.declared)
            return scalar
        return is_scalar(node, self.declared)


class MatmulStyle(BookStyle):
    """``@`` for the matrix product; Python's own grouping of ``*`` and ``@`` keeps the
    scalar factors first with no rewriting: ``alpha * layer_1.T @ layer_2_delta``."""

    style = "matmul"

    def array_product(self, chain: Chain, code: Code) -> Chain:
        return Chain(binary(chain.code, "@", code, TERM), False)

    def product(self, chain: Chain, right: Expr, code: Code, scalar: bool) -> Chain:
        out = super().product(chain, right, code, scalar)
        out.prefix = out.rest = None   # no hoisting: `*` and `@` group alike in Python
        return out
