"""Two training steps compared by what they do, in words (issue 14).

Where two views of a training step differ in form, the first differing sub-expression does
not say whether the weights after the step differ. This runs both on the same random arrays
and describes, for every parameter both update, its change (new value minus old) in the
second view against the first: the same update, a multiple of it (half of it, of opposite
sign, divided by a scalar input such as the batch size), or a different one; and for every
delta both assign: the same, of opposite sign, or a multiple. So the book's chapter-6 form
(``δ2 = y - l2`` with ``+=``) is "the same updates; the deltas have the opposite sign".
"""

from __future__ import annotations

from itertools import combinations

from .nodes import Add, Assign, Name, Program, Subtract, Update

RELATIVE = 1e-9


def _parameters(program: Program) -> list[Name]:
    """What a step updates: ``P -= …``, ``P += …``, or ``P = P - …``."""
    seen = []
    for s in program.statements:
        if isinstance(s, Update) or (isinstance(s, Assign) and isinstance(s.value, (Add, Subtract))
                                     and s.value.left == s.target):
            if s.target not in seen:
                seen.append(s.target)
    return seen


def _deltas(program: Program) -> list[Name]:
    out = []
    for s in program.statements:
        if isinstance(s, Assign) and s.target.letter == "δ" and s.target not in out:
            out.append(s.target)
    return out


CONSTANTS = ((1.0, ""), (-1.0, "the negative of "), (0.5, "half of "), (-0.5, "minus half of "),
             (2.0, "twice "), (-2.0, "minus twice "))


def _ratio(a, b, scalars: dict[str, float]):
    """How b is a multiple of a, in words ("half of ", "the negative of ", "… divided by β|"),
    or None if it is no multiple."""
    import numpy as np
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return None
    if np.allclose(a, b, rtol=RELATIVE, atol=1e-12):
        return "the same as "
    scale_a = max(1.0, float(np.max(np.abs(a), initial=0.0)))
    scale_b = max(1.0, float(np.max(np.abs(b), initial=0.0)))
    big = np.abs(a) > 1e-9 * scale_a
    if not big.any() or np.any(np.abs(b[~big]) > 1e-9 * scale_b):
        return None
    ratios = b[big] / a[big]
    r = float(np.median(ratios))
    if not np.allclose(ratios, r, rtol=1e-7, atol=0):
        return None
    names = [n for n, v in scalars.items() if v not in (0.0, 1.0, -1.0)]
    factors = [((), 1.0)] + [((n,), scalars[n]) for n in names] + [
        ((m, n), scalars[m] * scalars[n]) for m, n in combinations(names, 2)]
    for chosen, value in factors:
        for power in (-1, 1):
            if not chosen and power == 1:
                continue
            for c, words in CONSTANTS:
                if np.isclose(r, c * value ** power, rtol=1e-9):
                    if not chosen:
                        return words
                    how = "divided by" if power < 0 else "multiplied by"
                    return f"{words or 'the same as '}view 1's, {how} {'·'.join(chosen)}|"
    return f"{r:.6g} times "


def describe(first: Program, second: Program) -> list[str]:
    """Lines that say how the second step's updates and deltas compare with the first's.

    Empty when either has no update, or when the steps cannot be run on shared arrays.
    """
    import numpy as np
    from .emit.algebra import algebra
    from .errors import NotationError
    from .evaluate import evaluate
    from .random_inputs import random_inputs
    params = [p for p in _parameters(first) if p in _parameters(second)]
    if not params:
        return []
    try:
        inputs = next(iter(random_inputs([first, second])))
        # M is a dropout mask (SPEC §5): 0 or 1, so that relu'(h ⊙ M) is relu'(h) where kept
        rng = np.random.default_rng(0)
        inputs = {k: (_mask(rng, np.shape(v))
                      if isinstance(k, Name) and k.letter == "M" and np.ndim(v) else v)
                  for k, v in inputs.items()}
        with np.errstate(all="ignore"):
            va, vb = evaluate(first, inputs), evaluate(second, inputs)
    except (NotationError, ValueError, TypeError, StopIteration):
        return []
    scalars = {algebra(k) if isinstance(k, Name) else str(k): float(v)
               for k, v in inputs.items() if np.ndim(v) == 0}
    lines = []
    readings = None           # the second view read otherwise: (what it does, values)
    for p in params:
        k = algebra(p)
        old = inputs.get(p, inputs.get(k))
        if old is None or k not in va or k not in vb:
            continue
        r = _ratio(np.subtract(va[k], old), np.subtract(vb[k], old), scalars)
        if r is None:
            if readings is None:
                readings = _readings(first, second, inputs)
            explained = _explain(k, readings, va[k], old, scalars, second)
            if explained is not None:
                lines.append(explained)
                continue
        lines.append(f"{k}: view 2 changes it differently (its update is no multiple of view 1's)"
                     if r is None else f"{k}: the same update" if r == "the same as " else
                     f"{k}: view 2's update is {_phrase(r)}")
    for d in (d for d in _deltas(first) if d in _deltas(second)):
        k = algebra(d)
        if k in va and k in vb:
            r = _ratio(va[k], vb[k], scalars)
            if r is None:
                lines.append(f"{k}: the deltas differ (no multiple of each other)")
            elif r != "the same as ":
                lines.append(f"{k}: view 2's delta is {_phrase(r)}")
    return lines


def _mask(rng, shape):
    """1s with one 0 (where there are two places): a mask that drops little keeps the
    updates it multiplies non-zero; a random one (or all zeros) can zero every update, and
    any two steps then look the same."""
    import numpy as np
    mask = np.ones(shape)
    flat = mask.reshape(-1)
    if flat.size >= 2:
        flat[0] = 0.0
    return mask


STEP_WORDS = "uses step (x >= 0), which is 1 where relu's output is 0 and relu' is 0"


def _readings(first: Program, second: Program, inputs) -> list[tuple[str, str, dict]]:
    """The second step read otherwise, one difference of the book's at a time and then
    together: (what view 2 does, what it is read with, its values on ``inputs``)."""
    import numpy as np
    from .emit.algebra import algebra
    from .errors import NotationError
    from .evaluate import evaluate
    from .parser import parse
    a = algebra(first)
    changes = []
    if "step(" in algebra(second) and "step(" not in a and "relu'(" in a:
        changes.append((STEP_WORDS, "relu' for step",
                        lambda p: parse(algebra(p).replace("step(", "relu'("))))
    dropped = _undropped(second)
    if dropped is not None:
        changes.append((*dropped[0], lambda p: _undropped(p)[1] if _undropped(p) else p))
    tries = [[c] for c in changes] + ([changes] if len(changes) > 1 else [])
    out = []
    for chosen in tries:
        program = second
        try:
            for _, _, change in chosen:
                program = change(program)
            with np.errstate(all="ignore"):
                values = evaluate(program, inputs)
        except (NotationError, ValueError, TypeError):
            continue
        out.append(("; ".join(c[0] for c in chosen), " and ".join(c[1] for c in chosen), values))
    return out


def _explain(k: str, readings, first_value, old, scalars, second: Program) -> str | None:
    """``k``'s update in words, through the first reading of view 2 that makes it a
    multiple of view 1's."""
    import numpy as np
    for does, read_with, values in readings:
        if k not in values:
            continue
        again = _ratio(np.subtract(first_value, old), np.subtract(values[k], old), scalars)
        if again is None:
            continue
        if again == "the same as ":
            return f"{k}: view 2 {does}; with {read_with}, the same update"
        why = ""
        if again.startswith("half of ") and _mask_without_two(second):
            why = (" (view 2 multiplies the delta by the dropout mask alone, without the factor "
                   "2 the layer was multiplied by)")
        return f"{k}: view 2 {does}; with {read_with}, its update is {_phrase(again)}{why}"
    return None


def _undropped(program: Program):
    """Chapter 9's derivative of the dropped-out layer: after ``l1 = l1 ⊙ M1 2``, a
    derivative of l1 (``tanh'(l1)``) is of the dropped-out, doubled layer. Returns ((what
    view 2 does, what it is read with), the program with the derivative taken of the layer
    before dropout), or None when there is no such derivative."""
    from .emit.algebra import algebra
    from .nodes import Call
    from .nodes import Number
    from .walk import fold, names, pre_order, rebuild
    out, before, shown, functions, doubled = [], {}, [], set(), False
    for s in program.statements:
        if before and isinstance(s, (Assign, Update)):
            def put(node, kids):
                if isinstance(node, Call) and (node.derivative or node.func == "step") \
                        and node.arg in before:
                    functions.add(f"{node.func}'" if node.derivative else node.func)
                    return Call(node.func, before[node.arg], node.derivative, node.span)
                return rebuild(node, kids)
            s = type(s)(s.target, *( (s.op, fold(s.value, put)) if isinstance(s, Update)
                                    else (fold(s.value, put),)), s.span)
        if isinstance(s, Assign) and s.target not in before and s.target.letter not in "δGg":
            used = list(names(s.value))
            if s.target in used and any(n.letter == "M" for n in used) \
                    and any(isinstance(t, Assign) and t.target == s.target for t in out):
                kept = Name("h", f"kept{len(before)}")
                out.append(Assign(kept, s.target))
                before[s.target] = kept
                shown.append(algebra(s).strip())
                doubled = doubled or any(isinstance(n, Number) and n.text == "2"
                                         for n in pre_order(s.value))
        out.append(s)
    if not functions:
        return None
    what = " and ".join(sorted(functions))
    layer = "dropped-out, doubled layer" if doubled else "dropped-out layer"
    return ((f"takes {what} of the {layer} ({'; '.join(shown)}), where view 1 takes it of the "
             f"layer before dropout", f"{what} of the layer before dropout"),
            Program(tuple(out)))


def _mask_without_two(program: Program) -> bool:
    """Does the step multiply a delta by a mask alone (``δ1 = δ1 ⊙ M1``)?"""
    from .nodes import Hadamard
    return any(isinstance(s, Assign) and s.target.letter == "δ" and isinstance(s.value, Hadamard)
               and s.value.left == s.target and isinstance(s.value.right, Name)
               and s.value.right.letter == "M" for s in program.statements)


def _phrase(r: str) -> str:
    return r[:-1] if r.endswith("|") else f"{r}view 1's"


def summary(lines: list[str]) -> str | None:
    """One sentence for the usual cases: the same updates whatever the deltas' signs."""
    if lines and all(": the same update" in x or "the negative of" in x for x in lines) \
            and any(": the same update" in x for x in lines):
        if any("the negative of" in x for x in lines):
            return "the same updates: the deltas have the opposite sign (δ = y − l with +=)"
        return "the same updates"
    return None
