"""Loops over the elements of lists made one array statement (the book's chapter 5):

- ``for i in range(len(v)): out[i] = f(a[i], s)`` is ``out = f(a, s)`` (every array indexed by
  ``i`` and nothing else; ``s`` is used whole, a number) -- also with ``-=``/``+=`` and nested
  loops ``weights[i][j] -= alpha * deltas[i][j]``;
- ``acc += a[i] * b[i]`` is ``acc += a.dot(b.T)``: the sum of the products of two rows;
- ``out[i][j] = a[i] * b[j]`` is ``out = np.outer(a, b)`` (of lists: single rows);
- ``out[i] = a.dot(m[i].T)`` is ``out = a.dot(m.T)``: a row against each row of a matrix.

A mixin of :class:`.lowering.Lowering`.
"""

from __future__ import annotations

import ast
import copy

from .syntax import dotted, locate, locate_statement, number, stored


class ElementLoops:
    """One array statement for a loop over elements (``self.loops`` lists those made so)."""

    def loop(self, s: ast.For, depth: int) -> list | None:
        """One array statement for a loop over the elements of lists, else None."""
        variables, body = [], [s]
        while len(body) == 1 and isinstance(body[0], ast.For):
            loop = body[0]
            if not (isinstance(loop.target, ast.Name) and _range(loop.iter) and not loop.orelse):
                return None
            variables.append(loop.target.id)
            body = [t for t in loop.body if not isinstance(t, ast.Pass)]
        if not variables or not body or len(variables) > 2:
            return None
        body = [self.statement(t, depth + 1)[0] if not isinstance(t, (ast.For, ast.While, ast.If))
                else t for t in body]
        out = []
        for t in body:
            lowered = self.element_statement(t, variables)
            if lowered is None:
                return None
            out.append(lowered)
        for t in out:
            locate_statement(t, s)
        self.loops.append(s)
        return out

    def element_statement(self, t, variables: list[str]):
        if isinstance(t, ast.Assign) and len(t.targets) == 1:
            target, op = t.targets[0], None
        elif isinstance(t, ast.AugAssign):
            target, op = t.target, t.op
        else:
            return None
        base = _indexed(target, variables)
        if base is not None:
            base = stored(base)
        value = t.value
        if base is None:
            # acc += a[i] * b[i]: the sum of the products, a row times a row
            if isinstance(target, ast.Name) and isinstance(op, ast.Add) and len(variables) == 1:
                pair = _product_of_elements(value, variables[0])
                if pair is not None:
                    a, b = pair
                    dot = ast.Call(ast.Attribute(a, "dot", ast.Load()),
                                   [ast.Attribute(b, "T", ast.Load())], [])
                    locate(dot, value)
                    # acc += a·bᵀ; an assignment only where acc was set to 0 just before
                    return ast.AugAssign(target, ast.Add(), dot, lineno=0, col_offset=0)
            return None
        if len(variables) == 2 and op is None:
            outer = _outer(value, variables)
            if outer is not None:
                a, b = outer
                call = ast.Call(ast.Attribute(ast.Name(sorted(self.numpy_names)[0], ast.Load()),
                                              "outer", ast.Load()), [a, b], [])
                call.single_rows = True     # a[i] * b[j] of numbers: a and b are lists
                locate(call, value)
                return ast.Assign([base], call, lineno=0, col_offset=0)
        stripped = _strip(value, variables)
        if stripped is None:
            return None
        if op is None:
            return ast.Assign([base], stripped, lineno=0, col_offset=0)
        return ast.AugAssign(base, op, stripped, lineno=0, col_offset=0)


def _range(node) -> bool:
    """``range(len(v))`` (``range(len(w[0]))``): every element, as the book's loops go; a
    loop over fewer (``range(2)``) would change only some, and is not made one statement."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "range" and len(node.args) == 1 and not node.keywords):
        return False
    n = node.args[0]
    return isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "len" \
        and len(n.args) == 1 and not n.keywords


def _indexed(node, variables):
    """``x[i]`` (``x[i][j]``) for the loop variables in order -> ``x``, else None."""
    for v in reversed(variables):
        if not (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Name)
                and node.slice.id == v):
            return None
        node = node.value
    return node if isinstance(node, (ast.Name, ast.Attribute)) else None


def _strip(value, variables):
    """The element expression as an array expression, or None if it is not elementwise.
    A value used whole is a number (``s * v[i]``): its product with the elements is the
    scaling ``s v``, s first (a 1 × 1 result of ``w_sum`` scales a row so too); the node is
    marked ``scaling`` for :meth:`Expressions.product`."""
    value = copy.deepcopy(value)
    ok = [True]

    class Strip(ast.NodeTransformer):
        def visit_BinOp(self, n):
            if isinstance(n.op, ast.Mult) and _uses(n.left, variables) != _uses(n.right, variables):
                whole, each = (n.right, n.left) if _uses(n.left, variables) else (n.left, n.right)
                scaling = ast.BinOp(whole, ast.Mult(), self.visit(each))
                scaling.scaling = True     # Expressions.product: the scaling, whatever the names
                locate(scaling, n)
                return scaling
            self.generic_visit(n)
            return n

        def visit_Subscript(self, n):
            base = _indexed(n, variables)
            if base is not None:
                return base
            self.generic_visit(n)
            return n

        def visit_Call(self, c):
            name = dotted(c.func) or ""
            last = name.rsplit(".", 1)[-1]
            if last in ("dot", "matmul"):
                # a row against row i of a matrix: a.dot(m[i].T)
                if last == "dot" and isinstance(c.func, ast.Attribute) and len(c.args) == 1 \
                        and not _uses(c.func.value, variables) and isinstance(c.args[0], ast.Attribute) \
                        and c.args[0].attr == "T" and _indexed(c.args[0].value, variables) is not None:
                    c.args[0].value = _indexed(c.args[0].value, variables)
                    return c
                ok[0] = False
                return c
            if last in ("sum", "mean", "len", "range", "outer", "max", "min", "argmax"):
                ok[0] = False
                return c
            self.generic_visit(c)
            return c
    out = Strip().visit(value)
    if not ok[0] or _uses(out, variables):
        return None
    return out


def _uses(node, variables) -> bool:
    return any(isinstance(n, ast.Name) and n.id in variables for n in ast.walk(node))


def _product_of_elements(value, v):
    """``a[i] * b[i]`` -> (a, b)."""
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Mult):
        a, b = _indexed(value.left, [v]), _indexed(value.right, [v])
        if a is not None and b is not None:
            return copy.deepcopy(a), copy.deepcopy(b)
    return None


def _outer(value, variables):
    """``a[i] * b[j]`` -> (a, b)."""
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Mult):
        a, b = _indexed(value.left, variables[:1]), _indexed(value.right, variables[1:])
        if a is not None and b is not None and not _uses(a, variables) and not _uses(b, variables):
            return copy.deepcopy(a), copy.deepcopy(b)
    return None


def zeros(value, numpy_names) -> bool:
    """What a result is set to before a loop fills it: 0, [0, 0, 0], np.zeros(…)."""
    if number(value):
        return True
    if isinstance(value, ast.List) and all(number(e) for e in value.elts):
        return True
    name = dotted(value.func) if isinstance(value, ast.Call) else None
    return name is not None and name.split(".")[0] in numpy_names and name.endswith("zeros")
