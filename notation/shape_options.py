"""Shapes given outside the program, as declarations that remember where they came from:
the CLI's ``--sizes``, ``--dims``, ``--batch``, ``--columns``, and the keywords of
``Program.plan(**dims)``.

They are read by ``notation/declarations.py`` (the same parser for both); this module adds
what inference needs: which option gave each dimension, a bias given by its units alone
being one row (one column under ``--columns``), a matrix needing both dimensions, the
layers whose batch axis is the batch, and ``--sizes`` given to the program's own chain of
layers (``layer_chain.py``; SPEC §2, docs/shapes.md "Sizes follow the program's own chain").
"""

from __future__ import annotations

from .errors import NotationOptionError
from .kinds import Kind, kind_by_letter
from .nodes import Declare, Name, Program
from .dims import OPTION, DimValue, Origin, _text
from .layer_chain import layer_chain, layers_text, names_text


class ShapeOptions:
    """Shapes given outside the program: the CLI's ``--sizes``, ``--dims``, ``--batch``.

    ``declarations`` are the names the options give (``--dims``, keywords); ``sizes`` the
    units of ``--sizes``, which :meth:`resolve` gives to the program's own layers.
    ``columns`` is the column-vector convention (a layer is units × batch)."""

    __slots__ = ("declarations", "batch", "batch_given", "from_batch", "_scalars", "sizes",
                 "columns", "batch_option", "given", "_resolved")

    def __init__(self, declarations=(), batch: DimValue = 1, *, batch_given: bool = True,
                 from_batch: frozenset = frozenset(), sizes: tuple = (), columns: bool = False,
                 batch_option: bool = False):
        self.declarations = tuple(declarations)   # (Declare, (Origin of rows, Origin of columns))
        self.batch = batch
        # Without --batch, layers given by their units alone take the batch the program
        # declares for its layers, if it declares one, else 1 (one example, as in the book).
        self.batch_given = batch_given
        self.from_batch = from_batch              # (letter, sub) of names whose batch is the batch
        self._scalars: dict[tuple, bool] | None = None
        self.sizes = tuple(sizes)                 # the units --sizes gives, in order
        self.columns = columns
        # --batch was given: it is the batch of every layer, not only of the sized ones
        self.batch_option = batch_option
        self.given: tuple | None = None           # (sizes, dims, batch) as options() had them
        self._resolved: tuple | None = None       # (program, convention, resolve's result)

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

    def flipped(self) -> "ShapeOptions | None":
        """The same options in the other convention (rows or columns), or None when they
        hold shapes that are no option's (the arrays a compiled program was called with)."""
        if self.given is not None:
            return options(*self.given, columns=not self.columns)
        if not self.declarations and not self.sizes:
            return ShapeOptions(batch_given=False, columns=not self.columns)
        return None

    def adding(self, declarations) -> "ShapeOptions":
        """These options with more declarations after their own (the shapes of the arrays a
        compiled program is called with)."""
        return ShapeOptions(self.declarations + tuple(declarations), self.batch,
                            batch_given=self.batch_given, from_batch=self.from_batch,
                            sizes=self.sizes, columns=self.columns,
                            batch_option=self.batch_option)

    def resolve(self, program: Program, mentioned: dict, declared: dict,
                convention: bool) -> "ShapeOptions":
        """The options with ``--sizes`` given to the program's own layers (its chain), and
        every name they give checked against the program: a size or a name that matches
        nothing is an error that lists the program's layers.

        ``mentioned`` and ``declared`` are keyed by (letter, subscript): the names the
        statements mention and the names the program declares.
        """
        if not self.sizes and not self.declarations:
            return self
        # ``mentioned`` and ``declared`` are read from the program (a tree does not change):
        # the same options on the same program resolve as last time (a compiled function
        # or a benchmark plans one program with one set of options again and again)
        last = self._resolved
        if last is not None and last[0] is program and last[1] == convention:
            return last[2]
        resolved = self._resolve(program, mentioned, declared, convention)
        self._resolved = (program, convention, resolved)
        return resolved

    def _resolve(self, program: Program, mentioned: dict, declared: dict,
                 convention: bool) -> "ShapeOptions":
        chain, how = layer_chain(program, mentioned, declared, convention)
        known = {(n.letter, n.sub) for n in chain} | set(mentioned) | set(declared) \
            if self.declarations else ()
        for decl, origins in self.declarations:
            key = (decl.target.letter, decl.target.sub)
            if key not in known:
                option = origins[-1].detail or "the options"
                raise NotationOptionError(
                    f"{option} names {_text(decl.target)}, which the program does not have; "
                    f"{layers_text(chain, how)}",
                    hint=f"name one of the program's own names ({names_text(mentioned, declared)})")
        if len(self.sizes) > len(chain):
            raise NotationOptionError(
                f"--sizes gives {len(self.sizes)} sizes, but the program has "
                f"{len(chain)} layer{'s' if len(chain) != 1 else ''}; {layers_text(chain, how)}",
                hint=f"give at most {len(chain)} size{'s' if len(chain) != 1 else ''}, "
                     f"or name a layer with --dims")
        if not self.sizes:
            return self
        rows = Origin(OPTION, detail="--batch") if self.batch_option else None
        size_origin = Origin(OPTION, detail="--sizes")
        # --dims overrides --sizes; the arrays a compiled program is called with do not
        given = {(d.target.letter, d.target.sub) for d, o in self.declarations
                 if o[-1].kind == OPTION}
        out, from_batch = [], set(self.from_batch)
        batch_origin = rows or size_origin
        pair = (size_origin, batch_origin) if self.columns else (batch_origin, size_origin)
        batch, columns = self.batch, self.columns
        for name, units in zip(chain, self.sizes):
            key = (name.letter, name.sub)
            if key in given:
                continue                              # --dims overrides --sizes
            out.append((Declare(name, (units, batch) if columns else (batch, units)), pair))
            from_batch.add(key)
        return ShapeOptions(tuple(out) + self.declarations, self.batch,
                            batch_given=self.batch_given, from_batch=frozenset(from_batch),
                            columns=self.columns, batch_option=self.batch_option)


# No options, in the rows and in the columns: made once and shared (options are not changed
# after they are made), as most plans, compiles and views of a program are asked for.
NO_OPTIONS = {False: ShapeOptions(batch_given=False),
              True: ShapeOptions(batch_given=False, columns=True)}


# --------------------------------------------------------------------------- building

def options(sizes: str | None = None, dims: str | None = None,
            batch: str | None = None, columns: bool = False) -> ShapeOptions:
    """The CLI's shape options as declarations that remember which option gave them.

    ``--dims`` overrides ``--sizes`` for the same name; a bias given by its units alone
    (``b1=4``) is one row (one column under ``columns``); a matrix needs both dimensions
    (``W0=3x4``). The sizes are given to the program's layers by inference
    (:meth:`ShapeOptions.resolve`).

    >>> options(sizes="3,4").sizes
    (3, 4)
    >>> [d.dims for d, _ in options(dims="l0=3,b1=4", columns=True).declarations]
    [(3, 1), (4, 1)]
    """
    if not (sizes or dims or batch):
        return NO_OPTIONS[bool(columns)]              # (what the rest gives for no options)
    from .declarations import OptionError, from_options, size_units
    out: dict[Name, tuple] = {}
    rows = Origin(OPTION, detail="--batch") if batch else None

    from_batch = set()

    def origins(option: str, single: bool = True):
        o = Origin(OPTION, detail=option)
        batch_origin = rows if rows and single else o
        return (o, batch_origin) if columns else (batch_origin, o)

    units = size_units(sizes, batch) if sizes else ()
    given: dict[Name, tuple] = {}      # name -> (dims, as written) from --dims, so far
    for part in (dims.split(",") if dims else ()):
        (decl,) = from_options(dims=part, batch=batch)
        single = "x" not in part.partition("=")[2] and "×" not in part
        kind = kind_by_letter(decl.target)
        if single and kind is Kind.MATRIX:
            raise OptionError(f"--dims: {part.strip()!r}: {_text(decl.target)} is a matrix; "
                              f"give both dimensions, such as {part.partition('=')[0].strip()}=3x4")
        if single and kind is Kind.BIAS:
            decl = Declare(decl.target, (decl.dims[1], 1) if columns else (1, decl.dims[1]))
            single = False
        elif single and columns:
            decl = Declare(decl.target, (decl.dims[1], decl.dims[0]))
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
    made = ShapeOptions(out.values(), batch_dim, batch_given=bool(batch),
                        from_batch=frozenset(from_batch), sizes=units, columns=columns,
                        batch_option=bool(batch))
    made.given = (sizes, dims, batch)
    return made


def shape_options(sizes=None, dims=None, batch=None, columns: bool = False,
                  **names) -> ShapeOptions:
    """Shape options from Python values, as ``Program.plan(**dims)`` takes them.

    ``sizes`` is ``"3,4,1"`` or ``(3, 4, 1)``; ``dims`` is ``"l0=3,W0=3x4"`` or a dict; each
    further keyword names one: ``l0=3`` (units), ``l0=("b", 3)``, ``W0=(3, 4)``; ``batch`` is
    a number or a symbol. Symbols are strings: ``"b"``, ``"n_in"``. ``columns=True`` reads
    the column-vector convention (a layer is units × batch, ``W`` outputs × inputs).

    >>> o = shape_options(sizes=(3, 4), W1=(4, 2))
    >>> o.sizes, [d.dims for d, _ in o.declarations]
    ((3, 4), [(4, 2)])
    """
    if not isinstance(columns, bool):
        from .declarations import OptionError
        raise OptionError(f"columns must be True or False, not {columns!r}")
    if sizes is None and dims is None and batch is None and not names:
        return NO_OPTIONS[columns]              # (what options() gives for no options)
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
                   None if batch is None else str(batch), columns=columns)
