"""Shapes: dimensions, unification with provenance, inference (SPEC §2).

Every value is a scalar or a 2-D array. Each array name gets two dimension variables
(rows, columns); every operation unifies variables, as a type checker unifies types, and
every variable remembers where its value was written ("declared at line 2", "from --sizes")
and which operations tied it to other variables ("the product l0W0 at line 1"), so the
plan can say where each inferred dimension came from and an error can say where each
conflicting shape came from.

Inference, in this order:

1. declarations, hoisted (a declaration is a fact about a name, wherever it is written);
   then the command line's ``--sizes``, ``--dims``, ``--batch``;
2. the kinds of letters: a bias ``b`` is one row; Greek is a scalar;
3. the book's convention, when it is on: an undeclared ``W_k`` is ``n_k × n_{k+1}``, where
   ``n_k`` is the units of ``l_k``; an undeclared ``δ_k`` has the shape of ``l_k``;
4. every operation, statement by statement, operands before operators: the first operator
   whose operands cannot agree is the one reported.

Nothing here recurses on the tree: a product of 100,000 factors is walked with a stack.

This module is the stage's entry point (:func:`infer`) and the names the rest of the package
imports from it. The pieces, each importing only the ones before it: ``dims`` (dimensions,
provenance), ``shape_errors`` (the messages), ``shape_record`` (:class:`Shapes`, the
result), ``shape_options`` (the command line's shapes), ``inference`` (the walk and its
rules).
"""

from __future__ import annotations

from .dims import (ASSIGNMENT, BIAS, CONVENTION, DECLARED, DELTA, ELEMENTWISE, INPUT, OPTION,
                   PRODUCT, REDUCED, UPDATE, Conflict, DimValue, Origin, Reason,
                   Shape, Var, compatible, find, is_one, symbol_text)
from .inference import Inference
from .nodes import Name, Program
from .shape_options import ShapeOptions, options, shape_options
from .shape_record import Shapes


def infer(program: Program, opts: ShapeOptions | None = None, *,
          convention: bool = True) -> Shapes:
    """Check and infer the shapes of a program; raise NotationShapeError at the first
    operator whose operands cannot agree.

    >>> from notation import parse
    >>> s = infer(parse("l0 : b×784\\nl1 = relu(l0W0)"), convention=False)
    >>> s.text(s.names[Name("W", "0")])
    '784×n1'
    """
    return Inference(program, opts or ShapeOptions(), convention).run()


__all__ = ["Shapes", "Var", "Origin", "ShapeOptions", "infer", "options", "shape_options",
           "find", "symbol_text", "compatible", "is_one", "Conflict", "Reason", "DimValue",
           "Shape", "Inference", "Name", "ASSIGNMENT", "BIAS", "CONVENTION", "DECLARED", "DELTA",
           "ELEMENTWISE", "INPUT", "OPTION", "PRODUCT", "REDUCED", "UPDATE"]
