"""The result of shape inference: :class:`Shapes`, the checked shapes of every name and of
every expression node, with the provenance of each dimension (where its value was written,
and the chain of operations that carried it) and the names of the dimensions nothing
determined (``n1``, ``b``, ``d1``…). ``inference.py`` fills it; ``shapes.infer`` is the
entry point.
"""

from __future__ import annotations

from .dims import (CONVENTION, DELTA, Conflict, DimValue, Origin, Shape, Var, _text, find,
                   symbol_text)
from .errors import line_and_column
from .kinds import Kind, kind_by_letter
from .nodes import Name, Program
from .dim_names import _name_unknowns
from .shape_errors import describe

class Shapes:
    """The checked shapes of a program: of every name and of every expression node.

    >>> from notation import parse
    >>> from notation.shapes import infer, options
    >>> s = infer(parse("l2 = relu(l0W0)W1"), options(sizes="3,4,1"))
    >>> s.text(s.names[Name("W", "0")]), s.text(s.names[Name("W", "1")])
    ('3×4', '4×1')
    """

    def __init__(self, program: Program, convention: bool, columns: bool = False):
        self.program = program
        self.source = program.source
        self.convention = convention
        # the column-vector convention: a layer is units × batch, W is outputs × inputs
        self.columns = columns
        self.units_axis = 0 if columns else 1
        # Names and shapes are kept by (letter, subscript) while inference runs (hashing a
        # tuple is cheaper than the dataclass's __hash__); ``names`` is built when asked.
        self._cache: dict[tuple, Shape] = {}
        self._listed: list[Name] = []           # names of the program, in order
        self._hidden: dict[tuple, Name] = {}    # l_k that only the convention mentions
        self._names: dict[Name, Shape] | None = None
        # (letter, subscript) -> (the name, its origin, its dimensions); ``declared`` by name
        self._declared: dict[tuple, tuple[Name, Origin, tuple]] = {}
        self._declared_names: dict[Name, tuple[Origin, tuple]] | None = None
        self.nodes: dict[int, Shape] = {}      # id(expression node) -> shape
        self.layers: dict[int, int] = {}       # id(node) -> k, for the value "layer k" (convention)
        self.edges: list[tuple[Var, Var, tuple]] = []
        # The dimensions (roots) that are the 1 of a sum over the units, sum(e): such a 1
        # broadcasts over the units it summed, as in exp(z) / sum(exp(z)) (docs/shapes.md).
        self.summed: set[Var] = set()
        self._symbols: dict[Var, str] | None = None
        self._adjacent: dict | None = None
        self._nearest: dict | None = None     # see _path; reset by unify and fix
        self._polys: dict = {}

    @property
    def names(self) -> dict[Name, Shape]:
        """Every name of the program and its shape (None for a scalar), in order of mention."""
        if self._names is None:
            cache = self._cache
            self._names = {n: cache[(n.letter, n.sub)] for n in self._listed}
        return self._names

    @property
    def declared(self) -> dict[Name, tuple[Origin, tuple]]:
        """Every declared name (by the program or an option): (origin, dimensions)."""
        if self._declared_names is None:
            self._declared_names = {n: (origin, dims) for n, origin, dims in self._declared.values()}
        return self._declared_names

    @property
    def hidden(self) -> dict[Name, Shape]:
        """The layers l_k that only the convention mentions (their units size a W_k)."""
        cache = self._cache
        return {n: cache[key] for key, n in self._hidden.items()}

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
        if rb in self.summed:
            self.summed.add(ra)
        self.edges.append((a, b, reason))
        self._symbols = self._adjacent = self._nearest = None

    def fix(self, v: Var, value: DimValue, origin: Origin) -> None:
        r = find(v)
        if r.value is not None and r.value != value:
            raise Conflict(v, None)
        if r.value is None:
            r.value, r.origin = value, origin
            v.own = origin
            self._symbols = self._nearest = None

    # -- reading
    def of(self, node) -> Shape:
        """The shape of an expression node of the program (None for a scalar)."""
        return self.nodes[id(node)]

    def value(self, v: Var) -> DimValue | None:
        return find(v).value

    def dim(self, v: Var) -> int | str:
        """An integer, or the text of a symbol (declared, or named here when unknown)."""
        r = v if v.parent is v else find(v)
        value = r.value
        if type(value) is int:
            return value
        if value is not None:
            return symbol_text(value)
        symbols = self._symbols if self._symbols is not None else self.symbols()
        return symbols[r].symbol

    def count(self, v: Var):
        """The dimension as an int or a polynomial symbol (for FLOPs and bytes)."""
        r = v if v.parent is v else find(v)
        if type(r.value) is int:
            return r.value
        d = self.dim(r)
        poly = self._polys.get(d)
        if poly is None:
            from .polynomial import Poly
            poly = self._polys[d] = Poly.symbol(d)
        return poly

    def same(self, a: Var, b: Var) -> bool:
        if a is b:
            return True
        ra, rb = find(a), find(b)
        return ra is rb or (ra.value is not None and ra.value == rb.value)

    def text(self, shape: Shape) -> str:
        if shape is None:
            return "scalar"
        return f"{self.dim(shape[0])}×{self.dim(shape[1])}"

    def is_summed(self, v: Var) -> bool:
        """Is this dimension the 1 of a sum over the units (``sum(e)``)?"""
        return bool(self.summed) and find(v) in self.summed

    def known(self, shape: Shape) -> bool:
        return shape is None or all(isinstance(find(v).value, int) for v in shape)

    def symbols(self) -> dict:
        """A name for every dimension that nothing determined: ``n1`` for the units of
        ``l1``, ``b`` for the batch of a layer, ``d1``, ``d2``… for the rest."""
        if self._symbols is None:
            self._symbols = _name_unknowns(self)
        return self._symbols

    def unknowns(self) -> list[tuple[str, str]]:
        """(symbol, what it is) for every dimension that nothing determined."""
        listed = {find(v) for shape in self.names.values() if shape is not None for v in shape}
        return [tuple(entry) for r, entry in self.symbols().items() if r in listed]

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
        """The way from ``v`` along unification edges to the nearest dimension whose value
        was written for it, as far as the explanations read it: [(first dimension reached,
        its reason)] and, when that is not the end, [(the dimension found, None)] after it;
        empty if there is none.

        For a ``v`` whose own value was written, a search from it to another one (rare: the
        callers answer such a ``v`` by its own origin). For every other dimension, one search
        from all written dimensions at once, kept until unify or fix changes them: each dimension's
        nearest written one and its first step there. A search from each dimension was
        quadratic in the layers (layer k's batch is k edges from l0's declaration, and the
        plan explains every dimension)."""
        if _own_origin(v) is not None:
            return self._search(v)
        nearest = self._nearest
        if nearest is None:
            nearest = self._nearest = self._all_nearest()
        found = nearest.get(v)
        if found is None:
            return []
        first, reason, target = found
        return [(first, reason)] if first is target else [(first, reason), (target, None)]

    def _adjacency(self) -> dict:
        if self._adjacent is None:
            self._adjacent = {}
            for a, b, reason in self.edges:
                self._adjacent.setdefault(a, []).append((b, reason))
                self._adjacent.setdefault(b, []).append((a, reason))
        return self._adjacent

    def _all_nearest(self) -> dict:
        """Var -> (the next dimension towards its nearest written one, the reason of that
        edge, the written one): breadth-first from every written dimension at once."""
        adjacent = self._adjacency()
        out: dict = {}
        queue = [u for u in adjacent if _own_origin(u) is not None]
        target = {u: u for u in queue}
        for here in queue:
            goal = target[here]
            for there, reason in adjacent[here]:
                if there not in target:
                    target[there] = goal
                    out[there] = (here, reason, goal)
                    queue.append(there)
        return out

    def _search(self, v: Var) -> list[tuple[Var, tuple]]:
        """Breadth-first from ``v`` to the nearest other dimension whose value was written."""
        adjacent = self._adjacency()
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
            if v.axis == 1:                 # the column of sum(e), e's units summed
                return "a sum over the units"
            return "a sum over the rows" if self.columns else "a sum over the batch"
        name = _text(v.name)
        if v.axis == self.units_axis and kind_by_letter(v.name) in (Kind.LAYER, Kind.DELTA, Kind.BIAS):
            return f"the units of {name}"
        return f"the {('rows', 'columns')[v.axis]} of {name}"

    def reason_text(self, reason: tuple) -> str:
        kind, node, name = reason
        if kind == CONVENTION:
            k = name.sub
            if self.columns:
                return f"the book's convention {_text(name)} : n{int(k) + 1}×n{k} (columns)"
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
