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
differ, in each view's own language, with its line and column.

>>> compare("l2 = relu(l0W0)W1",
...         "layer_2 = relu(layer_0.dot(weights_0_1)).dot(weights_1_2)").report()
'equivalent (structural): the trees are the same after inlining; compared l2'
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field

from .errors import (NotationError, NotationOptionError, NotationShapeError,
                     NotationTranslationError, line_and_column)
from .kinds import declared_scalars
from .emit.numpy_program import EXPRESSION_KEY
from .nodes import (BINARY, Add, Assign, Call, Expr, ExprStatement, Name, Number, Program,
                    Subtract, Update)
from .random_inputs import TRIALS, random_inputs
from .walk import children as _children, printed_size

# Past this many nodes an inlined tree (a DAG, shared where statements reuse a value) is not
# compared node by node: the numeric check decides.
MAX_NODES = 200_000
RELATIVE, ABSOLUTE = 1e-9, 1e-12
SHOWN = 160  # characters of a sub-expression shown in a report


@dataclass(frozen=True)
class View:
    """One view as read: what it was (``algebra``, ``LaTeX``, ``NumPy``, ``tree``) and its tree."""

    kind: str
    program: Program
    style: str = "book"      # for NumPy views: how to show sub-expressions back
    reading: str = ""        # when the text reads as two views: which one was taken, and why
    notes: tuple[str, ...] = ()   # for NumPy views: the legend and warnings of the reading


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


# ---------------------------------------------------------------------------- reading views

def read_view(view, kind: str | None = None, *, naming: str = "book", names=None,
              columns: bool = False, cell=None) -> View:
    """A view from text (algebra, LaTeX or NumPy, guessed unless ``kind`` says) or a Program;
    ``columns`` reads NumPy as column-vector code (``np.dot(W, a) + b``); ``cell`` chooses
    the code cell of a notebook view (kind ``"notebook"``)."""
    if isinstance(view, Program):
        return View("tree", view)
    if isinstance(view, View):
        return view
    if not isinstance(view, str):
        raise NotationOptionError(f"a view is a str or a Program, not {type(view).__name__}")
    if kind == "numpy":
        return _numpy_view(view, naming, names, columns)
    if kind == "notebook":
        from .read.numpy.notebook import is_notebook
        if not is_notebook(view):
            raise NotationTranslationError(
                "this .ipynb view is not a Jupyter notebook (nbformat JSON with its cells)",
                hint="give the notebook's file as Jupyter saves it")
        return _numpy_view(view, naming, names, columns, cell)
    if kind in ("latex", "algebra"):
        from .read.latex import from_latex
        return View("LaTeX" if kind == "latex" else "algebra", from_latex(view))
    from .read.latex import from_latex
    try:
        program = from_latex(view)
    except NotationError as notation_error:
        try:
            return _numpy_view(view, naming, names, columns)
        except NotationError as numpy_error:
            # Report the reading that got further: Python that parses is meant as Python.
            import ast
            try:
                ast.parse(view)
            except Exception:
                raise notation_error from None
            raise numpy_error from None
    kind = "LaTeX" if "\\" in view else "algebra"
    return _plausible(view, View(kind, program), naming, names, columns)


# A Python identifier of two or more letters that is no call (`Pi_1`, `alpha`, `layer_0`),
# NumPy's own spellings (`np.`, `.dot(`, `.T`, `@`: the matmul style prints `B.T * 0.5 @ E`,
# which the algebra also reads, as Bᵀ ⊙ 0.5E), or Python's power: text that is more
# plausibly Python.
_PYTHON_SIGNS = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{2,}\w*(?!\w|\s*\()|\bnp\.|\.dot\(|\*\*"
                           r"|\.T\b|@")


def _plausible(text: str, read: View, naming: str, names=None, columns: bool = False) -> View:
    """Inline text that reads both as notation and as Python (``y = Pi_1 * x``) is taken as
    the view it most plausibly is, and the report says which reading was taken."""
    if "\\" in text:
        return read
    try:
        python = _numpy_view(text, naming, names, columns)
    except NotationError:
        return read
    if python.program == read.program or python.notes:
        return read        # names the NumPy reader had to invent (l1W1): not Python's
    if _PYTHON_SIGNS.search(text):
        return View(python.kind, python.program, python.style, notes=python.notes, reading=
                    "it reads as algebra too; it was read as NumPy (a name of several "
                    "letters is Python's)")
    return View(read.kind, read.program, read.style,
                "it reads as NumPy too; it was read as algebra (give a .py file to read it "
                "as NumPy)")


def _numpy_view(text: str, naming: str, names=None, columns: bool = False, cell=None) -> View:
    from .read.numpy import read_numpy
    reading = read_numpy(text, naming=naming, names=names, columns=columns, cell=cell)
    text = reading.program.source or text
    notes = tuple(f"{k} → {n} ({w})" for k, n, w in reading.legend.entries())
    # a notebook cell's definitions from the cells before it: where each came from
    notes += tuple(f"from an earlier cell: {h}" for h in reading.helpers if "(code cell " in h)
    notes += tuple(f"warning: {w}" for w in reading.warnings)
    return View("NumPy", reading.program, "matmul" if "@" in text else "book", notes=notes)


# ---------------------------------------------------------------------------- inlining

def inline(program: Program) -> dict[str, Expr]:
    """``{notation name: value}`` with earlier statements substituted into later ones."""
    from .evaluate import key
    env: dict[Name, Expr] = {}
    out: dict[str, Expr] = {}
    for s in program.statements:
        if isinstance(s, Assign):
            env[s.target] = _substitute(s.value, env)
            out[key(s.target)] = env[s.target]
        elif isinstance(s, Update):
            change = _substitute(s.value, env)
            old = env.get(s.target, s.target)
            env[s.target] = (Subtract if s.op == "-=" else Add)(old, change)
            out[key(s.target)] = env[s.target]
        elif isinstance(s, ExprStatement):
            out[EXPRESSION_KEY] = _substitute(s.expr, env)
    return out


def _substitute(root: Expr, env: dict[Name, Expr]) -> Expr:
    if not env:
        return root
    results: list[Expr] = []
    stack: list = [(root, False)]
    while stack:
        node, ready = stack.pop()
        if isinstance(node, Name):
            results.append(env.get(node, node))
        elif isinstance(node, Number):
            results.append(node)
        elif not ready:
            stack.append((node, True))
            stack.extend((c, False) for c in reversed(_children(node)))
        else:
            count = len(_children(node))
            kids = results[len(results) - count:]
            del results[len(results) - count:]
            results.append(_rebuild(node, kids))
    return results[0]


def _rebuild(node: Expr, kids: list[Expr]) -> Expr:
    if all(a is b for a, b in zip(kids, _children(node))):
        return node
    if isinstance(node, BINARY):
        return type(node)(kids[0], kids[1])
    if isinstance(node, Call):
        return Call(node.func, kids[0], node.derivative)
    return type(node)(kids[0])


def first_difference(a: Expr, b: Expr, seen: set[tuple[int, int]] | None = None
                     ) -> tuple[Expr, Expr] | None:
    """The outermost, leftmost pair of sub-expressions that differ, or None if equal.

    ``seen`` holds the pairs ``(id(x), id(y))`` already found equal by earlier calls that
    returned None (for trees the caller keeps alive): the inlined values of a network share
    each earlier layer's tree, and comparing every layer is then linear, not quadratic."""
    stack = [(a, b)]
    seen = set() if seen is None else seen
    while stack:
        x, y = stack.pop()
        if x is y or (id(x), id(y)) in seen:
            continue
        seen.add((id(x), id(y)))
        if type(x) is not type(y) or _label(x) != _label(y):
            return x, y
        stack.extend(reversed(list(zip(_children(x), _children(y)))))
    return None


def _label(node: Expr):
    if isinstance(node, Name):
        return node.letter, node.sub
    if isinstance(node, Number):
        return node.text
    if isinstance(node, Call):
        return node.func, node.derivative
    return None


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
    found = _differs_in_value(a.program, b.program, pairs, notes)
    if found is None:
        return PairResult(i, j, True, "numeric", compared, form, tuple(notes))
    (label, _, _, x, y), inputs = found
    from .compare_steps import describe
    notes.extend(f"step: {line}" for line in describe(a.program, b.program))
    where = (None, None)
    if printed_size(x, MAX_NODES, sizes) <= MAX_NODES \
            and printed_size(y, MAX_NODES, sizes) <= MAX_NODES:
        where = _value_difference(x, y, inputs)
    return PairResult(i, j, False, "numeric", compared, Difference(label, *where), tuple(notes))


def _same_value(x, y) -> bool:
    import numpy as np
    return np.shape(x) == np.shape(y) and bool(
        np.allclose(x, y, rtol=RELATIVE, atol=ABSOLUTE, equal_nan=True))


def _differs_in_value(p: Program, q: Program, pairs, notes=None):
    """The first pair whose values differ on random inputs, and those inputs; or None."""
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
            if not _same_value(va[pair[1]], vb[pair[2]]):
                return pair, inputs
    return None


def _value_difference(x: Expr, y: Expr, inputs) -> tuple[Expr, Expr]:
    """Descend from two inlined values that differ to the outermost, leftmost pair of
    sub-expressions that differ in form, following the operands that differ in value."""
    import numpy as np
    from .evaluate import Evaluator
    ev = Evaluator(inputs)
    while type(x) is type(y) and _label(x) == _label(y):
        with np.errstate(all="ignore"):
            step = next(((u, v) for u, v in zip(_children(x), _children(y))
                         if not _same_value(ev.expression(u), ev.expression(v))), None)
        if step is None:
            break
        x, y = step
    return x, y


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
