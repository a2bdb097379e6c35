"""Reading the views that ``compare`` is given (SPEC §5): algebra, LaTeX (a formula or a
whole document), NumPy source or a notebook, or a parsed :class:`Program`, each into a tree.
Inline text that reads both as notation and as Python is taken as the view it most
plausibly is, and the view says which reading was taken.
"""

from __future__ import annotations

import re

from dataclasses import dataclass

from .errors import NotationError, NotationOptionError, NotationTranslationError
from .nodes import Program


@dataclass(frozen=True)
class View:
    """One view as read: what it was (``algebra``, ``LaTeX``, ``NumPy``, ``tree``) and its tree."""

    kind: str
    program: Program
    style: str = "book"      # for NumPy views: how to show sub-expressions back
    reading: str = ""        # when the text reads as two views: which one was taken, and why
    notes: tuple[str, ...] = ()   # for NumPy views: the legend and warnings of the reading


def read_view(view, kind: str | None = None, *, naming: str = "book", names=None,
              columns: bool = False, cell=None) -> View:
    """A view from text (algebra, LaTeX or NumPy, guessed unless ``kind`` says) or a Program;
    ``columns`` reads NumPy as column-vector code (``np.dot(W, a) + b``); ``cell`` chooses
    the code cell of a notebook view (kind ``"notebook"``).

    >>> read_view("layer_1 = relu(layer_0.dot(weights_0_1))").kind
    'NumPy'
    >>> read_view("l1 = relu(l0W0)").kind
    'algebra'
    """
    if isinstance(view, Program):
        return View("tree", view)
    if isinstance(view, View):
        return view
    if not isinstance(view, str):
        raise NotationOptionError(f"a view is a str or a Program, not {type(view).__name__}")
    if kind == "numpy":
        return _numpy_view(view, naming, names, columns)
    if kind == "notebook":
        from .read.numpy.notebook import is_notebook
        if not is_notebook(view):
            raise NotationTranslationError(
                "this .ipynb view is not a Jupyter notebook (nbformat JSON with its cells)",
                hint="give the notebook's file as Jupyter saves it")
        return _numpy_view(view, naming, names, columns, cell)
    if kind in ("latex", "algebra"):
        from .read.latex import from_latex
        return View("LaTeX" if kind == "latex" else "algebra", from_latex(view))
    from .read.latex import from_latex
    try:
        program = from_latex(view)
    except NotationError as notation_error:
        try:
            return _numpy_view(view, naming, names, columns)
        except NotationError as numpy_error:
            # Report the reading that got further: Python that parses is meant as Python.
            import ast
            try:
                ast.parse(view)
            except Exception:
                raise notation_error from None
            raise numpy_error from None
    kind = "LaTeX" if "\\" in view else "algebra"
    return _plausible(view, View(kind, program), naming, names, columns)


# A Python identifier of two or more letters that is no call (`Pi_1`, `alpha`, `layer_0`),
# NumPy's own spellings (`np.`, `.dot(`, `.T`, `@`: the matmul style prints `B.T * 0.5 @ E`,
# which the algebra also reads, as Bᵀ ⊙ 0.5E), or Python's power: text that is more
# plausibly Python.
_PYTHON_SIGNS = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{2,}\w*(?!\w|\s*\()|\bnp\.|\.dot\(|\*\*"
                           r"|\.T\b|@")


def _plausible(text: str, read: View, naming: str, names=None, columns: bool = False) -> View:
    """Inline text that reads both as notation and as Python (``y = Pi_1 * x``) is taken as
    the view it most plausibly is, and the report says which reading was taken."""
    if "\\" in text:
        return read
    try:
        python = _numpy_view(text, naming, names, columns)
    except NotationError:
        return read
    if python.program == read.program or python.notes:
        return read        # names the NumPy reader had to invent (l1W1): not Python's
    if _PYTHON_SIGNS.search(text):
        return View(python.kind, python.program, python.style, notes=python.notes, reading=
                    "it reads as algebra too; it was read as NumPy (a name of several "
                    "letters is Python's)")
    return View(read.kind, read.program, read.style,
                "it reads as NumPy too; it was read as algebra (give a .py file to read it "
                "as NumPy)")


def _numpy_view(text: str, naming: str, names=None, columns: bool = False, cell=None) -> View:
    from .read.numpy import read_numpy
    reading = read_numpy(text, naming=naming, names=names, columns=columns, cell=cell)
    text = reading.program.source or text
    notes = tuple(f"{k} → {n} ({w})" for k, n, w in reading.legend.entries())
    # a notebook cell's definitions from the cells before it: where each came from
    notes += tuple(f"from an earlier cell: {h}" for h in reading.helpers if "(code cell " in h)
    notes += tuple(f"warning: {w}" for w in reading.warnings)
    return View("NumPy", reading.program, "matmul" if "@" in text else "book", notes=notes)
