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
below is the reverse-mode derivative of one node.

The guarantee (docs/backward.md): every update changes its parameter by exactly −α·∂L/∂P,
computed from the forward values, or the derivation refuses with a located error. Three
things make it so: every assignment is its own value (a reassigned name is renamed), every
value an update would read from a parameter is given a name first (so no update reads a
parameter an earlier update changed), and the sums over broadcast dimensions come from the
inferred shapes. tests/test_backward_autodiff.py checks it against autograd.
"""

from __future__ import annotations

from . import functions
from .errors import NotationTranslationError
from .kinds import declared_scalars, is_scalar
from .layers import (Fresh, Layer, _map_names, all_names, layers_of, name_products, names_in,
                     rename_reassigned, split_layers)
from .nodes import (Add, Assign, Call, Declare, Divide, Expr, Hadamard, MatMul, Name, Negate,
                    Number, Program, Statement, Subtract, Transpose, Update)
from .walk import children, printed_size

LOSSES = ("mse", "cross_entropy")

# The sign of the output delta: the gradient (l - y, updates -=), or the book's chapters 6
# and 8, y - l with updates +=: the same step.
DELTAS = ("l-y", "y-l")

# Activations whose delta at the output is simply output - y for the loss named.
# (softmax with cross-entropy, and sigmoid with binary cross-entropy, cancel the derivative.)
CANCELLING = {"cross_entropy": ("softmax", "sigmoid")}

# The most terms a derived program may hold: enough for any network a person writes (a
# 10,000-layer network derives about 150,000), few enough to print and read back in seconds.
MAX_DERIVED_NODES = 1_000_000

# The function that sums over the batch: the gradient of a parameter broadcast over the
# rows of a batch (a bias), printed b0 -= αbatchsum(δ1).
BATCH_SUM = "batchsum"
# The function that sums over each example's units (b × n -> b × 1): the gradient of the
# column of a sum, sum(e), broadcast back over the units.
EXAMPLE_SUM = "sum"

# The scalar the mean over the batch divides by (--mean): the batch size, given as an input.
BATCH_SIZE = Name("n")


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


def full_sum(grad: Expr, columns: bool = False) -> Expr:
    """The sum of every element, 1 × 1: each example's units summed (b × 1), then the batch,
    ``batchsum(sum(G))``; under --columns, where an example is a column, ``batchsum(sum(Gᵀ))``.
    It is one number, the change of a scalar parameter."""
    return Call(BATCH_SUM, Call(EXAMPLE_SUM, Transpose(grad) if columns else grad))


def _sum(terms: list[Expr]) -> Expr:
    total = terms[0]
    for t in terms[1:]:
        total = Add(total, t)
    return total


class _Gradients:
    """Reverse-mode rules, one per node: carry an incoming gradient G to the names below."""

    def __init__(self, wanted: set[Name], shapes, trained: set[Name] = frozenset()):
        self.wanted = wanted          # layers and parameters: the names a gradient is for
        self.trained = trained        # the parameters among them
        self.shapes = shapes          # the inferred shapes of the forward pass

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
        return self.shapes.of(expr) is None

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
            return [(a, self._full_sum(a, Hadamard(grad, b))), (b, _scale(a, grad))]
        if self.scalar(b):
            return [(a, _scale(b, grad)), (b, self._full_sum(b, Hadamard(grad, a)))]
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


def _chain_rule(f: str) -> Expr | None:
    """The function record's chain rule as a tree in G, x and y (see Function.backward)."""
    fn = functions.FUNCTIONS[f]
    at = "x" if getattr(fn, "derivative_of", "output") == "input" else "y"
    text = fn.backward or (f"G ⊙ {f}'({at})" if fn.derivative is not None else None)
    if text is None:
        return None
    if text not in _TEMPLATES:
        from .parser import parse
        _TEMPLATES[text] = _one_expression(parse(text), f"the chain rule of {f}")
    return _TEMPLATES[text]


def _through_activation(layer: Layer, grad: Expr) -> Expr:
    """dL/d(pre-activation) from dL/d(output): the book's ``delta * f2deriv(output)``."""
    f = layer.activation
    if f is None:
        return grad
    rule = _chain_rule(f)
    if rule is None:
        raise NotationTranslationError(
            f"backward cannot carry a delta through {f} here", layer.statement.value.span,
            hint=("softmax is differentiated only at the output, with the cross-entropy loss "
                  "(--loss cross_entropy)") if f == "softmax" else
                 f"register {f} with a derivative (notation.functions.register(..., derivative=...))")
    return _map_names(rule, {Name("G"): grad, Name("x"): layer.pre, Name("y"): layer.name})


def _delta_name(layer: Name, taken: set[Name], span=None) -> Name:
    """δ2 for l2, as the book names layer_2_delta; δ_{h1} for other layers."""
    if not layer.letter.isascii():
        # δ_{δ2} would be no name of the notation (a subscript is Latin letters and digits).
        raise NotationTranslationError(
            f"backward cannot name the delta of {layer.letter}{layer.sub}: a delta is δ with "
            f"the layer's name as subscript, and {layer.letter} is no Latin letter", span,
            label="this layer", hint="name the layers with Latin letters, such as l1 or h1")
    name = Name("δ", layer.sub if layer.letter == "l" and layer.sub else layer.letter + layer.sub)
    if name in taken:
        raise NotationTranslationError(
            f"the forward pass already uses {name.letter}{name.sub}, the name of a delta",
            hint="rename it: backward names the delta of layer l_k δ_k")
    return name


def _stash_name(param: Name, taken: set[Name]) -> Name:
    """The name of a parameter's gradient computed before the updates: δ_{W1}; for a Greek
    scalar parameter its English name, δ_{gamma1} (a subscript is Latin letters and digits)."""
    if param.letter.isascii():
        return _delta_name(param, taken)
    from .greek import ENGLISH_BY_UNICODE
    name = Name("δ", ENGLISH_BY_UNICODE.get(param.letter, "p") + param.sub)
    if name in taken:
        raise NotationTranslationError(
            f"the forward pass already uses δ_{{{name.sub}}}, the name of a gradient",
            hint=f"rename it: backward names the gradient of {param.letter}{param.sub} so")
    return name


# ---------------------------------------------------------------------------- backward

def _simple_name(text: str) -> Name | None:
    """``W1``, ``α``, ``y``: a letter and digits, read without the parser (it is asked often)."""
    text = text.strip()
    if text[:1].isalpha() and text[1:].isdigit() and text[:1] not in "Tx":
        from .greek import is_greek
        if text[0].isascii() or is_greek(text[0]):
            return Name(text[0], text[1:])
    return None


def _parse_params(params) -> tuple[set[str], set[Name]]:
    """--params E,W1: letters (every E…) and whole names (W1)."""
    letters: set[str] = set()
    names: set[Name] = set()
    for item in params or ():
        if isinstance(item, Name):
            names.add(item)
            continue
        from .parser import parse
        target = _simple_name(item)
        if target is None:
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


def _statement_reading(statements, name: Name):
    """The first statement that reads ``name``, for a caret."""
    for s in statements:
        value = getattr(s, "value", None)
        if value is not None and name in names_in(value):
            return s
    return None


def backward(program: Program, loss: str = "mse", lr: str | Expr = "α", target: str = "y",
             params=None, *, delta: str = "l-y", mean: bool = False, opts=None) -> Program:
    """The training step of a forward program: forward, deltas, then updates.

    ``delta="y-l"`` writes the book's chapters 6 and 8 sign (``δ = y - l``, updates ``+=``);
    ``mean=True`` takes the loss as a mean over the batch, dividing the output delta by the
    batch size ``n`` (an input). ``opts`` are shape options (the CLI's --sizes, --dims,
    --batch) that the shapes of the step are checked with.

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
    if delta not in DELTAS:
        raise NotationTranslationError(f"unknown delta convention {delta!r}",
                                       hint=f"the conventions are {', '.join(DELTAS)}")
    from .parser import parse
    from .shapes import infer
    lr_expr = lr if isinstance(lr, Expr) else \
        _simple_name(lr) or _one_expression(parse(lr), "the learning rate")
    target_expr = _simple_name(target) or _one_expression(parse(target), "the target")
    if not isinstance(target_expr, Name):
        raise NotationTranslationError(f"the target must be a name, not {target!r}")

    declarations, forward = split_layers(program)
    # The forward pass's own shapes first: a mismatch is reported in the program as written.
    infer(program, opts)
    taken = all_names(program) | {s.target for s in forward}
    for s in forward:
        if s.target == target_expr:
            raise NotationTranslationError(
                f"the target {target} is assigned by the forward pass", s.span,
                hint="the target is an input the output is compared with: name another "
                     "with --target")

    letters, extra = _parse_params(params)
    letters |= {"W", "b"} if params is None else set()
    assigned = {s.target for s in forward}
    read_first: list[Name] = []      # names read before any assignment: the inputs
    seen: set[Name] = set()
    for s in forward:
        read_first += [n for n in names_in(s.value) if n not in seen]
        seen.add(s.target)
    trained = [n for n in dict.fromkeys(read_first)
               if n != target_expr and (n.letter in letters or n in extra)]
    trained_names = set(trained)     # a list's `in` made this loop quadratic in the layers
    for s in forward:
        if s.target in trained_names:
            raise NotationTranslationError(
                f"the forward pass assigns {s.target.letter}{s.target.sub}, which it also "
                "reads as a parameter to train", s.span,
                hint="give the new value a name of its own")
    if target_expr in read_first and (target_expr.letter in letters or target_expr in extra):
        s = _statement_reading(forward, target_expr)
        raise NotationTranslationError(
            f"the target {target} is a parameter the step trains", s.span if s else None,
            hint="the target is the data the output is compared with: name another with "
                 "--target, or leave it out of --params")
    if not trained:
        raise NotationTranslationError(
            "the forward pass has nothing to train", forward[-1].span,
            hint="weights are W…, biases b…; name others with --params")
    trained_set = set(trained)

    fresh = Fresh(taken)
    forward = rename_reassigned(forward, fresh)
    declared = declared_scalars(program)
    forward = name_products(forward, trained_set, fresh, lambda e: is_scalar(e, declared))
    shapes = infer(Program((*declarations, *forward)), opts)

    layers = layers_of(forward)
    assigned = {s.target for s in forward}
    gradients = _Gradients(trained_set | assigned, shapes, trained_set)
    taken = taken | fresh.taken | assigned
    out_grads: dict[Name, list[Expr]] = {}
    param_grads: dict[Name, list[Expr]] = {}
    deltas: list[Assign] = []

    output = layers[-1]
    error = Subtract(output.name, target_expr) if delta == "l-y" else \
        Subtract(target_expr, output.name)
    if mean:
        if BATCH_SIZE in taken:
            raise NotationTranslationError(
                "the program already uses n, the batch size a mean divides by",
                hint="rename it, or train without --mean")
        error = Divide(error, BATCH_SIZE)
    if loss == "cross_entropy":
        if output.activation not in CANCELLING["cross_entropy"]:
            raise NotationTranslationError(
                "cross-entropy needs a softmax or sigmoid output layer",
                output.statement.span, hint="use --loss mse, or end the network in softmax(…)")
        delta_expr = error
    else:
        if output.activation == "softmax":
            raise NotationTranslationError(
                "a softmax output is trained with the cross-entropy loss", output.statement.span,
                hint="use --loss cross_entropy")
        delta_expr = _through_activation(output, error)

    for layer in reversed(layers):
        if layer is not output:
            grads = out_grads.pop(layer.name, None)
            if not grads:
                continue    # this layer does not reach the loss: it needs no delta
            if id(layer.pre) not in gradients.needing(layer.pre):
                continue    # nothing below it is trained (dropout on the input): no delta
            delta_expr = _through_activation(layer, _sum(grads))
        name = _delta_name(layer.name, taken, getattr(layer.statement, "span", None))
        deltas.append(Assign(name, delta_expr))
        collected: dict[Name, list[Expr]] = {}
        gradients.carry(layer.pre, name, collected)
        for n, grads in collected.items():
            (param_grads if n in trained_set else out_grads).setdefault(n, []).extend(grads)

    op = "-=" if delta == "l-y" else "+="
    stashed: list[Assign] = []
    updates: list[Statement] = []
    done: set[Name] = set()
    for name, grads in param_grads.items():
        grad = _sum(grads)
        if done & set(names_in(grad)):
            # It would read a parameter an earlier update changed: its gradient is computed
            # with the deltas, before any update (W0W1 has no value of its own to name).
            stash = _stash_name(name, taken)
            stashed.append(Assign(stash, grad))
            grad, grads = stash, [stash]
        updates.append(Update(name, op, _scale(lr_expr, grad) if len(grads) == 1 else
                              MatMul(lr_expr, grad)))
        done.add(name)
    decls = list(declarations)
    if mean:
        decls.append(Declare(BATCH_SIZE, ()))
    statements = (*decls, *forward, *deltas, *stashed, *updates)
    _check_size(statements)
    from .emit.algebra import algebra
    from .parser import parse_derived
    # Read the derived program back from its own text, so that its spans point into it.
    derived = parse_derived(algebra(Program(tuple(statements))))
    # Every view prints what the plan accepts: the step's own shapes are checked here.
    infer(derived, opts)
    return derived


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
