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

import gc

from .aliasing import copied_statements
from .lowering import Lowering
from .nodes import Declare, Name, Program
from .plan_record import PlanRecord
from .polynomial import maximum, mul, total, value_at
from .shapes import Shapes, ShapeOptions, find, infer, symbol_text
from .inference import Inference  # noqa: E402  (after .shapes, which it needs loaded first)
from .steps import (F64, FLOAT, NAME, SCALAR, TEMP, ChainAdvice, Operand, Step, Temp,
                    _factor_text)

ITEMSIZE = {"float64": 8, "float32": 4, "float16": 2}


# --------------------------------------------------------------------------- building

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
    collecting = gc.isenabled()
    # A plan makes many small objects and frees few: the collector's passes over the growing
    # heap cost a 10,000-statement plan a third of its time and find nothing to free (a
    # dimension's only cycle is a root pointing at itself, freed by the next pass after).
    gc.disable()
    try:
        shapes = Inference(program, opts or ShapeOptions(), convention).run()   # infer()
        lowering = Lowering(shapes, ITEMSIZE[dtype], optimize, copied_statements(program))
        for s in program.statements:
            if type(s) is not Declare:          # a declaration has no step
                lowering.statement(s)
        return Plan(program, shapes, lowering, dtype=dtype, optimize=optimize,
                    convention=convention, params=_params(params))
    finally:
        if collecting:
            gc.enable()


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
        for name in shapes._listed:              # the keys of shapes.names, without hashing
            key = (name.letter, name.sub)
            shape = cache[key]
            # (the letters W and b, tested here: a call per name is most of this loop)
            if shape is not None and (name.letter in ("W", "b") or _is_parameter(name, params)):
                n = elements[key] = _elements(shapes, shape)
                self.trained.append((name, n))
        self.parameters = total(n for _, n in self.trained)
        self.flops = total(step.flops for step in self.steps)
        self.multiply_adds = total(step.multiply_adds for step in self.steps)
        inputs = []
        itemsize = self.itemsize
        for key in lowering.inputs:
            shape = cache.get(key)
            if shape is not None:
                n = elements[key] if key in elements else _elements(shapes, shape)
                inputs.append(n * itemsize if type(n) is int else mul(n, itemsize))
        self.input_bytes = total(inputs)
        self.bytes_allocated, self.peaks = memory(self.steps, self.results)
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


def _elements(shapes: Shapes, shape):
    r, c = find(shape[0]).value, find(shape[1]).value
    if type(r) is int and type(c) is int:
        return r * c
    return mul(shapes.count(shape[0]), shapes.count(shape[1]))


def _is_parameter(name: Name, params: tuple) -> bool:
    if name.letter in ("W", "b"):
        return True
    return bool(params) and (name.letter in params or symbol_text(name) in params)


# --------------------------------------------------------------------------- memory

_BARE = Name("_")          # the key a module returns a bare expression's value under


# With at most this many symbols (and steps), every peak candidate is found exactly; past
# them, adding polynomials of hundreds of terms at every step and comparing every pair of
# candidates made a plan of 1,000 layers with dimensions of their own take six minutes.
EXACT_SYMBOLS = 8
EXACT_STEPS = 10_000

# Values given to every symbol to find the peaks of a plan past those bounds: each step that
# holds the most at one of them is a peak no other step dominates.
SAMPLES = (10, 1000, 1_000_000)


def memory(steps: list[Step], results: dict | None = None):
    """(bytes allocated in all, [peak bytes live at once]) of running the steps, counting the
    memory the run allocates (not its inputs).

    A temporary dies after the step that reads it; a named value lives until its name is
    bound again (and to the end, since it is returned); a view (``l1 = t.T``) keeps its base
    alive; scratch memory lives only during its step. With symbolic shapes the peak is the
    list of candidates that no other dominates: all of them with few symbols; with many, the
    steps that hold the most when every symbol is 10, 1,000 or 1,000,000.
    """
    results = results or {}
    counts = [c for step in steps for c in (step.allocates, step.scratch)]
    allocated = total(counts)
    # the lowering shares one polynomial among the steps of the same dimensions
    polys = {id(c): c for c in counts if type(c) is not int}
    symbols = {x for c in polys.values() for x in c.symbols}
    if not steps:
        return allocated, [0]
    if not symbols:
        peaks, _ = _walk(steps, results)
        return allocated, [max(peaks)]            # maximum(peaks), for ints
    if len(symbols) <= EXACT_SYMBOLS and len(steps) <= EXACT_STEPS:
        peaks, _ = _walk(steps, results)
        return allocated, maximum(peaks)
    chosen = _sampled_peaks(steps, results, polys, symbols)
    zeros = [0] * len(steps)
    _, held = _walk(steps, results, (zeros, zeros), keep=chosen)
    return allocated, maximum(total(parts) for parts in held.values())


def _sampled_peaks(steps: list[Step], results: dict, polys: dict, symbols: set) -> set:
    """The steps that hold the most when every symbol is each of SAMPLES.

    One walk weighs all the samples at once: each count's values at the samples are packed
    into one int, sample j in bits j·shift and up, wide enough that no sum of live bytes
    carries into the next field (a count is never negative; a walk adds at most two counts a
    step and subtracts only what it added). Three walks, one a sample, took the time of the
    rest of a 140,000-step plan.
    """
    points = [dict.fromkeys(symbols, value) for value in SAMPLES]
    ints = [c for step in steps for c in (step.allocates, step.scratch) if type(c) is int]
    # Every symbol is the same value v at a sample, so a term k·m is k·v^degree there, and
    # packed, k times the packed powers of its degree: one product a term. The bound on a
    # count at a sample (its coefficients' sum times the largest v to its degree) sizes
    # the fields.
    degrees: set[int] = set()
    widest = max(ints, default=0).bit_length()
    negative = any(c < 0 for c in ints)
    top = SAMPLES[-1]
    for c in polys.values():
        terms = c.terms
        if len(terms) == 1:
            for m, k in terms.items():
                degrees.add(len(m))
                negative = negative or k < 0
                widest = max(widest, (k * top ** len(m)).bit_length())
            continue
        degree = max(map(len, terms))
        degrees.update(map(len, terms))
        negative = negative or any(k < 0 for k in terms.values())
        widest = max(widest, (sum(terms.values()) * top ** degree).bit_length())
    if negative:                       # not for bytes: each sample a walk of its own
        return {_argmax(_walk(steps, results, _weights(steps, lambda c, point=point:
                                                          value_at(c, point)))[0])
                for point in points}
    shift = widest + (2 * len(steps) + 2).bit_length()
    powers = {d: sum((v ** d) << (shift * j) for j, v in enumerate(SAMPLES)) for d in degrees}
    packed = {i: sum([k * powers[len(m)] for m, k in c.terms.items()])
              for i, c in polys.items()}
    spread = powers[0] if 0 in powers else sum(1 << (shift * j) for j in range(len(points)))
    peaks, _ = _walk(steps, results, _weights(
        steps, lambda c: c * spread if type(c) is int else packed[id(c)]))
    mask = (1 << shift) - 1
    return {_argmax([(p >> (shift * j)) & mask for p in peaks]) for j in range(len(points))}


def _weights(steps: list[Step], weigh) -> tuple[list, list]:
    return [weigh(s.allocates) for s in steps], [weigh(s.scratch) for s in steps]


def _argmax(values: list) -> int:
    """The first index of the largest value."""
    return max(range(len(values)), key=values.__getitem__)


def _walk(steps: list[Step], results: dict, weights=None, keep=frozenset()):
    """The memory live during each step, each count weighed by ``weights`` (the weights of
    what each step allocates and of its scratch, a list each; None: the counts themselves);
    and for the steps in ``keep``, the counts that make up theirs."""
    if weights is None:
        allocs, scratches = [s.allocates for s in steps], [s.scratch for s in steps]
    else:
        allocs, scratches = weights
    alive: dict[Temp, int] = {}              # buffer -> the index of the step that made it
    owner: dict[tuple, Temp | None] = {}     # (letter, sub) of a name -> its buffer (None: input)
    owned: dict[Temp, int] = {}              # buffer -> how many names refer to it
    live = 0                                 # sum of the weighed alive, kept as it changes
    peaks = []
    held = {}
    statement = None
    fresh: list[Temp] = []                   # temporaries made by the current statement

    def free(t: Temp) -> None:
        nonlocal live
        if t in alive and t not in owned:
            live = live - allocs[alive.pop(t)]

    def rebind(name: Name, ref) -> None:
        key = (name.letter, name.sub)
        old = owner.get(key)
        if old is ref:
            return
        owner[key] = ref
        if ref is not None:
            owned[ref] = owned.get(ref, 0) + 1
        if old is not None:
            owned[old] -= 1
            if not owned[old]:
                del owned[old]
                free(old)

    for i, step in enumerate(steps):
        if step.statement is not statement:  # temporaries never outlive their statement
            if statement is not None and id(statement) in results:
                value = results[id(statement)]       # a bare expression's value is kept as "_"
                if value.kind == TEMP:
                    rebind(_BARE, value.ref)
            statement = step.statement
            # Only this statement's temporaries can die here; looking at every live buffer
            # (each named value's too) made a 10,000-statement plan quadratic.
            for t in fresh:
                free(t)
            fresh.clear()
        allocated = allocs[i]
        peaks.append(live + allocated + scratches[i])
        if i in keep:
            held[i] = [*(steps[j].allocates for j in alive.values()), step.allocates,
                       step.scratch]
        target = step.target
        if step.allocates and type(target) is Temp:
            alive[target] = i
            live = live + allocated
            fresh.append(target)
        if step.op == "bind":
            o = step.operands[0]
            ref = o.ref if o.kind == TEMP else owner.get((o.ref.letter, o.ref.sub))
            rebind(target, ref)
            continue
        for o in step.operands:
            if o.kind == TEMP:
                t = o.ref                    # free(t), inline: most steps read a temporary
                if t is not target and t in alive and t not in owned:
                    live = live - allocs[alive.pop(t)]
        if type(target) is Temp and target.bound is not None:
            rebind(target.bound, target)
    return peaks, held


__all__ = ["build", "Plan", "Step", "Temp", "Operand", "ChainAdvice", "memory", "ITEMSIZE",
           "NAME", "TEMP", "SCALAR", "FLOAT", "F64", "_factor_text"]
