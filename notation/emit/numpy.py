"""The NumPy view (SPEC §4): the tree as the book's code, or as a complete module.

Styles (:data:`STYLES`, open to more, such as the plan style of ``numpy_plan.py``):

- ``book`` — nested ``.dot()`` calls, ``.T``, ``*``, helper calls, scalar factors first:
  ``weights_1_2 -= alpha * layer_1.T.dot(layer_2_delta)``;
- ``matmul`` — the same with ``@``: ``weights_1_2 -= alpha * layer_1.T @ layer_2_delta``.

Every line is built from the tree, and every identifier written is checked, so no user
text ever runs as code. Emitting is text work: this module imports no NumPy, and
``notation numpy`` starts as fast as ``notation algebra``.

The rules below are exactly those that ``notation/read/numpy.py`` inverts, so that the code
reads back to the same tree (``docs/views.md`` lists them for users):

- a product with a scalar side (by letter, or declared ``: scalar``) scales: ``alpha * x``;
  a product of two arrays is ``x.dot(W)`` (book) or ``x @ W`` (matmul);
- book style pulls the scalar factors that open a chain out in front, as the book does:
  ``αl1ᵀδ2`` is ``alpha * layer_1.T.dot(layer_2_delta)``; a product grouped on the right
  keeps its parentheses: ``α(l1ᵀδ2)`` is ``alpha * (layer_1.T.dot(layer_2_delta))``;
- ``⊙`` of two arrays is ``*``; ``⊙`` with a scalar side is ``np.multiply(a, b)``, since
  ``alpha * x`` already means the scaling ``αx``;
- the transpose of a scalar is ``np.transpose(a)`` (a Python float has no ``.T``);
- a declaration is a comment, ``# weights_0_1 : 3×4``, that the reader takes back.

"""

from __future__ import annotations

from ..collector import paused as collector_paused
from ..errors import NotationTranslationError
from ..kinds import declared_scalars
from ..nodes import Expr, Name, Program
# Re-exported: the plan style, compile, compare and the tests take them from here.
from .numpy_code import (ATOM, FACTOR, SUM, TERM, Code, operand, pieces,  # noqa: F401
                         binary, call, method, wrap)
from .numpy_emitter import NumpyEmitter
from .numpy_program import (EXPRESSION_KEY, RESERVED, Interface, aliasing_assignments,  # noqa: F401
                            check_names, helper_names, interface, module_source, names_in,
                            scheme_for, statement_value, walk)
from .numpy_styles import BookStyle, MatmulStyle  # noqa: F401 (numpy_plan and tests)

STYLES: dict[str, type[NumpyEmitter]] = {"book": BookStyle, "matmul": MatmulStyle}
# Styles defined in modules loaded on first use: name -> (module, class name).
LAZY_STYLES: dict[str, tuple[str, str]] = {"plan": ("notation.emit.numpy_plan", "PlanStyle")}


def register_style(name: str, emitter: type[NumpyEmitter]) -> None:
    """Add a NumPy style: ``register_style("plan", PlanStyle)``."""
    STYLES[name] = emitter


def style_names() -> list[str]:
    return list(STYLES) + [n for n in LAZY_STYLES if n not in STYLES]


def emitter_class(style: str) -> type[NumpyEmitter]:
    if style not in STYLES and style in LAZY_STYLES:
        import importlib
        module, attribute = LAZY_STYLES[style]
        STYLES[style] = getattr(importlib.import_module(module), attribute)
    try:
        return STYLES[style]
    except KeyError:
        from ..errors import NotationOptionError
        raise NotationOptionError(f"unknown NumPy style {style!r}: choose one of "
                         f"{', '.join(style_names())}") from None


# The collector paused: the code of a 100,000-factor chain is ~300,000 Codes and lists that
# form no cycle and all live to the end; two full collections walked them and the tree for
# nothing (0.31-0.41 of 1.5 s CPU at 100,000 factors, none at 10,000: ×15 per decade).
@collector_paused
def numpy(program: Program, *, style: str = "book", naming: str = "book", module: bool = False,
          function: str = "run") -> str:
    """The NumPy view of a program.

    >>> from notation import parse
    >>> numpy(parse("W1 -= αl1ᵀδ2"))
    'weights_1_2 -= alpha * layer_1.T.dot(layer_2_delta)'
    """
    emitter = emitter_class(style)(scheme_for(naming), declared_scalars(program))
    body = _body(emitter, program, module)
    if module:
        return module_source(program, emitter, body, function)
    return "\n".join(body)


@collector_paused
def statement_code(program: Program, *, style: str = "book", naming: str = "book") -> list[str]:
    """The book's NumPy code of a program, one item per statement (``numpy`` joins them; the
    HTML page shows the first ones of a long program)."""
    return _body(emitter_class(style)(scheme_for(naming), declared_scalars(program)), program)


def _body(emitter, program: Program, module: bool = False) -> list[str]:
    try:
        lines = emitter.body(program, module=module)
    except RecursionError:
        # Parsed programs nest at most ~100 levels; a tree built by hand may nest deeper.
        raise NotationTranslationError("the program nests too deeply to print") from None
    return lines


def expression(node: Expr, *, style: str = "book", naming: str = "book",
               declared: dict[Name, bool] | None = None) -> str:
    """The NumPy code of one expression (for reports that show a sub-expression)."""
    emitter = emitter_class(style)(scheme_for(naming), declared)
    return emitter.expression(node).text
