"""The memory of a plan: the bytes its steps allocate in all and the peak live at once
(SPEC §4), by one walk over the steps (``memory``); with many symbols, the peak candidates
are the steps that hold the most at a few sample values (``_sampled_peaks``).
"""

from __future__ import annotations

from .nodes import Name
from .polynomial import maximum, total, value_at
from .steps import TEMP, Step, Temp

_BARE = Name("_")          # the key a module returns a bare expression's value under


# With at most this many symbols (and steps), every peak candidate is found exactly; past
# them, adding polynomials of hundreds of terms at every step and comparing every pair of
# candidates made a plan of 1,000 layers with dimensions of their own take six minutes.
EXACT_SYMBOLS = 8
EXACT_STEPS = 10_000

# Values given to every symbol to find the peaks of a plan past those bounds: each step that
# holds the most at one of them is a peak no other step dominates.
SAMPLES = (10, 1000, 1_000_000)


def memory(steps: list[Step], results: dict | None = None, numeric: bool | None = None):
    """(bytes allocated in all, [peak bytes live at once]) of running the steps, counting the
    memory the run allocates (not its inputs).

    A temporary dies after the step that reads it; a named value lives until its name is
    bound again (and to the end, since it is returned); a view (``l1 = t.T``) keeps its base
    alive; scratch memory lives only during its step. With symbolic shapes the peak is the
    list of candidates that no other dominates: all of them with few symbols; with many, the
    steps that hold the most when every symbol is 10, 1,000 or 1,000,000. ``numeric``: the
    counts are known to be numbers only (None: they are looked at).
    """
    results = results or {}
    allocs, scratches = [s.allocates for s in steps], [s.scratch for s in steps]
    if numeric or (all_ints(allocs) and all_ints(scratches)):
        if not steps:                   # numbers only (most plans): the builtin sums, one walk
            return 0, [0]
        peaks, _ = _walk(steps, results, (allocs, scratches))
        return sum(allocs) + sum(scratches), [max(peaks)]          # maximum(peaks), for ints
    counts = [c for step in steps for c in (step.allocates, step.scratch)]
    allocated = total(counts)
    # the lowering shares one polynomial among the steps of the same dimensions
    polys = {id(c): c for c in counts if type(c) is not int}
    symbols = {x for c in polys.values() for x in c.symbols}
    if not symbols:
        peaks, _ = _walk(steps, results, (allocs, scratches))
        return allocated, [max(peaks)]
    if len(symbols) <= EXACT_SYMBOLS and len(steps) <= EXACT_STEPS:
        peaks, _ = _walk(steps, results, (allocs, scratches))
        return allocated, maximum(peaks)
    chosen = _sampled_peaks(steps, results, polys, symbols)
    zeros = [0] * len(steps)
    _, held = _walk(steps, results, (zeros, zeros), keep=chosen)
    return allocated, maximum(total(parts) for parts in held.values())


def all_ints(counts: list) -> bool:
    """Are the counts numbers only (no polynomial)? (a loop: quicker than all() or a set)"""
    for c in counts:
        if type(c) is not int:
            return False
    return True


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
