"""Random inputs for a numeric check: values for every name, in shapes that fit every program.

``compare`` runs views that differ in form on the same random arrays. Their shapes come
from a small unification over the programs together: a product joins the columns of its
left side to the rows of its right side, elementwise operations join equal dimensions
(a dimension fixed at 1 broadcasts: a bias row), a transpose swaps, ``sum`` gives one row,
declarations fix sizes, letters give kinds (SPEC §2). Free dimensions get distinct sizes
from 2 up, shuffled in each trial, so that a missing transpose cannot hide.
"""

from __future__ import annotations

import random

from .errors import NotationShapeError
from .kinds import Kind, is_scalar_name, kind_by_letter
from .nodes import (BINARY, Call, Declare, Expr, ExprStatement, Assign, Name, Number, Program,
                    Transpose, Update)
from .walk import children

TRIALS = 3
# Functions whose value is one row: the sum over the batch.
ROW_REDUCTIONS = {"sum"}


class _Conflict(Exception):
    pass


class _Shapes:
    """Shapes for every name that make all the views computable: a small unification.

    A shape is None (a scalar) or (rows, cols) of dimension variables. Products join
    cols = rows; elementwise operations join equal dimensions, except that a dimension
    fixed at 1 broadcasts (a bias row). Declarations fix dimensions, letters give kinds.
    """

    def __init__(self, declared: dict[Name, tuple]):
        self.parent: list[int] = []
        self.value: list[int | None] = []
        self.symbols: dict[Name, int] = {}
        self.names: dict[Name, tuple | None] = {}
        self.declared = declared

    def dim(self, value: int | None = None) -> int:
        self.parent.append(len(self.parent))
        self.value.append(value)
        return len(self.parent) - 1

    def find(self, d: int) -> int:
        while self.parent[d] != d:
            self.parent[d] = self.parent[self.parent[d]]
            d = self.parent[d]
        return d

    def join(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a == b:
            return
        va, vb = self.value[a], self.value[b]
        if va is not None and vb is not None and va != vb:
            raise _Conflict(f"a dimension would be both {va} and {vb}")
        self.parent[a] = b
        self.value[b] = vb if vb is not None else va

    def fixed(self, d: int) -> int | None:
        return self.value[self.find(d)]

    def same(self, a, b) -> None:
        if (a is None) != (b is None):
            raise _Conflict("a value would be both a scalar and an array")
        if a is not None:
            self.join(a[0], b[0])
            self.join(a[1], b[1])

    def of_dim(self, d) -> int:
        if isinstance(d, int):
            return self.dim(d)
        if d not in self.symbols:
            self.symbols[d] = self.dim()
        return self.symbols[d]

    def name(self, n: Name):
        if n not in self.names:
            if n in self.declared:
                dims = self.declared[n]
                if not dims:
                    shape = None
                elif len(dims) == 1:
                    shape = (self.dim(1), self.of_dim(dims[0]))
                else:
                    shape = (self.of_dim(dims[0]), self.of_dim(dims[1]))
            elif is_scalar_name(n):
                shape = None
            elif kind_by_letter(n) is Kind.BIAS:
                shape = (self.dim(1), self.dim())
            else:
                shape = (self.dim(), self.dim())
            self.names[n] = shape
        return self.names[n]

    def expression(self, root: Expr):
        results: list = []
        stack: list = [(root, False)]
        while stack:
            node, ready = stack.pop()
            if isinstance(node, Name):
                results.append(self.name(node))
            elif isinstance(node, Number):
                results.append(None)
            elif not ready:
                stack.append((node, True))
                stack.extend((c, False) for c in reversed(children(node)))
            elif isinstance(node, BINARY):
                right, left = results.pop(), results.pop()
                results.append(self.binary(node, left, right))
            elif isinstance(node, Transpose):
                s = results.pop()
                results.append(None if s is None else (s[1], s[0]))
            elif isinstance(node, Call) and node.func in ROW_REDUCTIONS and results[-1] is not None:
                results.append((self.dim(1), results.pop()[1]))
            # any other call, and a negation, keeps its operand's shape
        return results.pop()

    def binary(self, node, left, right):
        if left is None or right is None:
            return right if left is None else left
        if type(node).__name__ == "MatMul":
            self.join(left[1], right[0])
            return left[0], right[1]
        out = []
        for a, b in zip(left, right):
            if self.fixed(a) == 1 and self.fixed(b) != 1:
                out.append(b)
            elif self.fixed(b) == 1 and self.fixed(a) != 1:
                out.append(a)
            else:
                self.join(a, b)
                out.append(a)
        return tuple(out)

    def program(self, program: Program) -> None:
        for s in program.statements:
            if isinstance(s, Assign):
                value = self.expression(s.value)
                if s.target in self.names or s.target in self.declared:
                    self.same(self.name(s.target), value)
                else:
                    self.names[s.target] = value
            elif isinstance(s, Update):
                self.same(self.name(s.target), self.expression(s.value))
            elif isinstance(s, ExprStatement):
                self.expression(s.expr)

    def concrete(self, rng: random.Random) -> dict[Name, tuple | None]:
        """Sizes for every dimension: fixed ones as fixed, free ones distinct, from 2 up."""
        roots = sorted({self.find(d) for d in range(len(self.parent))})
        free = [r for r in roots if self.value[r] is None]
        sizes = list(range(2, 2 + len(free)))
        rng.shuffle(sizes)
        size = dict(zip(free, sizes))
        value = lambda d: self.fixed(d) if self.fixed(d) is not None else size[self.find(d)]
        return {n: None if s is None else (value(s[0]), value(s[1])) for n, s in self.names.items()}


def random_inputs(programs: list[Program], trials: int = TRIALS, seed: int = 0):
    """For each trial, random values for every name the programs use, shapes consistent."""
    import numpy as np
    declared: dict[Name, tuple] = {}
    for p in programs:
        for s in p.statements:
            if isinstance(s, Declare):
                if declared.setdefault(s.target, s.dims) != s.dims:
                    from .emit.algebra import algebra
                    raise NotationShapeError(
                        f"the views cannot be given consistent shapes for a numeric check: "
                        f"{algebra(s)} contradicts "
                        f"{algebra(Declare(s.target, declared[s.target]))}",
                        hint="declare one shape for each name")
    shapes = _Shapes(declared)
    try:
        for p in programs:
            shapes.program(p)
    except _Conflict as e:
        raise NotationShapeError(f"the views cannot be given consistent shapes for a numeric "
                                 f"check: {e}",
                                 hint="declare the shapes (W0 : 3×4) or check the views") from None
    rng = random.Random(seed)
    out = StandIns()
    for trial in range(trials):
        sizes = _stand_ins(shapes.concrete(rng), out)
        gen = np.random.default_rng(seed * 1000 + trial)
        draw = (lambda size: gen.uniform(0.5, 2.0, size)) if trial == 1 else gen.standard_normal
        out.append({n: float(draw(None)) if s is None else draw(s) for n, s in sizes.items()})
    return out


# Past this, the arrays of a numeric check (or a product of them) would not fit in memory:
# A : 100000×100000 is 74.5 GiB. Every fixed dimension above SMALL then gets a stand-in size
# of its own, distinct from every other size, so that which dimensions are equal (and which
# are 1, which broadcast) is kept: the identities a numeric check tests, (AB)C = A(BC), hold
# at every size, so the question is the same one.
MAX_ELEMENTS = 1_000_000
MAX_DIMENSION = 1024
SMALL = 16


class StandIns(list):
    """The trials' inputs; ``replaced`` maps each fixed size that got a stand-in to it."""
    replaced: dict


def _stand_ins(sizes: dict, out: StandIns) -> dict:
    out.replaced = getattr(out, "replaced", {})
    shapes = [s for s in sizes.values() if s is not None]
    total = sum(r * c for r, c in shapes)
    if total <= MAX_ELEMENTS and all(d <= MAX_DIMENSION for s in shapes for d in s):
        return sizes
    small = {d for s in shapes for d in s if d <= SMALL}
    big = sorted({d for s in shapes for d in s if d > SMALL})
    stand = iter(n for n in range(SMALL + 1, 10 * SMALL + len(big) + 2) if n not in small)
    mapping = {d: next(stand) for d in big}
    out.replaced.update(mapping)
    return {n: None if s is None else (mapping.get(s[0], s[0]), mapping.get(s[1], s[1]))
            for n, s in sizes.items()}
