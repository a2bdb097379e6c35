"""The NumPy view (SPEC §4): the tree as the book's code, or as a complete module.

Styles (:data:`STYLES`, open to more, such as the plan style of ``numpy_plan.py``):

- ``book`` — nested ``.dot()`` calls, ``.T``, ``*``, helper calls, scalar factors first:
  ``weights_1_2 -= alpha * layer_1.T.dot(layer_2_delta)``;
- ``matmul`` — the same with ``@``: ``weights_1_2 -= alpha * layer_1.T @ layer_2_delta``.

Every line is built from the tree, and every identifier written is checked, so no user
text ever runs as code. Emitting is text work: this module imports no NumPy, and
``notation numpy`` starts as fast as ``notation algebra``.

The rules below are exactly those that ``notation/read/numpy.py`` inverts, so that the code
reads back to the same tree (``docs/views.md`` lists them for users):

- a product with a scalar side (by letter, or declared ``: scalar``) scales: ``alpha * x``;
  a product of two arrays is ``x.dot(W)`` (book) or ``x @ W`` (matmul);
- book style pulls the scalar factors that open a chain out in front, as the book does:
  ``αl1ᵀδ2`` is ``alpha * layer_1.T.dot(layer_2_delta)``; a product grouped on the right
  keeps its parentheses: ``α(l1ᵀδ2)`` is ``alpha * (layer_1.T.dot(layer_2_delta))``;
- ``⊙`` of two arrays is ``*``; ``⊙`` with a scalar side is ``np.multiply(a, b)``, since
  ``alpha * x`` already means the scaling ``αx``;
- the transpose of a scalar is ``np.transpose(a)`` (a Python float has no ``.T``);
- a declaration is a comment, ``# weights_0_1 : 3×4``, that the reader takes back.
"""

from __future__ import annotations

import builtins
import re
from functools import lru_cache

from .. import functions
from ..errors import NotationTranslationError
from ..kinds import declared_scalars, is_scalar, is_scalar_name
from ..naming import SCHEMES, Scheme, is_identifier, is_letter, is_subscript
from ..nodes import (Add, Assign, Call, Declare, Divide, Expr, ExprStatement, Hadamard, MatMul,
                     Name, Negate, Node, Number, Program, Subtract, Transpose, Update)
from .base import Emitter
# Re-exported: the plan style, compile and compare take them from here.
from .numpy_program import (EXPRESSION_KEY, RESERVED, Interface, aliasing_assignments,  # noqa: F401
                            check_names, helper_names, interface, module_source, names_in,
                            scheme_for, statement_value, walk)

# Python source pieces (re-exported: the plan style and compare take them from here).
from .numpy_code import (ATOM, FACTOR, SUM, TERM, Code, operand, pieces,  # noqa: F401
                         binary, call, method, wrap)

# Elementwise operators of two arrays: node -> (Python operator, level).
ELEMENTWISE = {
    Hadamard: ("*", TERM),
    Divide: ("/", TERM),
    Add: ("+", SUM),
    Subtract: ("-", SUM),
}
# Elementwise operators written as NumPy functions where the operator would mean something
# else: `alpha * x` is the scaling αx, so α ⊙ x is np.multiply(alpha, x).
ELEMENTWISE_WITH_SCALAR = {Hadamard: "multiply"}

BINARY = (MatMul, Hadamard, Divide, Add, Subtract)

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


# ---------------------------------------------------------------------------- the emitters

class _Chain:
    """The left spine of a product being written, as the book writes it.

    ``code`` is the whole so far. When the chain opened with scalar factors and its first
    array factor is not itself a product, ``prefix`` holds those scalars and ``rest`` the
    array part, so that the next ``.dot`` can be written ``prefix * rest.dot(…)``.
    """

    __slots__ = ("code", "scalar", "prefix", "rest")

    def __init__(self, code: Code, scalar: bool, prefix: Code | None = None,
                 rest: Code | None = None):
        self.code, self.scalar, self.prefix, self.rest = code, scalar, prefix, rest


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
                f"the function '{name}' is not in the function table", _span(node),
                hint="register it with notation.functions.register(name, numpy_code)")
        if derivative:
            if fn.derivative is None or fn.derivative_name is None:
                raise NotationTranslationError(f"{fn.name} has no derivative helper", _span(node))
            return self._helper(fn.derivative_name, fn.derivative_parameter, fn.derivative, node,
                                fn.derivative_setup)
        if fn.numpy_call is not None:
            self.uses_numpy = True
            return fn.numpy_call
        return self._helper(fn.name, "x", fn.numpy, node, fn.numpy_setup)

    def _helper(self, name: str, parameter: str, body: str, node, setup: str = "") -> str:
        if not is_identifier(name):
            raise NotationTranslationError(f"the helper name {name!r} is not a Python identifier",
                                           _span(node))
        if name not in self.helpers:
            problem = _not_an_expression(body)
            if problem:
                raise NotationTranslationError(
                    f"the NumPy code registered for {name} is not a Python expression: {body!r}",
                    _span(node), hint=f"fix its registration ({problem})")
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


# (style class, node class) -> the style's code_<Node> method, found once.
_CODE_METHODS: dict[tuple[type, type], object] = {}


class BookStyle(NumpyEmitter):
    """The book's code: ``relu(layer_0.dot(weights_0_1)).dot(weights_1_2)``."""

    style = "book"

    def expression(self, node: Expr) -> Code:
        method = _CODE_METHODS.get((type(self), type(node)))
        if method is None:
            method = getattr(type(self), f"code_{type(node).__name__}", None)
            if method is None:
                raise NotationTranslationError(
                    f"{type(self).__name__} cannot print {type(node).__name__}", _span(node))
            _CODE_METHODS[(type(self), type(node))] = method
        return method(self, node)

    def emit_expression(self, node: Expr) -> str:
        return self.expression(node).text

    # -- atoms
    def code_Name(self, node: Name) -> Code:
        known = self._names.get((node.letter, node.sub))
        # A new Code each time: a style may change the one it is given (tests/test_numpy_view)
        return Code(known[1] if known is not None else self.identifier(node), ATOM)

    def code_Number(self, node: Number) -> Code:
        return Code(python_number(node), ATOM)

    def code_Call(self, node: Call) -> Code:
        return self.call_function(node.func, node.derivative, self.expression(node.arg), node)

    def code_Transpose(self, node: Transpose) -> Code:
        # A chain xᵀᵀ… is counted, not recursed into (the parser does not bound it).
        count = 0
        while isinstance(node, Transpose):
            count, node = count + 1, node.operand
        inner = self.expression(node)
        if self.is_scalar(node):
            for _ in range(count):
                inner = call(self.np("transpose"), inner)
            return inner
        return pieces([operand(inner, ATOM), ".T" * count], ATOM)

    def code_Negate(self, node: Negate) -> Code:
        return pieces(["-", operand(self.expression(node.operand), FACTOR)], FACTOR)

    # -- binary operators: the left spine is walked in a loop, so a chain of 100,000
    # terms is one flat line and not 100,000 frames.
    def _binary(self, node) -> Code:
        spine = [node]
        while isinstance(spine[-1].left, BINARY):
            spine.append(spine[-1].left)
        first = spine[-1].left
        chain = _Chain(self.expression(first), self.is_scalar(first))
        for parent in reversed(spine):
            right = parent.right
            chain = self.combine(parent, chain, right, self.expression(right), self.is_scalar(right))
        return chain.code

    code_MatMul = code_Hadamard = code_Divide = code_Add = code_Subtract = _binary

    def combine(self, parent, chain: _Chain, right: Expr, code: Code, scalar: bool) -> _Chain:
        kind = type(parent)
        if kind is MatMul:
            return self.product(chain, right, code, scalar)
        both_scalar = chain.scalar and scalar
        if (chain.scalar or scalar) and kind in ELEMENTWISE_WITH_SCALAR:
            return _Chain(call(self.np(ELEMENTWISE_WITH_SCALAR[kind]), chain.code, code),
                          both_scalar)
        op, level = ELEMENTWISE[kind]
        return _Chain(binary(chain.code, op, code, level), both_scalar)

    def product(self, chain: _Chain, right: Expr, code: Code, scalar: bool) -> _Chain:
        # A product on the right keeps its parentheses, whatever Python would need: the
        # grouping α(l1ᵀδ2) must read back as written, not as the chain αl1ᵀδ2.
        grouped = pieces(["(", code, ")"], ATOM) if isinstance(right, MatMul) else code
        if chain.scalar:
            out = binary(chain.code, "*", grouped, TERM)
            if scalar:
                return _Chain(out, True)
            if isinstance(right, MatMul):
                return _Chain(out, False)
            return _Chain(out, False, prefix=chain.code, rest=code)
        if scalar:
            out = binary(chain.code, "*", grouped, TERM)
            rest = binary(chain.rest, "*", grouped, TERM) if chain.rest is not None else None
            return _Chain(out, False, chain.prefix if rest is not None else None, rest)
        return self.array_product(chain, code)

    def array_product(self, chain: _Chain, code: Code) -> _Chain:
        if chain.prefix is not None:
            rest = method(chain.rest, "dot", code)
            return _Chain(binary(chain.prefix, "*", rest, TERM), False, chain.prefix, rest)
        return _Chain(method(chain.code, "dot", code), False)

    def is_scalar(self, node: Expr) -> bool:
        if type(node) is Name:
            key = (node.letter, node.sub)
            scalar = self._scalars.get(key)
            if scalar is None:
                scalar = self._scalars[key] = is_scalar_name(node, self.declared)
            return scalar
        return is_scalar(node, self.declared)


class MatmulStyle(BookStyle):
    """``@`` for the matrix product; Python's own grouping of ``*`` and ``@`` keeps the
    scalar factors first with no rewriting: ``alpha * layer_1.T @ layer_2_delta``."""

    style = "matmul"

    def array_product(self, chain: _Chain, code: Code) -> _Chain:
        return _Chain(binary(chain.code, "@", code, TERM), False)

    def product(self, chain: _Chain, right: Expr, code: Code, scalar: bool) -> _Chain:
        out = super().product(chain, right, code, scalar)
        out.prefix = out.rest = None   # no hoisting: `*` and `@` group alike in Python
        return out


STYLES: dict[str, type[NumpyEmitter]] = {"book": BookStyle, "matmul": MatmulStyle}
# Styles defined in modules loaded on first use: name -> (module, class name).
LAZY_STYLES: dict[str, tuple[str, str]] = {"plan": ("notation.emit.numpy_plan", "PlanStyle")}


def register_style(name: str, emitter: type[NumpyEmitter]) -> None:
    """Add a NumPy style: ``register_style("plan", PlanStyle)``."""
    STYLES[name] = emitter


def style_names() -> list[str]:
    return list(STYLES) + [n for n in LAZY_STYLES if n not in STYLES]


def emitter_class(style: str) -> type[NumpyEmitter]:
    if style not in STYLES and style in LAZY_STYLES:
        import importlib
        module, attribute = LAZY_STYLES[style]
        STYLES[style] = getattr(importlib.import_module(module), attribute)
    try:
        return STYLES[style]
    except KeyError:
        from ..errors import NotationOptionError
        raise NotationOptionError(f"unknown NumPy style {style!r}: choose one of "
                         f"{', '.join(style_names())}") from None


# ---------------------------------------------------------------------------- helpers

def _span(node):
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

def numpy(program: Program, *, style: str = "book", naming: str = "book", module: bool = False,
          function: str = "run") -> str:
    """The NumPy view of a program.

    >>> from notation import parse
    >>> numpy(parse("W1 -= αl1ᵀδ2"))
    'weights_1_2 -= alpha * layer_1.T.dot(layer_2_delta)'
    """
    emitter = emitter_class(style)(scheme_for(naming), declared_scalars(program))
    try:
        body = emitter.body(program, module=module)
    except RecursionError:
        # Parsed programs nest at most ~100 levels; a tree built by hand may nest deeper.
        raise NotationTranslationError("the program nests too deeply to print") from None
    if module:
        return module_source(program, emitter, body, function)
    return "\n".join(body)


def expression(node: Expr, *, style: str = "book", naming: str = "book",
               declared: dict[Name, bool] | None = None) -> str:
    """The NumPy code of one expression (for reports that show a sub-expression)."""
    emitter = emitter_class(style)(scheme_for(naming), declared)
    return emitter.expression(node).text
