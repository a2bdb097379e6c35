"""The registry of views: one ``View`` record per way of printing a program.

The command line's view subcommands (their options, ``--help`` texts and ``-o`` formats),
the sections of ``show`` and of the HTML page (and Jupyter's), ``backward --to``'s choices,
the file suffixes ``compare`` reads back and the ``Program`` methods checked by the tests
are all read from ``VIEWS``; a view is its module under ``notation/emit/`` plus one record
here (docs/architecture.md, "Adding a view"). Each record's functions import their module
on first use, so that building the command line's parser loads no view.

>>> [v.name for v in VIEWS.values()]
['algebra', 'numpy', 'latex', 'plan', 'diagram']
>>> VIEWS["latex"].reads, VIEWS["latex"].formats
('.tex', {'latex': None})
"""

from __future__ import annotations

from .errors import NotationError
from .nodes import Program
# The records, also taken from here: a view is added as views.View(...) with views.option(...).
from .view_record import View, option


# ---------------------------------------------------------------------------- the views

def _algebra(program: Program, *, ascii: bool = False) -> str:
    from .emit.algebra import algebra
    return algebra(program, ascii=ascii)


def _algebra_html(v) -> str:
    from html import escape

    from .emit.algebra import algebra
    from .emit.html import page_part
    from .emit.mathml import mathml
    part = page_part(v.program)   # each statement's algebra and math is its own
    notice = part.notice("The algebra and math of", "notation algebra")
    if not part.shown:
        return notice
    return f"{notice}<pre>{escape(algebra(part.program))}</pre>{mathml(part.program)}"


def _numpy(program: Program, *, style: str = "book", naming: str = "book",
           module: bool = False) -> str:
    from .emit.numpy import numpy
    return numpy(program, style=style, naming=naming, module=module)


def _numpy_check(*, style: str = "book", naming: str = "book", **_) -> None:
    from .emit.numpy import emitter_class, scheme_for
    emitter_class(style)            # NotationOptionError: bad usage, exit status 2
    scheme_for(naming)


def _numpy_html(v) -> str:
    from .emit.highlight import highlight_python
    from .emit.html import page_part
    from .emit.numpy import statement_code
    # The code of the whole program, cut: a statement's code depends on the statements
    # after it (a copy where a later update would change a shared array) and a name
    # clash anywhere refuses all of it.
    lines = statement_code(v.program)
    part = page_part(v.program)
    notice = part.notice("The NumPy code of", "notation numpy")
    if not part.shown:
        return notice
    return f"{notice}<pre>{highlight_python(chr(10).join(lines[:part.shown]))}</pre>"


def _latex(program: Program, *, document: bool = False) -> str:
    from .emit.latex import latex
    return latex(program, document=document)


def _latex_html(v) -> str:
    from .emit.highlight import highlight_latex
    from .emit.html import page_part
    from .emit.latex import latex
    part = page_part(v.program)   # each statement's row is its own
    notice = part.notice("The LaTeX of", "notation latex")
    if not part.shown:
        return notice
    return f"{notice}<pre>{highlight_latex(latex(part.program))}</pre>"


def _plan(program: Program, *, shapes=None, sizes=None, dims=None, batch=None,
          convention: bool = True, columns: bool = False, optimize: bool = False,
          json: bool = False, dtype: str = "float64") -> str:
    from .emit.plan import plan_dict, plan_text
    from .plan import build
    from .shapes import shape_options
    if shapes is None:
        shapes = shape_options(sizes, dims, batch, columns=columns)
    plan = build(program, shapes, convention=convention, optimize=optimize, dtype=dtype)
    if json:
        import json as _json
        return _json.dumps(plan_dict(plan), indent=2, ensure_ascii=False)
    return plan_text(plan)


def _plan_section(v, **_) -> str:
    from .emit.plan import plan_text
    return plan_text(v.plan, shapes=False)


def _plan_html(v) -> str | None:
    from html import escape

    from .emit.html import page_part, plan_steps_table
    if v.plan is not None:
        # plan_table(plan_dict(v.plan)) without the rest, of the statements the page shows
        part = page_part(v.plan.program)
        if part.total is None:
            return plan_steps_table(v.plan)
        return (part.notice("The steps of", "notation plan", figures=True)
                + plan_steps_table(v.plan, part.shown))
    if v.plan_error is not None:        # the page still shows the views that need no shapes
        return f"<pre>{escape(str(v.plan_error))}</pre>"
    return None


def _diagram(v, *, svg: bool = False) -> str:
    from .emit import diagram
    if v.plan_error is not None:
        raise v.plan_error          # as in show: a picture of shapes that disagree is an error
    pic = v.picture()
    if pic is None:
        from .errors import NotationTranslationError
        raise NotationTranslationError(
            "there is no forward pass to draw: the diagram draws assignments such as "
            "l2 = relu(l0W0)W1")
    return diagram.svg(pic) if svg else diagram.text(pic)


def _diagram_section(v, **_) -> str | None:
    from .emit.diagram import text
    pic = v.picture()
    return text(pic) if pic is not None else None


def _diagram_html(v) -> str | None:
    from .emit.html import PAGE_LAYERS, diagram_html
    pic = v.picture(limit=PAGE_LAYERS)      # the first 1,000 layers, and a notice past that
    return diagram_html(pic) if pic is not None else None


_COLUMNS = option("--columns", action="store_true", keyword=None,
                  help="read a .py program as column-vector code: np.dot(W, a) + b")
NUMPY_STYLES = ("book", "matmul", "plan")                 # emit.numpy.STYLES (a test checks)

_ALL = (
    View("algebra", "the canonical algebra", _algebra,
         description="The canonical algebra of a program written in any accepted spelling "
                     "(also LaTeX, or a whole .tex document).",
         example='notation algebra "l2=relu( l_0 W_{0} ) W1"\n  notation algebra -f net.tex',
         options=(_COLUMNS,
                  option("--ascii", action="store_true",
                         help="spell ᵀ ⊙ α … as ^T * \\alpha … (parses back the same)")),
         show="algebra", section=lambda v, ascii=False: _algebra(v.program, ascii=ascii),
         page="Algebra", html=_algebra_html, backward=True, reads=".nn", method="algebra",
         modules=("emit.algebra", "emit.mathml")),
    View("numpy", "the NumPy code, as the book writes it", _numpy,
         description="The NumPy code of the program, as the book writes it.",
         example='notation numpy "l2 = relu(l0W0)W1" --style matmul',
         options=(_COLUMNS,
                  option("--style", default="book", metavar="{" + ",".join(NUMPY_STYLES) + "}",
                         help="book (default: .dot()), matmul (@), plan (one step a line, in "
                              "place), or another registered style"),
                  option("--naming", default="book",
                         help="book (default: layer_1, weights_0_1) or plain (l1, W0)"),
                  option("--module", action="store_true",
                         help="a complete module: imports, the helpers used, and a function "
                              "run(*, …)")),
         check=_numpy_check, formats={"numpy": None}, show="NumPy", page="NumPy",
         html=_numpy_html, backward=True, reads=".py", method="numpy",
         modules=("emit.numpy", "emit.numpy_emitter", "emit.numpy_styles", "emit.numpy_code",
                  "emit.numpy_program", "emit.numpy_plan")),
    View("latex", "the LaTeX", _latex,
         description="The LaTeX of the program; --document makes a .tex file that pdflatex "
                     "compiles.",
         example='notation latex "l2 = relu(l0W0)W1" --document -o net.tex',
         options=(_COLUMNS,
                  option("--document", action="store_true",
                         help="a complete .tex file (article, amsmath, amssymb)")),
         formats={"latex": None}, show="LaTeX", page="LaTeX", html=_latex_html, backward=True,
         reads=".tex", method="latex", modules=("emit.latex",)),
    View("plan", "the shape-checked execution plan: steps, FLOPs, memory", _plan,
         description="The shape-checked execution plan: one step per operation, its shape, "
                     "FLOPs and bytes, then the totals and where each shape came from.",
         example='notation plan "l2 = relu(l0W0)W1" --sizes 3,4,1',
         options=(option("--optimize", action="store_true",
                         help="compute each chain of products in its cheapest order"),
                  option("--json", action="store_true", help="the plan as JSON"),
                  option("--dtype", default="float64",
                         choices=["float64", "float32", "float16"],
                         help="the element type the bytes are counted for (default float64)")),
         shapes=True, formats={"json": ("json", True)}, show="plan", section=_plan_section,
         page="Plan", html=_plan_html, backward=True, method="plan",
         modules=("emit.plan", "emit.plan_cells", "emit.plan_figures")),
    View("diagram", "the book's picture of the network (text, or SVG)", _diagram,
         description="The book's picture of the network: layers as rows of units, matrices "
                     "as boxes between them, layer 0 at the bottom.",
         example='notation diagram "l2 = relu(l0W0)W1" --sizes 3,4,1 -o net.svg',
         options=(option("--svg", action="store_true",
                         help="SVG instead of text (implied by -o *.svg)"),),
         shapes=True, on_views=True, formats={"svg": ("svg", True)}, show="diagram",
         section=_diagram_section,
         page="Diagram", html=_diagram_html, wide=True, modules=("emit.diagram",)),
)

VIEWS: dict[str, View] = {v.name: v for v in _ALL}

# The modules under notation/emit/ that are no view of their own.
SHARED = {"emit": "the package", "emit.base": "the Emitter base class of the tree views",
          "emit.html": "the HTML page that holds every view's section",
          "emit.highlight": "the page's highlighting of the NumPy and LaTeX sections"}


# ---------------------------------------------------------------------------- built from it

def backward_views() -> dict[str, View]:
    """The views ``backward --to`` offers."""
    return {name: v for name, v in VIEWS.items() if v.backward}


def read_kinds() -> dict[str, str]:
    """File suffix -> the view ``compare`` reads it as: ``{".nn": "algebra", …}``."""
    return {v.reads: name for name, v in VIEWS.items() if v.reads}


def _sourced(program: Program, call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except NotationError as e:
        raise e.with_source(program.source) from None


def show_sections(v, *, ascii: bool = False) -> list[tuple[str, str]]:
    """(title, text) of each section of ``show``, in the registry's order."""
    out = []
    for view in VIEWS.values():
        if view.show is not None:
            body = _sourced(v.program, view.show_text, v, ascii=ascii)
            if body is not None:
                out.append((view.show, body))
    return out


def page_sections(v) -> list[tuple[str, str, bool]]:
    """(title, HTML, wide) of each section of the HTML page, in the registry's order."""
    out = []
    for view in VIEWS.values():
        if view.page is not None:
            body = _sourced(v.program, view.page_html, v)
            if body is not None:
                out.append((view.page, body, view.wide))
    return out
