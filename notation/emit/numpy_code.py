"""Pieces of Python source and their precedence, for the NumPy styles (emit/numpy.py).

A :class:`Code` is a text and the precedence of its outermost operator; ``binary``, ``call``,
``method`` and ``wrap`` put pieces together with the parentheses Python's grammar needs.
Short texts are joined at once, long ones referred to, so that a chain of 100,000 factors is
built in linear time.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------- Python's precedence

# The levels of Python's grammar that this view writes (CPython's ast._Precedence), loosest
# first. Python's grammar, not the notation's, decides how the emitted code reads: unary
# minus binds tighter than a product in Python and looser in the notation, and `*`, `/`, `@`
# share one level. So parentheses here come from this table, through `operand` and `wrap`.
SUM = 1      # a + b, a - b
TERM = 2     # a * b, a / b, a @ b
FACTOR = 3   # -a
ATOM = 4     # names, literals, calls, attributes, parenthesized forms


class Code:
    """A piece of Python source and the precedence of its outermost operator.

    The text may be given as a list of strings and other Codes, joined on first use: a
    chain of 100,000 factors is then built in linear time, each step referring to the
    text so far instead of copying it.
    """

    __slots__ = ("_parts", "precedence")

    def __init__(self, text, precedence: int):
        self._parts = text
        self.precedence = precedence

    @property
    def text(self) -> str:
        if not isinstance(self._parts, str):
            self._parts = _join(self._parts)
        return self._parts

    @text.setter
    def text(self, value: str) -> None:
        self._parts = value

    def __repr__(self) -> str:
        return f"Code({self.text!r}, {self.precedence})"


def _join(parts) -> str:
    out: list[str] = []
    stack = [parts]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, Code):
            stack.append(item._parts)
        else:
            stack.extend(reversed(item))
    return "".join(out)


# Texts shorter than this are joined at once (a statement's usual pieces); a longer one is
# referred to, so that a chain of 100,000 factors is still built in linear time.
_EAGER = 160


def pieces(parts: list, precedence: int) -> Code:
    """A Code of ``parts`` (strings and Codes): joined now when every part is text and the
    whole is short, else kept as parts for one join at the end."""
    size = 0
    for part in parts:
        text = part if type(part) is str else part._parts
        if type(text) is not str:
            return Code(parts, precedence)
        size += len(text)
    if size > _EAGER:
        return Code(parts, precedence)
    return Code("".join([part if type(part) is str else part._parts for part in parts]),
                precedence)


def operand(code: Code, minimum: int) -> Code:
    """``code`` as an operand needing at least ``minimum``, bracketed if it has less."""
    if code.precedence >= minimum:
        return code
    text = code._parts
    if type(text) is str and len(text) <= _EAGER:
        return Code("(" + text + ")", ATOM)
    return Code(["(", code, ")"], ATOM)


def wrap(code: Code, minimum: int) -> str:
    """The text of ``code`` where an operand of at least ``minimum`` precedence is needed."""
    return code.text if code.precedence >= minimum else f"({code.text})"


def binary(left: Code, op: str, right: Code, level: int) -> Code:
    """``left op right`` for a left-associative operator at ``level``."""
    a, b = left._parts, right._parts
    if type(a) is str and type(b) is str and len(a) + len(b) <= _EAGER:
        if left.precedence < level:
            a = f"({a})"
        if right.precedence <= level:
            b = f"({b})"
        return Code(f"{a} {op} {b}", level)
    return Code([operand(left, level), f" {op} ", operand(right, level + 1)], level)


def call(function: str, *args: Code) -> Code:
    if len(args) == 1:
        a = args[0]._parts
        if type(a) is str and len(a) <= _EAGER:
            return Code(f"{function}({a})", ATOM)
    parts: list = [function, "("]
    for i, a in enumerate(args):
        if i:
            parts.append(", ")
        parts.append(a)
    parts.append(")")
    return pieces(parts, ATOM)


def method(receiver: Code, name: str, *args: Code) -> Code:
    """``receiver.name(args)``, the receiver bracketed unless it is an atom."""
    if len(args) == 1:
        r, a = receiver._parts, args[0]._parts
        if type(r) is str and type(a) is str and len(r) + len(a) <= _EAGER:
            if receiver.precedence < ATOM:
                r = f"({r})"
            return Code(f"{r}.{name}({a})", ATOM)
    return pieces([operand(receiver, ATOM), call(f".{name}", *args)], ATOM)
