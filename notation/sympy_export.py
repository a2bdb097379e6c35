"""``Program.to_sympy()``: the program as SymPy matrix expressions with the checked shapes.

Every array name is a ``MatrixSymbol`` of its inferred shape (an undetermined dimension is a
positive integer symbol, ``n1``, ``b``); every scalar name a ``Symbol``. Each assignment gives
``{name: expression}``, an update its new value (``W1 - α l1ᵀ δ2``), a bare expression the key
``"_"``. The activations are their mathematical definitions applied elementwise, so SymPy can
work with them: ``relu`` is ``Max(x, 0)``, ``sigmoid`` ``1/(1 + exp(-x))``; a derivative takes
the output, as in the book (``relu'`` is ``Heaviside(o, 0)``, ``sigmoid'`` ``o(1 - o)``).
Broadcasting is written out: a 1 × n row ``r`` over b rows is ``𝟙(b×1)·r``; ``softmax(X)`` is
``exp(X) ⊘ (exp(X)·𝟙(n×1)·𝟙(1×n))``; the sum over the batch is ``𝟙(1×b)·X``.

SymPy is imported here only, on first use.
"""

from __future__ import annotations

import re

from .emit.algebra import algebra
from .errors import NotationTranslationError
from .nodes import (Add, Call, Declare, Divide, ExprStatement, Hadamard, MatMul, Name,
                    Negate, Number, Program, Subtract, Transpose, Update)
from .shapes import ShapeOptions, infer
from .walk import children


def to_sympy(program: Program, opts: ShapeOptions | None = None, *,
             convention: bool = True) -> dict:
    """``{notation name: SymPy expression}`` for each statement that gives a value.

    >>> from notation import parse
    >>> str(to_sympy(parse("l1 = l0W0"), None)["l1"])
    'l0*W0'
    """
    import sympy
    shapes = infer(program, opts, convention=convention)
    b = _Builder(sympy, shapes)
    out: dict = {}
    for s in program.statements:
        if isinstance(s, Declare):
            continue
        try:
            if isinstance(s, ExprStatement):
                out["_"] = b.expr(s.expr)
                continue
            value = b.expr(s.value)
            if isinstance(s, Update):
                target = b.name(s.target)
                value = b.broadcast(value, shapes.of(s.value), shapes.of(s.target))
                value = target - value if s.op == "-=" else target + value
        except (TypeError, ValueError, ArithmeticError, AttributeError,
                NotImplementedError) as e:
            # SymPy refuses some values the notation allows (0/0 is nan, which no matrix
            # expression can hold; a 1×1 function value times a matrix is a "noncommutative
            # scalar in MatMul"): say so, at the statement.
            raise NotationTranslationError(
                f"SymPy cannot represent this statement ({type(e).__name__}: {e})", s.span,
                hint="a number such as 0/0 has no matrix expression") from None
        out[algebra(s.target)] = value
    return out


class _Builder:
    def __init__(self, sympy, shapes):
        self.sp = sympy
        self.shapes = shapes
        self.symbols: dict[str, object] = {}
        self.rules: dict[tuple, object] = {}
        self.x = sympy.Symbol("x")

    def dim(self, v):
        d = self.shapes.dim(v)
        if isinstance(d, int):
            return self.sp.Integer(d)
        if d not in self.symbols:
            self.symbols[d] = self.sp.Symbol(d, integer=True, positive=True)
        return self.symbols[d]

    def name(self, name: Name):
        shape = self.shapes.names.get(name)
        text = algebra(name)
        if shape is None:
            return self.sp.Symbol(text)
        return self.sp.MatrixSymbol(text, self.dim(shape[0]), self.dim(shape[1]))

    def ones(self, rows, cols):
        return self.sp.OneMatrix(rows, cols)

    def broadcast(self, value, shape, to):
        """A 1 × n row (or a scalar) spread over the rows of ``to``; under --columns, an
        n × 1 column spread over its columns; the column of a sum, ``sum(e)``, spread over
        the units it summed."""
        if to is None or shape is None:
            if shape is None and to is not None:
                return value * self.ones(self.dim(to[0]), self.dim(to[1]))
            return value
        one = self.sp.Integer(1)
        if self.shapes.columns:
            if not self.shapes.same(shape[1], to[1]):
                value = value * self.ones(one, self.dim(to[1]))
            if not self.shapes.same(shape[0], to[0]):          # the 1 × b of sum(eᵀ)ᵀ
                value = self.ones(self.dim(to[0]), one) * value
            return value
        if not self.shapes.same(shape[0], to[0]):
            value = self.ones(self.dim(to[0]), one) * value
        if not self.shapes.same(shape[1], to[1]):              # the b × 1 of sum(e)
            value = value * self.ones(one, self.dim(to[1]))
        return value

    def expr(self, root):
        sp = self.sp
        of = self.shapes.of
        out: list = []
        stack = [(root, False)]
        while stack:
            node, ready = stack.pop()
            t = type(node)
            if t is Name:
                out.append(self.name(node))
                continue
            if t is Number:
                out.append(_exact(sp, node))
                continue
            if not ready:
                stack.append((node, True))
                if t is MatMul:
                    # A chain a b c … is one n-ary product: SymPy canonicalises every
                    # product it makes, so building it pairwise is quadratic (a 300-factor
                    # chain took 2.5 s that way).
                    factors = _factors(node)
                    stack[-1] = (node, factors)
                    stack += [(f, False) for f in reversed(factors)]
                else:            # an unknown node raises in children (walk.FIELDS)
                    stack.extend((k, False) for k in reversed(children(node)))
                continue
            if t is Transpose:
                x = out.pop()
                out.append(x if of(node) is None else x.T)
            elif t is Negate:
                out.append(-out.pop())
            elif t is Call:
                out.append(self.call(node, out.pop(), of(node.arg)))
            elif t is MatMul:
                values = out[len(out) - len(ready):]
                del out[len(out) - len(ready):]
                if of(node) is None:
                    out.append(sp.Mul(*values))
                else:
                    out.append(sp.MatMul(*values).doit())
            else:
                right, left = out.pop(), out.pop()
                out.append(self.elementwise(node, left, right))
        return out[-1]

    def elementwise(self, node, left, right):
        sp = self.sp
        of = self.shapes.of
        shape = of(node)
        ls, rs = of(node.left), of(node.right)
        if shape is None:                      # both scalars
            return {Hadamard: lambda: left * right, Divide: lambda: left / right,
                    Add: lambda: left + right, Subtract: lambda: left - right}[type(node)]()
        if type(node) is Hadamard and (ls is None or rs is None):
            return left * right
        if type(node) is Divide and rs is None:
            return left / right
        left = self.broadcast(left, ls, shape)
        right = self.broadcast(right, rs, shape)
        if type(node) is Hadamard:
            return sp.hadamard_product(left, right)
        if type(node) is Divide:
            return sp.hadamard_product(left, sp.HadamardPower(right, -1))
        if type(node) is Add:
            return left + right
        return left - right

    def rule(self, node: Call):
        """The function's SymPy form in ``x`` from the registry (``sympy`` or
        ``sympy_derivative``), or None for a function registered without one."""
        from . import functions
        fn = functions.lookup(node.func)
        text = None if fn is None else fn.sympy_derivative if node.derivative else fn.sympy
        if text is None:
            return fn, None
        key = (node.func, node.derivative)
        if key not in self.rules:
            self.rules[key] = self.sp.sympify(text, locals={"x": self.x})
        return fn, self.rules[key]

    def call(self, node: Call, x, shape):
        sp = self.sp
        o = self.x
        fn, rule = self.rule(node)
        kind = "elementwise" if fn is None or node.derivative else fn.shape
        if rule is None or (shape is None and kind != "elementwise"):
            f = sp.Function(node.func + ("'" if node.derivative else ""))
            return f(x) if shape is None else _apply(sp, sp.Lambda(o, f(o)), x)
        if shape is None:
            return rule.subs(o, x)
        term = x if rule == o else _apply(sp, sp.Lambda(o, rule), x)
        if kind == "row-wise":                 # each row divided by its sum (softmax)
            n = self.dim(shape[1])
            sums = term * self.ones(n, sp.Integer(1)) * self.ones(sp.Integer(1), n)
            return sp.hadamard_product(term, sp.HadamardPower(sums, -1))
        if kind == "batch-sum":                # the rows summed: 𝟙(1×b)·X
            return self.ones(sp.Integer(1), self.dim(shape[0])) * term
        if kind == "example-sum":              # each row's units summed: X·𝟙(n×1)
            return term * self.ones(self.dim(shape[1]), sp.Integer(1))
        return term


__all__ = ["to_sympy"]


# A literal is turned into the exact rational it writes. 1e-9999999 would be a fraction with
# ten million digits (SymPy never returns) and 1e99999999999 does not fit in memory: past
# this many digits or this exponent the literal is refused, at its place.
_MAX_DIGITS = 4000
_MAX_EXPONENT = 4000
_LITERAL = re.compile(r"(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?")


def _exact(sp, node: Number):
    """The exact value of a literal: ``0.5`` is 1/2, ``1e-3`` is 1/1000."""
    m = _LITERAL.fullmatch(node.text)
    if m is None:
        raise NotationTranslationError(f"SymPy cannot read the number {node.text}", node.span)
    whole, fraction, exponent = m.group(1) or "", m.group(2) or "", m.group(3) or "0"
    digits = (whole + fraction).lstrip("0") or "0"
    if len(digits) > _MAX_DIGITS or len(exponent.lstrip("+-")) > 5 \
            or abs(int(exponent)) > _MAX_EXPONENT:
        raise NotationTranslationError(
            "this number is too large or too small for SymPy's exact arithmetic", node.span,
            label="this number",
            hint=f"write it with at most {_MAX_DIGITS} digits and an exponent between "
                 f"-{_MAX_EXPONENT} and {_MAX_EXPONENT} (as a float64, NumPy reads any "
                 f"beyond 1e308 as inf and below 1e-324 as 0)")
    power = int(exponent) - len(fraction)
    value = sp.Integer(int(digits))
    return value * sp.Integer(10) ** power if power else value


def _factors(product: MatMul) -> list:
    """The factors of a product chain, left to right, however it is bracketed."""
    out, stack = [], [product]
    while stack:
        node = stack.pop()
        if type(node) is MatMul:
            stack += [node.right, node.left]
        else:
            out.append(node)
    return out


def _apply(sp, function, x):
    from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
    return ElementwiseApplyFunction(function, x)
