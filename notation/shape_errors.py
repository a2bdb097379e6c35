"""Shape errors as SPEC §6 shows them: at the operator that fails, both operands, their
shapes, where each shape came from, and the rule broken.

    error: shape mismatch in the product l1W1
      --> line 1, column 16
       |
     1 | l2 = relu(l0W0)W1
       |      ^^^^^^^^^^ this is 1×4 (layer 1: from --sizes)
       |                ^^ W1 is 5×1 (declared at line 2)
       = the columns of the left side (4) must equal the rows of the right side (5)

The caret line with the location is the right operand (the value, in an assignment); the
left operand (the target) is labelled too. Each error carries ``node``, the operator or
statement that failed, so tests and tools can ask where it was reported.
"""

from __future__ import annotations

from .errors import Label, NotationShapeError
from .nodes import Add, Assign, Call, Divide, Hadamard, MatMul, Name, Subtract, Update
from .dims import _text, compatible as _compatible
from .walk import size

# ``Shapes`` in the annotations is shape_record.Shapes, which imports this module (it names
# the operation of a reason): not imported here, so that the stage has no cycle.

_OPERATION = {
    MatMul: "the product",
    Hadamard: "the elementwise product",
    Divide: "the division",
    Add: "the sum",
    Subtract: "the difference",
}

_MAX_NODES = 40     # larger operations are named by their source text
_MAX_TEXT = 60


def describe(node, shapes: Shapes | None = None) -> str:
    """``the product l1W1``, ``the sum l1W1 + b1``, ``the assignment to l2``."""
    if isinstance(node, Assign):
        return f"the assignment to {_text(node.target)}"
    if isinstance(node, Update):
        return f"the update of {_text(node.target)}"
    word = _OPERATION.get(type(node))
    if word is None:
        return f"the {type(node).__name__.lower()}"
    return f"{word} {operation_text(node, shapes)}"


def operation_text(node, shapes: Shapes | None = None) -> str:
    """The algebra of a binary operation, with an operand that is layer k (by the book's
    convention) written ``l_k``; the source text when the operation is large."""
    left, right = node.left, node.right
    if shapes is not None:
        left = _as_layer(left, shapes)
        right = _as_layer(right, shapes)
    shallow = type(node)(left, right)
    if _small(shallow):
        from .emit.algebra import algebra
        return algebra(shallow)
    return _source_text(node, shapes)


def _as_layer(node, shapes: Shapes):
    k = shapes.layers.get(id(node))
    if k is None or isinstance(node, Name):
        return node
    return Name("l", str(k))


def _small(node) -> bool:
    return size(node, _MAX_NODES) <= _MAX_NODES


def _source_text(node, shapes: Shapes | None) -> str:
    source = shapes.source if shapes is not None else ""
    if node.span is None or not source:
        return "…"
    text = " ".join(source[node.span.start:node.span.end].split())
    if len(text) > _MAX_TEXT:
        half = _MAX_TEXT // 2
        text = text[:half] + " … " + text[-half:]
    return text


def operand_label(shapes: Shapes, node, shape) -> str:
    """``W1 is 5×1 (declared at line 2)``, ``this is 1×4 (layer 1: from --sizes)``."""
    who = _text(node) if isinstance(node, Name) else "this"
    if shape is None:
        return f"{who} is a scalar"
    origins = [shapes.origin_of(v) for v in shape]
    single = origins[0] == origins[1]
    if single:
        where = origins[0]
    else:
        where = "; ".join(f"{shapes.dim(v)}: {o}" for v, o in zip(shape, origins))
    k = shapes.layers.get(id(node))
    if k is not None and not isinstance(node, Name):
        where = f"layer {k}{': ' if single else '; '}{where}"
    return f"{who} is {shapes.text(shape)} ({where})"


def _error(shapes: Shapes, node, message: str, left, lshape, right, rshape, hint: str):
    e = NotationShapeError(
        message, right.span, label=operand_label(shapes, right, rshape),
        labels=(Label(left.span, operand_label(shapes, left, lshape)),) if left.span else (),
        hint=hint, source=shapes.source)
    e.node = node
    return e


def product_error(shapes: Shapes, node: MatMul, left, right) -> NotationShapeError:
    cols, rows = shapes.dim(left[1]), shapes.dim(right[0])
    return _error(shapes, node, f"shape mismatch in {describe(node, shapes)}",
                  node.left, left, node.right, right,
                  f"the columns of the left side ({cols}) must equal the rows of the right "
                  f"side ({rows})")


def elementwise_error(shapes: Shapes, node, left, right) -> NotationShapeError:
    if shapes.columns:       # (a layer is units × batch: a column broadcasts, as a bias)
        if not _compatible(left[0], right[0]):
            hint = (f"the rows of both sides must be equal ({shapes.dim(left[0])} and "
                    f"{shapes.dim(right[0])}); only an n×1 column or a scalar broadcasts")
        else:
            hint = (f"the columns of both sides must be equal ({shapes.dim(left[1])} and "
                    f"{shapes.dim(right[1])}), or one side must be a single column (n×1) "
                    f"that broadcasts over the other")
    elif not _compatible(left[1], right[1]):
        hint = (f"the columns of both sides must be equal ({shapes.dim(left[1])} and "
                f"{shapes.dim(right[1])}); only a 1×n row or a scalar broadcasts")
    else:
        hint = (f"the rows of both sides must be equal ({shapes.dim(left[0])} and "
                f"{shapes.dim(right[0])}), or one side must be a single row (1×n) that "
                f"broadcasts over the other")
    return _error(shapes, node, f"shape mismatch in {describe(node, shapes)}",
                  node.left, left, node.right, right, hint)


def assignment_error(shapes: Shapes, s, target, value) -> NotationShapeError:
    name = _text(s.target)
    if isinstance(s, Assign):
        hint = (f"{name} has one shape in the whole program, so the value must be "
                f"{shapes.text(target)} or {name} must be {shapes.text(value)}")
    else:
        one = "an n×1 column" if shapes.columns else "a 1×n row"
        hint = (f"the value must have the shape of {name}, {shapes.text(target)}, or be "
                f"{one} or a scalar that broadcasts to it")
    return _error(shapes, s, f"shape mismatch in {describe(s, shapes)}",
                  s.target, target, s.value, value, hint)


def sum_update_error(shapes: Shapes, s, target, value) -> NotationShapeError:
    """``b0 -= αsum(δ1)``: sum is the sum over each example's units (a b × 1 column), so its
    column cannot update a parameter of more columns; the batch sum is ``batchsum``."""
    from dataclasses import replace

    from . import functions
    from .emit.algebra import algebra
    from .walk import fold, rebuild
    # the two sums by their shape rules in the registry (sum and batchsum)
    rules = functions.shape_rules()
    example_sum, batch_sum = (next(n for n, r in rules.items() if r == rule)
                              for rule in ("example-sum", "batch-sum"))

    def batch(node, operands):
        node = rebuild(node, operands) if operands else node
        return replace(node, func=batch_sum) if isinstance(node, Call) and \
            node.func == example_sum and not node.derivative else node

    name = _text(s.target)
    written = algebra(Update(s.target, s.op, fold(s.value, batch)))
    return _error(shapes, s, f"shape mismatch in {describe(s, shapes)}: {example_sum}(…) is "
                  f"the sum over each example's units, one column",
                  s.target, target, s.value, value,
                  f"the sum over the batch, the gradient of a bias such as {name}, is "
                  f"{batch_sum}(…): {written} ({example_sum} meant the batch sum before; "
                  f"docs/language.md)")


def kind_error(shapes: Shapes, s, target, value) -> NotationShapeError:
    name = _text(s.target)
    if target is None:
        message = f"{name} is a scalar, but the value is {shapes.text(value)}"
        hint = f"declare {name} : {shapes.text(value)} to make it an array"
    else:
        message = f"{name} is an array, but the value is a scalar"
        hint = f"declare {name} : scalar if it is meant to be a number"
    return _error(shapes, s, message, s.target, target, s.value, value, hint)


def input_error(name: str, message: str, hint: str) -> NotationShapeError:
    """An argument of a compiled program that is not an array of two dimensions."""
    e = NotationShapeError(f"{name} {message}", hint=hint)
    e.node = None
    return e


__all__ = ["describe", "operation_text", "operand_label", "product_error", "elementwise_error",
           "assignment_error", "sum_update_error", "kind_error", "input_error"]
