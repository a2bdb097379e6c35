"""The pieces of the shapes stage that every other piece uses: a dimension (a union-find
variable), where its value was written (:class:`Origin`), why two dimensions are the same
(a reason), and how a symbol and a name print.

The stage, lowest first: ``dims`` (this module); ``shape_errors`` (the messages of SPEC §6);
``shape_record`` (:class:`~notation.shape_record.Shapes`, the result); ``shape_options``
(the command line's shapes); ``inference`` (the walk and its rules); ``shapes`` (the entry
point, ``infer``, and the names the rest of the package imports). Each imports only the
ones before it.
"""

from __future__ import annotations

from typing import Union

from .errors import line_and_column
from .nodes import Name, Span

DimValue = Union[int, Name]          # a known dimension: a number or a declared symbol

# --------------------------------------------------------------------------- provenance

DECLARED, OPTION, INPUT, BIAS, REDUCED = "declared", "option", "input", "bias", "reduced"

class Origin:
    """Where a dimension's value was written."""

    __slots__ = ("kind", "span", "detail")

    def __init__(self, kind: str, span: Span | None = None, detail: str = ""):
        self.kind, self.span, self.detail = kind, span, detail

    def text(self, source: str) -> str:
        if self.kind == DECLARED:
            if self.span is None or not source:
                return "declared"
            return f"declared at line {line_and_column(source, self.span.start)[0]}"
        if self.kind == OPTION:
            return f"from {self.detail}"
        if self.kind == INPUT:
            return f"passed as {self.detail}"
        if self.kind == REDUCED:
            return f"a {self.detail} is one {'column' if 'units' in self.detail else 'row'}"
        return f"a bias is one {self.detail or 'row'}"


PRODUCT, ELEMENTWISE, ASSIGNMENT, UPDATE, CONVENTION, DELTA = (
    "product", "elementwise", "assignment", "update", "convention", "delta")


def Reason(kind: str, node=None, name: Name | None = None) -> tuple:
    """Why two dimensions are the same: (kind, the operation, the name of a convention).
    A plain tuple: inference makes one for every operation."""
    return (kind, node, name)


class Var:
    """One dimension: a union-find node. Only a root's ``value`` and ``origin`` count;
    ``own`` is the origin written for this very dimension (its name's declaration)."""

    __slots__ = ("parent", "value", "origin", "own", "name", "axis")

    def __init__(self, name: Name | None, axis: int, value: DimValue | None = None,
                 origin: Origin | None = None):
        self.parent = self
        self.value = value
        self.name, self.axis = name, axis     # the name this is a dimension of: rows 0, cols 1
        # ``origin`` and ``own`` are set when a value is written (read with getattr): here
        # for a declared dimension, whose value is written for this very dimension
        if origin is not None:
            self.origin = self.own = origin


Shape = Union[None, tuple]              # None is a scalar; else (rows Var, cols Var)


def find(v: Var) -> Var:
    root = v
    while root.parent is not root:
        root = root.parent
    while v.parent is not root:          # path compression
        v.parent, v = root, v.parent
    return root


class Conflict(Exception):
    """Two dimensions with different values were unified (turned into an error by the caller)."""



def compatible(a: Var, b: Var) -> bool:
    """Can two dimensions be made one: either is unknown, or they hold the same value.

    >>> a, b = Var(None, 0, 3), Var(None, 1)
    >>> compatible(a, b), compatible(a, Var(None, 0, 4))
    (True, False)
    """
    va, vb = find(a).value, find(b).value
    return va is None or vb is None or va == vb


def is_one(v: Var) -> bool:
    """Is the dimension known to be 1 (a row or a column that broadcasts)?"""
    return find(v).value == 1


def symbol_text(name: Name) -> str:
    """A symbol as the plan prints it: ``b``, ``h1``, ``n_in``."""
    if not name.sub:
        return name.letter
    return name.letter + name.sub if name.sub.isdigit() else f"{name.letter}_{name.sub}"


def _text(name: Name) -> str:
    from .emit.algebra import algebra
    return algebra(name)

