"""The hints about the other convention (rows or columns, docs/shapes.md), which inference
gives around its walk: an error that the other convention would not raise names the flag
(``other_convention``), and a program written as column vectors are (``Wx``) but read in the
book's rows is warned about (``column_reading``). Both ask inference itself, through the
``reads`` function it passes, whether the program checks in the other convention.
"""

from __future__ import annotations

from .dims import _text
from .errors import NotationShapeError
from .mentions import matrix_and_layer, matrix_before_layer
from .nodes import Program
from .shape_options import ShapeOptions


def other_convention(program: Program, opts: ShapeOptions, convention: bool,
                     error: NotationShapeError, reads) -> None:
    """When a program that fails in one convention reads in the other (rows and columns),
    the error says so and names the flag: the mismatch is the convention, not the user's.
    ``reads(program, opts, convention)`` is inference's: whether the shapes check."""
    if getattr(error, "node", None) is None:
        return                 # not an operation's mismatch (a declaration, an option)
    # only a program that multiplies as the other convention does: Wx (columns), xW (rows)
    pair = matrix_and_layer(program, matrix_first=not opts.columns)
    if pair is None:
        return
    flipped = opts.flipped()
    if flipped is None:
        return
    if not reads(program, flipped, convention):
        return
    matrix, layer = pair
    if opts.columns:
        extra = (f"this program reads in the book's rows: {matrix} is applied from the right "
                 f"of {layer} (xW + b: a layer is batch × units, W is inputs × outputs): drop "
                 f"--columns (columns=False)")
    else:
        extra = (f"this program reads as column vectors: {matrix} is applied from the left "
                 f"of {layer} (h = σ(Wx + b): a layer is units × batch, W is outputs × "
                 f"inputs): pass --columns (columns=True)")
    error.hint = f"{extra}; read as it is, {error.hint}" if error.hint else extra


def column_reading(program: Program, given: tuple, products: list, cache: dict,
                   reads) -> None:
    """Warn when a program that reads in the book's rows is written as column vectors are
    (``y = Wx + b``: a matrix applied from the left of a layer) and reads that way too.

    In the rows a layer is batch × units, so ``Wx`` mixes the examples of a batch: the
    shapes may still agree (``W : 4×3; x : 3×1`` is a batch of 3 with one unit) while the
    figures differ from what the writer meant (``b`` is then ``1×1``, 13 parameters, where
    the columns give ``4×1`` and 16). Both readings are plausible, so this is a warning
    (docs/language.md), an error with ``--strict``.

    ``given`` is (options, convention) as inference had them; ``products`` the program's
    products of a matrix name and a layer name, in order; ``cache`` the names' shapes by
    (letter, subscript); ``reads`` as for :func:`other_convention`. The warning
    points at the caller's line outside the package (:func:`_caller_level`)."""
    product = matrix_before_layer(products, cache)
    if product is None:
        return
    opts, convention = given
    flipped = opts.flipped()
    if flipped is None:
        return
    if not reads(program, flipped, convention):
        return                  # it reads in the rows only: nothing to choose between
    matrix, layer = _text(product.left), _text(product.right)
    import warnings

    from .errors import NotationWarning
    warning = NotationWarning(
        f"{matrix}{layer} applies {matrix} from the left of {layer}, as column vectors are "
        f"written; it is read in the book's rows, where {layer} is batch × units",
        product.span,
        label=f"read as rows: {layer} is batch × units and {matrix} mixes its examples",
        hint=f"pass --columns (columns=True) to read {layer} as units × batch and {matrix} "
             f"as outputs × inputs, or write {layer}{matrix} for the book's rows",
        code="column-vectors", source=program.source)
    if program.strict:
        raise warning.error()
    warnings.warn(warning, stacklevel=_caller_level())


def _caller_level() -> int:
    """The ``stacklevel`` of the first frame outside the package, counted from the function
    that calls this one (level 1): the user's line, however deep the call came from."""
    import os
    import sys
    package = os.path.dirname(_caller_level.__code__.co_filename) + os.sep
    frame, level = sys._getframe(1), 1
    while frame.f_back is not None and frame.f_code.co_filename.startswith(package):
        frame, level = frame.f_back, level + 1
    return level
