"""The base of every NumPy style: names, numbers, helper functions, statements.

A style (``numpy_styles.BookStyle``, ``MatmulStyle``, ``numpy_plan.PlanStyle``) adds how an
expression is written; the rules of the view are in ``emit/numpy.py``'s docstring.

>>> from notation import parse
>>> from notation.emit.numpy_styles import BookStyle
>>> BookStyle().body(parse("l1 = relu(l0W0)"))
['layer_1 = relu(layer_0.dot(weights_0_1))']
"""


from __future__ import annotations

import builtins
import re
from functools import lru_cache

from .. import functions
from ..errors import NotationTranslationError
from ..naming import SCHEMES, Scheme, is_identifier, is_letter, is_subscript
from ..nodes import Assign, Declare, Expr, ExprStatement, Name, Node, Number, Program, Update
from .base import Emitter
from .numpy_code import ATOM, Code, call, method, pieces
from .numpy_program import (EXPRESSION_KEY, RESERVED, aliasing_assignments, check_names,
                            helper_names)


_PYTHON_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?\Z")
_MAX_INT_DIGITS = 4300  # Python refuses longer integer literals (sys.int_info.default_max_str_digits)

# `np.f(x, …)`: NumPy code that is one call of x, written out in place of a helper that
# would shadow a builtin.
_ONE_NUMPY_CALL = re.compile(r"(np\.[A-Za-z_][A-Za-z0-9_]*)\(x((?:, [A-Za-z_]+=[-A-Za-z0-9_.]+)*)\)\Z")
_BUILTINS = frozenset(dir(builtins))

@lru_cache(maxsize=256)
def _not_an_expression(body: str) -> str | None:
    """Why ``body`` is not a Python expression, or None. Compiling costs more than emitting
    a whole statement, so each body of the function table is checked once."""
    try:
        compile(body, "<helper>", "eval")
    except (SyntaxError, ValueError) as e:
        return e.__class__.__name__
    return None



class NumpyEmitter(Emitter):
    """What every NumPy style shares: names, numbers, helpers, statements.

    A style defines how expressions are written (``expression``). It records the helpers
    it calls in ``helpers`` (name -> definition) and whether it uses ``np``, so that the
    module contains exactly what the code needs (SymPy's ``module_imports``).
    """

    style = "base"

    def __init__(self, scheme: Scheme | str = "book", declared: dict[Name, bool] | None = None):
        self.scheme = SCHEMES[scheme] if isinstance(scheme, str) else scheme
        self.declared = declared or {}
        self.helpers: dict[str, str] = {}
        self.uses_numpy = False
        self.reserved: set[str] = set(RESERVED)
        self.bind_expressions = False
        self.copies: set[int] = set()
        # Found once per emitter, since a program names the same things often:
        # (letter, sub) -> (the first Name, its identifier); it is also the record
        # of every name the code mentions, which body() checks.
        self._names: dict[tuple, tuple[Name, str]] = {}
        self._scalars: dict[tuple, bool] = {}
        # (function, derivative) -> how its call is written: (callable, None) or
        # (np function, its keyword text) for a call written out; and the helper names the
        # calls use (helper_names' set).
        self._calls: dict[tuple, tuple[str, str | None]] = {}
        self._called: set[str] = set()

    # -- what the code needs
    def np(self, attribute: str) -> str:
        self.uses_numpy = True
        return f"np.{attribute}"

    def call_function(self, name: str, derivative: bool, argument: Code,
                      node: Node | None = None) -> Code:
        """The call of a function of the notation on ``argument``.

        A function whose helper would shadow a Python builtin (``sum``), or whose record
        asks for it (``inline``, ``batchsum``), and whose NumPy code is one call of ``x`` is
        written out instead: ``np.sum(d, axis=0, keepdims=True)``.
        """
        key = (name, derivative)
        writer = self._calls.get(key)
        if writer is None:
            writer = self._call_writer(name, derivative, node)
        function, keywords = writer
        if keywords is None:
            return call(function, argument)
        return pieces([function, "(", argument, keywords, ")"], ATOM)

    def _call_writer(self, name: str, derivative: bool, node: Node | None):
        fn = functions.lookup(name)
        writer = None
        if fn is not None and not derivative and fn.numpy_call is None \
                and (fn.name in _BUILTINS or fn.inline):
            m = _ONE_NUMPY_CALL.match(fn.numpy)
            if m:
                self.uses_numpy = True
                writer = (m.group(1), m.group(2))
        if writer is None:
            writer = (self.use_function(name, derivative, node), None)
        helper = fn.derivative_name if derivative else fn.name
        if helper:
            self._called.add(helper)
        self._calls[(name, derivative)] = writer
        return writer

    def use_function(self, name: str, derivative: bool = False, node: Node | None = None) -> str:
        """The Python callable for a function of the notation, recording its helper."""
        fn = functions.lookup(name)
        if fn is None:
            raise NotationTranslationError(
                f"the function '{name}' is not in the function table", span_of(node),
                hint="register it with notation.functions.register(name, numpy_code)")
        if derivative:
            if fn.derivative is None or fn.derivative_name is None:
                raise NotationTranslationError(f"{fn.name} has no derivative helper", span_of(node))
            return self._helper(fn.derivative_name, fn.derivative_parameter, fn.derivative, node,
                                fn.derivative_setup)
        if fn.numpy_call is not None:
            self.uses_numpy = True
            return fn.numpy_call
        return self._helper(fn.name, "x", fn.numpy, node, fn.numpy_setup)

    def _helper(self, name: str, parameter: str, body: str, node, setup: str = "") -> str:
        if not is_identifier(name):
            raise NotationTranslationError(f"the helper name {name!r} is not a Python identifier",
                                           span_of(node))
        if name not in self.helpers:
            problem = _not_an_expression(body)
            if problem:
                raise NotationTranslationError(
                    f"the NumPy code registered for {name} is not a Python expression: {body!r}",
                    span_of(node), hint=f"fix its registration ({problem})")
            lines = [f"    {line}" for line in setup.splitlines()] + [f"    return {body}"]
            self.helpers[name] = f"def {name}({parameter}):\n" + "\n".join(lines)
            if "np." in body or "np." in setup:
                self.uses_numpy = True
        self.reserved.add(name)
        return name

    # -- names and numbers
    def identifier(self, name: Name) -> str:
        """The checked Python identifier for a name under this emitter's scheme."""
        known = self._names.get((name.letter, name.sub))
        if known is not None:
            return known[1]
        ident = self._identifier(name)
        self._names[(name.letter, name.sub)] = (name, ident)
        return ident

    def _identifier(self, name: Name) -> str:
        ident = self.scheme.python(name)
        # An identifier alone is not enough: a tree built by hand may hold the letter
        # '__import__' or 'exec', which is a valid identifier but no name of the notation.
        if not (is_identifier(ident) and is_letter(name.letter) and is_subscript(name.sub)):
            raise NotationTranslationError(
                f"the name {_algebra(name)} has no Python identifier under the "
                f"{self.scheme.label} naming scheme (it would be {ident!r})", name.span,
                hint="names are one Latin or Greek letter with a subscript of letters and digits")
        return ident

    def emit_Name(self, node: Name) -> str:
        return self.identifier(node)

    def emit_Number(self, node: Number) -> str:
        return python_number(node)

    # -- statements
    def emit_Program(self, node: Program) -> str:
        return "\n".join(self.body(node))

    def body(self, program: Program, module: bool = False) -> list[str]:
        """The lines of code for the program's statements (no helpers, no imports).

        In a module (``module=True``) a bare expression is bound to ``_``, which the
        function returns under the key ``"_"``.
        """
        self.bind_expressions = module
        self.copies = aliasing_assignments(program, self.declared)
        # The names are checked (check_names) on the record the statements leave, one entry
        # per name, rather than in two walks of their own before them; when anything fails,
        # the check runs first as it did, so that an error is the one it always was.
        self._names.clear()
        self._called.clear()
        self._calls.clear()
        try:
            lines = [self.emit(s) for s in program.statements]
        except Exception:
            self.reserved |= helper_names(program)
            check_names(program, self.scheme, self.reserved)
            raise
        self.reserved |= self._called
        seen: dict[str, Name] = {}
        for name, ident in self._names.values():
            if ident in self.reserved or seen.setdefault(ident, name) is not name:
                check_names(program, self.scheme, self.reserved)     # raises, naming both
        return lines

    def emit_Assign(self, node: Assign) -> str:
        code = self.expression(node.value)
        if id(node) in self.copies:
            code = method(code, "copy")
        return f"{self.emit(node.target)} = {code.text}"

    def emit_Update(self, node: Update) -> str:
        if node.op not in ("-=", "+="):
            raise NotationTranslationError(f"unknown update {node.op!r}", node.span)
        return f"{self.emit(node.target)} {node.op} {self.expression(node.value).text}"

    def emit_ExprStatement(self, node: ExprStatement) -> str:
        code = self.expression(node.expr)
        if not self.bind_expressions:
            return code.text
        if id(node) in self.copies:
            code = method(code, "copy")
        return f"{EXPRESSION_KEY} = {code.text}"

    def emit_Declare(self, node: Declare) -> str:
        # A comment ends at a line break: a symbol of the shape is checked as a name in code
        # is, or a tree built by hand (Name("b", "x\nimport os")) would put code on a line.
        for d in node.dims:
            if isinstance(d, Name):
                self._identifier(d)              # checked, not recorded: no name of code
            elif not isinstance(d, int):
                raise NotationTranslationError(
                    f"a dimension is a whole number or a name, not {str(d)[:40]!r}", node.span)
        return f"# {self.emit(node.target)} : {shape_text(node)}"

    # -- expressions: a style provides these
    def expression(self, node: Expr) -> Code:
        raise NotImplementedError


# ---------------------------------------------------------------------------- helpers

def span_of(node):
    return getattr(node, "span", None)


def _algebra(node) -> str:
    from .algebra import algebra
    return algebra(node)


def python_number(node: Number) -> str:
    """A Number as a Python literal: ``2``, ``0.5``, ``1e-3`` (leading zeros dropped)."""
    text = node.text
    if not isinstance(text, str) or not _PYTHON_NUMBER.match(text):
        raise NotationTranslationError(f"{str(text)[:40]!r} is not a number the NumPy view can write",
                                       node.span)
    if text.isdigit() and len(text.lstrip("0")) > _MAX_INT_DIGITS:
        raise NotationTranslationError(
            f"an integer of {len(text)} digits cannot be a Python literal", node.span,
            hint=f"Python reads integer literals of at most {_MAX_INT_DIGITS} digits; "
                 f"write it in scientific notation (1e5000)")
    from ..parser import normal_number  # Python rejects 007; the parser's own spelling is 7
    return normal_number(text)


def shape_text(node: Declare) -> str:
    """A declaration's shape as the comment writes it: ``3×4``, ``b×784``, ``scalar``."""
    if not node.dims:
        return "scalar"
    return "×".join(str(d) if isinstance(d, int) else _algebra(d) for d in node.dims)


# ---------------------------------------------------------------------------- entry points
