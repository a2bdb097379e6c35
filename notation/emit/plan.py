"""The plan view: an aligned table of steps, the totals, the shapes and where each inferred
dimension came from, and the cheapest order of each chain (SPEC §4); or the same as a dict
for ``--json``. The totals' labels and texts, which every view of a plan prints, are
``plan_figures.py``'s.
"""

from __future__ import annotations

from ..collector import paused as collector_paused
from .algebra import algebra
from .plan_cells import operation_text, step_rows, target_text
from .plan_figures import figures, number, peaks_value, value, with_inputs_value


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    if not rows:
        return []
    widths = [max(map(len, column)) for column in zip(*rows)][:len(rows[0])]
    justify = [str.rjust if i in right else str.ljust for i in range(len(widths))]
    return ["  ".join([j(c, w) for j, c, w in zip(justify, r, widths)]).rstrip() for r in rows]


# As plan.build: the table of a 30,000-step plan makes a few hundred thousand lists and
# strings and no cycle; the collector's passes over the plan's objects, which found nothing
# to free, were half the time of printing it.
@collector_paused
def plan_text(plan, shapes: bool = True) -> str:
    """The plan view's text: the table of steps, the figures, the shapes, the chains.

    >>> from notation import parse
    >>> print(plan_text(parse("l1 = l0W0").plan(sizes="3,4", batch="2")).splitlines()[0])
    plan of l1 = l0W0  (float64; the book's convention)
    """
    s = plan.shapes
    head = _head(plan.program)
    convention = "the book's convention" if plan.convention else "no convention"
    if plan.shapes.columns:
        convention += "; columns"
    out = [f"plan of {head}  ({plan.dtype}; {convention}{'; optimized' if plan.optimize else ''})", ""]
    if plan.steps:
        rows = [["step", "value", "operation", "shape", "FLOPs", "multiply-adds", "allocates", ""]]
        out += _table(rows + step_rows(plan), {0, 4, 5, 6})
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
    from ..steps import factor_text
    where = plan.shapes.at_line(c.node).strip()
    nodes = c.factor_nodes          # a long chain's head prints two of its factors, not all
    head = ("".join(c.factors) if len(nodes) <= 12
            else factor_text(nodes[0]) + "…" + factor_text(nodes[-1]))
    if c.reason:
        return f"{head} ({where}): {len(nodes)} factors; {c.reason}"
    pct = 100 * c.saving / c.written_flops if c.written_flops else 0
    verb = "adopted" if c.adopted else "--optimize adopts it"
    return (f"{head} ({where}): as written {c.written_text} costs {number(c.written_flops)} FLOPs; "
            f"{c.best_text} costs {number(c.best_flops)}, saving {number(c.saving)} "
            f"({pct:.0f}%): {verb}")


# --------------------------------------------------------------------------- JSON

def names_table(shapes, into: dict | None = None) -> dict:
    """``{algebra name: shape}`` of the names of ``shapes`` (a Shapes), added to ``into``
    where it has none: shape_table without a plan (the diagram needs only these)."""
    out = {} if into is None else into
    for name, shape in shapes.names.items():
        key = algebra(name)
        if key not in out:
            out[key] = None if shape is None else [value(shapes.count(v)) for v in shape]
    return out


def shape_table(plan, *, steps: bool = False, into: dict | None = None) -> dict:
    """``{algebra name: shape}`` as plan_dict's "shapes" give them (with ``steps``, then each
    step's value text too, where no name has it): what the diagram needs, without explaining
    every dimension and printing every figure as plan_dict does. With ``into``, the shapes
    are added to that dict where it has none (its own are kept, and not computed again)."""
    s = plan.shapes
    out = names_table(s, into)
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
