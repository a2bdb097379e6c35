"""The assignments of a step: which are read, and which are skipped as bookkeeping, data,
inputs (a row slice, an item of data, a mask drawn with ``np.random``) or setup. A mixin of
:class:`.cells.Cells`.
"""

from __future__ import annotations

import ast

from ...errors import NotationTranslationError
from .names import Binding, is_rows, key, one_row
from .syntax import dotted, number, unparse

SETUP_CALLS = {"array", "zeros", "ones", "eye", "empty", "full", "random", "rand", "randn",
               "randint", "uniform", "normal", "seed", "reshape", "load_data", "asarray",
               "zeros_like", "ones_like", "arange", "linspace", "load", "astype", "standard_normal",
               "binomial", "choice", "permutation", "shuffle", "default_rng"}


class Assignments:
    def assignment(self, s: ast.Assign, *, top: bool) -> str | None:
        """Why an assignment of the step is skipped, or None if it is read."""
        target, value = s.targets[0], s.value
        if len(s.targets) == 1 and isinstance(target, ast.Tuple):
            return self.tuple_assignment(s, top=top)
        k = key(target) if len(s.targets) == 1 else None
        if k is None:
            return None
        if isinstance(target, ast.Subscript):
            raise NotationTranslationError(
                f"setting one element ({unparse(target)} = …) changes the computation: the "
                f"notation has no assignment to an element", self.positions.span(s),
                label="an element assigned",
                hint="compute the whole array (multiply by a mask of 0s and 1s), or read the "
                     "step without this line")
        if number(value):
            self.bind(s)
            if top:
                return None
            self.counters.add(k)
            return "a number: an index or a counter"
        if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name) \
                and value.value.id in self.data and isinstance(value.slice, ast.Constant) \
                and type(value.slice.value) is int:
            of = value.value.id
            # an item of a flat list of numbers is a number: a scalar (chapters 3-5)
            self.bindings[k] = Binding("scalar" if of in self.numbers else "rows",
                                       f"item {value.slice.value} of {of}", of=of, single=True)
            return f"{k} is an input: item {value.slice.value} of the data {of}"
        if is_rows(value):
            self.bindings[k] = Binding("rows", f"rows of {value.value.id}", of=value.value.id,
                                       single=one_row(value))
            return f"{k} is an input: rows of {value.value.id}"
        mask = self.mask(value)
        if mask is not None:
            self.bindings[k] = Binding("mask", f"a mask shaped as {mask}", of=mask)
            return f"{k} is an input: a mask drawn with np.random, shaped as {mask}"
        nodes = list(ast.walk(value))       # walked once for both questions
        if _setup_value(nodes, self.numpy_names):
            self.bind(s)
            return "setup: data or initial values"
        calls = {(dotted(c.func) or "").rsplit(".", 1)[-1] for c in nodes
                 if isinstance(c, ast.Call)}
        if calls & {"argmax", "int", "float", "len", "str"} or k in self.counters:
            return "bookkeeping: accuracy or error"
        return None

    def tuple_assignment(self, s: ast.Assign, *, top: bool) -> str | None:
        """``a, b = …``: counters, the bounds of a batch, data, unpacked parameters."""
        target, value = s.targets[0], s.value
        if isinstance(value, ast.Tuple) and all(number(v) for v in value.elts):
            self.bind(s)
            if not top:
                self.counters.update(key(t) for t in target.elts if key(t))
            return "bookkeeping: counters set to numbers"
        if isinstance(value, ast.Tuple) and len(value.elts) == len(target.elts) and all(
                _index(v) and not isinstance(v, ast.Name) for v in value.elts):
            return "the bounds of a batch"
        if _setup_value(ast.walk(value), self.numpy_names):
            return "setup: data"
        names = [key(t) for t in target.elts]
        parts = value.elts if isinstance(value, ast.Tuple) else None
        if all(names) and (parts is not None and len(parts) == len(names) and all(
                key(p) is not None and not is_rows(p) and not isinstance(p, ast.Name)
                for p in parts)
                or parts is None and key(value) is not None and not is_rows(value)):
            # W1, b1 = model['W1'], model['b1'] (or = params): the parameters by name
            where = (", ".join(unparse(p) for p in parts) if parts is not None
                     else f"the items of {unparse(value)}")
            return f"unpacks the parameters: {', '.join(names)} stand for {where}"
        return None

    def mask(self, value) -> str | None:
        if not isinstance(value, ast.Call):
            return None
        name = dotted(value.func) or ""
        if not (name.split(".")[0] in self.numpy_names and ".random." in f".{name}."):
            return None
        for kw in value.keywords:
            if kw.arg in ("size", "shape") and isinstance(kw.value, ast.Attribute) \
                    and kw.value.attr == "shape":
                return key(kw.value.value)
        for arg in value.args:
            if isinstance(arg, ast.Attribute) and arg.attr == "shape":
                return key(arg.value)
            if isinstance(arg, ast.Starred) and isinstance(arg.value, ast.Attribute) \
                    and arg.value.attr == "shape":
                return key(arg.value.value)
        return None

    def name_loss(self, s: ast.AugAssign) -> None:
        """``error += np.sum((a - b) ** 2)`` says the loss is the squared error."""
        for c in ast.walk(s.value):
            if isinstance(c, ast.BinOp) and isinstance(c.op, ast.Pow) \
                    and isinstance(c.left, ast.BinOp) and isinstance(c.left.op, ast.Sub):
                self.loss = "mse"


def _index(node) -> bool:
    return all(isinstance(n, (ast.Name, ast.Constant, ast.BinOp, ast.Load, ast.Add, ast.Sub,
                              ast.Mult, ast.FloorDiv, ast.UnaryOp, ast.USub, ast.Call))
               for n in ast.walk(node)) and not any(
        isinstance(n, ast.Call) and (dotted(n.func) or "") not in ("int", "len", "min", "max")
        for n in ast.walk(node))


def _two_dimensional(node) -> bool:
    for c in ast.walk(node):
        if isinstance(c, ast.Tuple) and len(c.elts) == 2:
            return True
        if isinstance(c, ast.Call) and len(c.args) == 2 and (dotted(c.func) or "").endswith(
                ("rand", "randn")):
            return True
    return False


def _setup_value(nodes, numpy_names) -> bool:
    """Data or initial values: literals, np.array/zeros/random…, reshape, load_data (in
    ``nodes``, the nodes of the value: ast.walk's)."""
    for c in nodes:
        if isinstance(c, (ast.List, ast.ListComp, ast.Dict)):
            return True
        if isinstance(c, ast.Call):
            last = c.func.attr if isinstance(c.func, ast.Attribute) else (dotted(c.func) or "")
            if last in SETUP_CALLS:
                return True
    return False
