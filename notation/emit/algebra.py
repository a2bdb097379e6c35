"""The algebra view: canonical text in the book's style (SPEC §4).

Factors sit side by side without spaces (``relu(l0W0)W1``) unless two of them would run
together into another token (``x y`` is not the word ``xy``; ``l2 3`` is not ``l23``);
``=``, ``+``, ``-`` and ``⊙`` have spaces around them. ``ascii=True`` spells every symbol
with ASCII that parses back to the same tree: ``^T``, ``*``, ``\\alpha``, ``x``, ``R``.
"""

from __future__ import annotations

import re
import unicodedata

from ..greek import LATEX_BY_UNICODE, is_greek
from ..marks import LATEX_BY_MARK, split_letter
from ..nodes import (Add, Assign, Call, Declare, Divide, Expr, ExprStatement, Hadamard, MatMul,
                     Name, Negate, Number, Program, Subtract, Transpose, Update)
from ..operators import BINARY_OPERATORS, needs_parens
from .base import Emitter

_ENDS_IN_COMMAND = re.compile(r"\\[A-Za-z]+\Z")
_STARTS_A_WORD = re.compile(r"[a-z]{2}")
_ENDS_IN_LETTERS = re.compile(r"[A-Za-z]{2}\Z")
_ENDS_IN_NUMBER = re.compile(r"(?:\A|[^A-Za-z0-9_.])[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?\Z")


def _lower_latin(ch: str) -> bool:
    return "a" <= ch <= "z"


def needs_space(left: str, right: str) -> bool:
    """Would ``left + right`` lex as other tokens than ``left`` then ``right``?"""
    # Only the ends can run together. Looking at a bounded tail keeps a chain of 100,000
    # factors linear: the regular expressions below would otherwise scan all of it each time.
    left = left[-80:]
    a, b = left[-1], right[0]
    if unicodedata.combining(a) and len(left) > 1:
        a = left[-2]         # h̃ 2: the decorated letter, not its mark, meets the digit
    if a.isdigit() and (b.isdigit() or b == "."):
        return True          # l2 3, 2 3 (not l23, 23)
    if a.isdigit() and b in "eE" and _ENDS_IN_NUMBER.search(left):
        return True          # 2 e1 (not the number 2e1); but l0E is l0 E

    if (a.isalpha() or a == "}") and (b.isdigit() or b == "_"):
        return True          # x 2, α 2, \hat{y} 2 (not the names x2, α2, ŷ2)
    if _lower_latin(a) and _lower_latin(b):
        return True          # x y (not the word xy)
    if a.isascii() and a.isalpha() and _STARTS_A_WORD.match(right):
        return True          # A relu(x) (not the cased function name Arelu)
    if b.isalpha() and _ENDS_IN_COMMAND.search(left):
        return True          # \alpha l1 (not the command \alphal)
    return False


def _doubtful(left: Expr) -> bool:
    """Is the last factor of ``left`` a lowercase letter without subscript (g, f, x), which
    directly before "(" would read as a call (the parser warns)?"""
    factor = left.right if type(left) is MatMul else left
    return type(factor) is Name and not factor.sub and len(factor.letter) == 1 \
        and "a" <= factor.letter <= "z"


class AlgebraEmitter(Emitter):
    def __init__(self, ascii: bool = False):
        self.ascii = ascii

    # -- program and statements
    def emit_Program(self, node: Program) -> str:
        return "\n".join(self.emit(s) for s in node.statements)

    def emit_Assign(self, node: Assign) -> str:
        return f"{self.emit(node.target)} = {self.emit(node.value)}"

    def emit_Update(self, node: Update) -> str:
        return f"{self.emit(node.target)} {node.op} {self.emit(node.value)}"

    def emit_ExprStatement(self, node: ExprStatement) -> str:
        return self.emit(node.expr)

    def emit_Declare(self, node: Declare) -> str:
        if not node.dims:
            return f"{self.emit(node.target)} : scalar"
        sep = " x " if self.ascii else "×"
        return f"{self.emit(node.target)} : " + sep.join(
            str(d) if isinstance(d, int) else self.emit(d) for d in node.dims)

    # -- expressions
    def emit_Name(self, node: Name) -> str:
        letter, sub = node.letter, node.sub
        if len(letter) == 1 and letter.isalpha() and (letter.isascii() or not self.ascii):
            # The usual name (one letter, no mark, nothing to spell otherwise), as the general
            # path below prints it, without its calls: a page at the size limit prints
            # 700,000 names.
            if not sub:
                return letter
            return letter + sub if sub.isdigit() else f"{letter}_{{{sub}}}"
        return self.spelled_name(node)

    def spelled_name(self, node: Name) -> str:
        """emit_Name of any name (tests/test_algebra.py checks its fast path against this)."""
        letter = node.letter
        base, mark = split_letter(letter)
        if mark:
            # ŷ as one code point where Unicode has one (NFC); in ASCII, LaTeX's \hat{y}.
            if self.ascii:
                base = "\\" + LATEX_BY_UNICODE[base] if is_greek(base) else base
                letter = f"\\{LATEX_BY_MARK[mark]}{{{base}}}"
            else:
                letter = unicodedata.normalize("NFC", letter)
        elif self.ascii and is_greek(letter):
            letter = "\\" + LATEX_BY_UNICODE[letter]
        if not node.sub:
            return letter
        if node.sub.isdigit():
            # \alpha2 would read as the command \alpha2 in LaTeX habits; the notation reads
            # it as α₂, but an underscore makes the intent plain in ASCII.
            return f"{letter}_{node.sub}" if letter.startswith("\\") or mark else letter + node.sub
        return f"{letter}_{{{node.sub}}}"

    def emit_Number(self, node: Number) -> str:
        return node.text

    def emit_Call(self, node: Call) -> str:
        prime = "'" if node.derivative else ""
        return f"{node.func}{prime}({self.emit(node.arg)})"

    def emit_Transpose(self, node: Transpose) -> str:
        # xᵀᵀᵀ… is a chain the parser does not bound: count it instead of recursing.
        count = 0
        while isinstance(node, Transpose):
            count, inner, node = count + 1, node, node.operand
        return self.operand(inner, node) + ("^T" if self.ascii else "ᵀ") * count

    def emit_Negate(self, node: Negate) -> str:
        return "-" + self.operand(node, node.operand)

    def _binary(self, node) -> str:
        # Walk the left spine of a chain (a b c …, a + b - c …) in a loop: a chain of
        # 100,000 factors is one flat line of text, and must not cost 100,000 frames.
        spine = [node]
        while type(spine[-1].left) in BINARY_OPERATORS and not needs_parens(spine[-1], spine[-1].left):
            spine.append(spine[-1].left)
        text = self.operand(spine[-1], spine[-1].left)
        for parent in reversed(spine):
            right = self.operand(parent, parent.right, right=True)
            if type(parent) is MatMul:
                if right.startswith("(") and (text in ("σ", "\\sigma") or _doubtful(parent.left)
                                              or _ENDS_IN_LETTERS.search(text[-2:])):
                    # σ( is the sigmoid; the product of the scalar σ and a bracket needs an
                    # operator. So does g(…), which reads as a call as readily as a product,
                    # and xW(…), which reads as the (unknown) function xW.
                    text += " @ " if self.ascii else "·"
                elif needs_space(text, right):
                    text += " "
            else:
                op = BINARY_OPERATORS[type(parent)]
                text += op.ascii if self.ascii else op.algebra
            text += right
        return text

    emit_MatMul = emit_Hadamard = emit_Divide = emit_Add = emit_Subtract = _binary

    def operand(self, parent: Expr, child: Expr, right: bool = False) -> str:
        text = self.emit(child)
        return f"({text})" if needs_parens(parent, child, right) else text


def algebra(node, *, ascii: bool = False) -> str:
    """The canonical algebra of a program or node.

    >>> from notation import parse
    >>> algebra(parse("δ1 = δ2 W1^T * relu'(l1)"))
    "δ1 = δ2W1ᵀ ⊙ relu'(l1)"
    """
    emitter = _EMITTERS[bool(ascii)]
    if type(node) is Name:                 # most calls (the plan's table, shapes, names)
        return emitter.emit_Name(node)
    return emitter.emit(node)


_EMITTERS = {False: AlgebraEmitter(ascii=False), True: AlgebraEmitter(ascii=True)}  # stateless
