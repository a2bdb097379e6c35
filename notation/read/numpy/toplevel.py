"""The top level of a source: imports, helpers, a notebook's earlier cells, functions put
in place, the network's function or class, and the statements left. A mixin of
:class:`.reader.Reader`.
"""

from __future__ import annotations

import ast

from .expressions import Expressions
from .helpers import BodyNames
from .inlining import inlinable
from .lowering import Lowering
from .names import key
from .syntax import docstring


class TopLevel:
    # -- the top level: imports, helpers, the network's function, statements
    def earlier_cells(self) -> list:
        """Take the definitions of a notebook's earlier cells; the functions to put in place."""
        functions = []
        for d in self.prelude:
            node = d.node
            if isinstance(node, ast.Import):
                self.numpy_names.update(a.asname or "numpy" for a in node.names
                                        if a.name == "numpy")
            elif isinstance(node, ast.FunctionDef):
                if not self.helpers.define_function(node, self.read_body, where=d.origin):
                    functions.append(node)
                    self.origins[node.name] = d.origin
            elif isinstance(node.value, ast.Lambda):
                self.helpers.define_lambda(d.name, node.value, self.read_body, where=d.origin)
            else:
                self.cells.bind(node)        # a constant: alpha = 0.2 is a scalar
        return functions

    def top_level(self, body):
        out, excluded, pending = [], [], []
        earlier = self.earlier_cells()
        for index, node in enumerate(body):
            if index == 0 and docstring(node):
                continue
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == "numpy":
                        self.numpy_names.add(alias.asname or "numpy")
                self.cells.skip(node, "an import")
            elif isinstance(node, ast.ImportFrom):
                self.cells.skip(node, "an import")
            elif isinstance(node, ast.FunctionDef):
                if self.helpers.define_function(node, self.read_body):
                    excluded.append((node.lineno, node.end_lineno or node.lineno))
                    continue
                pending.append((len(out), node))
            elif isinstance(node, ast.ClassDef):
                out.extend(self.class_body(node))
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda) \
                    and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                    and self.helpers.define_lambda(node.targets[0].id, node.value, self.read_body):
                excluded.append((node.lineno, node.end_lineno or node.lineno))
            else:
                out.append(node)
        # functions the cell calls are put in place at their calls (chapters 3-5)
        called = inlinable(earlier + [f for _, f in pending] + out, lambda name: False)
        lowering = Lowering(called, self.numpy_names)
        self.lowering = lowering
        lowered = lowering.statements(out)
        for f in called.values():
            if f.name in lowering.used and f.name not in self.origins:
                excluded.append((f.lineno, f.end_lineno or f.lineno))
        main = self.network_function(pending, called, excluded)
        if main is not None:
            position, node = main
            before = lowering.statements(out[:position])
            after = lowering.statements(out[position:])
            kept = []
            for s in after:
                if _calls_function(s, node.name):
                    self.cells.skip(s, f"runs {node.name}(), read above")
                else:
                    kept.append(s)
            lowered = before + lowering.statements(self.function_body(node)) + kept
        out = lowered
        if not out and main is None and len(excluded) == 1 and len(body) - (
                1 if body and docstring(body[0]) else 0) == 1 and isinstance(
                body[-1], ast.FunctionDef):
            # one function and nothing else: it is the network, not a helper
            self.helpers.defined.pop(body[-1].name, None)
            excluded.clear()
            out.extend(self.function_body(body[-1]))
        return out, excluded

    def network_function(self, pending, called, excluded):
        """The network's function: the one not put in place (a function defined beside
        functions that were put in place, and never called, is not the network)."""
        lowering = self.lowering
        main = None
        for position, node in pending:
            if node.name in lowering.used:
                continue
            if lowering.used and node.name not in called:
                self.cells.skip(node, f"{node.name}() is defined but never called")
                excluded.append((node.lineno, node.end_lineno or node.lineno))
                continue
            if main is not None:
                raise self.error(
                    f"a second function, {node.name}(), cannot be read: the notation reads "
                    f"one function's body", node, label="a second function",
                    hint="read each function on its own")
            main = (position, node)
        return main

    def read_body(self, node, param: str):
        names = BodyNames(param, self.positions)
        reader = Expressions(self.source, self.positions, names, self.helpers, self.numpy_names, {})
        return reader.expression(node)

    def function_body(self, node: ast.FunctionDef):
        if node.decorator_list:
            raise self.error("a decorated function cannot be read", node.decorator_list[0],
                             label="a decorator")
        body = [s for s in node.body if not docstring(s)]
        out = []
        for index, statement in enumerate(body):
            if isinstance(statement, ast.Return):
                if index != len(body) - 1:
                    raise self.error("a return before the end of the function cannot be read",
                                     statement, label="an early return")
                value = statement.value
                if value is None or key(value) is not None or isinstance(value, ast.Dict) or (
                        isinstance(value, ast.Tuple) and all(key(e) is not None for e in value.elts)):
                    continue           # handing back values computed above
                out.append(ast.Expr(value, lineno=statement.lineno, col_offset=value.col_offset,
                                    end_lineno=value.end_lineno, end_col_offset=value.end_col_offset))
            elif isinstance(statement, (ast.FunctionDef, ast.Import)):
                raise self.error(f"{'an import' if isinstance(statement, ast.Import) else 'a function'}"
                                 f" inside a function cannot be read", statement)
            else:
                out.append(statement)
        return out

    def class_body(self, node: ast.ClassDef):
        """A network written as a class: ``__init__`` is setup; every other method is read."""
        out = []
        if not any(isinstance(item, ast.FunctionDef) for item in node.body):
            self.cells.skip(node, "a class definition with no methods")
            return out
        for item in node.body:
            if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                for s in ast.walk(item):
                    if isinstance(s, ast.Assign):
                        self.cells.bind(s)
                self.cells.skip(item, "setup: the initial parameters")
            elif isinstance(item, ast.FunctionDef):
                out.extend(self.function_body(item))
            elif not docstring(item):
                self.cells.skip(item, "setup, in the class")
        return out


def _calls_function(node, name: str) -> bool:
    return any(isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id == name
               for c in ast.walk(node))
