"""A small NumPy evaluator of the tree: the reference that emitted code is checked against.

It walks the tree directly and shares nothing with the NumPy view: whether a product
scales or multiplies matrices is decided here by the values (a 0-d value scales), not by
letters; the functions are the registry's ``reference`` implementations, written apart
from the book's helpers (a stable softmax, a sigmoid through ``logaddexp``); an update computes a new array instead of
changing one in place. So when emitted code and this evaluator agree, both are right, or
both are wrong in two different ways.

>>> import numpy as np
>>> from notation import parse
>>> evaluate(parse("y = 2x"), {"x": np.ones((1, 2))})["y"]
array([[2., 2.]])
"""

from __future__ import annotations

import numpy as np

from . import functions
from .errors import NotationNameError, NotationTranslationError
from .walk import children
from .nodes import (Add, Assign, Call, Declare, Divide, Expr, ExprStatement, Hadamard, MatMul,
                    Name, Negate, Number, Program, Subtract, Transpose, Update)

EXPRESSION_KEY = "_"


def reference(name: str, derivative: bool):
    """The evaluator's own implementation of a function (or its derivative), from the
    function registry's ``reference`` facts; for a function registered without one, its
    helper's NumPy code (then compare checks that code against itself, and says so)."""
    fn = functions.lookup(name)
    if fn is None:
        return None
    own = fn.reference_derivative if derivative else fn.reference
    if own is not None:
        return own
    body = fn.derivative if derivative else fn.numpy
    if body is None:
        return None
    variable = fn.derivative_parameter if derivative else "x"
    setup = fn.derivative_setup if derivative else fn.numpy_setup
    code = compile(body, f"<{name}>", "eval")
    prelude = compile(setup, f"<{name}>", "exec") if setup else None

    def helper(value):
        scope = {variable: value}
        if prelude is not None:
            exec(prelude, {"np": np}, scope)
        return eval(code, {"np": np}, scope)
    return helper


def _product(a, b):
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return np.multiply(a, b)
    return np.matmul(a, b)


BINARY = {
    MatMul: _product,
    Hadamard: np.multiply,
    Divide: np.true_divide,
    Add: np.add,
    Subtract: np.subtract,
}


def key(name: Name) -> str:
    from .emit.algebra import algebra
    return algebra(name)


class Evaluator:
    def __init__(self, values: dict[Name, object]):
        self.values = dict(values)

    def expression(self, root: Expr):
        # Post-order from an explicit stack: a chain of any length costs no recursion.
        results: list = []
        stack: list = [(root, False)]
        while stack:
            node, ready = stack.pop()
            kind = type(node)
            if kind is Name:
                results.append(self.name(node))
            elif kind is Number:
                results.append(float(node.text))
            elif not ready:
                stack.append((node, True))
                # an unknown node raises in children (walk.FIELDS), as in every walk
                stack.extend((k, False) for k in reversed(children(node)))
            elif kind in BINARY:
                right = results.pop()
                left = results.pop()
                results.append(BINARY[kind](left, right))
            elif kind is Transpose:
                results.append(np.transpose(results.pop()))
            elif kind is Negate:
                results.append(np.negative(results.pop()))
            else:
                results.append(self.call(node, results.pop()))
        return results.pop()

    def name(self, node: Name):
        try:
            return self.values[node]
        except KeyError:
            raise NotationNameError(f"no value for {key(node)}", node.span,
                                    hint="give every input of the program a value") from None

    @staticmethod
    def call(node: Call, value):
        fn = reference(node.func, node.derivative)
        if fn is None:
            raise NotationTranslationError(
                f"cannot evaluate {node.func}{chr(39) if node.derivative else ''}", node.span)
        return fn(value)


def evaluate(program: Program, inputs: dict) -> dict[str, object]:
    """Run a program on values: ``{notation name: value}`` for every name assigned.

    ``inputs`` is keyed by :class:`Name` or by the algebra spelling (``"l0"``, ``"α"``).
    The value of bare expressions is returned under ``"_"``; declarations are ignored.
    """
    values = {}
    for k, v in inputs.items():
        values[_as_name(k)] = v
    ev = Evaluator(values)
    out: dict[str, object] = {}
    with np.errstate(all="ignore"):
        for statement in program.statements:
            if isinstance(statement, Assign):
                ev.values[statement.target] = ev.expression(statement.value)
                out[key(statement.target)] = ev.values[statement.target]
            elif isinstance(statement, Update):
                old = ev.name(statement.target)
                change = ev.expression(statement.value)
                new = np.subtract(old, change) if statement.op == "-=" else np.add(old, change)
                ev.values[statement.target] = new
                out[key(statement.target)] = new
            elif isinstance(statement, ExprStatement):
                out[EXPRESSION_KEY] = ev.expression(statement.expr)
            elif not isinstance(statement, Declare):
                raise NotationTranslationError(f"cannot evaluate {type(statement).__name__}",
                                               getattr(statement, "span", None))
    return out


def _as_name(k) -> Name:
    if isinstance(k, Name):
        return k
    from .parser import parse
    statements = parse(str(k)).statements
    expr = getattr(statements[0], "expr", None) if len(statements) == 1 else None
    if not isinstance(expr, Name):
        from .errors import NotationOptionError
        raise NotationOptionError(f"{k!r} is not a name of the notation")
    return expr
