"""The NumPy idioms that are functions of the notation, each matched on Python's ast.

- ``1 / (1 + np.exp(-x))`` is sigmoid(x); ``x * (1 - x)`` is sigmoid'(x) (sigmoid2deriv's body);
- ``1 - x ** 2`` is tanh'(x) (tanh2deriv's body);
- ``(x > 0) * x``, ``(x >= 0) * x`` (the same values: both are 0 at 0) and
  ``np.maximum(0, x)`` are relu(x);
- ``x > 0`` is relu'(x), as the book's relu2deriv; ``x >= 0`` is **not** (it is 1 at 0): it is
  step(x), a function of its own (chapter 8's relu2deriv);
- ``np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)`` is softmax(x);
- ``np.sum(x, axis=0, keepdims=True)`` (or without keepdims) is sum(x), the sum over the batch.
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


def _is_exp(node, reader) -> bool:
    return (isinstance(node, ast.Call) and reader.numpy_function(node.func, "exp")
            and len(node.args) == 1 and not node.keywords)


def keywords(keywords, axis: int, keepdims: bool | None = True) -> bool:
    """Are the keywords exactly ``axis=<axis>`` and (``keepdims=True``, or none if None)?"""
    found = {k.arg: k.value for k in keywords}
    wanted = {"axis"} | ({"keepdims"} if keepdims else set())
    if set(found) != wanted:
        return False
    a = found["axis"]
    if axis < 0:
        ok = isinstance(a, ast.UnaryOp) and isinstance(a.op, ast.USub) and constant(a.operand, -axis)
    else:
        ok = constant(a, axis)
    if not keepdims:
        return ok
    keep = found["keepdims"]
    return ok and isinstance(keep, ast.Constant) and keep.value is True


def binary(node: ast.BinOp, reader):
    """(children, make) for an idiom written with an operator, else None."""
    found = registered(node, reader)
    if found is not None:
        return found
    span = reader.span(node)
    left, right = node.left, node.right
    if isinstance(node.op, ast.Div) and constant(left, 1) and isinstance(right, ast.BinOp) \
            and isinstance(right.op, ast.Add):
        for one, e in ((right.left, right.right), (right.right, right.left)):
            if (constant(one, 1) and isinstance(e, ast.Call) and reader.numpy_function(e.func, "exp")
                    and len(e.args) == 1 and not e.keywords and isinstance(e.args[0], ast.UnaryOp)
                    and isinstance(e.args[0].op, ast.USub)):
                return [e.args[0].operand], lambda k: Call("sigmoid", k[0], False, span)
    if isinstance(node.op, ast.Sub) and constant(left, 1) and isinstance(right, ast.BinOp) \
            and isinstance(right.op, ast.Pow) and constant(right.right, 2):
        return [right.left], lambda k: Call("tanh", k[0], True, span)
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
    if isinstance(node.op, ast.Div) and _is_exp(left, reader) and isinstance(right, ast.Call) \
            and reader.numpy_function(right.func, "sum") and len(right.args) == 1 \
            and _is_exp(right.args[0], reader) and same(left.args[0], right.args[0].args[0]) \
            and (keywords(right.keywords, axis=1) or keywords(right.keywords, axis=-1)):
        return [left.args[0]], lambda k: Call("softmax", k[0], False, span)
    return None


def call(node: ast.Call, reader):
    """(children, make) for an idiom written as a NumPy call, else None."""
    found = registered(node, reader)
    if found is not None:
        return found
    func = node.func
    span = reader.span(node)
    if reader.numpy_function(func, "maximum") and len(node.args) == 2 and not node.keywords:
        a, b = node.args
        if constant(a, 0) or constant(b, 0):
            x = b if constant(a, 0) else a
            return [x], lambda k: Call("relu", k[0], False, span)
    # np.sum(x, axis=0) is a (n,) row, which broadcasts as the 1 × n row of batchsum(x);
    # np.sum(x, axis=1) without keepdims is a (b,) vector that would broadcast wrongly, and
    # np.sum(x) with no axis is a total: neither is read (docs/views.md)
    if reader.numpy_function(func, "sum") and len(node.args) == 1 and (
            keywords(node.keywords, axis=0) or keywords(node.keywords, axis=0, keepdims=None)):
        return [node.args[0]], lambda k: Call("batchsum", k[0], False, span)
    if reader.numpy_function(func, "sum", "mean"):
        raise reader.error(
            f"np.{func.attr}() over {'all elements' if not node.keywords else 'these axes'} "
            f"cannot be read into the notation", node, label="no notation for this reduction",
            hint="np.sum(x, axis=1, keepdims=True) is sum(x), the sum over each example's "
                 "units; np.sum(x, axis=0, keepdims=True) is batchsum(x), the sum over the "
                 "batch; a mean over the batch is batchsum(x) / n; a total error is "
                 "bookkeeping, outside the step")
    return None
