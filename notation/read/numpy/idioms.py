"""The NumPy idioms that are functions of the notation, matched on Python's ast.

Every idiom is a fact of its function's record (``idioms`` and ``derivative_idioms`` in
notation/builtin_functions.py, matched by notation/function_idioms.py): ``1 / (1 +
np.exp(-x))`` is sigmoid(x), ``output * (1 - output)`` sigmoid'(output), ``1 - output ** 2``
tanh'(output), ``(x > 0) * x`` and ``np.maximum(0, x)`` relu(x), ``np.exp(x) /
np.sum(np.exp(x), axis=1, keepdims=True)`` softmax(x), ``np.sum(x, axis=0,
keepdims=True)`` batchsum(x), the sum over the batch. What is left here: two spellings
that a template would read differently (:func:`binary`), a comparison with 0 whose
function was replaced (``x > 0`` is relu'(x), as the book's relu2deriv; ``x >= 0`` is
**not**, it is 1 at 0: it is step(x), chapter 8's relu2deriv, refused when step is
registered as something else), and the sums that have no notation.
"""

from __future__ import annotations

import ast

from ... import functions
from ...function_idioms import match_idiom
from ...nodes import Call
from .syntax import constant, same

STEP = "step"
STEP_NUMPY = "(x >= 0) * 1.0"     # a number, as relu' is: 1 where x >= 0, also at 0


def step_function() -> str:
    """The registered name of ``x >= 0`` (a built-in record of notation/functions.py, so that
    what the reader prints reads back in any process); refused if a registration replaced
    it with something else."""
    fn = functions.lookup(STEP)
    if fn is None or fn.numpy != STEP_NUMPY:
        from ...errors import NotationTranslationError
        raise NotationTranslationError(
            f"x >= 0 is read as step(x), but the function step is "
            f"{'not registered' if fn is None else 'registered as ' + fn.numpy}",
            hint="register your function under another name")
    return STEP


def _compare_with_zero(node):
    """``x > 0``/``0 < x`` -> (x, '>'), ``x >= 0``/``0 <= x`` -> (x, '>='), else None."""
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1):
        return None
    left, op, right = node.left, node.ops[0], node.comparators[0]
    if constant(right, 0) and isinstance(op, (ast.Gt, ast.GtE)):
        return left, ">" if isinstance(op, ast.Gt) else ">="
    if constant(left, 0) and isinstance(op, (ast.Lt, ast.LtE)):
        return right, ">" if isinstance(op, ast.Lt) else ">="
    return None


def registered(node, reader):
    """(children, make) for an idiom of a function in the registry (function_idioms)."""
    found = match_idiom(node, reader.is_numpy)
    if found is None:
        return None
    fn, derivative, arg = found
    span = reader.span(node)
    return [arg], lambda k: Call(fn.name, k[0], derivative, span)


def comparison(node):
    """(operand, make) for ``x > 0`` (relu') and ``x >= 0`` (step), else None."""
    found = _compare_with_zero(node)
    if found is None:
        return None
    operand, op = found
    if op == ">":
        return operand, lambda x, span: Call("relu", x, True, span)
    name = step_function()
    return operand, lambda x, span: Call(name, x, False, span)


def binary(node: ast.BinOp, reader):
    """(children, make) for an idiom written with an operator, else None.

    Two spellings are still matched here, after every record's idioms: ``(x >= 0) * x``
    and ``(0 < x) * x`` (any comparison of _compare_with_zero, either side), relu(x), read
    from the bare ``x`` (a template reads the first ``x``, whose spans differ, and would
    come before step's ``(x >= 0) * 1.0``); and ``(1 - x) * x`` of a name, sigmoid'(x) (a
    template takes any expression).
    """
    found = registered(node, reader)
    if found is not None:
        return found
    span = reader.span(node)
    left, right = node.left, node.right
    if isinstance(node.op, ast.Mult):
        for test, value in ((left, right), (right, left)):
            found = _compare_with_zero(test)
            if found is not None and same(found[0], value):
                return [value], lambda k: Call("relu", k[0], False, span)
        # x * (1 - x) and (1 - x) * x are sigmoid'(x), sigmoid2deriv's body
        for out, other in ((left, right), (right, left)):
            if (isinstance(other, ast.BinOp) and isinstance(other.op, ast.Sub)
                    and constant(other.left, 1) and same(other.right, out)
                    and isinstance(out, (ast.Name, ast.Attribute, ast.Subscript))):
                return [out], lambda k: Call("sigmoid", k[0], True, span)
    return None


def call(node: ast.Call, reader):
    """(children, make) for an idiom written as a NumPy call, else None; a sum or mean over
    axes that have no notation is refused here, with what to write instead."""
    found = registered(node, reader)
    if found is not None:
        return found
    func = node.func
    # np.sum(x, axis=1) without keepdims is a (b,) vector that would broadcast wrongly, and
    # np.sum(x) with no axis is a total: neither is read (docs/views.md)
    if reader.numpy_function(func, "sum", "mean"):
        raise reader.error(
            f"np.{func.attr}() over {'all elements' if not node.keywords else 'these axes'} "
            f"cannot be read into the notation", node, label="no notation for this reduction",
            hint="np.sum(x, axis=1, keepdims=True) is sum(x), the sum over each example's "
                 "units; np.sum(x, axis=0, keepdims=True) is batchsum(x), the sum over the "
                 "batch; a mean over the batch is batchsum(x) / n; a total error is "
                 "bookkeeping, outside the step")
    return None
