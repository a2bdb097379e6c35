"""Operators and precedence as data, shared by every emitter (CPython's ``_Precedence``).

Parentheses come from :func:`needs_parens` alone, so every view agrees on them: a view
adds exactly the parentheses that the precedence of the tree needs, and no others.
"""

from __future__ import annotations

from .nodes import (Add, Call, Divide, Hadamard, MatMul, Name, Negate, Node, Number, Subtract,
                    Transpose)
from .records import frozen


@frozen
class Operator:
    precedence: int
    algebra: str   # canonical algebra spelling ("" for juxtaposition)
    ascii: str     # --ascii spelling
    latex: str


# Tightest first, as SPEC §1's table. Left-associative binary operators.
ATOM = 100
POSTFIX = 90
PRODUCT = 80
PREFIX = 70
ELEMENTWISE = 60
SUM = 50

BINARY_OPERATORS: dict[type, Operator] = {
    MatMul: Operator(PRODUCT, "", "", r" "),
    Hadamard: Operator(ELEMENTWISE, " ⊙ ", " * ", r" \odot "),
    Divide: Operator(ELEMENTWISE, " / ", " / ", r" / "),
    Add: Operator(SUM, " + ", " + ", " + "),
    Subtract: Operator(SUM, " - ", " - ", " - "),
}

PRECEDENCE: dict[type, int] = {
    Name: ATOM, Number: ATOM, Call: ATOM,
    Transpose: POSTFIX, Negate: PREFIX,
    **{cls: op.precedence for cls, op in BINARY_OPERATORS.items()},
}


def precedence(node: Node) -> int:
    return PRECEDENCE[type(node)]


def needs_parens(parent: Node, child: Node, right: bool = False) -> bool:
    """Does ``child``, as an operand of ``parent``, need parentheses to parse back the same?

    Binary operators are left-associative, so an equal-precedence child needs them on the
    right (``a - (b - c)``, ``a(bc)``) and not on the left (``a - b - c``). A prefix or postfix
    operator applied to itself needs none (``--a``, ``aᵀᵀ``).
    """
    p, c = precedence(parent), precedence(child)
    if c < p:
        return True
    if c == p and right and type(parent) in BINARY_OPERATORS:
        return True
    return False
