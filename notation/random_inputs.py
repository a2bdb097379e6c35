"""Random inputs for a numeric check: values for every name, in shapes that fit every program.

``compare`` runs views that differ in form on the same random arrays. Their shapes are the
shapes stage's own (``shapes.Inference``, the one unifier of SPEC §2), run over the programs
together as one program, without the book's convention: a product joins the columns of its
left side to the rows of its right side, elementwise operations join equal dimensions (a
bias row broadcasts, and the column of a sum), a transpose swaps, ``batchsum`` gives one row
and ``sum`` one column, declarations fix sizes,
letters give kinds. Free dimensions get distinct sizes from 2 up, shuffled in each trial,
so that a missing transpose cannot hide; a declared symbol (``b``) is one size wherever it
is written.
"""

from __future__ import annotations

import random

from .errors import NotationShapeError
from .nodes import Declare, Name, Program
from .shapes import Inference, ShapeOptions, find

TRIALS = 3
_PREFIX = "the views cannot be given consistent shapes for a numeric check: "


def _together(programs: list[Program]) -> Program:
    """The programs' statements as one program, each name declared once (two declarations
    of one name that disagree are refused, naming both)."""
    declared: dict[Name, tuple] = {}
    statements = []
    for p in programs:
        for s in p.statements:
            if isinstance(s, Declare):
                if s.target in declared:
                    if declared[s.target] != s.dims:
                        from .emit.algebra import algebra
                        raise NotationShapeError(
                            f"{_PREFIX}{algebra(s)} contradicts "
                            f"{algebra(Declare(s.target, declared[s.target]))}",
                            hint="declare one shape for each name")
                    continue
                declared[s.target] = s.dims
            # each statement keeps its own span; a joint program has no one source text
            statements.append(s)
    return Program(tuple(statements), "")


def _sizes(programs: list[Program]):
    """A function of a random generator giving every name's shape (None for a scalar), with
    the free dimensions distinct."""
    together = _together(programs)
    try:
        shapes = Inference(together, ShapeOptions(), False, other=False, loose=True).run()
    except NotationShapeError as e:
        raise NotationShapeError(f"{_PREFIX}{e.message}",
                                 hint="declare the shapes (W0 : 3×4) or check the views") from None
    named = shapes.names
    free: dict = {}                      # a free root (or a declared symbol) -> its index
    for shape in named.values():
        for v in shape or ():
            r = find(v)
            if not isinstance(r.value, int):
                free.setdefault(r if r.value is None else r.value, len(free))

    def concrete(rng: random.Random) -> dict[Name, tuple | None]:
        sizes = list(range(2, 2 + len(free)))
        rng.shuffle(sizes)

        def value(v):
            r = find(v)
            return r.value if isinstance(r.value, int) else \
                sizes[free[r if r.value is None else r.value]]
        return {n: None if s is None else (value(s[0]), value(s[1])) for n, s in named.items()}
    return concrete


def random_inputs(programs: list[Program], trials: int = TRIALS, seed: int = 0):
    """For each trial, random values for every name the programs use, shapes consistent.

    >>> from notation import parse
    >>> [a.shape for a in random_inputs([parse("l0 : 2×3; l1 = l0W0")], trials=1)[0].values()]
    [(2, 3), (3, 2), (2, 2)]
    """
    import numpy as np
    concrete = _sizes(programs)
    rng = random.Random(seed)
    out = StandIns()
    for trial in range(trials):
        sizes = _stand_ins(concrete(rng), out)
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
