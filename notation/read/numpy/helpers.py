"""Helpers defined in the source (``def`` or ``lambda``), read as what their bodies compute.

A helper takes one array (and optionally a flag, ``def nonlin(x, deriv=False)``) and returns
an expression of it, perhaps through temporaries (``temp = np.exp(x)``). Its body is read
like any other NumPy:

- a body that is a function of the notation applied to the argument (``(x > 0) * x``,
  ``np.tanh(x)``, ``1 - x ** 2``, ``output > 0``, the two-line softmax) *is* that function:
  ``relu``, ``tanh``, ``tanh'``, ``relu'``, ``softmax``; ``output >= 0`` is ``step``, not relu';
- any other body the notation can write (``output * 7``) is put in place at each call:
  ``f(l1)`` reads as ``l1 7``;
- a body that cannot be read is refused, naming the helper and its line.

A helper's name decides nothing: a ``relu2deriv`` defined as ``output >= 0`` is not the book's.
A helper the source calls but does not define is the book's (SPEC §3).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace

from ... import functions
from ...errors import NotationError, NotationTranslationError
from ...nodes import Call, Expr, Name, Span
from ...walk import fold, rebuild
from .syntax import unparse

PLACEHOLDER = Name("ξ", "helperargument")


@dataclass
class Helper:
    ident: str
    where: str                          # "line 3", or "code cell 2, line 3" of a notebook
    plain: Expr | None                  # the body read, in PLACEHOLDER
    flagged: Expr | None = None         # the body when the flag is set
    flag: str | None = None             # the flag's parameter name
    problem: NotationError | None = None


class Helpers:
    """The helpers of one source, and the book's for those it does not define."""

    def __init__(self):
        self.defined: dict[str, Helper] = {}

    def __contains__(self, ident: str) -> bool:
        return ident in self.defined

    def names(self) -> set[str]:
        return set(self.defined) | {f.name for f in functions.FUNCTIONS.values()} | {
            f.derivative_name for f in functions.FUNCTIONS.values() if f.derivative_name}

    def known(self) -> list[str]:
        """The book's helpers and the registered functions not redefined by the source."""
        return sorted(self.names() - set(self.defined))

    @staticmethod
    def builtin(ident: str) -> tuple[str | None, bool]:
        for fn in functions.FUNCTIONS.values():
            if ident == fn.name:
                return fn.name, False
            if fn.derivative_name and ident == fn.derivative_name:
                return fn.name, True
        return None, False

    def describe(self) -> list[str]:
        """One line per helper: what it was read as."""
        from ...emit.algebra import algebra
        out = []
        for h in self.defined.values():
            if h.problem is not None:
                continue
            for body, when in ((h.plain, ""), (h.flagged, f" with {h.flag} set")):
                if body is None:
                    continue
                text = algebra(body).replace(algebra(PLACEHOLDER), "x")
                out.append(f"{h.ident}(x){when} ({h.where}) is read as {text}")
        return out

    # -- definitions
    def define_function(self, node: ast.FunctionDef, read, where: str | None = None) -> bool:
        """Take ``node`` as a helper if it is one (one argument, a flag at most, a body that
        only returns); ``read(expr_node, param)`` reads a body. False if it is no helper."""
        params = node.args.args
        defaults = node.args.defaults
        if node.decorator_list or node.args.vararg or node.args.kwarg or node.args.kwonlyargs \
                or not params or len(params) - len(defaults) != 1 or len(params) > 2:
            return False
        body = [s for s in node.body if not _docstring(s)]
        param = params[0].arg
        flag = params[1].arg if len(params) == 2 else None
        try:
            plain, flagged = _bodies(body, param, flag)
        except _NotAHelper:
            return False
        self._define(node.name, where or f"line {node.lineno}", param, plain, flagged, flag, read)
        return True

    def define_lambda(self, ident: str, node: ast.Lambda, read, where: str | None = None) -> bool:
        args = node.args
        if len(args.args) != 1 or args.defaults or args.vararg or args.kwarg or args.kwonlyargs:
            return False
        self._define(ident, where or f"line {node.lineno}", args.args[0].arg, node.body, None,
                     None, read)
        return True

    def _define(self, ident, where, param, plain, flagged, flag, read) -> None:
        helper = Helper(ident, where, None, flag=flag)
        try:
            helper.plain = _registered(plain, param) or read(plain, param)
            helper.flagged = (_registered(flagged, param) or read(flagged, param)
                              if flagged is not None else None)
        except NotationError as e:
            helper.problem = e
        self.defined[ident] = helper

    # -- calls
    def plan(self, node: ast.Call, reader):
        helper = self.defined[node.func.id]
        if helper.problem is not None:
            raise NotationTranslationError(
                f"the helper {helper.ident} (defined at {helper.where}) cannot be read: "
                f"{helper.problem.message}", reader.span(node), label=f"a call of {helper.ident}",
                hint=f"write what {helper.ident} computes with the notation's functions, or use "
                     f"one of: {', '.join(self.known())}") from None
        flagged = _flag_set(node, helper)
        if flagged is None:
            raise reader.error(f"this call of {helper.ident} cannot be read: its flag must be "
                               f"True or False as written", node, label="a flag not constant")
        body = helper.flagged if flagged else helper.plain
        if body is None:
            raise reader.error(f"{helper.ident} has no body for this flag", node)
        if len(node.args) < 1:
            raise reader.error(f"{helper.ident} takes an argument", node)
        span = reader.span(node)
        if isinstance(body, Call) and body.arg == PLACEHOLDER:
            return [node.args[0]], lambda k: Call(body.func, k[0], body.derivative, span)
        elsewhere = span if helper.where.startswith("code cell") else None
        return [node.args[0]], lambda k: _substitute(body, k[0], elsewhere)


def _normal(body, param: str) -> str:
    """A body's ast with its parameter called x, for comparing with a registered body."""
    import copy

    class Rename(ast.NodeTransformer):
        def visit_Name(self, n):
            return ast.Name("x" if n.id == param else n.id, ast.Load())
    return ast.dump(Rename().visit(copy.deepcopy(body)), annotate_fields=False)


def _registered(body, param: str) -> Expr | None:
    """The function whose registered NumPy (or derivative) is exactly this body, applied to
    the parameter: how the emitted module's own helpers read back."""
    mine = _normal(body, param)
    for fn in functions.FUNCTIONS.values():
        for text, variable, derivative in ((fn.numpy, "x", False), (fn.derivative, "output", True)):
            if not text:
                continue
            try:
                tree = ast.parse(text, mode="eval").body
                if fn.numpy_setup and not derivative:
                    setup = ast.parse(fn.numpy_setup).body
                    temps = {t.targets[0].id: t.value for t in setup if isinstance(t, ast.Assign)}
                    tree = _inline(tree, temps)
            except SyntaxError:
                continue
            if _normal(tree, variable) == mine:
                return Call(fn.name, PLACEHOLDER, derivative)
    return None


class _NotAHelper(Exception):
    pass


def _docstring(node) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
        and isinstance(node.value.value, str)


def _bodies(body, param: str, flag: str | None):
    """(plain body, flagged body) of a helper's statements, temporaries put in place."""
    temps: dict[str, ast.expr] = {}
    plain = flagged = None
    for index, s in enumerate(body):
        last = index == len(body) - 1
        if isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name) \
                and s.targets[0].id not in (param, flag):
            temps[s.targets[0].id] = _inline(s.value, temps)
        elif isinstance(s, ast.Return) and s.value is not None and last:
            plain = _inline(s.value, temps)
        elif flag is not None and isinstance(s, ast.If) and isinstance(s.test, ast.Name) \
                and s.test.id == flag and len(s.body) == 1 and isinstance(s.body[0], ast.Return) \
                and s.body[0].value is not None:
            flagged = _inline(s.body[0].value, temps)
            if s.orelse:
                if len(s.orelse) == 1 and isinstance(s.orelse[0], ast.Return) and last:
                    plain = _inline(s.orelse[0].value, temps)
                else:
                    raise _NotAHelper
        else:
            raise _NotAHelper
    if plain is None:
        raise _NotAHelper
    return plain, flagged


def _inline(node, temps):
    if not temps:
        return node

    class Put(ast.NodeTransformer):
        def visit_Name(self, n):
            return temps.get(n.id, n)
    import copy
    return Put().visit(copy.deepcopy(node))


def _flag_set(node: ast.Call, helper: Helper) -> bool | None:
    values = list(node.args[1:]) + [k.value for k in node.keywords if k.arg == helper.flag]
    if any(k.arg != helper.flag for k in node.keywords) or len(values) > 1:
        return None
    if not values:
        return False
    v = values[0]
    if isinstance(v, ast.Constant) and v.value in (True, False, 0, 1) and helper.flag:
        return bool(v.value)
    return None


def _substitute(body: Expr, argument: Expr, span: Span | None = None) -> Expr:
    """The body with the argument put in place of the parameter (no recursion). ``span``,
    when given, locates what the body adds (a helper of an earlier notebook cell, whose
    own positions are in another cell's text)."""
    def put(node, kids):
        if node == PLACEHOLDER:
            return argument
        node = rebuild(node, kids)
        return node if span is None else replace(node, span=span)
    return fold(body, put)


class BodyNames:
    """Names inside a helper's body: its parameter, and nothing from outside."""

    def __init__(self, param: str, helper_positions):
        self.param = param
        self.positions = helper_positions

    def resolvable(self, node) -> bool:
        return False

    def resolve(self, node) -> Name:
        if isinstance(node, ast.Name) and node.id == self.param:
            return PLACEHOLDER
        ident = getattr(node, "id", None) or unparse(node)
        raise NotationTranslationError(
            f"a helper reads {ident}, which is not its argument", self.positions.span(node),
            label="from outside the helper",
            hint="a helper is read as a function of its one argument")
