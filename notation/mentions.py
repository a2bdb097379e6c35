"""What inference reads from a program around its walk: the names in the order they are
first mentioned, where a name is first written, whether the layers are the book's
``l_k``, the first product of a matrix and a layer (for the column-vector hints), and the
kind of each letter, remembered as letters are met. Each walks the tree with walk.py.
"""

from __future__ import annotations

from .dims import _text
from .kinds import Kind, kind_by_letter
from .nodes import (BINARY, Assign, Call, Declare, ExprStatement, MatMul, Name, Negate, Number,
                    Program, Transpose, Update)
from .walk import fields, names, pre_order

_BINARY = frozenset(BINARY)


def matrix_before_layer(products: list, shapes: dict):
    """The first product ``Wx`` of a matrix name and a layer name, the matrix first, both
    arrays as inferred (a declaration ``M : scalar`` makes M no matrix), or None.
    ``products`` are the program's products of two names, in order (inference's walk
    collects them, so that no second walk is needed)."""
    for node in products:
        left, right = node.left, node.right
        if kind_by_letter(left) is Kind.MATRIX and kind_by_letter(right) is Kind.LAYER \
                and shapes.get((left.letter, left.sub)) is not None \
                and shapes.get((right.letter, right.sub)) is not None:
            return node
    return None


def matrix_and_layer(program: Program, matrix_first: bool):
    """(matrix, layer) as text for the first product of a matrix name and a layer name, the
    matrix first (``Wx``, a matrix applied from the left of a layer) or last (``xW``)."""
    for s in program.statements:
        if type(s) is Declare:
            continue
        for node in pre_order(s.expr if type(s) is ExprStatement else s.value):
            if type(node) is MatMul:
                matrix, layer = (node.left, node.right) if matrix_first else \
                    (node.right, node.left)
                if type(matrix) is Name and type(layer) is Name \
                        and kind_by_letter(matrix) is Kind.MATRIX \
                        and kind_by_letter(layer) is Kind.LAYER:
                    return _text(matrix), _text(layer)
    return None


def first_mention(program: Program, name: Name):
    """The span of the first place a name is written in the program, or None (where an
    error about an input points: compile's checks of what a call receives, declarations).

    >>> from notation import parse
    >>> first_mention(parse("l1 = relu(l0W0)\\nl2 = l1W1"), Name("W", "1"))
    Span(start=23, end=25)
    """
    for s in program.statements:
        if isinstance(s, Declare):
            if s.target == name:
                return s.target.span
            continue
        found = None
        written = list(names(s.expr if isinstance(s, ExprStatement) else s.value))
        if isinstance(s, (Assign, Update)):
            written.append(s.target)
        for node in written:
            if node == name and (found is None or node.span.start < found.start):
                found = node.span
        if found is not None:
            return found
    return None


def _book_layers(mentioned: dict) -> bool:
    """Does the program name its layers (or their deltas) as the book does, l0, δ1…?"""
    return any((letter == "l" or letter == "δ") and sub.isdigit() for letter, sub in mentioned)


def _mentioned_names(program: Program) -> dict[tuple, Name]:
    """(letter, subscript) -> the name's first mention, in the order the statements mention
    them (each statement's value left to right, then its target)."""
    seen: dict[tuple, Name] = {}
    for s in program.statements:
        if type(s) is Declare:
            continue
        # walk.FIELDS inline (every plan walks every statement here); others raise there
        stack = [s.expr if type(s) is ExprStatement else s.value]
        while stack:
            node = stack.pop()
            t = type(node)
            if t is Name:
                seen.setdefault((node.letter, node.sub), node)
            elif t is Call:
                stack.append(node.arg)
            elif t is Transpose or t is Negate:
                stack.append(node.operand)
            elif t in _BINARY:
                stack.append(node.right)
                stack.append(node.left)
            elif t is not Number:
                fields(node)
        if type(s) is not ExprStatement:
            seen.setdefault((s.target.letter, s.target.sub), s.target)
    return seen


# --------------------------------------------------------------------------- the rules


_KINDS: dict[str, Kind] = {}     # letter -> kind, filled as letters are met


def _kind(name: Name) -> Kind:
    kind = _KINDS[name.letter] = kind_by_letter(name)
    return kind
