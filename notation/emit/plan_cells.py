"""The cells of a plan's table of steps, for the text plan (``emit/plan.py``) and the page
(``emit/html.plan_steps_table``): a step's value, operation, shape, FLOPs, counts and notes.

A plan shares one count object among the steps of one set of dimension roots (lowering),
and its steps have few distinct roots, so the tables print each shape, count and FLOPs
formula once and look it up after (142,857 steps at the 1,000,000-character limit).
"""

from __future__ import annotations

from ..dims import find
from ..steps import NAME, TEMP, Temp, factor_text
from .algebra import algebra, needs_space
from .plan_figures import number, size

_SYMBOL = {"hadamard": " ⊙ ", "divide": " / ", "add": " + ", "subtract": " - "}
_MAX_OPERATION = 48     # characters of an operation shown in the table


def operand_text(plan, o) -> str:
    if o.kind == NAME:
        text = algebra(o.ref)
    elif o.kind == TEMP:
        text = algebra(o.ref.bound) if o.ref.bound is not None else f"t{o.ref.number}"
    else:
        text = factor_text(o.ref)
    return text + "ᵀ" if o.transposed else text


def target_text(step) -> str:
    t = step.target
    if t is None:
        return ""
    if isinstance(t, Temp):
        return algebra(t.bound) if t.bound is not None else f"t{t.number}"
    return algebra(t)


def operation_text(plan, step) -> str:
    """``l0W0``, ``relu(t1)``, ``t1 ⊙ t2``, ``W1 -= t3``."""
    ops = [operand_text(plan, o) for o in step.operands]
    op = step.op
    if op in ("matmul", "scale"):
        a, b = (ops[1], ops[0]) if op == "scale" else ops
        text = a + (" " if needs_space(a, b) else "") + b
    elif op in _SYMBOL:
        text = ops[0] + _SYMBOL[op] + ops[1]
    elif op == "negate":
        text = "-" + ops[0]
    elif op in ("call", "derivative"):
        text = f"{step.func}{chr(39) if op == 'derivative' else ''}({ops[0]})"
    elif op == "update":
        text = f"{target_text(step)} {step.func} {ops[0]}"
    elif op == "scalar" and step.func:
        text = f"{target_text(step)} {step.func} {ops[0]}"
    elif op == "copy":
        text = f"copy of {ops[0]}"
    else:                                    # bind, scalar
        text = ops[0]
    if len(text) > _MAX_OPERATION:
        text = text[:_MAX_OPERATION - 1] + "…"
    return text


def notes_text(step, size=size) -> str:
    notes = []
    if step.in_place is not None:
        notes.append("in place")
    if step.op == "bind" and step.operands[0].transposed:
        notes.append("a view")
    if step.op == "update":
        notes.append("in place")
    if step.layer is not None:
        notes.append(f"layer {step.layer}")
    if step.scratch:
        notes.append(f"{size(step.scratch)} scratch")
    return "; ".join(notes)


def shape_cells(plan):
    """A function printing a step's shape as the tables show it (``b×n1``, ``scalar``), each
    pair of dimension roots once: a dimension's text depends on its root alone, and a plan's
    steps have few distinct roots (142,857 steps and one pair at the size limit)."""
    dim, cells = plan.shapes.dim, {}

    def cell(shape) -> str:
        if shape is None:
            return "scalar"
        roots = tuple([find(v) for v in shape])
        text = cells.get(roots)
        if text is None:
            text = cells[roots] = "×".join([str(dim(r)) for r in roots])
        return text
    return cell


def printed_once(show):
    """``show`` of a count, remembered: lowering makes one count object for each set of
    dimension roots and the steps share it, so a table prints each object once (an int by
    its value; a polynomial by identity, held so that its id is not reused)."""
    ints: dict[int, str] = {}
    polys: dict[int, tuple] = {}

    def text(n) -> str:
        if type(n) is int:
            known = ints.get(n)
            if known is None:
                known = ints[n] = show(n)
            return known
        known = polys.get(id(n))
        if known is None:
            known = polys[id(n)] = (n, show(n))
        return known[1]
    return text


def step_rows(plan) -> list[list[str]]:
    """The text plan's rows, one a step, each shape, count and FLOPs formula printed once."""
    shape, count, bytes_ = shape_cells(plan), printed_once(number), printed_once(size)
    formulas: dict[tuple, str] = {}

    def flops(step) -> str:
        if type(step.flops) is int:
            return count(step.flops) if step.flops else "0"
        # the formula's text depends on its factors' roots (Step.flops_text)
        key = (tuple([f if type(f) is int else find(f) for f in step.formula[0]]),
               step.formula[1:])
        text = formulas.get(key)
        if text is None:
            text = formulas[key] = step.flops_text
        return text

    return [[str(step.index), target_text(step), operation_text(plan, step), shape(step.shape),
             flops(step), count(step.multiply_adds), bytes_(step.allocates),
             notes_text(step, bytes_)] for step in plan.steps]
