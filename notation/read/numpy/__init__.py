"""NumPy -> tree (SPEC §5): Python source read with Python's own ``ast`` and mapped back.

A statement, a block, a function body, a class's methods, a whole module (as ``--module``
writes it) or a notebook cell with its training loop as printed is read. Spellings, each
mapped to one node:

- ``a.dot(b)``, ``np.dot(a, b)``, ``np.matmul(a, b)``, ``a @ b`` -> product; ``np.outer(a, b)``
  -> ``aᵀb``;
- ``a.T``, ``a.transpose()``, ``np.transpose(a)`` -> transpose;
- ``a * b`` -> ``⊙`` of two arrays, and the scaling ``αa`` when a side is a scalar (by its
  letter, or declared ``# name : scalar``); ``alpha * a.dot(b)`` is the chain ``αab``, as
  the book means it, while ``alpha * (a.dot(b))`` keeps the parentheses written;
- ``x ** 2`` -> ``x ⊙ x``; ``np.multiply``, ``/``, ``np.divide``, ``+``, ``-``, unary ``-``;
- the book's helpers and the idioms of :mod:`.idioms`; helpers defined in the source by
  what their bodies compute (:mod:`.helpers`);
- identifiers through the naming scheme inverted (``weights_1_2`` -> W1, ``alpha`` -> α), and
  any other identifier by its role (:mod:`.legend`), shown in the legend;
- a whole-line comment ``# weights_0_1 : 3×4`` -> a declaration;
- around the step, setup, printing and bookkeeping are skipped and listed (:mod:`.cells`).

Anything else is a NotationError that names the construct, with its line and column in the
Python source. Nothing raises any other exception, and the source is never run.
"""

from __future__ import annotations

import warnings

from ...collector import paused as collector_paused
from ...errors import NotationError, NotationTranslationError, NotationWarning
from ...naming import SCHEMES, Scheme
from ...nodes import Name, Program, Span
from .notebook import choose, is_notebook
from .reader import Reader, Reading

__all__ = ["from_numpy", "read_numpy", "Reading", "parse_names"]


def read_numpy(source: str, *, naming: str | Scheme = "book", names=None,
               columns: bool = False, cell=None) -> Reading:
    """Read NumPy code: the program, with the legend, the helpers and what was skipped.

    ``names`` chooses notation names for identifiers: ``{"input": "l0", "weights": "W0"}`` or
    the CLI's text ``"input=l0,weights=W0"``. ``columns`` reads column-vector code
    (``np.dot(W, a) + b``: the matrix is the left factor). A Jupyter notebook (its nbformat
    JSON, as text or a dict) is read one code cell at a time: ``cell`` counts the code cells
    from 1, or is a tag or a text of the cell's first line (:mod:`.notebook`); the cell is
    read with the definitions and constants of the cells before it.

    >>> r = read_numpy("pred = input.dot(weights)")
    >>> r.program.algebra(), r.legend.text().splitlines()[0]
    ('l1 = l0W0', 'input → l0 (the input)')
    """
    chosen = None
    if cell is not None or isinstance(source, dict) or is_notebook(source):
        if not is_notebook(source):
            raise NotationTranslationError(
                "cell= chooses a cell of a Jupyter notebook, and this source is not one",
                hint="give the notebook's JSON (the .ipynb file's text), or the cell's code "
                     "without cell=")
        chosen = choose(source, cell)
        source = chosen.source
    if not isinstance(source, str):
        raise TypeError(f"from_numpy() takes the source as a str, not {type(source).__name__}")
    scheme = naming if isinstance(naming, Scheme) else SCHEMES.get(naming)
    if scheme is None:
        raise ValueError(f"unknown naming scheme {naming!r}: choose one of {', '.join(SCHEMES)}")
    try:
        reading = _read(source, scheme, parse_names(names), columns, chosen)
    except NotationError as e:
        if chosen is not None and not e.message.startswith("code cell"):
            e.message = f"code cell {chosen.number}: {e.message}"
            e.args = (e.message,)
        raise e.with_source(source) from None
    except (RecursionError, MemoryError):
        raise NotationTranslationError(
            "the Python source nests too deeply to read", Span(0, len(source)), source=source,
            hint="give intermediate values names of their own and use them") from None
    return reading


# Reading makes many small objects that live until it ends (ast nodes, spans, plans): the
# cyclic collector would rescan them all at each of its passes, a cost that grows faster
# than the source (issue 14: x13 per decade with it, x10.3 without). Nothing here needs it;
# it is back on (and collects) once the reading is done.
@collector_paused
def _read(source: str, scheme: Scheme, names: dict, columns: bool, chosen) -> Reading:
    reader = Reader(source, scheme, names, columns,
                    prelude=chosen.prelude if chosen is not None else ())
    if chosen is not None:
        reader.cells.ipython(chosen.magics)
    return reader.read()


def from_numpy(source: str, *, naming: str | Scheme = "book", names=None,
               columns: bool = False, cell=None) -> Program:
    """Read NumPy code back into the notation (``read_numpy`` gives the legend too).

    >>> from_numpy("layer_2 = relu(layer_0.dot(weights_0_1)).dot(weights_1_2)").algebra()
    'l2 = relu(l0W0)W1'
    """
    reading = read_numpy(source, naming=naming, names=names, columns=columns, cell=cell)
    source = reading.program.source or source
    spans = reading.warning_spans + (None,) * (len(reading.warnings) - len(reading.warning_spans))
    codes = reading.warning_codes + (("repeated-update", "repeats the updates"),) * (
        len(reading.warnings) - len(reading.warning_codes))
    for text, span, (code, label) in zip(reading.warnings, spans, codes):
        # located as the reader's other warnings are (SPEC §6): line and column in the source
        warnings.warn(NotationWarning(text, span, label=label, source=source, code=code),
                      stacklevel=2)
    return reading.program


def parse_names(names) -> dict[str, Name]:
    """``"input=l0,weights=W0"`` or a dict -> {identifier: Name}; a bad entry is an error."""
    if names is None or names == "":
        return {}
    if isinstance(names, str):
        pairs = []
        for part in names.split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise NotationTranslationError(
                    f"--names takes identifier=name pairs, not {part.strip()!r}",
                    hint="for example --names input=l0,weights=W0")
            ident, _, name = part.partition("=")
            pairs.append((ident.strip(), name.strip()))
    elif isinstance(names, dict):
        pairs = list(names.items())
    else:
        raise TypeError(f"names is a dict or a str, not {type(names).__name__}")
    out: dict[str, Name] = {}
    seen: dict[Name, str] = {}
    from ...parser import parse
    for ident, text in pairs:
        if not isinstance(ident, str) or not isinstance(text, (str, Name)):
            raise TypeError("names maps identifiers (str) to notation names (str)")
        if isinstance(text, Name):
            name = text
        else:
            try:
                statements = parse(text).statements
            except NotationError:
                statements = ()
            value = getattr(statements[0], "expr", None) if len(statements) == 1 else None
            if not isinstance(value, Name):
                raise NotationTranslationError(
                    f"{text!r} is not a name of the notation (for {ident})",
                    hint="a name is one letter with an optional subscript: l0, W1, y, α, δ2")
            name = Name(value.letter, value.sub)
        if name in seen and seen[name] != ident:
            raise NotationTranslationError(
                f"{seen[name]} and {ident} are both given the name {text}: two identifiers never "
                f"share one notation name", hint="give each its own name")
        seen[name] = ident
        out[ident] = name
    return out
