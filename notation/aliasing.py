"""Which assignments must copy their value: one rule for the plan and the NumPy code.

``a = c`` binds one array to two names in NumPy, and a later in-place update of either
(``c -= …``) would change both, where the notation changes one. The book style copies
there, and the plan style and the plan's memory figures follow the same rule, so both
styles compute the same.
"""

from __future__ import annotations

from .kinds import declared_scalars, is_scalar
from .nodes import Assign, ExprStatement, Name, Program, Transpose, Update


def aliasing_assignments(program: Program, declared: dict[Name, bool] | None = None) -> set[int]:
    """The assignments that must copy: ``a = c`` (or ``a = c.T``, a view) binds one array
    to two names, and a later in-place update of either (``c -= …``) would change both,
    where the notation changes one. Their ids; ``.copy()`` reads back as the name itself.

    >>> from notation import parse
    >>> program = parse("a = c; c -= x; d = c")
    >>> [program.statements.index(s) for s in program.statements
    ...  if id(s) in aliasing_assignments(program)]
    [0]
    """
    out = set()
    # From the last statement back, with the names updated after the one looked at: a set
    # of the updates after each statement, made afresh, was quadratic (100,000 lines of
    # l1 = l0, 800,000 characters, took over two minutes to print as NumPy).
    updated: set = set()
    for s in reversed(program.statements):
        if isinstance(s, Update):
            updated.add(s.target)
            continue
        if not isinstance(s, (Assign, ExprStatement)):
            continue           # (a bare expression is bound to _ in a module: the same)
        base = s.value if type(s) is Assign else s.expr
        while isinstance(base, Transpose):
            base = base.operand
        if not isinstance(base, Name) or is_scalar(base, declared):
            continue
        if getattr(s, "target", None) in updated or base in updated:
            out.add(id(s))
    return out


def copied_statements(program: Program) -> frozenset:
    """The statements whose value the plan must copy: the book style's rule, so both styles
    compute the same (``a = c`` then ``c -= …`` must not change ``a``).

    >>> from notation import parse
    >>> copied_statements(parse("a = c; b = a"))
    frozenset()
    """
    for s in program.statements:
        if type(s) is Update:
            return frozenset(aliasing_assignments(program, declared_scalars(program)))
    return frozenset()                       # only an update can make two names differ
