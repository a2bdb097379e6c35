"""What a name is, by its letter, as the book picks them (SPEC §2).

Lowercase Latin is a layer or vector (batch × n), except ``b``, a bias row (1 × n);
uppercase Latin is a matrix; Greek is a scalar, except ``δ``, a layer-shaped delta. A
declaration overrides the letter: ``M : b×h`` or ``α : scalar``. Views need this much
before any shape is known: the NumPy view writes ``alpha * x`` for a scalar factor and
``x.dot(W)`` for a matrix product.
"""

from __future__ import annotations

from enum import Enum

from .nodes import (Add, Call, Declare, Divide, Expr, Hadamard, MatMul, Name, Negate, Number,
                    Program, Subtract, Transpose)


class Kind(Enum):
    LAYER = "layer"      # batch × units
    BIAS = "bias"        # 1 × units, broadcast over the batch
    MATRIX = "matrix"    # rows × columns
    SCALAR = "scalar"
    DELTA = "delta"      # shaped as the layer it belongs to


def kind_by_letter(name: Name) -> Kind:
    """The kind the book's letters give a name.

    >>> kind_by_letter(Name("W", "0")), kind_by_letter(Name("δ", "2"))
    (<Kind.MATRIX: 'matrix'>, <Kind.DELTA: 'delta'>)
    """
    letter = name.letter[:1]     # a decorated letter (ẑ is z + U+0302) is of its base letter's kind
    if letter == "δ":
        return Kind.DELTA
    if letter == "b":
        return Kind.BIAS
    if "a" <= letter <= "z":
        return Kind.LAYER
    if "A" <= letter <= "Z":
        return Kind.MATRIX
    return Kind.SCALAR


def declared_scalars(program: Program) -> dict[Name, bool]:
    """Name -> whether its declaration makes it a scalar (``α : scalar``) or an array."""
    return {s.target: not s.dims for s in program.statements if isinstance(s, Declare)}


def is_scalar_name(name: Name, declared: dict[Name, bool] | None = None) -> bool:
    if declared and name in declared:
        return declared[name]
    return kind_by_letter(name) is Kind.SCALAR


def is_scalar(expr: Expr, declared: dict[Name, bool] | None = None) -> bool:
    """Is this expression a scalar, judged by letters and declarations alone?

    >>> from notation import parse
    >>> is_scalar(parse("2α").statements[0].expr), is_scalar(parse("αl1").statements[0].expr)
    (True, False)
    """
    # Walk without recursion: a 100,000-factor product must not exhaust the stack.
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Number):
            continue
        if isinstance(node, Name):
            if not is_scalar_name(node, declared):
                return False
        elif isinstance(node, (Transpose, Negate)):
            stack.append(node.operand)
        elif isinstance(node, Call):
            stack.append(node.arg)
        elif isinstance(node, (MatMul, Hadamard, Divide, Add, Subtract)):
            stack.append(node.left)
            stack.append(node.right)
        else:
            raise TypeError(f"is_scalar cannot judge {type(node).__name__}")
    return True
