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

from .element_loops import ElementLoops, zeros
from .inlining import Inlining
from .syntax import dotted, locate, locate_statement, loaded, number, stored

MAX_DEPTH = 20


class Lowering(Inlining, ElementLoops):
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
        value = ast.BinOp(loaded(target.value), ast.Mult(), ast.Name(mask, ast.Load()))
        out = ast.Assign([stored(target.value)], value)
        locate(value, s)
        locate_statement(out, s)
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
        locate(gated_change, s.test)
        update = copy.copy(update)
        if isinstance(update, ast.AugAssign):
            update.value = gated_change
        else:
            value = copy.copy(update.value)
            value.right = gated_change
            update.value = value
        self.gated.append((s, ast.unparse(s.test), ast.unparse(test.left)))
        return update


def _constant_index(node) -> int | None:
    """``0``, ``-1`` as an index; None for anything else (a variable, a slice, a tuple)."""
    negative = isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
    value = node.operand if negative else node
    if isinstance(value, ast.Constant) and type(value.value) is int:
        return -value.value if negative else value.value
    return None
