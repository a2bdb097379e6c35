"""The numeric check of ``compare``: when two views differ in form (``(AB)C`` and ``A(BC)``),
every view runs on the same random arrays, in trials with shapes consistent with every view,
and equal values to a relative 1e-9 make them equivalent.
"""

from __future__ import annotations

from .compare_trees import node_label
from .errors import NotationShapeError
from .nodes import Expr, Program
from .random_inputs import random_inputs
from .walk import children as _children

RELATIVE, ABSOLUTE = 1e-9, 1e-12


def same_value(x, y) -> bool:
    """Equal shapes and values equal to a relative 1e-9 (NaN equal to NaN).

    >>> same_value([[1.0]], [[1.0 + 1e-12]]), same_value([[1.0]], [[1.0, 1.0]])
    (True, False)
    """
    import numpy as np
    return np.shape(x) == np.shape(y) and bool(
        np.allclose(x, y, rtol=RELATIVE, atol=ABSOLUTE, equal_nan=True))


def differs_in_value(p: Program, q: Program, pairs, notes=None):
    """The first pair whose values differ on random inputs, and those inputs; or None.
    Each pair is (label, key in p, key in q, inlined value in p, inlined value in q).

    >>> from notation import parse
    >>> p, q = parse("y = (AB)C"), parse("y = A(BC)")
    >>> differs_in_value(p, q, [("y", "y", "y", None, None)]) is None
    True
    """
    import numpy as np
    from .evaluate import evaluate
    try:
        trials = random_inputs([p, q])
    except MemoryError:
        # Thousands of distinct dimensions need thousands of distinct sizes: the arrays of
        # a 10,000-factor chain would take gigabytes each (benchmarks/growth.py found it).
        raise NotationShapeError(
            "the views differ in form, and they have too many distinct dimensions to be "
            "tested numerically in memory: no verdict") from None
    if getattr(trials, "replaced", None) and notes is not None:
        sizes = ", ".join(f"{d:,} by {s}" for d, s in sorted(trials.replaced.items()))
        notes.append(f"the sizes are too large to test numerically as declared: the check "
                     f"used stand-in sizes ({sizes}), keeping which dimensions are equal")
    for inputs in trials:
        try:
            with np.errstate(all="ignore"):
                va, vb = evaluate(p, inputs), evaluate(q, inputs)
        except (ValueError, TypeError) as e:
            raise NotationShapeError(f"the views could not be evaluated on consistent random "
                                     f"arrays: {e}") from None
        except MemoryError:
            raise NotationShapeError(
                "the views differ in form, and their values are too large to compute in "
                "memory on random arrays: no verdict") from None
        for pair in pairs:
            if not same_value(va[pair[1]], vb[pair[2]]):
                return pair, inputs
    return None


def value_difference(x: Expr, y: Expr, inputs) -> tuple[Expr, Expr]:
    """Descend from two inlined values that differ to the outermost, leftmost pair of
    sub-expressions that differ in form, following the operands that differ in value.

    >>> from notation import parse
    >>> from notation.emit.algebra import algebra
    >>> p, q = parse("y = relu(A + B)"), parse("y = relu(A + 2B)")
    >>> inputs = next(iter(random_inputs([p, q])))
    >>> x, y = p.statements[0].value, q.statements[0].value
    >>> [algebra(node) for node in value_difference(x, y, inputs)]
    ['B', '2B']
    """
    import numpy as np
    from .evaluate import Evaluator
    ev = Evaluator(inputs)
    while type(x) is type(y) and node_label(x) == node_label(y):
        with np.errstate(all="ignore"):
            step = next(((u, v) for u, v in zip(_children(x), _children(y))
                         if not same_value(ev.expression(u), ev.expression(v))), None)
        if step is None:
            break
        x, y = step
    return x, y
