"""One pass over the statements to be read: what each identifier does (for the legend)."""

from __future__ import annotations

import ast

from .names import Facts, is_rows, key
from .syntax import dotted


class Survey:
    """Facts per identifier, in the order the computation first reads it."""

    def __init__(self, numpy_names, helper_names, columns: bool = False):
        self.numpy_names = set(numpy_names)
        self.helper_names = set(helper_names)
        self.columns = columns
        self.facts: dict[str, Facts] = {}
        self.assigned: set[str] = set()

    def fact(self, k: str) -> Facts:
        f = self.facts.get(k)
        if f is None:
            f = self.facts[k] = Facts(order=len(self.facts))
        return f

    def statement(self, node) -> None:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = key(node.targets[0])
            operands = self.expression(node.value)
            if target is not None:
                self.target(target, node.value, operands, update=_self_update(target, node.value))
        elif isinstance(node, ast.AugAssign):
            target = key(node.target)
            operands = self.expression(node.value)
            if target is not None:
                if target not in self.assigned:
                    self.fact(target).read_first = True
                update = isinstance(node.op, (ast.Add, ast.Sub))
                self.target(target, node.value, operands, update=update)
        elif isinstance(node, ast.Expr):
            self.expression(node.value)

    def target(self, k: str, value, operands, *, update: bool) -> None:
        f = self.fact(k)
        if update:
            f.updated = True
            change = _change(value)
            if change is not None and change != k:
                self.fact(change).change_of = k
        else:
            f.assigned = True
            f.operands = operands
            f.multiplies = any(self._is_product(n) for n in ast.walk(value))
        self.assigned.add(k)

    def _is_product(self, node) -> bool:
        pair = self._factors(node)
        return pair is not None and not (self.columns and _transposed(pair[1])) \
            and not (not self.columns and _transposed(pair[0]))

    def expression(self, root) -> list[str]:
        """Record every identifier read by ``root`` (in evaluation order); return them."""
        read: list[str] = []
        products = []
        stack = [root]
        while stack:
            node = stack.pop()
            k = key(node) if not self._is_module(node) else None
            if k is not None:
                f = self.fact(k)
                if is_rows(node):
                    f.rows_of = node.value.id
                if k not in self.assigned:
                    f.read_first = True
                read.append(k)
                continue
            pair = self._factors(node)
            if pair is not None:
                products.append(pair)
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub):
                a, b = key(node.left), key(node.right)
                if a is not None and b is not None:
                    if b in self.assigned and a not in self.assigned:
                        self.fact(a).compared = True
                    if a in self.assigned and b not in self.assigned:
                        self.fact(b).compared = True
            if isinstance(node, ast.Call):
                children = list(node.args) + [kw.value for kw in node.keywords]
                if isinstance(node.func, ast.Attribute):
                    children.insert(0, node.func.value)
            else:
                children = list(ast.iter_child_nodes(node))
            stack.extend(reversed(children))
        for pair in products:
            self._product(*pair)
        return read

    def _is_module(self, node) -> bool:
        name = dotted(node) if isinstance(node, (ast.Name, ast.Attribute)) else None
        return name is not None and (name.split(".")[0] in self.numpy_names
                                     or name in self.helper_names)

    def _factors(self, node):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
            return node.left, node.right
        if isinstance(node, ast.Call) and len(node.args) == 1 and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "dot":
            return node.func.value, node.args[0]
        if isinstance(node, ast.Call) and len(node.args) == 2 and (dotted(node.func) or "").split(".")[-1] \
                in ("dot", "matmul") and (dotted(node.func) or "").split(".")[0] in self.numpy_names:
            return node.args[0], node.args[1]
        return None

    def _product(self, left, right) -> None:
        matrix, other = (left, right) if self.columns else (right, left)
        if _transposed(other):
            return
        mk, ok = key(_core(matrix)), key(_core(other))
        if mk is not None:
            f = self.fact(mk)
            f.matrix_side = True
            if ok is not None:
                f.partners.append(ok)
        if ok is not None:
            self.fact(ok).input_side = True


def _transposed(node) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "T") or (
        isinstance(node, ast.Call) and (dotted(node.func) or "").split(".")[-1] == "transpose")


def _core(node):
    while _transposed(node):
        node = node.value if isinstance(node, ast.Attribute) else (
            node.func.value if not node.args else node.args[0])
    return node


def _self_update(k: str, value) -> bool:
    """``w = w - …`` (or ``+``): an update written as an assignment."""
    return isinstance(value, ast.BinOp) and isinstance(value.op, (ast.Add, ast.Sub)) \
        and key(value.left) == k


def _change(value) -> str | None:
    """The identifier that is the whole change of an update: ``α * g``, ``g * α``, ``g``."""
    if isinstance(value, ast.BinOp) and isinstance(value.op, (ast.Add, ast.Sub)) \
            and key(value.left) is not None:
        value = value.right                # w = w - (alpha * g)
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Mult):
        for a, b in ((value.left, value.right), (value.right, value.left)):
            if key(b) is not None and key(a) is not None and isinstance(a, ast.Name) \
                    and a.id.lower() in ("alpha", "lr", "learning_rate", "eta"):
                return key(b)
        return None
    return key(value)
