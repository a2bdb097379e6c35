"""The reverse-mode rules of backward: one per node, and one per function (its record's
chain rule). :class:`Gradients` carries an incoming gradient G down an expression to the
names it was asked for; :func:`through_activation` carries a layer's gradient through its
activation. The sums over broadcast dimensions come from the inferred shapes.

>>> from notation.emit.algebra import algebra
>>> algebra(full_sum(Name("δ", "1")))
'batchsum(sum(δ1))'
"""

from __future__ import annotations

from . import functions
from .errors import NotationTranslationError
from .layers import Layer, holding, names_in
from .nodes import (Add, Call, Divide, Expr, Hadamard, MatMul, Name, Negate, Number, Program,
                    Subtract, Transpose)
from .walk import substitute

# The functions that sum a gradient over what its value was broadcast along, named by their
# records' shape rules (builtin_functions.py), not spelled here: over the batch, the gradient
# of a parameter broadcast over the rows of a batch (a bias), printed b0 -= αbatchsum(δ1);
# over each example's units (b × n -> b × 1), the gradient of the column of a sum, sum(e),
# broadcast back over the units.
BATCH_SUM = functions.summing("batch-sum")
EXAMPLE_SUM = functions.summing("example-sum")


def _t(expr: Expr) -> Expr:
    return expr.operand if isinstance(expr, Transpose) else Transpose(expr)


def _neg(expr: Expr) -> Expr:
    return expr.operand if isinstance(expr, Negate) else Negate(expr)


def scale(factor: Expr, expr: Expr) -> Expr:
    """``factor`` as the first factor of a product chain: α, l1ᵀδ2 -> αl1ᵀδ2."""
    rights = []
    while isinstance(expr, MatMul):      # down the chain's left spine, without recursion
        rights.append(expr.right)
        expr = expr.left
    out = MatMul(factor, expr)
    for right in reversed(rights):
        out = MatMul(out, right)
    return out


def full_sum(grad: Expr, columns: bool = False) -> Expr:
    """The sum of every element, 1 × 1: each example's units summed (b × 1), then the batch,
    ``batchsum(sum(G))``; under --columns, where an example is a column, ``batchsum(sum(Gᵀ))``.
    It is one number, the change of a scalar parameter."""
    return Call(BATCH_SUM, Call(EXAMPLE_SUM, Transpose(grad) if columns else grad))


def add_all(terms: list[Expr]) -> Expr:
    total = terms[0]
    for t in terms[1:]:
        total = Add(total, t)
    return total


class Gradients:
    """Reverse-mode rules, one per node: carry an incoming gradient G to the names below."""

    def __init__(self, wanted: set[Name], shapes, trained: set[Name] = frozenset()):
        self.wanted = wanted          # layers and parameters: the names a gradient is for
        self.trained = trained        # the parameters among them
        self.shapes = shapes          # the inferred shapes of the forward pass

    def needing(self, root: Expr) -> set[int]:
        """The ids of the nodes under ``root`` that hold a wanted name: only those carry."""
        return holding(root, self.wanted)

    def scalar(self, expr: Expr) -> bool:
        return self.shapes.of(expr) is None

    def carry(self, root: Expr, grad: Expr, out: dict[Name, list[Expr]],
              needed: set[int] | None = None) -> None:
        """Carry ``grad`` from ``root`` down to the wanted names, collecting it in ``out``.

        Each rule returns its operands with their gradients, left to right; the walk keeps
        its own stack (a chain of products is as deep as it is long) and visits them in the
        order a recursive walk would, so the terms of a sum come out in the same order.
        ``needed`` is ``needing(root)`` when the caller has it already.
        """
        if needed is None:
            needed = self.needing(root)
        stack = [(root, grad)]
        while stack:
            expr, g = stack.pop()
            if id(expr) not in needed:
                continue
            method = getattr(self, f"carry_{type(expr).__name__}", None)
            if method is None:
                raise NotationTranslationError(
                    f"backward cannot carry a gradient through {type(expr).__name__}",
                    expr.span)
            stack.extend(reversed([(side, g) for side, g in method(expr, g, out)
                                   if id(side) in needed]))

    def carry_Name(self, node: Name, grad: Expr, out) -> list:
        out.setdefault(node, []).append(grad)
        return []

    def carry_MatMul(self, node: MatMul, grad: Expr, out) -> list:
        a, b = node.left, node.right
        if self.scalar(a) and self.scalar(b):
            # Both scalars (2c, βγ): the gradient is a scalar too.
            self._only_parameters(a)
            self._only_parameters(b)
            return [(a, MatMul(grad, b)), (b, MatMul(a, grad))]
        if self.scalar(a):
            return [(a, self._full_sum(a, Hadamard(grad, b))), (b, scale(a, grad))]
        if self.scalar(b):
            return [(a, scale(b, grad)), (b, self._full_sum(b, Hadamard(grad, a)))]
        return [(a, MatMul(grad, _t(b))),               # dL/dA = G Bᵀ
                (b, MatMul(_t(a), grad))]               # dL/dB = Aᵀ G

    def _only_parameters(self, side: Expr) -> None:
        """A scalar operand carries a gradient only to trained scalar parameters (γ, a
        declared ``c : scalar``): a scalar layer would need a scalar delta, not derived."""
        layers = [n for n in names_in(side) if isinstance(n, Name) and n in self.wanted
                  and n not in self.trained]
        if layers:
            raise NotationTranslationError(
                "backward does not carry a gradient through a scalar layer", side.span,
                hint="give the layer an array shape, or train the scalars it is computed from "
                     "directly (--params)")

    def _full_sum(self, side: Expr, grad: Expr) -> Expr:
        """The gradient of a scalar operand broadcast over a whole array: the sum of every
        element of the array's gradient (the sum over the batch, then over the units)."""
        if not any(isinstance(n, Name) and n in self.wanted for n in names_in(side)):
            return grad             # not carried (needing() skips it): no sum to write
        self._only_parameters(side)
        return full_sum(grad, self.shapes.columns)

    def _reduce(self, side: Expr, node: Expr, grad: Expr) -> Expr:
        """The gradient of an operand broadcast to the shape of ``node``: summed over the rows
        it was broadcast over. Decided by the inferred shapes, whatever the letter."""
        shapes = self.shapes
        mine, whole = shapes.of(side), shapes.of(node)
        if mine is None:
            return grad if whole is None else self._full_sum(side, grad)
        if not shapes.same(mine[1], whole[1]):
            if not shapes.columns:
                # the column of a sum, sum(e) (b × 1), broadcast over the units: summed
                # over them, sum(G)
                grad = Call(EXAMPLE_SUM, grad)
            else:
                # --columns: a bias column (n × 1) broadcast over the batch (the columns)
                # takes the sum over the columns, batchsum(Gᵀ)ᵀ (batchsum sums the rows)
                grad = Transpose(Call(BATCH_SUM, _t(grad)))
        if not shapes.same(mine[0], whole[0]):
            if shapes.columns:
                # the row of sum(eᵀ)ᵀ (1 × b) broadcast over the units (the rows)
                return Transpose(Call(EXAMPLE_SUM, _t(grad)))
            return Call(BATCH_SUM, grad)
        return grad

    def carry_Add(self, node: Add, grad: Expr, out) -> list:
        return [(node.left, self._reduce(node.left, node, grad)),
                (node.right, self._reduce(node.right, node, grad))]

    def carry_Subtract(self, node: Subtract, grad: Expr, out) -> list:
        return [(node.left, self._reduce(node.left, node, grad)),
                (node.right, self._reduce(node.right, node, _neg(grad)))]

    def carry_Hadamard(self, node: Hadamard, grad: Expr, out) -> list:
        # The mask of a dropout layer multiplies the delta too (M ⊙ …).
        return [(node.left, self._reduce(node.left, node, Hadamard(grad, node.right))),
                (node.right, self._reduce(node.right, node, Hadamard(grad, node.left)))]

    def carry_Divide(self, node: Divide, grad: Expr, out) -> list:
        a, b = node.left, node.right
        return [(a, self._reduce(a, node, Divide(grad, b))),
                (b, self._reduce(b, node, _neg(Divide(Hadamard(grad, a), Hadamard(b, b)))))]

    def carry_Negate(self, node: Negate, grad: Expr, out) -> list:
        return [(node.operand, _neg(grad))]

    def carry_Transpose(self, node: Transpose, grad: Expr, out) -> list:
        return [(node.operand, _t(grad))]

    def carry_Number(self, node: Number, grad: Expr, out) -> list:
        return []

    def carry_Call(self, node: Call, grad: Expr, out) -> list:
        if self.scalar(node):
            raise NotationTranslationError(
                f"backward does not carry a gradient through {node.func} of a scalar",
                node.span, hint="a function of a trained scalar is not derived: train the "
                                "scalar where it meets an array (γ0 l0W0, l0W0 + c0)")
        raise NotationTranslationError(
            f"backward cannot carry a gradient through {node.func} inside an expression",
            node.span)


_TEMPLATES: dict[str, Expr] = {}


def chain_rule(f: str) -> Expr | None:
    """The function record's chain rule as a tree in G, x and y (see Function.backward)."""
    fn = functions.FUNCTIONS[f]
    at = "x" if getattr(fn, "derivative_of", "output") == "input" else "y"
    text = fn.backward or (f"G ⊙ {f}'({at})" if fn.derivative is not None else None)
    if text is None:
        return None
    if text not in _TEMPLATES:
        from .parser import parse
        _TEMPLATES[text] = one_expression(parse(text), f"the chain rule of {f}")
    return _TEMPLATES[text]


def through_activation(layer: Layer, grad: Expr) -> Expr:
    """dL/d(pre-activation) from dL/d(output): the book's ``delta * f2deriv(output)``."""
    f = layer.activation
    if f is None:
        return grad
    rule = chain_rule(f)
    if rule is None:
        raise NotationTranslationError(
            f"backward cannot carry a delta through {f} here", layer.statement.value.span,
            hint=functions.FUNCTIONS[f].backward_hint or
                 f"register {f} with a derivative (notation.functions.register(..., derivative=...))")
    return substitute(rule, {Name("G"): grad, Name("x"): layer.pre, Name("y"): layer.name})


def one_expression(program: Program, what: str) -> Expr:
    stmt = program.statements[0]
    if len(program.statements) != 1 or not hasattr(stmt, "expr"):
        raise NotationTranslationError(f"{what} must be one expression")
    return stmt.expr
