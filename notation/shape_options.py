"""Shapes given outside the program, as declarations that remember where they came from:
the CLI's ``--sizes``, ``--dims``, ``--batch``, and the keywords of ``Program.plan(**dims)``.

They are read by ``notation/declarations.py`` (the same parser for both); this module adds
what inference needs: which option gave each dimension, a bias given by its units alone
being one row, a matrix needing both dimensions, and the layers whose rows are the batch.
"""

from __future__ import annotations

from .kinds import Kind, kind_by_letter
from .nodes import Declare, Name
from .shapes import OPTION, DimValue, Origin, _text

class ShapeOptions:
    """Shapes given outside the program: the CLI's ``--sizes``, ``--dims``, ``--batch``."""

    __slots__ = ("declarations", "batch", "batch_given", "from_batch", "_scalars")

    def __init__(self, declarations=(), batch: DimValue = 1, *, batch_given: bool = True,
                 from_batch: frozenset = frozenset()):
        self.declarations = tuple(declarations)   # (Declare, (Origin of rows, Origin of columns))
        self.batch = batch
        # Without --batch, layers given by their units alone take the batch the program
        # declares for its layers, if it declares one, else 1 (one example, as in the book).
        self.batch_given = batch_given
        self.from_batch = from_batch              # (letter, sub) of names whose rows are the batch
        self._scalars: dict[tuple, bool] | None = None

    @property
    def scalars(self) -> dict[tuple, bool]:
        """(letter, subscript) -> whether the options make that name a scalar (its first
        declaration says). Worked out once: options are not changed after they are made, and
        every plan made with them asks (read only)."""
        if self._scalars is None:
            scalars: dict[tuple, bool] = {}
            for d, _ in self.declarations:
                scalars.setdefault((d.target.letter, d.target.sub), not d.dims)
            self._scalars = scalars
        return self._scalars


def options(sizes: str | None = None, dims: str | None = None,
            batch: str | None = None) -> ShapeOptions:
    """The CLI's shape options as declarations that remember which option gave them.

    ``--dims`` overrides ``--sizes`` for the same name; a bias given by its units alone
    (``b1=4``) is one row; a matrix needs both dimensions (``W0=3x4``).

    >>> [d.dims for d, _ in options(sizes="3,4").declarations]
    [(1, 3), (1, 4)]
    """
    if not (sizes or dims or batch):
        return ShapeOptions(batch_given=False)      # (what the rest gives for no options)
    from .declarations import OptionError, from_options
    out: dict[Name, tuple] = {}
    rows = Origin(OPTION, detail="--batch") if batch else None

    from_batch = set()

    def origins(option: str, single: bool = True):
        o = Origin(OPTION, detail=option)
        return (rows if rows and single else o, o)

    for decl in from_options(sizes=sizes, batch=batch) if sizes else ():
        out[decl.target] = (decl, origins("--sizes"))
        from_batch.add((decl.target.letter, decl.target.sub))
    given: dict[Name, tuple] = {}      # name -> (dims, as written) from --dims, so far
    for part in (dims.split(",") if dims else ()):
        (decl,) = from_options(dims=part, batch=batch)
        single = "x" not in part.partition("=")[2] and "×" not in part
        kind = kind_by_letter(decl.target)
        if single and kind is Kind.MATRIX:
            raise OptionError(f"--dims: {part.strip()!r}: {_text(decl.target)} is a matrix; "
                              f"give both dimensions, such as {part.partition('=')[0].strip()}=3x4")
        if single and kind is Kind.BIAS:
            decl = Declare(decl.target, (1, decl.dims[1]))
            single = False
        if decl.target in given and given[decl.target][0] != decl.dims:
            # Otherwise the last would silently win; which one was meant is the user's call.
            raise OptionError(f"--dims gives {_text(decl.target)} twice, as "
                              f"{given[decl.target][1]!r} and {part.strip()!r}")
        given[decl.target] = (decl.dims, part.strip())
        out[decl.target] = (decl, origins("--dims", single))
        (from_batch.add if single else from_batch.discard)((decl.target.letter, decl.target.sub))
    batch_dim: DimValue = 1
    if batch:
        batch_dim = from_options(sizes="1", batch=batch)[0].dims[0]
    return ShapeOptions(out.values(), batch_dim, batch_given=bool(batch),
                        from_batch=frozenset(from_batch))


def shape_options(sizes=None, dims=None, batch=None, **names) -> ShapeOptions:
    """Shape options from Python values, as ``Program.plan(**dims)`` takes them.

    ``sizes`` is ``"3,4,1"`` or ``(3, 4, 1)``; ``dims`` is ``"l0=3,W0=3x4"`` or a dict; each
    further keyword names one: ``l0=3`` (units), ``l0=("b", 3)``, ``W0=(3, 4)``; ``batch`` is
    a number or a symbol. Symbols are strings: ``"b"``, ``"n_in"``.

    >>> [d.dims for d, _ in shape_options(sizes=(3, 4), W1=(4, 2)).declarations]
    [(1, 3), (1, 4), (4, 2)]
    """
    if sizes is None and dims is None and batch is None and not names:
        return ShapeOptions(batch_given=False)      # (what options() gives for no options)
    if sizes is not None and not isinstance(sizes, str):
        sizes = ",".join(str(s) for s in sizes)
    entries = []
    if isinstance(dims, str):
        entries.append(dims)
    elif dims:
        names = {**dims, **names}
    for key, value in names.items():
        if isinstance(value, (tuple, list)):
            value = "x".join(str(v) for v in value)
        entries.append(f"{key}={value}")
    return options(sizes or None, ",".join(entries) or None,
                   None if batch is None else str(batch))
