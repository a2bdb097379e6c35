"""A cell or loop as printed -> the statements of the step, and what was skipped and why.

A training loop is a ``for``/``while`` whose body updates something (``w -= …``, ``w += …``,
``w = w - …``). Its step is the innermost loop body holding the updates; everything outside it
is setup (data, initial weights, hyperparameters) and is skipped, but what it says about a
name is kept: ``alpha = 0.2`` makes ``alpha`` a scalar, ``np.random.random((3, 4))`` a matrix.
Inside the step these are recognised and skipped, each listed with its line:

- printing (``print``, ``sys.stdout.write``);
- bookkeeping: counters and error sums set to a number and accumulated (``error += …``,
  ``correct_cnt += int(np.argmax(…) == …)``); ``error += np.sum((l2 - y) ** 2)`` names the
  loss (mse); values that use ``np.argmax``, ``int()``, ``len()`` or a total ``np.sum``;
- loops and ``if`` blocks that update nothing (accuracy counts, evaluation on test data);
- the bounds of a batch (``batch_start, batch_end = …``), indices (``i = 0``);
- a row slice of a data array bound to a name (``layer_0 = images[i:i+1]``): that name is
  an input; a mask drawn with ``np.random`` (``dropout_mask = np.random.randint(2,
  size=layer_1.shape)``): an input shaped as the layer.

A loop inside the step that repeats the updates (``for k in range(batch_size): … weights +=
…``) changes the computation: it is reported as a warning, and its body read once.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ...errors import NotationTranslationError
from .assignments import Assignments, _two_dimensional
from .names import Binding, key
from .syntax import dotted, number, what, unparse

PRINTERS = {"print", "sys.stdout.write", "sys.stderr.write", "display", "plt.plot", "plt.show"}


@dataclass(frozen=True)
class Skipped:
    """A line the step does not hold, and why."""

    line: int
    text: str
    why: str
    construct: str = ""

    def __str__(self) -> str:
        return f"line {self.line}: {self.text} — {self.why}"


def updates(node) -> bool:
    """Does a statement (or any statement inside it) update something?"""
    for sub in ast.walk(node):
        if isinstance(sub, ast.AugAssign) and isinstance(sub.op, (ast.Add, ast.Sub)):
            if not _counter_like(sub):
                return True
        if isinstance(sub, ast.Assign) and len(sub.targets) == 1:
            k = key(sub.targets[0])
            v = sub.value
            if k is not None and isinstance(v, ast.BinOp) and isinstance(v.op, (ast.Add, ast.Sub)) \
                    and key(v.left) == k and not _counter_like(sub):
                return True
    return False


def _counter_like(node) -> bool:
    """``count += int(…)``, ``error += np.sum(…)``, ``error += error_of_row``: bookkeeping."""
    value = node.value
    names = {dotted(c.func) or "" for c in ast.walk(value) if isinstance(c, ast.Call)}
    last = {n.rsplit(".", 1)[-1] for n in names}
    if last & {"argmax", "int", "float", "len", "mean"}:
        return True
    if "sum" in last and any(isinstance(c, ast.Call) and (dotted(c.func) or "").endswith("sum")
                             and not c.keywords for c in ast.walk(value)):
        return True
    if _product(value):
        return False     # a product is network arithmetic, whatever the name: grad_acc += x.T.dot(d)
    target = key(getattr(node, "target", None) or node.targets[0]) or ""
    return any(w in target.lower() for w in ("error", "err", "loss", "cnt", "count", "correct",
                                             "acc", "total"))


def _repeated(inner, outer) -> str:
    """The warning for a loop inside the step that repeats updates: an accumulation (``acc
    += x.T.dot(d)`` inside, ``w -= alpha * acc`` after it) or updates made many times."""
    per = unparse(inner.iter) if isinstance(inner, ast.For) else "turn"
    inside = {key(t.target) for t in ast.walk(inner) if isinstance(t, ast.AugAssign)} - {None}
    after = {key(n) for t in outer.body if t is not inner for u in ast.walk(t)
             if isinstance(u, ast.AugAssign) for n in ast.walk(u.value)} - {None}
    summed = sorted(inside & after)
    if summed:
        return (f"the loop at line {inner.lineno} accumulates {', '.join(summed)} over its turns "
                f"(once per {per}), and the update after it uses the sum; the step is read for "
                f"one turn, as if the loop were not there: {', '.join(summed)} is one turn's "
                f"share of what the source adds up")
    return (f"the loop at line {inner.lineno} repeats the updates inside it (once per {per}); "
            f"the step is read once, as if the loop were not there: the source changes the "
            f"weights that many times per batch")


def _product(value) -> bool:
    """Does a value hold a matrix product (``.dot``, ``@``, ``np.matmul``, ``np.outer``)?"""
    return any(isinstance(c, ast.BinOp) and isinstance(c.op, ast.MatMult)
               or isinstance(c, ast.Call) and (c.func.attr if isinstance(c.func, ast.Attribute)
                                               else dotted(c.func)) in ("dot", "matmul", "outer")
               for c in ast.walk(value))


class Cells(Assignments):
    """Splits statements into the step and the skipped, gathering bindings."""

    def __init__(self, positions, numpy_names):
        self.positions = positions
        self.numpy_names = numpy_names
        self.skipped: list[Skipped] = []
        self.bindings: dict[str, Binding] = {}
        self.warnings: list[tuple[str, object]] = []
        self.loss: str | None = None
        self.counters: set[str] = set()
        self.data: set[str] = set()          # names bound to data written out (lists, arrays)
        self.numbers: set[str] = set()       # ... as a flat list of numbers: an item is one

    def skip(self, node, why: str) -> None:
        text = self.positions.segment(node).split("\n")[0].strip()
        if len(text) > 60:
            text = text[:59] + "…"
        self.skipped.append(Skipped(node.lineno, text, why, what(node)))

    def ipython(self, lines) -> None:
        """Lines of a notebook cell that are IPython's (``%matplotlib inline``), not Python."""
        for line, text in lines:
            self.skipped.append(Skipped(line, text[:60], "an IPython command, not Python",
                                        "an IPython command"))

    # -- the whole cell
    def step(self, statements: list) -> list:
        loops = [s for s in statements if isinstance(s, (ast.For, ast.While)) and updates(s)]
        if not loops:
            out = self.body([s for s in statements if not isinstance(s, (ast.For, ast.While))],
                            top=True)
            repeated = [s for s in statements if isinstance(s, (ast.For, ast.While))
                        and not out and self.computes(s)]
            if repeated:           # a loop that repeats a forward pass: its body is the step
                loops = repeated[:1]
            elif not any(isinstance(s, (ast.For, ast.While)) for s in statements):
                return out         # read once: each skipped line is listed once
            else:
                return self.body(statements, top=True)
        if len(loops) > 1:
            raise NotationTranslationError(
                "two training loops: the notation reads one step", self.positions.span(loops[1]),
                label="a second loop that updates", hint="read each loop on its own")
        loop = loops[0]
        for s in statements:
            if s is not loop:
                self.setup(s)
        return self.loop(loop)

    def loop(self, loop) -> list:
        self.skip(loop, "repeats the step")
        inner = [s for s in loop.body if isinstance(s, (ast.For, ast.While)) and updates(s)]
        if len(inner) > 1:
            raise NotationTranslationError(
                "two loops that update inside one loop: the notation reads one step",
                self.positions.span(inner[1]), label="a second loop that updates")
        if inner and not any(self.arithmetic(s) for s in loop.body if s is not inner[0]):
            for s in loop.body:
                if s is not inner[0]:
                    self.bookkeeping(s)
            return self.loop(inner[0])
        out = []
        for s in loop.body:
            if inner and s is inner[0]:
                self.warnings.append((_repeated(s, loop), s))
                self.skip(s, "repeats the updates: reported, its body read once")
                out.extend(self.body(s.body))
            else:
                out.extend(self.body([s]))
        return out

    def computes(self, loop) -> bool:
        """Does a loop's body hold network arithmetic (and no loop that does)?"""
        return any(self.arithmetic(s) and not isinstance(s, (ast.For, ast.While, ast.If))
                   for s in loop.body)

    def arithmetic(self, s) -> bool:
        """Would this statement be read (not skipped) in a step?"""
        saved = (list(self.skipped), dict(self.bindings), list(self.warnings), self.loss,
                 set(self.counters))
        try:
            return bool(self.body([s]))
        except NotationTranslationError:
            return True
        finally:
            self.skipped, self.bindings, self.warnings, self.loss, self.counters = saved

    # -- setup outside the loop
    def setup(self, s) -> None:
        if isinstance(s, ast.Assign):
            self.bind(s)
        self.skip(s, "setup, outside the step")

    def bind(self, s: ast.Assign) -> None:
        """What a setup assignment says about its names."""
        targets = s.targets[0]
        values = s.value
        pairs = [(targets, values)]
        if isinstance(targets, ast.Tuple):
            if isinstance(values, ast.Tuple) and len(values.elts) == len(targets.elts):
                pairs = list(zip(targets.elts, values.elts))
            else:
                return
        for t, v in pairs:
            k = key(t)
            if k is None:
                continue
            if isinstance(v, (ast.List, ast.Tuple)) or isinstance(v, ast.Call) and (
                    dotted(v.func) or "").split(".")[-1] == "array":
                self.data.add(k)
                if isinstance(v, (ast.List, ast.Tuple)) and v.elts and all(number(e) for e in v.elts):
                    self.numbers.add(k)
            if number(v):
                self.bindings[k] = Binding("scalar", f"{k} = {self.positions.segment(v)[:40]}")
            elif any(isinstance(c, ast.Call) and (dotted(c.func) or "").split(".")[-1]
                     in ("random", "rand", "randn", "normal", "uniform", "standard_normal")
                     for c in ast.walk(v)) and _two_dimensional(v):
                self.bindings[k] = Binding("matrix", f"{k}: initial weights")

    # -- inside the step
    def body(self, statements: list, *, top: bool = False) -> list:
        out = []
        for s in statements:
            why = self.classify(s, top=top)
            if why is None:
                out.append(s)
            elif why:
                self.skip(s, why)
        return out

    def bookkeeping(self, s) -> None:
        why = self.classify(s, top=False)
        if why is None:
            raise NotationTranslationError(
                "this line is outside the loop that updates, yet part of the computation",
                self.positions.span(s), label="network arithmetic outside the step",
                hint="put it inside the loop with the updates, or read the step alone")
        if why:
            self.skip(s, why)

    def classify(self, s, *, top: bool) -> str | None:
        """Why a statement is skipped, or None if it is read ("" skips without listing)."""
        if isinstance(s, ast.Pass):
            return ""
        if isinstance(s, ast.Expr):
            if isinstance(s.value, ast.Constant) and isinstance(s.value.value, str):
                return ""
            if isinstance(s.value, ast.Call) and (dotted(s.value.func) or "") in PRINTERS:
                return "printing"
            if isinstance(s.value, ast.Call) and (dotted(s.value.func) or "").endswith("seed"):
                return "setup: the random seed"
            return None
        if isinstance(s, (ast.If, ast.For, ast.While)):
            if updates(s):
                raise NotationTranslationError(
                    f"an update inside {'an if statement' if isinstance(s, ast.If) else 'a loop'} "
                    f"changes the computation: the notation reads one step",
                    self.positions.span(s), label="updates under control flow",
                    hint="read the step without the condition or loop")
            return "bookkeeping: updates nothing (accuracy, evaluation, printing)"
        if isinstance(s, (ast.Import, ast.ImportFrom)):
            return "an import"
        if isinstance(s, ast.Assert):
            return "a check (assert)"
        if isinstance(s, ast.AugAssign):
            k = key(s.target)
            if k in self.counters and _product(s.value):
                # acc = 0 then acc += x.T.dot(d): an accumulated array, not a counter
                self.counters.discard(k)
                if k in self.bindings and self.bindings[k].kind == "scalar":
                    del self.bindings[k]
                return None
            if k in self.counters or _counter_like(s):
                self.name_loss(s)
                return "bookkeeping: an error or accuracy sum"
            return None
        if not isinstance(s, ast.Assign):
            return None
        return self.assignment(s, top=top)
