"""Python expressions -> notation expressions, bottom-up from an explicit stack.

Each ``plan_<ast class>`` says which sub-nodes to read first and how to build the node from
them, so a 100,000-factor chain is not a deep recursion. Names are resolved by the legend
(:mod:`.legend`), helpers defined in the source by :mod:`.helpers`, NumPy idioms by
:mod:`.idioms`. Anything else is a located NotationTranslationError naming the construct.
"""

from __future__ import annotations

import ast
import re
from typing import Callable

from ...errors import NotationTranslationError
from ...function_idioms import numpy_calls
from ...kinds import is_scalar
from ...nodes import (Add, Call, Divide, Expr, Hadamard, MatMul, Name, Negate, Number, Span,
                      Subtract, Transpose)
from . import idioms
from .positions import Positions
from .syntax import OPERATORS, constant, what

# NumPy functions that are operators and what they build: name -> (number of arguments,
# builder). Those that are functions of the notation (np.exp, np.tanh) are the registry's
# idioms np.<name>(x) (function_idioms.numpy_calls): see numpy_function_entry.
NUMPY_FUNCTIONS: dict[str, tuple[int, Callable]] = {
    "dot": (2, lambda a, b, span: MatMul(a, b, span)),
    "matmul": (2, lambda a, b, span: MatMul(a, b, span)),
    "multiply": (2, lambda a, b, span: Hadamard(a, b, span)),
    "divide": (2, lambda a, b, span: Divide(a, b, span)),
    "true_divide": (2, lambda a, b, span: Divide(a, b, span)),
    "add": (2, lambda a, b, span: Add(a, b, span)),
    "subtract": (2, lambda a, b, span: Subtract(a, b, span)),
    "transpose": (1, lambda a, span: Transpose(a, span)),
    "negative": (1, lambda a, span: Negate(a, span)),
    "square": (1, lambda a, span: Hadamard(a, a, span)),
    # np.outer(a, b) of two rows is aᵀb, the book's outer product (ch. 5)
    "outer": (2, lambda a, b, span: MatMul(Transpose(a, a.span), b, span)),
    "copy": (1, lambda a, span: a),
}


def numpy_function_entry(name: str):
    """(number of arguments, builder) of ``np.<name>(…)``, or None: an operator of
    NUMPY_FUNCTIONS, or a function of the registry (``np.tanh`` is tanh)."""
    entry = NUMPY_FUNCTIONS.get(name)
    if entry is None:
        fn = numpy_calls().get(name)
        if fn is not None:
            entry = (1, lambda a, span: Call(fn.name, a, False, span))
    return entry


def numpy_function_names() -> list[str]:
    """The NumPy functions read as they are, operators first, then the registry's in
    alphabetical order (the hint of a call that cannot be read)."""
    return list(NUMPY_FUNCTIONS) + sorted(set(numpy_calls()) - set(NUMPY_FUNCTIONS))


BINARY_OPERATORS = {
    ast.Add: Add, ast.Sub: Subtract, ast.Div: Divide, ast.MatMult: MatMul,
}


class Expressions:
    """Reads expressions of one source. ``names`` resolves identifiers (and data slices,
    attributes, ``x.shape[0]``) to Names; ``helpers`` maps a function name defined in the
    source to what its body computes."""

    def __init__(self, source: str, positions: Positions, names, helpers, numpy_names,
                 declared: dict[Name, bool]):
        self.source = source
        self.positions = positions
        self.names = names
        self.helpers = helpers
        self.numpy_names = numpy_names
        self.declared = declared

    def span(self, node) -> Span:
        return self.positions.span(node)

    def error(self, message: str, node, *, label: str = "", hint: str | None = None):
        return NotationTranslationError(message, self.span(node), label=label, hint=hint)

    def unsupported(self, node, hint: str | None = None):
        thing = what(node)
        return self.error(f"{thing} cannot be read into the notation", node,
                          label=f"{thing} has no notation", hint=hint)

    def expression(self, root) -> Expr:
        built: dict[int, Expr] = {}
        stack: list = [(root, None)]
        while stack:
            node, plan = stack.pop()
            if plan is None:
                plan = self.plan(node)
                stack.append((node, plan))
                stack.extend((child, None) for child in reversed(plan[0]))
            else:
                children, make = plan
                built[id(node)] = make([built[id(c)] for c in children])
        return built[id(root)]

    def plan(self, node):
        if self.names.resolvable(node):
            return [], lambda _: self.names.resolve(node)
        method = getattr(self, f"plan_{type(node).__name__}", None)
        if method is None:
            raise self.unsupported(node)
        return method(node)

    def plan_Name(self, node):
        return [], lambda _: self.names.resolve(node)

    def plan_Constant(self, node):
        return [], lambda _: self.number(node)

    def number(self, node) -> Number:
        value = node.value
        if type(value) not in (int, float):
            kind = {str: "a string", bytes: "bytes", bool: "a boolean", complex: "a complex number",
                    type(None): "None", type(...): "an ellipsis"}.get(type(value), "a constant")
            raise self.error(f"{kind} cannot be read into the notation", node, label=kind)
        text = self.positions.segment(node).replace("_", "").lower() or repr(value)
        m = re.fullmatch(r"([0-9]*)(?:\.([0-9]*))?(?:e([-+]?[0-9]+))?", text)
        if m and (m.group(1) or m.group(2)):
            whole, frac, exponent = m.group(1) or "0", m.group(2), m.group(3)
            text = whole.lstrip("0") or "0"
            if frac is not None:
                text += "." + (frac or "0")
            if exponent is not None:
                text += "e" + exponent
        elif isinstance(value, int):
            if value.bit_length() > 14000:       # past Python's 4,300-digit str() limit
                raise self.error("this number has too many digits to be read", node,
                                 label="over 4,000 digits")
            text = str(value)            # 0x10, 0o17, 0b11
        else:
            raise self.error(f"the number {text[:40]} cannot be read", node,
                             label="not a decimal number", hint="write it in decimal")
        return Number(text, self.span(node))

    def plan_UnaryOp(self, node):
        if isinstance(node.op, ast.USub):
            return [node.operand], lambda k: Negate(k[0], self.span(node))
        raise self.error(f"{what(node.op)} cannot be read into the notation", node,
                         label=f"{what(node.op)} has no notation")

    def plan_Compare(self, node):
        registered = idioms.registered(node, self)
        if registered is not None:
            return registered
        found = idioms.comparison(node)
        if found is not None:
            operand, make = found
            return [operand], lambda k: make(k[0], self.span(node))
        raise self.error("a comparison cannot be read into the notation", node,
                         label="only x > 0 (relu') and x >= 0 (step) have a notation",
                         hint="compare with 0: x > 0 is relu'(x), x >= 0 is step(x)")

    def plan_Attribute(self, node):
        if node.attr == "T" and not self.is_numpy(node.value):
            return [node.value], lambda k: Transpose(k[0], self.span(node))
        raise self.error(f"the attribute .{node.attr} cannot be read into the notation", node,
                         label="only .T has a notation",
                         hint="write x.T for a transpose; parameters as self.W1 or model['W1']")

    def plan_Subscript(self, node):
        raise self.error("indexing cannot be read into the notation", node,
                         label="indexing has no notation",
                         hint="a batch of rows of a data array (images[a:b], labels[i:i+1]) "
                              "is read as an input; name other values before using them")

    def is_numpy(self, node) -> bool:
        return isinstance(node, ast.Name) and node.id in self.numpy_names

    def numpy_function(self, node, *names) -> bool:
        return (isinstance(node, ast.Attribute) and self.is_numpy(node.value)
                and node.attr in names)

    # -- operators and the idioms written with them
    def plan_BinOp(self, node):
        found = idioms.binary(node, self)
        if found is not None:
            return found
        op = type(node.op)
        if op is ast.Mult:
            return [node.left, node.right], lambda k: self.product(
                k[0], k[1], self.span(node), right_node=node.right, parent=node)
        if op in BINARY_OPERATORS:
            cls = BINARY_OPERATORS[op]
            return [node.left, node.right], lambda k: cls(k[0], k[1], self.span(node))
        if op is ast.Pow and constant(node.right, 2):
            return [node.left], lambda k: Hadamard(k[0], k[0], self.span(node))
        hint = "x ** 2 is x ⊙ x; other powers have no notation" if op is ast.Pow else None
        raise self.error(f"{what(node.op)} cannot be read into the notation", node,
                         label=f"{what(node.op)} has no notation", hint=hint)

    def product(self, left: Expr, right: Expr, span: Span, *, right_node=None, parent=None) -> Expr:
        """``a * b``: the scaling αb when a side is a scalar, else the Hadamard product."""
        if getattr(parent, "scaling", False):
            return MatMul(left, right, span)   # a number used whole in an element loop
        left_scalar = is_scalar(left, self.declared)
        right_scalar = is_scalar(right, self.declared)
        if not (left_scalar or right_scalar):
            return Hadamard(left, right, span)
        if (left_scalar and not right_scalar and isinstance(right, MatMul)
                and isinstance(right_node, ast.Call) and not self.parenthesized(parent)):
            return _prepend(left, right)       # alpha * l1.T.dot(d2) is the chain α l1ᵀ δ2
        return MatMul(left, right, span)

    def parenthesized(self, node: ast.BinOp) -> bool:
        """Is the right operand of ``node`` written in parentheses?"""
        start = self.positions.offset(node.left.end_lineno, node.left.end_col_offset)
        end = self.positions.offset(node.right.lineno, node.right.col_offset)
        between = re.sub(r"#[^\n]*", "", self.source[start:end])
        return "(" in between

    # -- calls
    def plan_Call(self, node):
        func = node.func
        span = self.span(node)
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise self.error("a call with *arguments cannot be read", node, label="*arguments")
        found = idioms.call(node, self)
        if found is not None:
            return found
        if isinstance(func, ast.Name) and func.id in self.helpers:
            return self.helpers.plan(node, self)
        if node.keywords:
            hint = ("np.sum(x, axis=1, keepdims=True) is the notation's sum(x), the sum over "
                    "each example's units; np.sum(x, axis=0, keepdims=True) is batchsum(x), "
                    "the sum over the batch" if self.numpy_function(func, "sum") else None)
            raise self.error("a call with keyword arguments cannot be read", node.keywords[0],
                             label="a keyword argument", hint=hint)
        if isinstance(func, ast.Attribute) and self.is_numpy(func.value):
            if func.attr == "outer" and hasattr(self.names, "outer"):
                self.names.outer(node)       # aᵀb only for single rows: refused or warned
            entry = numpy_function_entry(func.attr)
            if entry is None:
                raise self.error(f"np.{func.attr}() cannot be read into the notation", node,
                                 label="no notation for this NumPy function",
                                 hint="known: " + ", ".join(f"np.{n}" for n in numpy_function_names())
                                 + ", np.maximum(0, x), np.sum(x, axis=…, keepdims=True)")
            arity, build = entry
            self.arguments(node, arity)
            return list(node.args), lambda k: build(*k, span)
        if isinstance(func, ast.Attribute) and func.attr == "dot":
            self.arguments(node, 1)
            return [func.value, node.args[0]], lambda k: MatMul(k[0], k[1], span)
        if isinstance(func, ast.Attribute) and func.attr == "transpose":
            self.arguments(node, 0)
            return [func.value], lambda k: Transpose(k[0], span)
        # a copy is the same value: the NumPy view copies where an update would alias
        if isinstance(func, ast.Attribute) and func.attr == "copy":
            self.arguments(node, 0)
            return [func.value], lambda k: k[0]
        if isinstance(func, ast.Name):
            fn, derivative = self.helpers.builtin(func.id)
            if fn is not None:
                self.arguments(node, 1)
                return list(node.args), lambda k: Call(fn, k[0], derivative, span)
            raise self.error(f"{func.id}() is not a function of the notation", func,
                             label="unknown function",
                             hint="define it in the source (def or lambda), or use one of: "
                                  + ", ".join(self.helpers.known()))
        raise self.error("this call cannot be read into the notation", node,
                         label="only functions of the notation, np functions and .dot() are read")

    def arguments(self, node: ast.Call, count: int) -> None:
        if len(node.args) != count:
            words = {0: "no arguments", 1: "one argument", 2: "two arguments"}[count]
            given = len(node.args)
            raise self.error(f"this call takes {words}, not {given}", node,
                             label=f"{given} argument{'' if given == 1 else 's'}")


def _prepend(scalar: Expr, product: MatMul) -> MatMul:
    """``α`` joined to the chain ``ab…`` as its first factor: ``(αa)b…``."""
    spine = []
    node: Expr = product
    while isinstance(node, MatMul):
        spine.append(node)
        node = node.left
    start = scalar.span.start if scalar.span else None
    out = MatMul(scalar, node, _join(start, node.span))
    for parent in reversed(spine):
        out = MatMul(out, parent.right, _join(start, parent.span))
    return out


def _join(start, span):
    if start is None or span is None:
        return span
    return Span(min(start, span.start), span.end)


__all__ = ["Expressions", "NUMPY_FUNCTIONS", "OPERATORS"]
