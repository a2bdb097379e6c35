"""The plan view: an aligned table of steps, the totals, the shapes and where each inferred
dimension came from, and the cheapest order of each chain (SPEC §4); or the same as a dict
for ``--json``. The totals' labels and texts, which every view of a plan prints, are
``plan_figures.py``'s.
"""

from __future__ import annotations

import gc

from ..dims import find
from ..steps import NAME, TEMP, Temp, _factor_text
from .algebra import algebra, needs_space
from .plan_figures import figures, number, peaks_value, size, value, with_inputs_value

_SYMBOL = {"hadamard": " ⊙ ", "divide": " / ", "add": " + ", "subtract": " - "}
_MAX_OPERATION = 48     # characters of an operation shown in the table


def operand_text(plan, o) -> str:
    if o.kind == NAME:
        text = algebra(o.ref)
    elif o.kind == TEMP:
        text = algebra(o.ref.bound) if o.ref.bound is not None else f"t{o.ref.number}"
    else:
        text = _factor_text(o.ref)
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


def _notes(step, size=size) -> str:
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
    steps have few distinct roots (142,857 steps and 4 pairs at the size limit)."""
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


def _step_rows(plan) -> list[list[str]]:
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
             _notes(step, bytes_)] for step in plan.steps]


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    if not rows:
        return []
    widths = [max(map(len, column)) for column in zip(*rows)][:len(rows[0])]
    justify = [str.rjust if i in right else str.ljust for i in range(len(widths))]
    return ["  ".join([j(c, w) for j, c, w in zip(justify, r, widths)]).rstrip() for r in rows]


def plan_text(plan, shapes: bool = True) -> str:
    collecting = gc.isenabled()
    # As plan.build: the table of a 30,000-step plan makes a few hundred thousand lists and
    # strings and no cycle; the collector's passes over the plan's objects, which find
    # nothing to free, were half the time of printing it.
    gc.disable()
    try:
        return _plan_text(plan, shapes)
    finally:
        if collecting:
            gc.enable()


def _plan_text(plan, shapes: bool) -> str:
    s = plan.shapes
    head = _head(plan.program)
    convention = "the book's convention" if plan.convention else "no convention"
    if plan.shapes.columns:
        convention += "; columns"
    out = [f"plan of {head}  ({plan.dtype}; {convention}{'; optimized' if plan.optimize else ''})", ""]
    if plan.steps:
        rows = [["step", "value", "operation", "shape", "FLOPs", "multiply-adds", "allocates", ""]]
        out += _table(rows + _step_rows(plan), {0, 4, 5, 6})
    else:
        out.append("no steps: the program computes nothing")
    out += [""] + _table([list(f) for f in figures(plan)], set())
    if shapes and plan.shapes.names:
        out += ["", "shapes"] + _shape_lines(plan)
        unknown = s.unknowns()
        if unknown:
            out += ["", "not determined (give --sizes, --dims, --batch or a declaration)"]
            out += ["  " + line for line in _table([[sym, what] for sym, what in unknown], set())]
    advice = [c for c in plan.chains if c.saving > 0 or c.reason]
    if advice:
        out += ["", "chains"]
        for c in advice:
            out.append("  " + chain_text(plan, c))
    return "\n".join(out)


def _head(program, width: int = 72) -> str:
    """The program's algebra on one line (statements joined by "; "), cut to ``width``:
    printed a statement at a time until it is that long, not the whole program."""
    parts, length = [], 0
    for statement in program.statements:
        text = algebra(statement)
        parts.append(text)
        length += len(text) + 2
        if length > width + 2:
            break
    head = "; ".join(parts).replace("\n", "; ")
    return head[:width - 1] + "…" if len(head) > width else head


def _shape_lines(plan) -> list[str]:
    s = plan.shapes
    rows = []
    # s.declared by (letter, subscript), as Shapes keeps it: hashing the key is cheaper than
    # the Name's dataclass hash, twice a name
    declared, source = s._declared, s.source
    for name, shape in s.names.items():
        label = algebra(name)
        entry = declared.get((name.letter, name.sub))       # (name, origin, dimensions)
        if shape is None:
            rows.append([label, "scalar", entry[1].text(source) if entry else "a Greek letter"])
            continue
        if entry is not None:
            rows.append([label, s.text(shape), entry[1].text(source)])
            continue
        explained = [s.explain(v) for v in shape]
        if explained[0] == explained[1]:
            rows.append([label, s.text(shape), f"inferred: {explained[0]}"])
        else:
            rows.append([label, s.text(shape), f"inferred: {s.dim(shape[0])} = {explained[0]}"])
            rows.append(["", "", f"          {s.dim(shape[1])} = {explained[1]}"])
    return ["  " + line for line in _table(rows, set())]


def chain_text(plan, c) -> str:
    where = plan.shapes.at_line(c.node).strip()
    head = f"{''.join(c.factors) if len(c.factors) <= 12 else c.factors[0] + '…' + c.factors[-1]}"
    if c.reason:
        return f"{head} ({where}): {len(c.factors)} factors; {c.reason}"
    pct = 100 * c.saving / c.written_flops if c.written_flops else 0
    verb = "adopted" if c.adopted else "--optimize adopts it"
    return (f"{head} ({where}): as written {c.written_text} costs {number(c.written_flops)} FLOPs; "
            f"{c.best_text} costs {number(c.best_flops)}, saving {number(c.saving)} "
            f"({pct:.0f}%): {verb}")


# --------------------------------------------------------------------------- JSON

def shape_table(plan, *, steps: bool = False, into: dict | None = None) -> dict:
    """``{algebra name: shape}`` as plan_dict's "shapes" give them (with ``steps``, then each
    step's value text too, where no name has it): what the diagram needs, without explaining
    every dimension and printing every figure as plan_dict does. With ``into``, the shapes
    are added to that dict where it has none (its own are kept, and not computed again)."""
    s = plan.shapes
    out = {} if into is None else into
    for name, shape in s.names.items():
        key = algebra(name)
        if key not in out:
            out[key] = None if shape is None else [value(s.count(v)) for v in shape]
    if steps:
        for step in plan.steps:
            key = str(target_text(step))
            if key not in out:
                out[key] = None if step.shape is None else [value(s.count(v))
                                                            for v in step.shape]
    return out


def plan_dict(plan) -> dict:
    """The plan as plain data: numbers stay numbers, symbolic counts become their text."""
    s = plan.shapes
    steps = []
    for step in plan.steps:
        steps.append({
            "step": step.index,
            "value": target_text(step),
            "op": step.op,
            "function": step.func if step.op in ("call", "derivative") else None,
            "operation": operation_text(plan, step),
            "shape": None if step.shape is None else [value(s.count(v)) for v in step.shape],
            "flops": value(step.flops),
            "multiply_adds": value(step.multiply_adds),
            "allocates": value(step.allocates),
            "scratch": value(step.scratch),
            "in_place": step.in_place is not None or step.op == "update",
            "layer": step.layer,
        })
    shapes = {}
    for name, shape in s.names.items():
        entry = {"shape": None if shape is None else [value(s.count(v)) for v in shape]}
        if name in s.declared:
            entry["declared"] = s.declared[name][0].text(s.source)
        elif shape is not None:
            entry["inferred"] = [s.explain(v) for v in shape]
        shapes[algebra(name)] = entry
    return {
        "program": algebra(plan.program),
        "dtype": plan.dtype,
        "convention": plan.convention,
        "columns": plan.shapes.columns,
        "optimized": plan.optimize,
        "steps": steps,
        "totals": {
            "parameters": value(plan.parameters),
            "flops": value(plan.flops),
            "multiply_adds": value(plan.multiply_adds),
            "bytes_allocated": value(plan.bytes_allocated),
            "input_bytes": value(plan.input_bytes),
            "peak_bytes": peaks_value(plan),
            "peak_bytes_with_inputs": with_inputs_value(plan),
        },
        "figures": [[label, text] for label, text in figures(plan)],
        "inputs": [algebra(n) for n in plan.inputs],
        "outputs": [algebra(n) for n in plan.outputs],
        "shapes": shapes,
        "undetermined": {sym: what for sym, what in s.unknowns()},
        "chains": [{
            "factors": c.factors,
            "line": int(plan.shapes.at_line(c.node).split()[-1]) if plan.shapes.at_line(c.node) else None,
            "written": c.written_text,
            "written_flops": c.written_flops,
            "cheapest": c.best_text,
            "cheapest_flops": c.best_flops,
            "saving": c.saving,
            "adopted": c.adopted,
            "note": c.reason or None,
        } for c in plan.chains],
    }


__all__ = ["plan_text", "plan_dict", "shape_table", "figures", "operation_text", "target_text"]
