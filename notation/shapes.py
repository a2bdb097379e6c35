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
"""

from __future__ import annotations

from typing import Union

from .errors import Label, NotationShapeError, line_and_column
from .kinds import Kind, kind_by_letter
from .nodes import (Add, Assign, Call, Declare, Divide, Expr, ExprStatement, Hadamard, MatMul,
                    Name, Negate, Number, Program, Span, Subtract, Transpose, Update)

DimValue = Union[int, Name]          # a known dimension: a number or a declared symbol

# --------------------------------------------------------------------------- provenance

DECLARED, OPTION, INPUT, BIAS, REDUCED = "declared", "option", "input", "bias", "reduced"

# Functions that do not keep the shape of their argument (every other function is applied
# elementwise, or row by row as softmax is). "rows": a sum over the batch, 1 × n.
SHAPE_RULES = {"sum": "rows"}


class Origin:
    """Where a dimension's value was written."""

    __slots__ = ("kind", "span", "detail")

    def __init__(self, kind: str, span: Span | None = None, detail: str = ""):
        self.kind, self.span, self.detail = kind, span, detail

    def text(self, source: str) -> str:
        if self.kind == DECLARED:
            if self.span is None or not source:
                return "declared"
            return f"declared at line {line_and_column(source, self.span.start)[0]}"
        if self.kind == OPTION:
            return f"from {self.detail}"
        if self.kind == INPUT:
            return f"passed as {self.detail}"
        if self.kind == REDUCED:
            return f"a {self.detail} is one row"
        return "a bias is one row"


PRODUCT, ELEMENTWISE, ASSIGNMENT, UPDATE, CONVENTION, DELTA = (
    "product", "elementwise", "assignment", "update", "convention", "delta")


def Reason(kind: str, node=None, name: Name | None = None) -> tuple:
    """Why two dimensions are the same: (kind, the operation, the name of a convention).
    A plain tuple: inference makes one for every operation."""
    return (kind, node, name)


class Var:
    """One dimension: a union-find node. Only a root's ``value`` and ``origin`` count;
    ``own`` is the origin written for this very dimension (its name's declaration)."""

    __slots__ = ("parent", "value", "origin", "own", "name", "axis")

    def __init__(self, name: Name | None, axis: int):
        self.parent = self
        self.value: DimValue | None = None
        self.name, self.axis = name, axis     # the name this is a dimension of: rows 0, cols 1
        # ``origin`` and ``own`` are set when a value is written (read with getattr)


Shape = Union[None, tuple]              # None is a scalar; else (rows Var, cols Var)


def find(v: Var) -> Var:
    root = v
    while root.parent is not root:
        root = root.parent
    while v.parent is not root:          # path compression
        v.parent, v = root, v.parent
    return root


class Conflict(Exception):
    """Two dimensions with different values were unified (turned into an error by the caller)."""


# --------------------------------------------------------------------------- the result

class Shapes:
    """The checked shapes of a program: of every name and of every expression node.

    >>> from notation import parse
    >>> s = infer(parse("l2 = relu(l0W0)W1"), options(sizes="3,4,1"))
    >>> s.text(s.names[Name("W", "0")]), s.text(s.names[Name("W", "1")])
    ('3×4', '4×1')
    """

    def __init__(self, program: Program, convention: bool):
        self.program = program
        self.source = program.source
        self.convention = convention
        # Names and shapes are kept by (letter, subscript) while inference runs (hashing a
        # tuple is cheaper than the dataclass's __hash__); ``names`` is built when asked.
        self._cache: dict[tuple, Shape] = {}
        self._listed: list[Name] = []           # names of the program, in order
        self._hidden: list[Name] = []           # l_k that only the convention mentions
        self._names: dict[Name, Shape] | None = None
        self.declared: dict[Name, tuple[Origin, tuple]] = {}
        self.nodes: dict[int, Shape] = {}      # id(expression node) -> shape
        self.layers: dict[int, int] = {}       # id(node) -> k, for the value "layer k" (convention)
        self.edges: list[tuple[Var, Var, tuple]] = []
        self._symbols: dict[Var, str] | None = None
        self._adjacent: dict | None = None
        self._polys: dict = {}

    @property
    def names(self) -> dict[Name, Shape]:
        """Every name of the program and its shape (None for a scalar), in order of mention."""
        if self._names is None:
            cache = self._cache
            self._names = {n: cache[(n.letter, n.sub)] for n in self._listed}
        return self._names

    @property
    def hidden(self) -> dict[Name, Shape]:
        """The layers l_k that only the convention mentions (their units size a W_k)."""
        cache = self._cache
        return {n: cache[(n.letter, n.sub)] for n in self._hidden}

    # -- unification
    def unify(self, a: Var, b: Var, reason: tuple) -> None:
        ra = a if a.parent is a else find(a)
        rb = b if b.parent is b else find(b)
        if ra is rb:
            return
        if ra.value is not None and rb.value is not None and ra.value != rb.value:
            raise Conflict(a, b)
        if ra.value is None:
            ra, rb = rb, ra                    # keep the root that holds a value
        rb.parent = ra
        self.edges.append((a, b, reason))
        self._symbols = self._adjacent = None

    def fix(self, v: Var, value: DimValue, origin: Origin) -> None:
        r = find(v)
        if r.value is not None and r.value != value:
            raise Conflict(v, None)
        if r.value is None:
            r.value, r.origin = value, origin
            v.own = origin
            self._symbols = None

    # -- reading
    def of(self, node) -> Shape:
        """The shape of an expression node of the program (None for a scalar)."""
        return self.nodes[id(node)]

    def value(self, v: Var) -> DimValue | None:
        return find(v).value

    def dim(self, v: Var) -> int | str:
        """An integer, or the text of a symbol (declared, or named here when unknown)."""
        value = find(v).value
        if isinstance(value, int):
            return value
        if value is not None:
            return symbol_text(value)
        return self.symbols()[find(v)][0]

    def count(self, v: Var):
        """The dimension as an int or a polynomial symbol (for FLOPs and bytes)."""
        d = self.dim(v)
        if isinstance(d, int):
            return d
        poly = self._polys.get(d)
        if poly is None:
            from .polynomial import Poly
            poly = self._polys[d] = Poly.symbol(d)
        return poly

    def same(self, a: Var, b: Var) -> bool:
        ra, rb = find(a), find(b)
        return ra is rb or (ra.value is not None and ra.value == rb.value)

    def text(self, shape: Shape) -> str:
        if shape is None:
            return "scalar"
        return f"{self.dim(shape[0])}×{self.dim(shape[1])}"

    def known(self, shape: Shape) -> bool:
        return shape is None or all(isinstance(find(v).value, int) for v in shape)

    def symbols(self) -> dict[Var, tuple[str, str]]:
        """A name for every dimension that nothing determined: ``n1`` for the units of
        ``l1``, ``b`` for the batch of a layer, ``d1``, ``d2``… for the rest."""
        if self._symbols is None:
            self._symbols = _name_unknowns(self)
        return self._symbols

    def unknowns(self) -> list[tuple[str, str]]:
        """(symbol, what it is) for every dimension that nothing determined."""
        listed = {find(v) for shape in self.names.values() if shape is not None for v in shape}
        return [entry for r, entry in self.symbols().items() if r in listed]

    def is_declared(self, name: Name) -> bool:
        return name in self.declared

    # -- provenance
    def origin_of(self, v: Var) -> str:
        """Where the value of a dimension was written, or 'not determined'."""
        own = _own_origin(v)
        if own is not None:
            return own.text(self.source)
        r = find(v)
        if r.value is None or r.origin is None:
            return "not determined"
        path = self._path(v)
        origin = (_own_origin(path[-1][0]) if path else None) or r.origin
        return origin.text(self.source)

    def explain(self, v: Var) -> str:
        """How a dimension got its value: where the value was written, and the first link
        of the chain of operations that carried it here.

        ``"the units of l1 (from --sizes), by the book's convention W1 : n1×n2"``
        """
        own = _own_origin(v)
        if own is not None:
            return own.text(self.source)
        r = find(v)
        if r.value is None:
            return "not determined"
        path = self._path(v)
        if not path:
            return r.origin.text(self.source) if r.origin else "declared"
        holder = path[-1][0]
        origin = _own_origin(holder) or r.origin
        return (f"{self.describe_var(holder)} ({origin.text(self.source)}), "
                f"by {self.reason_text(path[0][1])}")

    def _path(self, v: Var) -> list[tuple[Var, tuple]]:
        """Breadth-first from ``v`` along unification edges to the nearest dimension whose
        value was written for it; [(next dimension, reason), …], empty if there is none."""
        if self._adjacent is None:
            self._adjacent = {}
            for a, b, reason in self.edges:
                self._adjacent.setdefault(a, []).append((b, reason))
                self._adjacent.setdefault(b, []).append((a, reason))
        adjacent = self._adjacent
        back: dict[Var, tuple | None] = {v: None}
        queue = [v]
        target = None
        for here in queue:
            if here is not v and _own_origin(here) is not None:
                target = here
                break
            for there, reason in adjacent.get(here, ()):
                if there not in back:
                    back[there] = (here, reason)
                    queue.append(there)
        if target is None:
            return []
        path, here = [], target
        while back[here] is not None:
            prev, reason = back[here]
            path.append((here, reason))
            here = prev
        path.reverse()
        return path

    def describe_var(self, v: Var) -> str:
        if v.name is None:
            return "a sum over the batch"
        name = _text(v.name)
        if v.axis == 1 and kind_by_letter(v.name) in (Kind.LAYER, Kind.DELTA, Kind.BIAS):
            return f"the units of {name}"
        return f"the {('rows', 'columns')[v.axis]} of {name}"

    def reason_text(self, reason: tuple) -> str:
        kind, node, name = reason
        if kind == CONVENTION:
            k = name.sub
            return f"the book's convention {_text(name)} : n{k}×n{int(k) + 1}"
        if kind == DELTA:
            return f"the book's convention that {_text(name)} has the shape of l{name.sub}"
        return f"{describe(node, self)}{self.at_line(node)}"

    def at_line(self, node) -> str:
        if node is None or node.span is None or not self.source:
            return ""
        return f" at line {line_and_column(self.source, node.span.start)[0]}"


def _own_origin(v: Var) -> Origin | None:
    """The origin written for this very dimension (a declaration of its name), if any."""
    return getattr(v, "own", None)


def symbol_text(name: Name) -> str:
    """A symbol as the plan prints it: ``b``, ``h1``, ``n_in``."""
    if not name.sub:
        return name.letter
    return name.letter + name.sub if name.sub.isdigit() else f"{name.letter}_{name.sub}"


def _text(name: Name) -> str:
    from .emit.algebra import algebra
    return algebra(name)


def _name_unknowns(shapes: Shapes) -> dict[Var, tuple[str, str]]:
    """Var (a root) -> (symbol, what it is) for every undetermined dimension."""
    taken = set()
    for _, dims in shapes.declared.values():
        taken.update(symbol_text(d) for d in dims if isinstance(d, Name))
    taken.update(text for _, _, text in _declared_symbols(shapes))
    proposals: dict[Var, tuple[str, str]] = {}
    counter = 0
    for name, shape in [*shapes.names.items(), *shapes.hidden.items()]:
        if shape is None:
            continue
        for axis, v in enumerate(shape):
            r = find(v)
            if r.value is not None:
                continue
            kind = kind_by_letter(name)
            what = shapes.describe_var(v)
            if axis == 1 and name.letter == "l" and name.sub.isdigit():
                want = f"n{name.sub}"
            elif axis == 0 and kind in (Kind.LAYER, Kind.DELTA):
                want, what = "b", f"the batch (the rows of {_text(name)})"
            else:
                want = None
            current = proposals.get(r)
            # the units of l_k name a class before anything else does
            if current is None or (want and want[0] == "n" and current[0][0] != "n"):
                if want is None:
                    counter += 1
                    want = f"d{counter}"
                proposals[r] = (want, what)
    out: dict[Var, tuple[str, str]] = {}
    for r, (want, what) in proposals.items():
        name = want
        while name in taken:
            name += "′"
        taken.add(name)
        out[r] = (name, what)
    return out


def _declared_symbols(shapes: Shapes):
    for name, shape in shapes.names.items():
        if shape is None:
            continue
        for axis, v in enumerate(shape):
            value = find(v).value
            if isinstance(value, Name):
                yield name, axis, symbol_text(value)


# --------------------------------------------------------------------------- options

class ShapeOptions:
    """Shapes given outside the program: the CLI's ``--sizes``, ``--dims``, ``--batch``."""

    __slots__ = ("declarations", "batch", "batch_given", "from_batch")

    def __init__(self, declarations=(), batch: DimValue = 1, *, batch_given: bool = True,
                 from_batch: frozenset = frozenset()):
        self.declarations = tuple(declarations)   # (Declare, (Origin of rows, Origin of columns))
        self.batch = batch
        # Without --batch, layers given by their units alone take the batch the program
        # declares for its layers, if it declares one, else 1 (one example, as in the book).
        self.batch_given = batch_given
        self.from_batch = from_batch              # (letter, sub) of names whose rows are the batch


def options(sizes: str | None = None, dims: str | None = None,
            batch: str | None = None) -> ShapeOptions:
    """The CLI's shape options as declarations that remember which option gave them.

    ``--dims`` overrides ``--sizes`` for the same name; a bias given by its units alone
    (``b1=4``) is one row; a matrix needs both dimensions (``W0=3x4``).

    >>> [d.dims for d, _ in options(sizes="3,4").declarations]
    [(1, 3), (1, 4)]
    """
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


# --------------------------------------------------------------------------- inference

def infer(program: Program, opts: ShapeOptions | None = None, *,
          convention: bool = True) -> Shapes:
    """Check and infer the shapes of a program; raise NotationShapeError at the first
    operator whose operands cannot agree.

    >>> from notation import parse
    >>> s = infer(parse("l0 : b×784\\nl1 = relu(l0W0)"), convention=False)
    >>> s.text(s.names[Name("W", "0")])
    '784×d1'
    """
    return _Inference(program, opts or ShapeOptions(), convention).run()


class _Inference:
    def __init__(self, program: Program, opts: ShapeOptions, convention: bool):
        self.shapes = Shapes(program, convention)
        self.program = program
        self.opts = opts
        self.convention = convention
        # Names are looked up by (letter, subscript): hashing the tuple is cheaper than
        # the dataclass's __hash__, and a plan of a 10-factor chain does ~200 lookups.
        self.scalar_decl: dict[tuple, bool] = {}
        for s in program.statements:
            if isinstance(s, Declare):
                self.scalar_decl.setdefault((s.target.letter, s.target.sub), not s.dims)
        for d, _ in opts.declarations:
            self.scalar_decl.setdefault((d.target.letter, d.target.sub), not d.dims)
        self.mentioned = _mentioned_names(program)
        self.listed = {(n.letter, n.sub) for n in self.mentioned} | {
            (s.target.letter, s.target.sub) for s in program.statements if isinstance(s, Declare)}
        self.cache: dict[tuple, Shape] = self.shapes._cache
        self.hidden: set[tuple] = set()
        self.declared_keys: set[tuple] = set()

    def run(self) -> Shapes:
        try:
            self._declarations()
            if self.convention:
                self._convention()
            for s in self.program.statements:
                self._statement(s)
        except NotationShapeError as e:
            raise e.with_source(self.program.source) from None
        shapes = self.shapes
        listed = shapes._listed
        keys = {(n.letter, n.sub) for n in listed}
        mentioned = [n for n in self.mentioned if (n.letter, n.sub) in keys]
        if len(mentioned) != len(listed):
            seen = {(n.letter, n.sub) for n in mentioned}
            mentioned += [n for n in listed if (n.letter, n.sub) not in seen]
        shapes._listed = mentioned
        shapes._names = None
        return shapes

    # -- names
    def shape_of(self, name: Name, listed: bool = True) -> Shape:
        key = (name.letter, name.sub)
        cache = self.cache
        if key in cache:
            if listed and key in self.hidden:              # mentioned after all
                self.hidden.discard(key)
                shapes = self.shapes
                shapes._hidden = [n for n in shapes._hidden if n != name]
                shapes._listed.append(name)
                shapes._names = None
            return cache[key]
        scalar = self.scalar_decl.get(key)
        kind = _KINDS.get(name.letter) or _kind(name)
        if scalar is None:
            scalar = kind is Kind.SCALAR
        if scalar:
            shape = None
        else:
            shape = (Var(name, 0), Var(name, 1))
            if kind is Kind.BIAS and key not in self.scalar_decl:
                self.shapes.fix(shape[0], 1, Origin(BIAS))
        cache[key] = shape
        if listed:
            self.shapes._listed.append(name)
            self.shapes._names = None
        else:
            self.shapes._hidden.append(name)
            self.hidden.add(key)
        return shape

    # -- 1. declarations
    def _declarations(self) -> None:
        shapes = self.shapes
        for s in self.program.statements:
            if isinstance(s, Declare):
                dims = self._dims(s, self.opts.batch)
                if (s.target.letter, s.target.sub) in self.declared_keys:
                    first_origin, first_dims = shapes.declared[s.target]
                    if first_dims != dims:
                        raise NotationShapeError(
                            f"{_text(s.target)} is declared twice, as {_dims_text(first_dims)} "
                            f"and as {_dims_text(dims)}", s.span,
                            label=f"declared {_dims_text(dims)} here",
                            labels=(Label(first_origin.span, f"and {_dims_text(first_dims)} here"),)
                            if first_origin.span is not None else (),
                            hint="keep one declaration")
                    continue
                origin = Origin(DECLARED, s.span)
                shapes.declared[s.target] = (origin, dims)
                self.declared_keys.add((s.target.letter, s.target.sub))
                self._apply(s.target, dims, (origin, origin))
        batch = self._program_batch()
        for decl, origins in self.opts.declarations:
            key = (decl.target.letter, decl.target.sub)
            if batch is not None and key in self.opts.from_batch:
                decl = Declare(decl.target, (batch[0], decl.dims[1]))
                origins = (batch[1], origins[1])
            dims = self._dims(decl, self.opts.batch)
            if key in self.declared_keys:
                first_origin, first_dims = shapes.declared[decl.target]
                if first_dims != dims:
                    raise self._disagree(decl.target, first_origin, first_dims, origins[-1], dims)
                continue
            shapes.declared[decl.target] = (origins[-1], dims)
            self.declared_keys.add(key)
            self._apply(decl.target, dims, origins)

    def _program_batch(self):
        """(batch, origin) that the program's own declarations give its layers, when the
        options give no --batch and every declared layer agrees on it; else None."""
        if self.opts.batch_given:
            return None
        found = None
        for name, (origin, dims) in self.shapes.declared.items():
            if len(dims) == 2 and kind_by_letter(name) in (Kind.LAYER, Kind.DELTA):
                if found is not None and found[0] != dims[0]:
                    return None
                if found is None:
                    found = (dims[0], origin)
        return found

    def _disagree(self, name: Name, first: Origin, first_dims, second: Origin, dims):
        """Two declarations of one name that disagree (the program's and an option's)."""
        source = self.program.source
        said = second.text(source)
        batch_hint = (f"; pass --batch {symbol_text(first_dims[0])} to give the batch"
                      if second.kind == OPTION and first_dims[1:] == dims[1:]
                      and isinstance(first_dims[0], Name) else "")
        span = first.span if first.span is not None else _first_mention(self.program, name)
        return NotationShapeError(
            f"{_text(name)} is {_dims_text(first_dims)} ({first.text(source)}), but it is "
            f"{_dims_text(dims)} ({said})", span,
            label=f"{_text(name)} is {_dims_text(first_dims)} ({first.text(source)})",
            hint=f"make them agree{batch_hint}")

    def _dims(self, decl: Declare, batch: DimValue) -> tuple:
        dims = decl.dims
        if len(dims) != 1:
            return dims
        kind = kind_by_letter(decl.target)
        if kind is Kind.MATRIX:
            raise NotationShapeError(
                f"{_text(decl.target)} is a matrix and needs two dimensions, rows × columns",
                decl.span, label=f"only {dims[0] if isinstance(dims[0], int) else symbol_text(dims[0])} given",
                hint=f"write {_text(decl.target)} : m×{_dim_text(dims[0])}, or use a lowercase "
                     f"letter for a row vector")
        # A vector of n units: one row for a bias, else the batch (a single example unless
        # --batch says otherwise), as --dims l0=3 would say.
        return (1 if kind is Kind.BIAS else batch, dims[0])

    def _apply(self, name: Name, dims: tuple, origins: tuple) -> None:
        shape = self.shape_of(name, listed=(name.letter, name.sub) in self.listed)
        if shape is None:
            return
        for v, d, origin in zip(shape, dims, origins):
            r = find(v)
            r.value, r.origin = d, origin
            v.own = origin
        self.shapes._symbols = None

    # -- 3. the book's convention
    def _convention(self) -> None:
        shapes = self.shapes
        for name in self.mentioned:
            if name.letter not in ("W", "δ") or not name.sub.isdigit() \
                    or (name.letter, name.sub) in self.declared_keys:
                continue
            shape = self.shape_of(name)
            if shape is None:
                continue
            k = int(name.sub)
            if name.letter == "W":
                cache = self.cache
                sub, nxt = str(k), str(k + 1)
                here = cache[("l", sub)] if ("l", sub) in cache else self._layer(sub)
                there = cache[("l", nxt)] if ("l", nxt) in cache else self._layer(nxt)
                reason = (CONVENTION, None, name)
                if here is not None:
                    shapes.unify(shape[0], here[1], reason)
                if there is not None:
                    shapes.unify(shape[1], there[1], reason)
            elif name.letter == "δ":
                layer = self._layer(name.sub)
                if layer is not None:
                    reason = (DELTA, None, name)
                    shapes.unify(shape[0], layer[0], reason)
                    shapes.unify(shape[1], layer[1], reason)

    def _layer(self, sub: str) -> Shape:
        key = ("l", sub)
        if key in self.cache:
            return self.cache[key]
        return self.shape_of(Name("l", sub), listed=False)

    # -- 4. operations
    def _statement(self, s) -> None:
        if isinstance(s, Declare):
            return
        if isinstance(s, ExprStatement):
            self.expr(s.expr)
            return
        value = self.expr(s.value)
        target = self.shape_of(s.target)
        self.shapes.nodes[id(s.target)] = target
        if isinstance(s, Assign):
            _assign_rule(self.shapes, s, target, value)
        else:
            _update_rule(self.shapes, s, target, value)

    def expr(self, root: Expr) -> Shape:
        shapes = self.shapes
        nodes = shapes.nodes
        convention = self.convention
        out: list = []
        stack: list = [(root, False)]
        while stack:
            node, ready = stack.pop()
            t = type(node)
            if t is Name:
                shape = self.shape_of(node)
            elif t is Number:
                shape = None
            elif not ready:
                stack.append((node, True))
                if t is Call:
                    stack.append((node.arg, False))
                elif t is Transpose or t is Negate:
                    stack.append((node.operand, False))
                else:
                    stack.append((node.right, False))
                    stack.append((node.left, False))
                continue
            elif t is MatMul:
                right = out.pop()
                left = out.pop()
                if convention and type(node.right) is Name and node.right.letter == "W" \
                        and node.right.sub.isdigit():
                    shapes.layers[id(node.left)] = int(node.right.sub)
                shape = _product_rule(shapes, node, left, right)
            elif t is Transpose:
                operand = out.pop()
                shape = None if operand is None else (operand[1], operand[0])
            elif t is Call and not node.derivative and node.func in SHAPE_RULES:
                shape = out.pop()
                if shape is not None:
                    one = Var(None, 0)
                    shapes.fix(one, 1, Origin(REDUCED, node.span, f"{node.func} over the batch"))
                    shape = (one, shape[1])
            elif t is Call or t is Negate:
                shape = out.pop()
            elif t is Hadamard or t is Divide or t is Add or t is Subtract:
                right = out.pop()
                left = out.pop()
                shape = _elementwise_rule(shapes, node, left, right)
            else:
                raise TypeError(f"shapes cannot check {t.__name__}")
            nodes[id(node)] = shape
            out.append(shape)
        return out[-1]


def _first_mention(program: Program, name: Name):
    """The span of the first place a name is written in the program, or None."""
    for s in program.statements:
        if isinstance(s, Declare):
            if s.target == name:
                return s.target.span
            continue
        stack = [s.expr if isinstance(s, ExprStatement) else s.value]
        if isinstance(s, (Assign, Update)):
            stack.insert(0, s.target)
        found = None
        while stack:
            node = stack.pop()
            t = type(node)
            if t is Name:
                if node == name and (found is None or node.span.start < found.start):
                    found = node.span
            elif t is Call:
                stack.append(node.arg)
            elif t is Transpose or t is Negate:
                stack.append(node.operand)
            elif t is not Number:
                stack.append(node.right)
                stack.append(node.left)
        if found is not None:
            return found
    return None


_KINDS: dict[str, Kind] = {}     # letter -> kind, filled as letters are met


def _kind(name: Name) -> Kind:
    kind = _KINDS[name.letter] = kind_by_letter(name)
    return kind


def _mentioned_names(program: Program) -> list[Name]:
    seen: dict[tuple, Name] = {}
    for s in program.statements:
        if isinstance(s, Declare):
            continue
        stack = [s.expr if isinstance(s, ExprStatement) else s.value]
        while stack:
            node = stack.pop()
            t = type(node)
            if t is Name:
                seen.setdefault((node.letter, node.sub), node)
            elif t is Call:
                stack.append(node.arg)
            elif t is Transpose or t is Negate:
                stack.append(node.operand)
            elif t is not Number:
                stack.append(node.right)
                stack.append(node.left)
        if isinstance(s, (Assign, Update)):
            seen.setdefault((s.target.letter, s.target.sub), s.target)
    return list(seen.values())


# --------------------------------------------------------------------------- the rules

def _product_rule(shapes: Shapes, node: MatMul, left: Shape, right: Shape) -> Shape:
    """``A B`` needs cols(A) = rows(B); a scalar factor scales anything."""
    if left is None:
        return right
    if right is None:
        return left
    try:
        shapes.unify(left[1], right[0], (PRODUCT, node, None))
    except Conflict:
        from .shape_errors import product_error
        raise product_error(shapes, node, left, right) from None
    return (left[0], right[1])


def _is_one(v: Var) -> bool:
    return find(v).value == 1


def _elementwise_rule(shapes: Shapes, node, left: Shape, right: Shape) -> Shape:
    """Equal shapes, except that a 1 × n row broadcasts over b × n and a scalar over anything."""
    if left is None:
        return right
    if right is None:
        return left
    reason = (ELEMENTWISE, node, None)
    rows = None
    if _is_one(left[0]):
        rows = right[0]
    elif _is_one(right[0]):
        rows = left[0]
    try:
        if not _compatible(left[1], right[1]) or \
                (rows is None and not _compatible(left[0], right[0])):
            raise Conflict(left, right)
        shapes.unify(left[1], right[1], reason)
        if rows is None:
            # (a square operand ties rows to columns: the second unification can still fail)
            shapes.unify(left[0], right[0], reason)
            rows = left[0]
    except Conflict:
        from .shape_errors import elementwise_error
        raise elementwise_error(shapes, node, left, right) from None
    return (rows, left[1])


def _compatible(a: Var, b: Var) -> bool:
    va, vb = find(a).value, find(b).value
    return va is None or vb is None or va == vb


def _assign_rule(shapes: Shapes, s: Assign, target: Shape, value: Shape) -> None:
    """The target takes the shape of the value (one shape per name)."""
    if target is None or value is None:
        if target is not value:
            from .shape_errors import kind_error
            raise kind_error(shapes, s, target, value)
        return
    reason = (ASSIGNMENT, s, None)
    try:
        if not (_compatible(target[0], value[0]) and _compatible(target[1], value[1])):
            raise Conflict(target, value)
        shapes.unify(target[0], value[0], reason)
        shapes.unify(target[1], value[1], reason)
    except Conflict:
        from .shape_errors import assignment_error
        raise assignment_error(shapes, s, target, value) from None


def _update_rule(shapes: Shapes, s: Update, target: Shape, value: Shape) -> None:
    """``W -= v``: v must broadcast to W's shape, which does not change."""
    if value is None:
        return
    if target is None:
        from .shape_errors import kind_error
        raise kind_error(shapes, s, target, value)
    row = _is_one(value[0])
    reason = (UPDATE, s, None)
    try:
        if not _compatible(target[1], value[1]) or \
                (not row and not _compatible(target[0], value[0])):
            raise Conflict(target, value)
        shapes.unify(target[1], value[1], reason)
        if not row:
            shapes.unify(target[0], value[0], reason)
    except Conflict:
        from .shape_errors import assignment_error
        raise assignment_error(shapes, s, target, value) from None


# --------------------------------------------------------------------------- messages

def _dim_text(d) -> str:
    return str(d) if isinstance(d, int) else symbol_text(d)


def _dims_text(dims: tuple) -> str:
    return "scalar" if not dims else "×".join(_dim_text(d) for d in dims)


def describe(node, shapes: Shapes | None = None) -> str:
    """An operation in words, as errors and the plan name it: ``the product l1W1``.

    Under the book's convention the value multiplied by ``W_k`` is layer k, and is named
    ``l_k``; an operation too large to print is shown as the source text it came from.
    """
    from .shape_errors import describe as _describe
    return _describe(node, shapes)
