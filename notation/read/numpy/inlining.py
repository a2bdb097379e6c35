"""Functions a cell calls, put in place at each call (the book's chapters 3–5): ``pred =
neural_network(input, weight)`` becomes the function's body with its parameters replaced by the
arguments, the value it returns assigned to ``pred``; a call inside an expression is replaced by
the expression the function computes. A mixin of :class:`.lowering.Lowering`.
"""

from __future__ import annotations

import ast
import copy

from .syntax import docstring, locate_statement


def _called_names(node) -> set[str]:
    return {c.func.id for c in ast.walk(node)
            if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)}


def inlinable(body: list, is_helper) -> dict[str, ast.FunctionDef]:
    """The top-level functions of a module that the rest of it calls (and are no helper)."""
    functions = [s for s in body if isinstance(s, ast.FunctionDef)]
    out = {}
    for f in functions:
        if f.decorator_list or f.args.vararg or f.args.kwarg or f.args.kwonlyargs \
                or not f.args.args or is_helper(f.name):
            continue
        if any(f.name in _called_names(s) for s in body if s is not f):
            out[f.name] = f
    return out


class Inlining:
    """Put in place: ``functions`` by name, ``used`` the names put in place."""

    def arguments(self, f: ast.FunctionDef, call: ast.Call) -> dict[str, ast.expr] | None:
        params = [a.arg for a in f.args.args]
        if len(call.args) > len(params) or any(isinstance(a, ast.Starred) for a in call.args):
            return None
        given = dict(zip(params, call.args))
        for kw in call.keywords:
            if kw.arg is None or kw.arg not in params or kw.arg in given:
                return None
            given[kw.arg] = kw.value
        defaults = dict(zip(params[len(params) - len(f.args.defaults):], f.args.defaults))
        for p in params:
            if p not in given:
                if p not in defaults:
                    return None
                given[p] = defaults[p]
        return given

    def body(self, f: ast.FunctionDef):
        """(statements, returned expression) of a function that only computes, else None."""
        statements = [s for s in f.body if not docstring(s) and not isinstance(s, ast.Assert)]
        if not statements or not isinstance(statements[-1], ast.Return) \
                or statements[-1].value is None:
            return None
        params = {a.arg for a in f.args.args}
        for s in statements[:-1]:
            if isinstance(s, ast.Return):
                return None
            for t in ast.walk(s):
                if isinstance(t, ast.Name) and isinstance(t.ctx, ast.Store) and t.id in params:
                    return None           # a parameter assigned: not put in place
            if isinstance(s, (ast.FunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom,
                              ast.Global, ast.Nonlocal)):
                return None
        return statements[:-1], statements[-1].value

    def inline(self, s: ast.Assign, depth: int) -> list | None:
        f = self.functions[s.value.func.id]
        found = self.body(f)
        given = self.arguments(f, s.value)
        if found is None or given is None:
            return None
        statements, returned = found
        target = s.targets[0].id
        rename = {returned.id: target} if isinstance(returned, ast.Name) else {}
        put = _Put(given, rename)
        out = self.statements([put.visit(copy.deepcopy(t)) for t in statements], depth + 1)
        if not (isinstance(returned, ast.Name) and any(_assigns(t, target) for t in out)):
            value = put.visit(copy.deepcopy(returned))
            out.append(ast.Assign([s.targets[0]], value, lineno=0, col_offset=0))
            out[-1] = self.statement(out[-1], depth + 1)[0]
        for t in out:
            locate_statement(t, s)
        self.used.add(f.name)
        self.calls.append((s, f.name))
        return out

    def expression_of(self, name: str):
        """The one expression a function computes, temporaries put in place, or None."""
        if name in self._expressions:
            return self._expressions[name]
        self._expressions[name] = None            # no recursion through itself
        f = self.functions[name]
        found = self.body(f)
        result = None
        if found is not None:
            statements, returned = found
            statements = self.statements(statements, 1)
            temps: dict[str, ast.expr] = {}
            ok = True
            for t in statements:
                if isinstance(t, ast.Assign) and len(t.targets) == 1 \
                        and isinstance(t.targets[0], ast.Name):
                    temps[t.targets[0].id] = _Put(temps, {}).visit(copy.deepcopy(t.value))
                else:
                    ok = False
                    break
            if ok:
                result = _Put(temps, {}).visit(copy.deepcopy(self.expression(returned, 1)))
        self._expressions[name] = result
        return result

    def expression(self, node, depth: int):
        """``node`` with calls of the cell's functions replaced by what they compute."""
        if not self.functions:          # nothing to expand: no walk
            return node
        if not any(isinstance(c, ast.Call) and isinstance(c.func, ast.Name)
                   and c.func.id in self.functions for c in ast.walk(node)):
            return node
        lowering = self

        class Expand(ast.NodeTransformer):
            def visit_Call(self, c):
                self.generic_visit(c)
                if isinstance(c.func, ast.Name) and c.func.id in lowering.functions:
                    f = lowering.functions[c.func.id]
                    body = lowering.expression_of(c.func.id)
                    given = lowering.arguments(f, c)
                    if body is not None and given is not None:
                        lowering.used.add(f.name)
                        return _Put(given, {}).visit(copy.deepcopy(body))
                return c
        return Expand().visit(copy.deepcopy(node))


class _Put(ast.NodeTransformer):
    """Names replaced: parameters by the arguments, the returned local by the target."""

    def __init__(self, given: dict[str, ast.expr], rename: dict[str, str]):
        self.given, self.rename = given, rename

    def visit_Name(self, n):
        if n.id in self.rename:
            return ast.copy_location(ast.Name(self.rename[n.id], n.ctx), n)
        if isinstance(n.ctx, ast.Load) and n.id in self.given:
            return copy.deepcopy(self.given[n.id])
        return n


def _assigns(s, target: str) -> bool:
    return any(isinstance(t, ast.Name) and t.id == target and isinstance(t.ctx, ast.Store)
               for t in ast.walk(s))
