"""Identifiers in Python's ast: which expressions are names (``x``, ``self.W1``,
``model['W1']``, ``weights[0]``, a data slice ``images[a:b]``, ``x.shape[0]``), and the facts
and bindings the legend (:mod:`.legend`) chooses notation names from.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ...nodes import Name
from .syntax import constant, dotted, unparse


def key(node) -> str | None:
    """The identifier an expression stands for, or None if it is no identifier.

    ``x`` → ``"x"``; ``self.W1`` → ``"self.W1"``; ``model['W1']`` and ``weights[0]`` as
    written; a data slice ``images[i:i+1]`` and ``x.shape[0]`` as ``ast.unparse`` writes them.
    """
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and node.attr not in ("T", "shape", "size", "ndim", "dtype"):
        base = dotted(node)
        return base if base is not None and "." in base else None
    if isinstance(node, ast.Subscript):
        index = node.slice
        base = node.value
        if isinstance(base, ast.Attribute) and base.attr == "shape" and constant(index, 0) \
                or (isinstance(base, ast.Attribute) and base.attr == "shape"
                    and isinstance(index, ast.Constant) and type(index.value) is int):
            inner = key(base.value)
            return f"{inner}.shape[{index.value}]" if inner else None
        inner = key(base) if isinstance(base, (ast.Name, ast.Attribute)) else None
        if inner is None:
            return None
        if isinstance(index, ast.Constant) and type(index.value) in (int, str):
            return f"{inner}[{index.value!r}]"
        if is_rows(node):
            return unparse(node)
    return None


def one_row(node) -> bool:
    """``rows[i]``, ``rows[i:i+1]``, ``rows[3:4]``: a single row of a data array."""
    if not is_rows(node):
        return False
    index = node.slice
    if not isinstance(index, ast.Slice):
        return True
    low, high = index.lower, index.upper
    if isinstance(low, ast.Constant) and isinstance(high, ast.Constant):
        return high.value == low.value + 1
    return isinstance(high, ast.BinOp) and isinstance(high.op, ast.Add) \
        and ast.dump(high.left) == ast.dump(low) and isinstance(high.right, ast.Constant) \
        and high.right.value == 1


def is_rows(node) -> bool:
    """A batch of rows of a data array: ``images[a:b]``, ``labels[i:i+1]``, ``rows[i]``."""
    if not isinstance(node, ast.Subscript) or not isinstance(node.value, ast.Name):
        return False
    index = node.slice
    if isinstance(index, ast.Slice):
        return index.step is None and index.lower is not None and index.upper is not None \
            and all(_index_arithmetic(e) for e in (index.lower, index.upper))
    return isinstance(index, ast.Name)


def _index_arithmetic(node) -> bool:
    return all(isinstance(n, (ast.Name, ast.Constant, ast.BinOp, ast.Load, ast.Add, ast.Sub,
                              ast.Mult, ast.UnaryOp, ast.USub))
               for n in ast.walk(node)) and not any(
        isinstance(n, ast.Constant) and type(n.value) not in (int,) for n in ast.walk(node))


@dataclass
class Facts:
    """What the computation does with one identifier."""

    order: int
    assigned: bool = False
    updated: bool = False
    read_first: bool = False       # read before any assignment: an input
    matrix_side: bool = False      # the matrix of a product (x.dot(W), or W.dot(x) in columns)
    input_side: bool = False       # the other factor of such a product
    partners: list = field(default_factory=list)    # keys multiplied with it
    change_of: str | None = None   # the parameter it is the whole change of
    operands: list = field(default_factory=list)    # keys read by its (last) value
    multiplies: bool = False       # its value has a product with a matrix
    rows_of: str | None = None     # a row slice of this data array
    compared: bool = False         # subtracted from (or from) a computed value: a target


@dataclass
class Binding:
    """What the setup or a skipped line says an identifier is."""

    kind: str                      # "scalar", "matrix", "rows", "mask"
    note: str
    of: str | None = None          # rows of which array; a mask of which layer's shape
    single: bool = False           # one row (an item, rows[i], rows[i:i+1])


def show(name: Name) -> str:
    return name.letter + (name.sub if len(name.sub) <= 1 or name.sub.isdigit() else
                          "_{" + name.sub + "}")
