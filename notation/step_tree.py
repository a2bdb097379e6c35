"""The derived training step as a program read from its own text, without parsing it again.

backward builds the step's statements as trees with no spans (sub-trees shared), prints them
with the canonical algebra, and needs the program that text reads as: every node with its
span in the text, as :func:`notation.parser.parse_derived` would give. Parsing the text back
was the largest part of deriving a deep network (3.4–4.0 s of the 10,000-layer network's
~8 s, docs/backward.md "Speed"); :func:`read_back` walks the trees instead, in the order the
algebra view prints them, and finds each node's span in the text as it goes: every name,
number, function, operator, parenthesis and space of the text is checked where the walk
expects it. Anything the walk does not find where it expects it (a view printing something
this module does not know) falls back to parsing the text, so the result is the parser's in
any case; tests/test_step_tree.py checks the two agree, spans included, on every program of
the backward tests.

>>> from notation.nodes import Assign, MatMul, Name
>>> step = read_back([Assign(Name("l", "1"), MatMul(Name("l", "0"), Name("W", "0")))])
>>> step.statements[0].value.right.span
Span(start=7, end=9)
"""

from __future__ import annotations

from .emit.algebra import AlgebraEmitter
from .nodes import (Add, Assign, Call, Declare, Divide, Hadamard, MatMul, Name, Negate, Number,
                    Program, Span, Subtract, Transpose, Update)
from .operators import BINARY_OPERATORS, needs_parens

_EMITTER = AlgebraEmitter()
_T = "ᵀ"


class _Elsewhere(Exception):
    """The text holds something else where the walk expected a node: parse it instead."""


def read_back(statements) -> Program:
    """The program the algebra of ``statements`` reads as, each node spanning its text."""
    texts = [_EMITTER.emit(s) for s in statements]
    text = "\n".join(texts)
    try:
        return Program(tuple(_Reader(text).statements(statements, texts)), source=text)
    except (_Elsewhere, RecursionError):
        from .parser import parse_derived
        return parse_derived(text)


class _Reader:
    def __init__(self, text: str):
        self.text = text
        self.names: dict[tuple[str, str], str] = {}     # (letter, sub) -> its printed text

    def statements(self, statements, texts):
        at = 0
        out = []
        for s, printed in zip(statements, texts):
            node, end = self.statement(s, at)
            if end != at + len(printed):
                raise _Elsewhere
            out.append(node)
            at = end + 1
        return out

    def expect(self, what: str, at: int) -> int:
        if not self.text.startswith(what, at):
            raise _Elsewhere
        return at + len(what)

    def statement(self, s, at: int):
        t = type(s)
        if t is not Assign and t is not Update and t is not Declare:
            raise _Elsewhere
        target, end = self.name(s.target, at)
        if t is Assign:
            value, end = self.expr(s.value, self.expect(" = ", end))
            return Assign(target, value, Span(at, end)), end
        if t is Update:
            value, end = self.expr(s.value, self.expect(f" {s.op} ", end))
            return Update(target, s.op, value, Span(at, end)), end
        end = self.expect(" : ", end)      # a declaration
        if not s.dims:
            end = self.expect("scalar", end)
        dims = []
        for k, d in enumerate(s.dims):
            if k:
                end = self.expect("×", end)
            if isinstance(d, int):
                end = self.expect(str(d), end)
            else:
                d, end = self.name(d, end)
            dims.append(d)
        return Declare(target, tuple(dims), Span(at, end)), end

    def name(self, node, at: int):
        if type(node) is not Name:
            raise _Elsewhere
        key = (node.letter, node.sub)
        printed = self.names.get(key)
        if printed is None:
            printed = self.names[key] = _EMITTER.emit_Name(node)
        end = self.expect(printed, at)
        return Name(node.letter, node.sub, Span(at, end)), end

    def operand(self, parent, child, at: int, right: bool = False):
        """``child`` as an operand of ``parent``; in parentheses, it spans them too."""
        if not needs_parens(parent, child, right):
            return self.expr(child, at)
        node, end = self.expr(child, self.expect("(", at))
        end = self.expect(")", end)
        return _respan(node, Span(at, end)), end

    def expr(self, node, at: int):
        t = type(node)
        if t is Name:
            return self.name(node, at)
        if t is Number:
            end = self.expect(node.text, at)
            return Number(node.text, Span(at, end)), end
        if t is Call:
            end = self.expect(node.func + ("'(" if node.derivative else "("), at)
            arg, end = self.expr(node.arg, end)
            end = self.expect(")", end)
            return Call(node.func, arg, node.derivative, Span(at, end)), end
        if t is Transpose:
            return self.transpose(node, at)
        if t is Negate:
            operand, end = self.operand(node, node.operand, self.expect("-", at))
            return Negate(operand, Span(at, end)), end
        if t in BINARY_OPERATORS:
            return self.binary(node, at)
        raise _Elsewhere

    def transpose(self, node, at: int):
        count = 0
        while type(node) is Transpose:
            count, inner, node = count + 1, node, node.operand
        out, end = self.operand(inner, node, at)
        for _ in range(count):
            end = self.expect(_T, end)
            out = Transpose(out, Span(at, end))
        return out, end

    def binary(self, node, at: int):
        # the left spine of a chain in a loop, as the algebra view prints it
        spine = [node]
        while type(spine[-1].left) in BINARY_OPERATORS \
                and not needs_parens(spine[-1], spine[-1].left):
            spine.append(spine[-1].left)
        out, end = self.operand(spine[-1], spine[-1].left, at)
        text = self.text
        for parent in reversed(spine):
            t = type(parent)
            if t is MatMul:
                if end < len(text) and text[end] in " ·":
                    end += 1
            else:
                end = self.expect(BINARY_OPERATORS[t].algebra, end)
            right, end = self.operand(parent, parent.right, end, right=True)
            out = t(out, right, Span(at, end))
        return out, end


def _respan(node, span: Span):
    """``node`` (made by this walk, so of a known class) with the span ``span``."""
    t = type(node)
    if t is Name:
        return Name(node.letter, node.sub, span)
    if t is Number:
        return Number(node.text, span)
    if t is Call:
        return Call(node.func, node.arg, node.derivative, span)
    if t is Transpose or t is Negate:
        return t(node.operand, span)
    if t in (MatMul, Hadamard, Divide, Add, Subtract):
        return t(node.left, node.right, span)
    raise _Elsewhere
