"""Compare views of a network (SPEC §5): are they the same computation?

Each view — algebra, LaTeX (a formula or a whole document), NumPy source, or a parsed
:class:`Program` — is read into a tree; chained statements are inlined (``l1 = relu(l0W0);
l2 = l1W1`` gives ``l2 = relu(l0W0)W1``); names are aligned by the naming scheme (the NumPy
reader maps ``weights_1_2`` to W1). Then, for every name that all views assign:

- **structural**: the inlined trees are equal — equivalent;
- **numeric**: otherwise (``(AB)C`` and ``A(BC)`` differ in form but not in value) every view
  runs on the same random arrays, in three trials with shapes consistent with every view;
  equal values to a relative 1e-9 make them equivalent.

The report says which check decided, and shows the first sub-expression where the trees
differ, in each view's own language, with its line and column. The parts: reading the
views (``compare_reading.py``), inlining and the first difference in form
(``compare_trees.py``), the numeric check (``compare_values.py``); this module compares
and reports.

>>> compare("l2 = relu(l0W0)W1",
...         "layer_2 = relu(layer_0.dot(weights_0_1)).dot(weights_1_2)").report()
'equivalent (structural): the trees are the same after inlining; compared l2'
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .compare_reading import View, read_view  # noqa: F401 (re-exported: cli_commands, tests)
from .compare_trees import first_difference, inline  # noqa: F401 (re-exported: tests)
from .compare_values import differs_in_value, value_difference
from .errors import NotationError, NotationOptionError, line_and_column
from .kinds import declared_scalars
from .nodes import Expr
from .random_inputs import TRIALS
from .walk import printed_size

# Past this many nodes an inlined tree (a DAG, shared where statements reuse a value) is not
# compared node by node: the numeric check decides.
MAX_NODES = 200_000
SHOWN = 160  # characters of a sub-expression shown in a report


@dataclass(frozen=True)
class Difference:
    """Where two views first differ: the name compared and the sub-expression in each."""

    key: str
    first: Expr | None
    second: Expr | None


@dataclass(frozen=True)
class PairResult:
    first: int                 # indices into Comparison.views
    second: int
    equivalent: bool
    method: str                # "structural" or "numeric"
    keys: tuple[str, ...]
    difference: Difference | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Comparison:
    """The verdict: ``bool(result)`` is whether every view agrees with the first."""

    views: tuple[View, ...]
    pairs: tuple[PairResult, ...] = field(default=())

    @property
    def equivalent(self) -> bool:
        return all(p.equivalent for p in self.pairs)

    @property
    def method(self) -> str:
        return "structural" if all(p.method == "structural" for p in self.pairs) else "numeric"

    def __bool__(self) -> bool:
        return self.equivalent

    def report(self) -> str:
        return "\n".join(_report_pair(self, p) for p in self.pairs)


# ---------------------------------------------------------------------------- the comparison

def compare(*views, naming: str = "book", names=None) -> Comparison:
    """Compare two or more views; each a str (algebra, LaTeX or NumPy) or a Program.

    >>> bool(compare("y = (AB)C", "y = A(BC)"))
    True
    """
    if len(views) < 2:
        raise NotationOptionError("compare() needs two or more views")
    read = tuple(read_view(v, naming=naming, names=names) for v in views)
    pairs = tuple(_compare_pair(read, 0, i) for i in range(1, len(read)))
    return Comparison(read, pairs)


def _compare_pair(views, i: int, j: int) -> PairResult:
    a, b = views[i], views[j]
    out_a, out_b = inline(a.program), inline(b.program)
    notes = []
    # (label, key in view a, key in view b, inlined value in a, inlined value in b)
    pairs = [(k, k, k, out_a[k], out_b[k]) for k in out_a if k in out_b]
    for label, mine, other in ((i, out_a, out_b), (j, out_b, out_a)):
        only = [k for k in mine if k not in other]
        if only and pairs:
            notes.append(f"{', '.join(only)} only in view {label + 1} (inlined where used)")
    if not pairs:
        if not out_a or not out_b:
            raise NotationError("a view has no value to compare: it only declares shapes")
        ka, kb = list(out_a)[-1], list(out_b)[-1]
        pairs = [(ka if ka == kb else f"{ka} and {kb}", ka, kb, out_a[ka], out_b[kb])]
        notes.append("no name is assigned in both views: their last values are compared")
    compared = tuple(p[0] for p in pairs)
    form = None
    # Shared across the names: the inlined values share sub-trees (l2's holds l1's).
    sizes: dict[int, int] = {}
    equal: set[tuple[int, int]] = set()
    for label, _, _, x, y in pairs:
        if printed_size(x, MAX_NODES, sizes) > MAX_NODES \
                or printed_size(y, MAX_NODES, sizes) > MAX_NODES:
            form = Difference(label, None, None)
            break
        found = first_difference(x, y, equal)
        if found is not None:
            form = Difference(label, *found)
            break
    if form is None:
        return PairResult(i, j, True, "structural", compared, None, tuple(notes))
    found = differs_in_value(a.program, b.program, pairs, notes)
    if found is None:
        return PairResult(i, j, True, "numeric", compared, form, tuple(notes))
    (label, _, _, x, y), inputs = found
    from .compare_steps import describe
    notes.extend(f"step: {line}" for line in describe(a.program, b.program))
    where = (None, None)
    if printed_size(x, MAX_NODES, sizes) <= MAX_NODES \
            and printed_size(y, MAX_NODES, sizes) <= MAX_NODES:
        where = value_difference(x, y, inputs)
    return PairResult(i, j, False, "numeric", compared, Difference(label, *where), tuple(notes))


# ---------------------------------------------------------------------------- the report

def show(view: View, node: Expr | None) -> str:
    """A sub-expression in the view's own language, with where it is in the view's text."""
    if node is None:
        return "(too large to show)"
    if view.kind == "NumPy":
        from .emit.numpy import expression
        text = expression(node, style=view.style, declared=declared_scalars(view.program))
    elif view.kind == "LaTeX":
        from .emit.latex import latex
        text = latex(node)
    else:
        from .emit.algebra import algebra
        text = algebra(node)
    if len(text) > SHOWN:
        text = text[:SHOWN - 1] + "…"
    where = ""
    if node.span is not None and view.program.source:
        line, column = line_and_column(view.program.source, node.span.start)
        where = f", line {line}, column {column}"
    return f"({view.kind}{where}): {text}"


def _report_pair(result: Comparison, p: PairResult) -> str:
    keys = ", ".join(p.keys)
    many = len(result.views) > 2
    head = f"view {p.first + 1} and view {p.second + 1}: " if many else ""
    if p.equivalent and p.method == "structural":
        lines = [f"{head}equivalent (structural): the trees are the same after inlining; "
                 f"compared {keys}"]
    elif p.equivalent:
        lines = [f"{head}equivalent (numeric): the trees differ in form but agree on random "
                 f"arrays in {TRIALS} trials; compared {keys}",
                 "  first difference in form:"]
    else:
        lines = [f"{head}different (numeric): {p.difference.key} differs on random arrays; "
                 f"compared {keys}", "  first difference:"]
    if p.difference is not None and (p.difference.first is not None or not p.equivalent):
        lines.append(f"    view {p.first + 1} {show(result.views[p.first], p.difference.first)}")
        lines.append(f"    view {p.second + 1} {show(result.views[p.second], p.difference.second)}")
    elif not (p.equivalent and p.method == "structural"):
        lines.append("    (the trees are too large to show)")
    lines += [f"  note: {n}" for n in p.notes]
    for k in (p.first, p.second):
        if result.views[k].reading:
            lines.append(f"  note: view {k + 1} {result.views[k].reading}")
    for index in (p.first, p.second):
        lines += [f"  view {index + 1}: {n}" for n in result.views[index].notes]
    return "\n".join(lines)
