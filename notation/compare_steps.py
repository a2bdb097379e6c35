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
    as_relu = None            # the second view with step read as relu', when only one has step
    for p in params:
        k = algebra(p)
        old = inputs.get(p, inputs.get(k))
        if old is None or k not in va or k not in vb:
            continue
        r = _ratio(np.subtract(va[k], old), np.subtract(vb[k], old), scalars)
        if r is None:
            if as_relu is None:
                as_relu = _step_as_relu_prime(first, second, inputs) or {}
            again = _ratio(np.subtract(va[k], old), np.subtract(as_relu[k], old), scalars) \
                if k in as_relu else None
            if again is not None:
                # chapter 8's relu2deriv is output >= 0: 1 where relu's output is 0
                elsewhere = "the same update" if again == "the same as " else \
                    f"its update is {_phrase(again)}"
                lines.append(f"{k}: view 2 uses step (x >= 0), which is 1 where relu's output is "
                             f"0 and relu' is 0; with relu' for step, {elsewhere}")
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


def _step_as_relu_prime(first: Program, second: Program, inputs) -> dict | None:
    """The second step evaluated with step(x) read as relu'(x), when the first uses relu'
    and only the second uses step; None otherwise."""
    import numpy as np
    from .emit.algebra import algebra
    from .errors import NotationError
    from .evaluate import evaluate
    from .parser import parse
    a, b = algebra(first), algebra(second)
    if "step(" not in b or "step(" in a or "relu'(" not in a:
        return None
    try:
        changed = parse(b.replace("step(", "relu'("))
        with np.errstate(all="ignore"):
            return evaluate(changed, inputs)
    except (NotationError, ValueError, TypeError):
        return None


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
