"""Forward program -> deltas and weight updates, as the book's training loops (SPEC §5).

"What an earlier layer says it should be is what a later layer says it should be,
multiplied by the weights in between": each layer's delta is the later layers' deltas
carried back through the products that used it, times the derivative of its activation
(applied to the layer's output, as the book's ``relu2deriv(layer_1)``). From

    l2 = relu(l0W0)W1

with the mean-squared error this derives

    l1 = relu(l0W0)
    l2 = l1W1
    δ2 = l2 - y
    δ1 = δ2W1ᵀ ⊙ relu'(l1)
    W1 -= αl1ᵀδ2
    W0 -= αl0ᵀδ1

A layer's delta δ is the gradient with respect to its pre-activation: the value the
activation was applied to (for a layer with no activation, the layer itself). Every rule
below is the reverse-mode derivative of one node; the tests check them against central
finite differences.
"""

from __future__ import annotations

from . import functions
from .errors import NotationTranslationError
from .kinds import Kind, declared_scalars, is_scalar, kind_by_letter
from .layers import Layer, all_names, layers_of, names_in, split_layers
from .nodes import (Add, Assign, Call, Divide, Expr, Hadamard, MatMul, Name, Negate, Number,
                    Program, Statement, Subtract, Transpose, Update)
from .walk import children, printed_size

LOSSES = ("mse", "cross_entropy")

# Activations whose delta at the output is simply output - y for the loss named.
# (softmax with cross-entropy, and sigmoid with binary cross-entropy, cancel the derivative.)
CANCELLING = {"cross_entropy": ("softmax", "sigmoid")}

# The most terms a derived program may hold: enough for any network a person writes (a
# 10,000-layer network derives about 150,000), few enough to print and read back in seconds.
MAX_DERIVED_NODES = 1_000_000

# Functions that only batch-sum: the gradient of a bias broadcast over the batch.
BATCH_SUM = "sum"


# ---------------------------------------------------------------------------- gradients

def _t(expr: Expr) -> Expr:
    return expr.operand if isinstance(expr, Transpose) else Transpose(expr)


def _neg(expr: Expr) -> Expr:
    return expr.operand if isinstance(expr, Negate) else Negate(expr)


def _scale(factor: Expr, expr: Expr) -> Expr:
    """``factor`` as the first factor of a product chain: α, l1ᵀδ2 -> αl1ᵀδ2."""
    rights = []
    while isinstance(expr, MatMul):      # down the chain's left spine, without recursion
        rights.append(expr.right)
        expr = expr.left
    out = MatMul(factor, expr)
    for right in reversed(rights):
        out = MatMul(out, right)
    return out


def _sum(terms: list[Expr]) -> Expr:
    total = terms[0]
    for t in terms[1:]:
        total = Add(total, t)
    return total


class _Gradients:
    """Reverse-mode rules, one per node: carry an incoming gradient G to the names below."""

    def __init__(self, wanted: set[Name], declared: dict[Name, bool]):
        self.wanted = wanted          # layers and parameters: the names a gradient is for
        self.declared = declared

    def needing(self, root: Expr) -> set[int]:
        """The ids of the nodes under ``root`` that hold a wanted name: only those carry."""
        out: set[int] = set()
        stack = [(root, False)]
        while stack:
            node, ready = stack.pop()
            kids = children(node)
            if not kids:
                if isinstance(node, Name) and node in self.wanted:
                    out.add(id(node))
            elif not ready:
                stack.append((node, True))
                stack.extend((k, False) for k in kids)
            elif any(id(k) in out for k in kids):
                out.add(id(node))
        return out

    def scalar(self, expr: Expr) -> bool:
        return is_scalar(expr, self.declared)

    def broadcast_row(self, expr: Expr) -> bool:
        """A bias row (1 × n) added to a batch: its gradient sums over the batch."""
        return isinstance(expr, Name) and kind_by_letter(expr) is Kind.BIAS \
            and self.declared.get(expr) is not True

    def carry(self, root: Expr, grad: Expr, out: dict[Name, list[Expr]]) -> None:
        """Carry ``grad`` from ``root`` down to the wanted names, collecting it in ``out``.

        Each rule returns its operands with their gradients, left to right; the walk keeps
        its own stack (a chain of products is as deep as it is long) and visits them in the
        order a recursive walk would, so the terms of a sum come out in the same order.
        """
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
            stack.extend(reversed(method(expr, g, out)))

    def carry_Name(self, node: Name, grad: Expr, out) -> list:
        out.setdefault(node, []).append(grad)
        return []

    def carry_MatMul(self, node: MatMul, grad: Expr, out) -> list:
        a, b = node.left, node.right
        if self.scalar(a) and self.scalar(b):
            raise NotationTranslationError(
                "backward does not train scalars", node.span,
                hint="scalars such as α are hyperparameters; train matrices and biases")
        if self.scalar(a):
            return [(b, _scale(a, grad))]
        if self.scalar(b):
            return [(a, _scale(b, grad))]
        return [(a, MatMul(grad, _t(b))),               # dL/dA = G Bᵀ
                (b, MatMul(_t(a), grad))]               # dL/dB = Aᵀ G

    def _sum_if_broadcast(self, side: Expr, grad: Expr) -> Expr:
        return Call(BATCH_SUM, grad) if self.broadcast_row(side) else grad

    def carry_Add(self, node: Add, grad: Expr, out) -> list:
        return [(node.left, self._sum_if_broadcast(node.left, grad)),
                (node.right, self._sum_if_broadcast(node.right, grad))]

    def carry_Subtract(self, node: Subtract, grad: Expr, out) -> list:
        return [(node.left, self._sum_if_broadcast(node.left, grad)),
                (node.right, self._sum_if_broadcast(node.right, _neg(grad)))]

    def carry_Hadamard(self, node: Hadamard, grad: Expr, out) -> list:
        # The mask of a dropout layer multiplies the delta too (M ⊙ …).
        return [(node.left, self._sum_if_broadcast(node.left, Hadamard(grad, node.right))),
                (node.right, self._sum_if_broadcast(node.right, Hadamard(grad, node.left)))]

    def carry_Divide(self, node: Divide, grad: Expr, out) -> list:
        a, b = node.left, node.right
        return [(a, self._sum_if_broadcast(a, Divide(grad, b))),
                (b, self._sum_if_broadcast(b, _neg(Divide(Hadamard(grad, a), Hadamard(b, b)))))]

    def carry_Negate(self, node: Negate, grad: Expr, out) -> list:
        return [(node.operand, _neg(grad))]

    def carry_Transpose(self, node: Transpose, grad: Expr, out) -> list:
        return [(node.operand, _t(grad))]

    def carry_Number(self, node: Number, grad: Expr, out) -> list:
        return []


def _through_activation(layer: Layer, grad: Expr) -> Expr:
    """dL/d(pre-activation) from dL/d(output): the book's ``delta * f2deriv(output)``."""
    f = layer.activation
    if f is None:
        return grad
    fn = functions.FUNCTIONS[f]
    if fn.derivative is not None:          # f' of the output, or of the input (gelu)
        at = layer.pre if fn.derivative_of == "input" else layer.name
        return Hadamard(grad, Call(f, at, True))
    if f == "exp":
        return Hadamard(grad, layer.name)       # exp' = exp: the output itself
    if f == "log":
        return Divide(grad, layer.pre)          # log'(x) = 1/x, on the input
    raise NotationTranslationError(
        f"backward cannot carry a delta through {f} here", layer.statement.value.span,
        hint=("softmax is differentiated only at the output, with the cross-entropy loss "
              "(--loss cross_entropy)") if f == "softmax" else
             f"register {f} with a derivative (notation.functions.register(..., derivative=...))")


def _delta_name(layer: Name, taken: set[Name]) -> Name:
    """δ2 for l2, as the book names layer_2_delta; δ_{h1} for other layers."""
    name = Name("δ", layer.sub if layer.letter == "l" and layer.sub else layer.letter + layer.sub)
    if name in taken:
        raise NotationTranslationError(
            f"the forward pass already uses {name.letter}{name.sub}, the name of a delta",
            hint="rename it: backward names the delta of layer l_k δ_k")
    return name


# ---------------------------------------------------------------------------- backward

def _parse_params(params) -> tuple[set[str], set[Name]]:
    """--params E,W1: letters (every E…) and whole names (W1)."""
    letters: set[str] = set()
    names: set[Name] = set()
    for item in params or ():
        if isinstance(item, Name):
            names.add(item)
            continue
        from .parser import parse
        expr = parse(item).statements[0]
        target = getattr(expr, "expr", None)
        if not isinstance(target, Name):
            raise NotationTranslationError(f"--params: {item!r} is not a name such as E or W1")
        (letters.add(target.letter) if not target.sub else names.add(target))
    return letters, names


def _option_text(value, what: str):
    """An option given as a number (``lr=0.1``) is the number's text; anything but text, a
    number or a tree is refused."""
    import math
    import numbers
    if isinstance(value, (str, Expr)):
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and what == "lr":
        if math.isfinite(value) and value >= 0:
            return repr(value if isinstance(value, numbers.Integral) else float(value))
    from .errors import NotationOptionError
    raise NotationOptionError(f"{what}={value!r}: give {what} as text"
                              + (", a name such as α or a number such as 0.1" if what == "lr"
                                 else ", a name such as y"))


def backward(program: Program, loss: str = "mse", lr: str | Expr = "α", target: str = "y",
             params=None) -> Program:
    """The training step of a forward program: forward, deltas, then updates.

    >>> from notation import parse
    >>> print(backward(parse("l2 = relu(l0W0)W1")).algebra())
    l1 = relu(l0W0)
    l2 = l1W1
    δ2 = l2 - y
    δ1 = δ2W1ᵀ ⊙ relu'(l1)
    W1 -= αl1ᵀδ2
    W0 -= αl0ᵀδ1
    """
    lr, target = _option_text(lr, "lr"), _option_text(target, "target")
    if not isinstance(loss, str) or loss not in LOSSES:
        raise NotationTranslationError(f"unknown loss {loss!r}",
                                       hint=f"the losses are {', '.join(LOSSES)}")
    from .parser import parse
    lr_expr = lr if isinstance(lr, Expr) else _one_expression(parse(lr), "the learning rate")
    target_expr = _one_expression(parse(target), "the target")
    if not isinstance(target_expr, Name):
        raise NotationTranslationError(f"the target must be a name, not {target!r}")

    declarations, forward = split_layers(program)
    declared = declared_scalars(program)
    assigned = {s.target for s in forward}
    if target_expr in assigned:
        raise NotationTranslationError(
            f"the target {target} is assigned by the forward pass", forward[0].span,
            hint="the target is an input: name another with --target")
    layers = layers_of(forward)

    letters, extra = _parse_params(params)
    letters |= {"W", "b"} if params is None else set()
    read = [n for layer in layers for n in names_in(layer.pre)]
    trained = [n for n in dict.fromkeys(read) if n not in assigned and n != target_expr
               and (n.letter in letters or n in extra)]
    if not trained:
        raise NotationTranslationError(
            "the forward pass has nothing to train", forward[-1].span,
            hint="weights are W…, biases b…; name others with --params")

    trained_set = set(trained)
    gradients = _Gradients(trained_set | assigned, declared)
    taken = all_names(program) | assigned
    out_grads: dict[Name, list[Expr]] = {}
    param_grads: dict[Name, list[Expr]] = {}
    deltas: list[Assign] = []

    output = layers[-1]
    seed = Subtract(output.name, target_expr)
    if loss == "cross_entropy":
        if output.activation not in CANCELLING["cross_entropy"]:
            raise NotationTranslationError(
                "cross-entropy needs a softmax or sigmoid output layer",
                output.statement.span, hint="use --loss mse, or end the network in softmax(…)")
        delta_expr = seed
    else:
        if output.activation == "softmax":
            raise NotationTranslationError(
                "a softmax output is trained with the cross-entropy loss", output.statement.span,
                hint="use --loss cross_entropy")
        delta_expr = _through_activation(output, seed)

    for layer in reversed(layers):
        if layer is not output:
            grads = out_grads.pop(layer.name, None)
            if not grads:
                continue    # this layer does not reach the loss: it needs no delta
            delta_expr = _through_activation(layer, _sum(grads))
        delta = _delta_name(layer.name, taken)
        deltas.append(Assign(delta, delta_expr))
        collected: dict[Name, list[Expr]] = {}
        gradients.carry(layer.pre, delta, collected)
        for name, grads in collected.items():
            (param_grads if name in trained_set else out_grads).setdefault(name, []).extend(grads)

    updates: list[Statement] = []
    for name in param_grads:
        updates.append(Update(name, "-=", _scale(lr_expr, _sum(param_grads[name]))
                              if len(param_grads[name]) == 1 else
                              MatMul(lr_expr, _sum(param_grads[name]))))
    statements = (*declarations, *forward, *deltas, *updates)
    _check_size(statements)
    from .emit.algebra import algebra
    from .parser import parse_derived
    # Read the derived program back from its own text, so that its spans point into it.
    return parse_derived(algebra(Program(tuple(statements))))


def _check_size(statements) -> None:
    """Refuse a training step too large to print: the gradient of each factor of a long
    product holds all the others, so a chain of n factors derives about n² terms."""
    left = MAX_DERIVED_NODES
    for s in statements:
        value = getattr(s, "value", None)
        if value is None:
            continue
        left -= printed_size(value, left)
        if left < 0:
            raise NotationTranslationError(
                f"the derived training step would hold more than {MAX_DERIVED_NODES:,} terms",
                s.span if isinstance(s, Update) else None,
                hint="give the intermediate products of a long chain names of their own "
                     "(h1 = l0W0W1, then l2 = h1W2W3)")


def _one_expression(program: Program, what: str) -> Expr:
    stmt = program.statements[0]
    if len(program.statements) != 1 or not hasattr(stmt, "expr"):
        raise NotationTranslationError(f"{what} must be one expression")
    return stmt.expr
