"""The shape rules of SPEC §2, one function per operation: each unifies the dimensions its
operands must share (``Shapes.unify``) and turns a conflict into the error of SPEC §6
(``shape_errors.py``), raised at the operator that fails. ``inference.py`` calls them in
its walk (a call of an elementwise function keeps its argument's shape inline there).
"""

from __future__ import annotations

from .dims import (ASSIGNMENT, ELEMENTWISE, PRODUCT, REDUCED, UPDATE, Conflict, Origin, Shape,
                   Var, compatible as _compatible, is_one as _is_one, symbol_text)
from .errors import NotationShapeError
from .nodes import Assign, Call, MatMul, Transpose, Update
from .shape_errors import (assignment_error, elementwise_error, kind_error, product_error,
                           sum_update_error)
from .shape_record import Shapes


def product_rule(shapes: Shapes, node: MatMul, left: Shape, right: Shape) -> Shape:
    """``A B`` needs cols(A) = rows(B); a scalar factor scales anything."""
    if left is None:
        return right
    if right is None:
        return left
    try:
        shapes.unify(left[1], right[0], (PRODUCT, node, None))
    except Conflict:
        raise product_error(shapes, node, left, right) from None
    return (left[0], right[1])


def row_wise_error(node: Call) -> NotationShapeError:
    return NotationShapeError(
        f"{node.func} is row-wise (each row of its argument is one example), but under "
        f"--columns a layer is units × batch, so it would mix the examples of a batch",
        node.span, label=f"{node.func} of a column layer",
        hint=f"write {node.func}(eᵀ)ᵀ to apply it to each column, or read the program in the "
             f"book's rows (without --columns)")


def call_rule(shapes: Shapes, node: Call, arg: Shape, rule: str, columns: bool) -> Shape:
    """A call of a function whose record's shape rule is not "elementwise" (``rule``):
    row-wise (softmax) keeps the shape; a batch sum gives 1 × n (the rows summed), an
    example sum b × 1 (each example's units summed, a 1 that broadcasts back)."""
    # softmax and sum work on each row (an example's units): under --columns, where a
    # layer's units are its rows, they would mix the examples
    if columns and rule != "batch-sum" and type(node.arg) is not Transpose:
        raise row_wise_error(node)
    if arg is None:
        return None
    if rule == "batch-sum":
        one = Var(None, 0)
        over = "the rows" if columns else "the batch"
        shapes.fix(one, 1, Origin(REDUCED, node.span, f"{node.func} over {over}"))
        return (one, arg[1])
    if rule == "example-sum":
        one = Var(None, 1)
        shapes.fix(one, 1, Origin(REDUCED, node.span, f"{node.func} over the units"))
        shapes.summed.add(one)
        return (arg[0], one)
    return arg


def elementwise_rule(shapes: Shapes, node, left: Shape, right: Shape, axis: int = 0) -> Shape:
    """Equal shapes, except that a 1 × n row broadcasts over b × n and a scalar over anything.
    ``axis`` is the batch axis: 0 for the book's rows; 1 under --columns, where an n × 1
    column broadcasts over n × b. The column of a sum, ``sum(e)``, broadcasts over the units
    (docs/shapes.md)."""
    if left is None:
        return right
    if right is None:
        return left
    reason = (ELEMENTWISE, node, None)
    other = 1 - axis
    rows = None
    if _is_one(left[axis]):
        rows = right[axis]
    elif _is_one(right[axis]):
        rows = left[axis]
    # the 1 of a sum over the units, sum(e) (b × 1), broadcasts back over the units
    units = None
    if shapes.summed:
        if shapes.is_summed(left[other]):
            units = right[other]
        elif shapes.is_summed(right[other]):
            units = left[other]
    try:
        if (units is None and not _compatible(left[other], right[other])) or \
                (rows is None and not _compatible(left[axis], right[axis])):
            raise Conflict(left, right)
        if units is None:
            shapes.unify(left[other], right[other], reason)
            units = left[other]
        if rows is None:
            # (a square operand ties rows to columns: the second unification can still fail)
            shapes.unify(left[axis], right[axis], reason)
            rows = left[axis]
    except Conflict:
        raise elementwise_error(shapes, node, left, right) from None
    return (rows, units) if axis == 0 else (units, rows)


def assign_rule(shapes: Shapes, s: Assign, target: Shape, value: Shape) -> None:
    """The target takes the shape of the value (one shape per name)."""
    if target is None or value is None:
        if target is not value:
            raise kind_error(shapes, s, target, value)
        return
    reason = (ASSIGNMENT, s, None)
    try:
        if not (_compatible(target[0], value[0]) and _compatible(target[1], value[1])):
            raise Conflict(target, value)
        shapes.unify(target[0], value[0], reason)
        shapes.unify(target[1], value[1], reason)
    except Conflict:
        raise assignment_error(shapes, s, target, value) from None


def update_rule(shapes: Shapes, s: Update, target: Shape, value: Shape, axis: int = 0) -> None:
    """``W -= v``: v must broadcast to W's shape, which does not change (a row broadcasts;
    under --columns, ``axis`` 1, a column)."""
    if value is None:
        return
    if target is None:
        if _is_one(value[0]) and _is_one(value[1]):
            return      # a 1 × 1 value is one number: a scalar parameter's step (backward)
        raise kind_error(shapes, s, target, value)
    other = 1 - axis
    row = _is_one(value[axis])
    reason = (UPDATE, s, None)
    if shapes.summed and shapes.is_summed(value[other]) and not _is_one(target[other]):
        # sum(δ) is each example's units summed (b × 1): the old spelling of a bias's
        # gradient, which is the sum over the batch, batchsum(δ)
        raise sum_update_error(shapes, s, target, value)
    try:
        if not _compatible(target[other], value[other]) or \
                (not row and not _compatible(target[axis], value[axis])):
            raise Conflict(target, value)
        shapes.unify(target[other], value[other], reason)
        if not row:
            shapes.unify(target[axis], value[axis], reason)
    except Conflict:
        raise assignment_error(shapes, s, target, value) from None


def dim_text(d) -> str:
    return str(d) if isinstance(d, int) else symbol_text(d)


def dims_text(dims: tuple) -> str:
    return "scalar" if not dims else "×".join(dim_text(d) for d in dims)
