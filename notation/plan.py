"""The plan: the program lowered to single steps, each with its shape, FLOPs and the memory
it allocates; totals; where each inferred dimension came from; the cheapest order of each
chain of products (SPEC §4).

    >>> from notation import parse
    >>> plan = parse("l2 = relu(l0W0)W1").plan(sizes="3,4,1")
    >>> [plan.shapes.text(s.shape) for s in plan.steps], plan.flops, plan.parameters
    (['1×4', '1×4', '1×1'], 36, 16)

The steps are the ones the NumPy ``plan`` style runs (notation/emit/numpy_plan.py): a value
that nothing reads again is overwritten in place (an activation, a scaling, an elementwise
operation), so the bytes counted here are the bytes that code allocates. A product of an
m×k and a k×n array counts 2·m·k·n FLOPs (m·k·n multiply-adds); an elementwise operation,
whatever its function, one FLOP per element of its result.
"""

from __future__ import annotations

from .aliasing import copied_statements
from .collector import paused as collector_paused
from .lowering import Lowering
from .nodes import Declare, Name, Program
from .plan_memory import all_ints, memory
from .plan_record import PlanRecord
from .polynomial import mul, total, value_at
from .shapes import Shapes, ShapeOptions, find, symbol_text
from .inference import Inference  # noqa: E402  (after .shapes, which it needs loaded first)
from .steps import F64, FLOAT, NAME, SCALAR, TEMP, ChainAdvice, Operand, Step, Temp

ITEMSIZE = {"float64": 8, "float32": 4, "float16": 2}


# --------------------------------------------------------------------------- building

# The collector paused: a plan makes many small objects and frees few, and the collector's
# passes over the growing heap cost a 10,000-statement plan a third of its time and found
# nothing to free (a dimension's only cycle is a root pointing at itself).
@collector_paused
def build(program: Program, opts: ShapeOptions | None = None, *, convention: bool = True,
          optimize: bool = False, dtype: str = "float64", params=None) -> "Plan":
    """Check the shapes of a program and lower it to a plan (raises NotationShapeError).

    ``optimize`` computes every chain of products in its cheapest order; ``dtype`` sets the
    bytes per element; ``params`` names more trained names than the W… and b… (letters such
    as ``"E"`` or names such as ``"E1"``).
    """
    if dtype not in ITEMSIZE:
        from .errors import NotationOptionError
        raise NotationOptionError(f"dtype must be one of {', '.join(ITEMSIZE)}, not {dtype!r}")
    shapes = Inference(program, opts or ShapeOptions(), convention).run()   # infer()
    lowering = Lowering(shapes, ITEMSIZE[dtype], optimize, copied_statements(program))
    for s in program.statements:
        if type(s) is not Declare:          # a declaration has no step
            lowering.statement(s)
    return Plan(program, shapes, lowering, dtype=dtype, optimize=optimize,
                convention=convention, params=_params(params))


def _params(params) -> tuple:
    if params is None:
        return ()
    if isinstance(params, str):
        params = params.split(",")
    return tuple(p.strip() for p in params if p.strip())


# --------------------------------------------------------------------------- the plan

class Plan(PlanRecord):
    """The checked plan of a program: steps, totals, shapes and their provenance, chains.

    ``str(plan)`` is the aligned table, ``plan.json()`` the same as JSON, and the plan is
    callable: ``plan(l0=x, W0=A, W1=B)`` runs the NumPy ``plan`` style code it describes and
    returns the assigned values, ``{"l2": …}``. Those methods are notation/api.py's,
    attached to the base class (notation/plan_record.py).
    """

    def __init__(self, program: Program, shapes: Shapes, lowering: Lowering, *, dtype: str,
                 optimize: bool, convention: bool, params: tuple):
        self.program = program
        self.shapes = shapes
        self.steps: list[Step] = lowering.steps
        self.chains: list[ChainAdvice] = lowering.chains
        self.inputs: list[Name] = list(lowering.inputs.values())
        self.outputs: list[Name] = list(lowering.outputs.values())
        self.results = lowering.results
        self.dtype, self.itemsize = dtype, ITEMSIZE[dtype]
        self.optimize, self.convention = optimize, convention
        # Totals add ints and polynomials alike, in one pass each (polynomial.total). Elements
        # are counted once per name, for the parameters and the inputs both.
        cache = shapes._cache
        elements: dict[tuple, object] = {}
        self.trained: list[tuple[Name, object]] = []
        counts = []
        for name in shapes._listed:              # the keys of shapes.names, without hashing
            key = (name.letter, name.sub)
            shape = cache[key]
            # (the letters W and b, tested here: a call per name is most of this loop)
            if shape is not None and (name.letter in ("W", "b") or _is_parameter(name, params)):
                n = elements[key] = _elements(shapes, shape)
                self.trained.append((name, n))
                counts.append(n)
        steps = self.steps
        self.parameters = _sum(counts)
        numeric = lowering.numeric
        flops, multiply_adds = [s.flops for s in steps], [s.multiply_adds for s in steps]
        self.flops = sum(flops) if numeric else total(flops)
        self.multiply_adds = sum(multiply_adds) if numeric else total(multiply_adds)
        inputs = []
        itemsize = self.itemsize
        for key in lowering.inputs:
            shape = cache.get(key)
            if shape is not None:
                n = elements[key] if key in elements else _elements(shapes, shape)
                inputs.append(n * itemsize if type(n) is int else mul(n, itemsize))
        self.input_bytes = _sum(inputs)
        self.bytes_allocated, self.peaks = memory(self.steps, self.results, numeric or None)
        self._compiled = None

    @property
    def peak_bytes(self):
        """The most memory the run itself holds at once (one value; with symbolic shapes whose
        order depends on the symbols, the largest when every symbol is 1,000)."""
        if len(self.peaks) == 1:
            return self.peaks[0]
        # The candidates may mix numbers and polynomials (a fixed-size step's scratch beside
        # a symbolic one): weigh them all at one point, which value_at takes ints at too.
        point = dict.fromkeys((s for p in self.peaks if type(p) is not int for s in p.symbols),
                              1000)
        return max(self.peaks, key=lambda p: value_at(p, point))


def _sum(counts: list):
    """polynomial.total, for numbers only (most plans) the builtin sum."""
    return sum(counts) if all_ints(counts) else total(counts)


def _elements(shapes: Shapes, shape):
    r, c = find(shape[0]).value, find(shape[1]).value
    if type(r) is int and type(c) is int:
        return r * c
    return mul(shapes.count(shape[0]), shapes.count(shape[1]))


def _is_parameter(name: Name, params: tuple) -> bool:
    if name.letter in ("W", "b"):
        return True
    return bool(params) and (name.letter in params or symbol_text(name) in params)


__all__ = ["build", "Plan", "Step", "Temp", "Operand", "ChainAdvice", "memory", "ITEMSIZE",
           "NAME", "TEMP", "SCALAR", "FLOAT", "F64"]
