"""Inference, step 1: the declarations, hoisted (a declaration is a fact about a name,
wherever it is written), then the shapes the options give (``--sizes``, ``--dims``,
``--batch``), and at the end ``--batch`` for every layer whose batch nothing else gave.

A part of :class:`notation.inference.Inference` (its base class): the methods read and
write the same state, the shapes being built.
"""

from __future__ import annotations

from .dims import DECLARED, OPTION, DimValue, Origin, Var, _text, find, symbol_text
from .errors import Label, NotationShapeError
from .kinds import Kind, kind_by_letter
from .mentions import _KINDS, first_mention
from .nodes import Declare, Name
from .shape_rules import dim_text, dims_text


def _check_dims(decl: Declare) -> None:
    """A declaration's dimensions are numbers or names. The parser makes no other, but a tree
    built by hand can hold anything, and the rest of inference reads a dimension that is no
    number as a Name (symbol_text): refuse it here, as the NumPy views refuse it."""
    for d in decl.dims:
        if not isinstance(d, (int, Name)):
            raise NotationShapeError(
                f"a dimension is a whole number or a name, not {str(d)[:40]!r}", decl.span,
                label="declared here",
                hint="write each dimension as a number such as 3 or a symbol such as b")


class Declarations:
    """The declarations' part of :class:`~notation.inference.Inference`."""

    # -- 1. declarations
    def _declarations(self) -> None:
        shapes = self.shapes
        batch = self.opts.batch
        declared = self.declared
        for s in self.program.statements:
            if type(s) is not Declare:
                continue
            target = s.target
            key = (target.letter, target.sub)
            _check_dims(s)
            dims = s.dims if len(s.dims) != 1 else self._dims(s, batch)
            if key in declared:
                _, first_origin, first_dims = declared[key]
                if first_dims != dims:
                    raise NotationShapeError(
                        f"{_text(target)} is declared twice, as {dims_text(first_dims)} "
                        f"and as {dims_text(dims)}", s.span,
                        label=f"declared {dims_text(dims)} here",
                        labels=(Label(first_origin.span, f"and {dims_text(first_dims)} here"),)
                        if first_origin.span is not None else (),
                        hint="keep one declaration")
                continue
            origin = Origin(DECLARED, s.span)
            declared[key] = (target, origin, dims)
            # Declarations come first, each name's once: this is the name's first shape,
            # made here as shape_of and _apply would make it, for less.
            shape = (Var(target, 0, dims[0], origin), Var(target, 1, dims[1], origin)) \
                if dims else None
            self.cache[key] = shape
            shapes._listed.append(target)
        if self.opts.sizes or self.opts.declarations:
            self._options()

    def _options(self) -> None:
        """The shapes the options give, after the program's declarations."""
        shapes, batch, declared = self.shapes, self.opts.batch, self.declared
        # --sizes follows the program's own chain; a name the program lacks is an error
        self.opts = self.opts.resolve(self.program, self.mentioned, declared, self.convention)
        self.scalar_decl = scalar_decl = self.opts.scalars
        if not self.opts.declarations:
            return
        # the batch the program's declarations give, for the layers that take it
        program_batch = self._program_batch() if self.opts.from_batch else None
        cache, mentioned, hidden = self.cache, self.mentioned, self.hidden
        for decl, origins in self.opts.declarations:
            key = (decl.target.letter, decl.target.sub)
            if program_batch is not None and key in self.opts.from_batch:
                if self.columns:
                    decl = Declare(decl.target, (decl.dims[0], program_batch[0]))
                    origins = (origins[0], program_batch[1])
                else:
                    decl = Declare(decl.target, (program_batch[0], decl.dims[1]))
                    origins = (program_batch[1], origins[1])
            dims = decl.dims if len(decl.dims) != 1 else self._dims(decl, batch)
            if key in declared:
                _, first_origin, first_dims = declared[key]
                if first_dims != dims:
                    raise self._disagree(decl.target, first_origin, first_dims, origins[-1], dims)
                continue
            declared[key] = (decl.target, origins[-1], dims)
            shapes._declared_names = None
            if key in cache:
                # listed in the plan only when the program mentions it
                self._apply(decl.target, dims, origins, key in mentioned)
                continue
            # The usual case, no shape yet: the shape shape_of would make (a scalar_decl
            # name, so no bias row) with _apply's values, made with them (~1 µs an option).
            target = decl.target
            cache[key] = None if scalar_decl[key] else \
                (Var(target, 0, dims[0], origins[0]), Var(target, 1, dims[1], origins[1]))
            if key in mentioned:
                shapes._listed.append(target)
            else:
                shapes._hidden[key] = target
                hidden.add(key)
        shapes._names = None
        shapes._symbols = None

    def _program_batch(self):
        """(batch, origin) that the program's own declarations give its layers, when the
        options give no --batch and every declared layer agrees on it; else None."""
        if self.opts.batch_given:
            return None
        found = None
        for name, (origin, dims) in self.shapes.declared.items():
            if len(dims) == 2 and kind_by_letter(name) in (Kind.LAYER, Kind.DELTA):
                batch = dims[self.batch_axis]
                if found is not None and found[0] != batch:
                    return None
                if found is None:
                    found = (batch, origin)
        return found

    def _disagree(self, name: Name, first: Origin, first_dims, second: Origin, dims):
        """Two declarations of one name that disagree (the program's and an option's)."""
        source = self.program.source
        said = second.text(source)
        batch_hint = (f"; pass --batch {symbol_text(first_dims[0])} to give the batch"
                      if second.kind == OPTION and first_dims[1:] == dims[1:]
                      and isinstance(first_dims[0], Name) else "")
        span = first.span if first.span is not None else first_mention(self.program, name)
        return NotationShapeError(
            f"{_text(name)} is {dims_text(first_dims)} ({first.text(source)}), but it is "
            f"{dims_text(dims)} ({said})", span,
            label=f"{_text(name)} is {dims_text(first_dims)} ({first.text(source)})",
            hint=f"make them agree{batch_hint}")

    def _dims(self, decl: Declare, batch: DimValue) -> tuple:
        dims = decl.dims
        if len(dims) != 1:
            return dims
        kind = kind_by_letter(decl.target)
        if kind is Kind.MATRIX:
            raise NotationShapeError(
                f"{_text(decl.target)} is a matrix and needs two dimensions, rows × columns",
                decl.span, label=f"only {dim_text(dims[0])} given",
                hint=f"write {_text(decl.target)} : m×{dim_text(dims[0])}, or use a lowercase "
                     f"letter for a row vector")
        # A vector of n units: one row for a bias, else the batch (a single example unless
        # --batch says otherwise), as --dims l0=3 would say; under --columns, a column.
        rows = 1 if kind is Kind.BIAS else batch
        return (dims[0], rows) if self.columns else (rows, dims[0])

    def _apply(self, name: Name, dims: tuple, origins: tuple, listed: bool) -> None:
        shape = self.shape_of(name, listed)
        if shape is None:
            return
        for v, d, origin in zip(shape, dims, origins):
            r = find(v)
            r.value, r.origin = d, origin
            v.own = origin
        self.shapes._symbols = self.shapes._nearest = None

    def _batch(self) -> None:
        """--batch is the batch of every layer (and delta) whose batch nothing else gave: after
        the operations, so that it never contradicts a declaration (x : 1×3 stays one row)."""
        shapes, axis = self.shapes, self.batch_axis
        for (letter, sub), shape in self.cache.items():
            if shape is None or find(shape[axis]).value is not None:
                continue
            if _KINDS.get(letter) in (Kind.LAYER, Kind.DELTA) or \
                    kind_by_letter(Name(letter, sub)) in (Kind.LAYER, Kind.DELTA):
                shapes.fix(shape[axis], *self.batch)
