"""Names for the dimensions that nothing determined: ``n1`` for the units of ``l1``, ``b``
for the batch of a layer, ``d1``, ``d2``… for the rest, primed when a name is taken
(``b′``); what each one is, worked out only when it is read (an error names a few of
thousands). ``Shapes.symbols`` calls :func:`_name_unknowns`.
"""

from __future__ import annotations

from .dims import Var, _text, find, symbol_text
from .kinds import Kind, kind_by_letter
from .nodes import Name

# ``Shapes`` in the annotations is shape_record.Shapes, which imports this module.

def _name_unknowns(shapes: Shapes) -> dict[Var, "_Unknown"]:
    """Var (a root) -> (symbol, what it is) for every undetermined dimension. What it is is
    worked out when it is read: an error names a few dimensions of thousands (R1)."""
    taken = set()
    for _, dims in shapes.declared.values():
        taken.update(symbol_text(d) for d in dims if isinstance(d, Name))
    taken.update(text for _, _, text in _declared_symbols(shapes))
    proposals: dict[Var, tuple] = {}
    counter = 0
    units = shapes.units_axis
    for name, shape in [*shapes.names.items(), *shapes.hidden.items()]:
        if shape is None:
            continue
        for axis, v in enumerate(shape):
            r = find(v)
            if r.value is not None:
                continue
            batch = False
            if axis == units and name.letter == "l" and name.sub.isdigit():
                want = f"n{name.sub}"
            elif axis != units and kind_by_letter(name) in (Kind.LAYER, Kind.DELTA):
                want, batch = "b", True
            else:
                want = None
            current = proposals.get(r)
            # the units of l_k name a class before anything else does
            if current is None or (want and want[0] == "n" and current[0][0] != "n"):
                if want is None:
                    counter += 1
                    want = f"d{counter}"
                proposals[r] = (want, v, batch)
    out: dict[Var, _Unknown] = {}
    repeats: dict[str, int] = {}     # base -> how many primed names it has had (R1: linear)
    for r, (want, v, batch) in proposals.items():
        name = want
        if name in taken:
            k = repeats.get(want, 0)
            while True:
                k += 1
                name = _primed(want, k)
                if name not in taken:
                    break
            repeats[want] = k
        taken.add(name)
        out[r] = _Unknown(name, shapes, v, batch)
    return out


class _Unknown:
    """(symbol, what it is) of an undetermined dimension; the description made when read."""

    __slots__ = ("symbol", "shapes", "var", "batch")

    def __init__(self, symbol: str, shapes: Shapes, var: Var, batch: bool):
        self.symbol, self.shapes, self.var, self.batch = symbol, shapes, var, batch

    def __getitem__(self, i: int) -> str:
        if i == 0:
            return self.symbol
        if i != 1:
            raise IndexError(i)
        if self.batch:
            axis_text = "columns" if self.shapes.columns else "rows"
            return f"the batch (the {axis_text} of {_text(self.var.name)})"
        return self.shapes.describe_var(self.var)

    def __iter__(self):
        yield self[0]
        yield self[1]


def _primed(base: str, k: int) -> str:
    """The k-th other dimension named ``base``: ``b′``, ``b′′``, ``b′′′``, then ``b′4``, ``b′5``…
    (a name of k primes would make naming n dimensions cubic, and unreadable)."""
    return base + "′" * k if k <= 3 else f"{base}′{k}"


def _declared_symbols(shapes: Shapes):
    for name, shape in shapes.names.items():
        if shape is None:
            continue
        for axis, v in enumerate(shape):
            value = find(v).value
            if isinstance(value, Name):
                yield name, axis, symbol_text(value)
