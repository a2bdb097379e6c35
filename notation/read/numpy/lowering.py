"""Plain-Python network code (the book's chapters 3–5) lowered to the NumPy the reader reads.

Two rewrites of Python's ast, before anything is read; every node keeps the position it was
written at, so a refusal still points into the source:

- **functions the cell calls** are put in place at each call. ``pred = neural_network(input,
  weight)`` becomes the function's body with its parameters replaced by the arguments, the
  value it returns assigned to ``pred`` (each new statement is located at the call, so it is
  the call line that reads). A call inside an expression (``output[i] = w_sum(vect,
  matrix[i])``) is replaced by the expression the function computes, when its body is one.
- **loops over the elements of a list** become one array statement:

  - ``for i in range(len(v)): out[i] = f(a[i], s)`` is ``out = f(a, s)`` (every array
    indexed by ``i`` and nothing else; ``s`` is used whole) -- also with ``-=``/``+=`` and
    nested loops ``weights[i][j] -= alpha * deltas[i][j]``;
  - ``for i in range(len(a)): acc += a[i] * b[i]`` (``acc`` set to 0 before) is
    ``acc = a.dot(b.T)``: the sum of the products of two rows, the book's ``w_sum``;
  - ``for i …: for j …: out[i][j] = a[i] * b[j]`` is ``out = np.outer(a, b)``;
  - ``out[i] = a.dot(m[i].T)`` (the book's ``vect_mat_mul`` after ``w_sum`` is put in place)
    is ``out = a.dot(m.T)``: a row against each row of a matrix.

  The zeros the result was set to before the loop (``output = [0, 0, 0]``, ``out = 0``,
  ``np.zeros(…)``) are dropped with it. A loop that is not one of these is left as it is, and
  read (or refused) as before.
- **an update under a comparison of two numbers** (``if down_error < up_error: weight =
  weight - step``, chapter 4) is the update gated by relu' of their difference: ``weight =
  weight - step * relu'(up_error - down_error)``, 1 where the condition holds (``<=``: step).
"""

from __future__ import annotations

import ast
import copy

from .syntax import dotted, number

MAX_DEPTH = 20


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


class Lowering:
    """Rewrites a list of statements; ``used`` names the functions put in place."""

    def __init__(self, functions: dict[str, ast.FunctionDef], numpy_names):
        self.functions = functions
        self.numpy_names = numpy_names
        self.used: set[str] = set()
        self.calls: list[tuple[ast.stmt, str]] = []     # (statement, function) put in place
        self.loops: list[ast.stmt] = []                 # loops made one statement
        self.gated: list[tuple] = []                    # (if, condition, difference)
        self.frozen: list[tuple] = []                   # (statement, array, index, mask key)
        self._expressions: dict[str, ast.expr | None] = {}

    # -- statements
    def statements(self, body: list, depth: int = 0) -> list:
        out: list = []
        for s in body:
            lowered = self.statement(s, depth)
            if isinstance(s, ast.For) and s in self.loops:
                for index, t in enumerate(lowered):   # the zeros the loop filled in go
                    if isinstance(t, ast.Assign):
                        self._drop_zeros(out, t.targets[0])
                    elif isinstance(t, ast.AugAssign) and isinstance(t.op, ast.Add) \
                            and isinstance(t.target, ast.Name) and self._drop_zeros(
                                out, t.target, numbers_only=True):
                        total = ast.Assign([ast.Name(t.target.id, ast.Store())], t.value)
                        ast.copy_location(total, t)
                        total.end_lineno, total.end_col_offset = t.end_lineno, t.end_col_offset
                        ast.copy_location(total.targets[0], t.target)
                        lowered[index] = total
            out.extend(lowered)
        return out

    def _drop_zeros(self, out: list, target, numbers_only: bool = False) -> bool:
        """Drop the statement just before that set ``target`` to zeros; True if there was
        one. (A sum ``acc += …`` is a total only when ``acc`` was 0 just before.)"""
        wanted = ast.dump(target, annotate_fields=False).replace("Store", "").replace("Load", "")
        if not out:
            return False
        t = out[-1]
        if isinstance(t, ast.Assign) and len(t.targets) == 1 and ast.dump(
                t.targets[0], annotate_fields=False).replace("Store", "") == wanted \
                and (number(t.value) and ast.literal_eval(t.value) == 0 if numbers_only
                     else zeros(t.value, self.numpy_names)):
            del out[-1]
            return True
        return False

    def statement(self, s, depth: int) -> list:
        if depth > MAX_DEPTH:
            return [s]
        frozen = self.freeze(s)
        if frozen is not None:
            return [frozen]
        if isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.value, ast.Call) \
                and isinstance(s.value.func, ast.Name) and s.value.func.id in self.functions \
                and isinstance(s.targets[0], ast.Name):
            inlined = self.inline(s, depth)
            if inlined is not None:
                return inlined
        if isinstance(s, (ast.For, ast.While)):
            if isinstance(s, ast.For):
                lowered = self.loop(s, depth)
                if lowered is not None:
                    return lowered
            s = copy.copy(s)
            s.body = self.statements(s.body, depth)
            return [s]
        if isinstance(s, ast.If):
            gated = self.gate(s, depth)
            if gated is not None:
                return [gated]
            s = copy.copy(s)
            s.body = self.statements(s.body, depth)
            s.orelse = self.statements(s.orelse, depth)
            return [s]
        if isinstance(s, (ast.Assign, ast.AugAssign, ast.Expr, ast.Return)) and s.value is not None:
            value = self.expression(s.value, depth)
            if value is not s.value:
                s = copy.copy(s)
                s.value = value
        return [s]

    # -- one element set to 0 (chapter 5's frozen weight)
    def freeze(self, s):
        """``d[0] = 0`` -> ``d = d * m``, m the constant mask of 1s with 0 at [0] (a key that
        is no identifier: ``"d[0] = 0"``); the reader checks that ``d`` is a delta."""
        if not (isinstance(s, ast.Assign) and len(s.targets) == 1
                and isinstance(s.targets[0], ast.Subscript) and number(s.value)
                and ast.literal_eval(s.value) == 0):
            return None
        target = s.targets[0]
        ident = dotted(target.value)
        index = _constant_index(target.slice)
        if ident is None or index is None or "." in ident and ident.split(".")[0] != "self":
            return None
        mask = f"{ident}[{index}] = 0"
        value = ast.BinOp(_loaded(target.value), ast.Mult(), ast.Name(mask, ast.Load()))
        out = ast.Assign([_stored(target.value)], value)
        _locate(value, s)
        _locate_statement(out, s)
        self.frozen.append((out, ident, index, mask))
        return out

    # -- an update under a comparison of two numbers (chapter 4's hot and cold learning)
    def gate(self, s: ast.If, depth: int):
        """``if a < b: w = w - c`` -> ``w = w - c * ((b - a) > 0)``: the update times 1 where
        the condition holds, 0 elsewhere -- relu'(b - a) (``>=``: step). For numbers,
        ``a < b`` exactly when ``b - a > 0`` (IEEE subtraction is 0 only for equal numbers)."""
        if s.orelse or len(s.body) != 1 or not isinstance(s.test, ast.Compare) \
                or len(s.test.ops) != 1:
            return None
        op = s.test.ops[0]
        a, b = s.test.left, s.test.comparators[0]
        if isinstance(op, (ast.Lt, ast.LtE)):
            low, high = a, b
        elif isinstance(op, (ast.Gt, ast.GtE)):
            low, high = b, a
        else:
            return None
        update = s.body[0]
        if isinstance(update, ast.AugAssign) and isinstance(update.op, (ast.Add, ast.Sub)):
            change = update.value
        elif isinstance(update, ast.Assign) and len(update.targets) == 1 \
                and isinstance(update.value, ast.BinOp) \
                and isinstance(update.value.op, (ast.Add, ast.Sub)) \
                and ast.dump(update.value.left).replace("Load", "") \
                == ast.dump(update.targets[0]).replace("Store", ""):
            change = update.value.right
        else:
            return None
        difference = ast.BinOp(copy.deepcopy(high), ast.Sub(), copy.deepcopy(low))
        test = ast.Compare(difference, [ast.GtE() if isinstance(op, (ast.LtE, ast.GtE))
                                        else ast.Gt()], [ast.Constant(0)])
        gated_change = ast.BinOp(copy.deepcopy(change), ast.Mult(), test)
        _locate(gated_change, s.test)
        update = copy.copy(update)
        if isinstance(update, ast.AugAssign):
            update.value = gated_change
        else:
            value = copy.copy(update.value)
            value.right = gated_change
            update.value = value
        self.gated.append((s, ast.unparse(s.test), ast.unparse(test.left)))
        return update

    # -- functions put in place
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
        statements = [s for s in f.body if not _docstring(s) and not isinstance(s, ast.Assert)]
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
            _locate_statement(t, s)
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

    # -- loops over elements
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
            _locate_statement(t, s)
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
            base = _stored(base)
        value = t.value
        if base is None:
            # acc += a[i] * b[i]: the sum of the products, a row times a row
            if isinstance(target, ast.Name) and isinstance(op, ast.Add) and len(variables) == 1:
                pair = _product_of_elements(value, variables[0])
                if pair is not None:
                    a, b = pair
                    dot = ast.Call(ast.Attribute(a, "dot", ast.Load()),
                                   [ast.Attribute(b, "T", ast.Load())], [])
                    _locate(dot, value)
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
                _locate(call, value)
                return ast.Assign([base], call, lineno=0, col_offset=0)
        stripped = _strip(value, variables)
        if stripped is None:
            return None
        if op is None:
            return ast.Assign([base], stripped, lineno=0, col_offset=0)
        return ast.AugAssign(base, op, stripped, lineno=0, col_offset=0)


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


def _constant_index(node) -> int | None:
    """``0``, ``-1`` as an index; None for anything else (a variable, a slice, a tuple)."""
    negative = isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
    value = node.operand if negative else node
    if isinstance(value, ast.Constant) and type(value.value) is int:
        return -value.value if negative else value.value
    return None


def _loaded(node):
    node = copy.deepcopy(node)
    node.ctx = ast.Load()
    return node


def _stored(node):
    """A copy of a target, in the store context (``out`` of ``out[i] = …`` was read)."""
    node = copy.deepcopy(node)
    node.ctx = ast.Store()
    return node


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
                _locate(scaling, n)
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


def _assigns(s, target: str) -> bool:
    return any(isinstance(t, ast.Name) and t.id == target and isinstance(t.ctx, ast.Store)
               for t in ast.walk(s))


def _locate(node, where) -> None:
    for n in ast.walk(node):
        if not hasattr(n, "lineno") or getattr(n, "lineno", None) is None:
            ast.copy_location(n, where)
    ast.copy_location(node, where)


def _locate_statement(s, where) -> None:
    """The statement is located where it was written (the call, the loop); its parts keep
    their own places, and parts made here take the statement's."""
    ast.copy_location(s, where)
    s.end_lineno, s.end_col_offset = where.end_lineno, where.end_col_offset
    for n in ast.walk(s):
        if isinstance(n, (ast.expr,)) and getattr(n, "lineno", None) is None:
            ast.copy_location(n, where)
            n.end_lineno, n.end_col_offset = where.end_lineno, where.end_col_offset


def zeros(value, numpy_names) -> bool:
    """What a result is set to before a loop fills it: 0, [0, 0, 0], np.zeros(…)."""
    if number(value):
        return True
    if isinstance(value, ast.List) and all(number(e) for e in value.elts):
        return True
    name = dotted(value.func) if isinstance(value, ast.Call) else None
    return name is not None and name.split(".")[0] in numpy_names and name.endswith("zeros")


def _docstring(node) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
        and isinstance(node.value.value, str)
