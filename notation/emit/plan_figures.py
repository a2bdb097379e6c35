"""The figures of a plan, each under its one label (issue 12, one definition of each figure):
parameters, FLOPs, multiply-adds, bytes allocated, peak memory, as the text plan, the JSON
(``figures``, ``totals``), the HTML page, Jupyter and ``show`` print them; and how a count
prints, as a number, a size in bytes, or for JSON a number or a polynomial's text.
"""

from __future__ import annotations

from ..polynomial import Poly, add
from .algebra import algebra

_MAX_TERMS = 8          # FLOPs of more steps than this print as their total alone


def number(n) -> str:
    if isinstance(n, Poly):
        return str(n)
    return f"{n:,}" if n >= 10_000 else str(n)


def size(n) -> str:
    """Bytes, exact below 10 KiB, else in KiB / MiB / GiB."""
    if isinstance(n, Poly):
        return f"{n} B"
    for unit, scale in (("GiB", 2 ** 30), ("MiB", 2 ** 20), ("KiB", 2 ** 10)):
        if n >= 10 * scale or (unit != "KiB" and n >= scale):
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


def value(n):
    """A count for JSON: a number stays a number, a polynomial becomes its text."""
    return str(n) if isinstance(n, Poly) else n


def flops_line(plan) -> str:
    total = number(plan.flops)
    counted = sum(1 for s in plan.steps if s.flops)
    if counted <= 1:
        return total
    if counted > _MAX_TERMS:              # (the texts of the terms are not needed)
        return f"{total} ({counted} steps)"
    terms = [s.flops_text for s in plan.steps if s.flops]
    shown = " + ".join(terms)
    return shown if shown == total else f"{shown} = {total}"


def peak_line(plan) -> str:
    peaks = plan.peaks
    run = size(peaks[0]) if len(peaks) == 1 else "max(" + ", ".join(size(p) for p in peaks) + ")"
    if len(peaks) == 1:
        whole = size(add(plan.input_bytes, peaks[0]))
        return f"{whole} (inputs {size(plan.input_bytes)} + at most {run} made by the run)"
    return f"inputs {size(plan.input_bytes)} + at most {run} made by the run"


def figures(plan) -> list[tuple[str, str]]:
    """The plan's totals, each under its one label: the text plan, the JSON (``figures``),
    the HTML page, Jupyter and ``show`` all print these. "peak memory" is the inputs and
    the run together, and says what each holds.

    >>> from notation import parse
    >>> dict(figures(parse("l1 = l0W0").plan(sizes="3,4")))["peak memory"]
    '152 B (inputs 120 B + at most 32 B made by the run)'
    """
    s = plan.shapes
    trained = ", ".join(f"{algebra(n)} {s.text(s.names[n])}" for n, _ in plan.trained)
    return [
        ("parameters", number(plan.parameters) + (f" ({trained})" if trained else "")),
        ("FLOPs", flops_line(plan)),
        ("multiply-adds", number(plan.multiply_adds)),
        ("allocated", size(plan.bytes_allocated)),
        ("peak memory", peak_line(plan)),
    ]


def peaks_value(plan):
    """The run's peak for JSON: a number, a polynomial's text, or max(…) of several."""
    if len(plan.peaks) == 1:
        return value(plan.peaks[0])
    return "max(" + ", ".join(str(p) for p in plan.peaks) + ")"


def with_inputs_value(plan):
    if len(plan.peaks) == 1:
        return value(add(plan.input_bytes, plan.peaks[0]))
    return f"{plan.input_bytes} + {peaks_value(plan)}"
