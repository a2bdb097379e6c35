"""The LaTeX view (SPEC §4): ``l_{2} = \\operatorname{relu}(l_{0} W_{0}) W_{1}``.

Names are a letter (Greek as its command, decorated as ``\\hat{y}``) with the subscript in
braces; a product is its factors side by side, a space apart (a thin space ``\\,`` after a
scalar's Greek letter); transpose is ``^{\\top}``, ``⊙`` is ``\\odot``, a derivative
``\\operatorname{relu}'``; a quotient is ``\\frac{a}{b}``. Brackets are set as a careful
author sets them: plain ``( … )`` around flat contents, ``\\left( … \\right)`` only around
tall ones (a fraction), and then ``\\mathopen{}`` after an operator name, so that TeX puts
no gap between ``relu`` and its bracket. An update is ``W_{1} \\leftarrow W_{1} - \\alpha\\,
l_{1}^{\\top} \\delta_{2}``. A declaration is ``W_{0} \\in \\mathbb{R}^{3 \\times 4}``; several
statements are an ``aligned`` block with ``&=`` (``&\\leftarrow``, ``&\\in``);
``document=True`` gives a whole ``.tex`` file (article, amsmath, amssymb) that pdflatex
compiles.

What is printed parses back to the same tree (SPEC §1), so where the plain spelling would
read otherwise, the view says it otherwise: ``x \\cdot 2`` (not ``x 2``, which looks like
x²), ``\\sigma \\cdot (…)`` (``\\sigma(`` is the sigmoid),
``x^{\\top}\\,^{\\top}`` (a double superscript is an error in TeX).
"""

from __future__ import annotations

import re

from .. import functions
from ..errors import NotationTranslationError
from ..greek import LATEX_BY_UNICODE, is_greek
from ..kinds import Kind, kind_by_letter
from ..marks import LATEX_BY_MARK, is_letter, is_subscript, split_letter
from ..nodes import (Add, Assign, Call, Declare, Divide, Expr, ExprStatement, MatMul, Name,
                     Negate, Number, Program, Statement, Subtract, Transpose, Update)
from ..operators import BINARY_OPERATORS, needs_parens
from .base import Emitter

# Relations of the statements: (alone, in an aligned block).
RELATIONS = {
    Assign: ("=", "&="),
    Declare: (r"\in", r"&\in"),
}
UPDATES = {"-=": Subtract, "+=": Add}
ARROW = (r"\leftarrow", r"&\leftarrow")

TRANSPOSE = r"^{\top}"
LEFT, RIGHT = r"\left(", r"\right)"
OPEN = r"\mathopen{}"     # after an operator name: no space before a \left( (TeX's Inner atom)
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?\Z")
_ENDS_IN_SIGMA = re.compile(r"\\sigma\Z")
BINARY = tuple(BINARY_OPERATORS)

PREAMBLE = (r"\documentclass{article}", r"\usepackage{amsmath}", r"\usepackage{amssymb}",
            r"\begin{document}")


class LatexEmitter(Emitter):
    """One LaTeX spelling per node; parentheses from ``operators.needs_parens``."""

    # -- program and statements
    def emit_Program(self, node: Program) -> str:
        if len(node.statements) == 1:
            return self.statement(node.statements[0], aligned=False)
        lines = [self.statement(s, aligned=True) for s in node.statements]
        return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"

    def statement(self, node: Statement, aligned: bool) -> str:
        if isinstance(node, ExprStatement):
            return ("& " if aligned else "") + self.emit(node.expr)
        if isinstance(node, Update):
            if node.op not in UPDATES:
                raise NotationTranslationError(f"unknown update {node.op!r}", node.span)
            # As mathematics: W \leftarrow W - \alpha\, l^{\top} \delta.
            value = UPDATES[node.op](node.target, node.value)
            return f"{self.emit(node.target)} {ARROW[aligned]} {self.emit(value)}"
        relation = RELATIONS.get(type(node))
        if relation is None:
            return self.emit(node)            # fails loudly on a stranger
        right = self.shape(node) if isinstance(node, Declare) else self.emit(node.value)
        return f"{self.emit(node.target)} {relation[aligned]} {right}"

    def emit_Assign(self, node: Assign) -> str:
        return self.statement(node, aligned=False)

    emit_Update = emit_Declare = emit_ExprStatement = emit_Assign

    def shape(self, node: Declare) -> str:
        if not node.dims:
            return r"\mathbb{R}"
        dims = " \\times ".join(str(d) if isinstance(d, int) else self.emit(d) for d in node.dims)
        return r"\mathbb{R}^{" + dims + "}"

    # -- expressions
    def emit_Name(self, node: Name) -> str:
        if not is_letter(node.letter):
            raise NotationTranslationError(f"{node.letter!r} is not a letter the LaTeX view can write",
                                           node.span)
        letter, mark = split_letter(node.letter)
        if letter in LATEX_BY_UNICODE:
            letter = "\\" + LATEX_BY_UNICODE[letter]
        if mark:
            letter = f"\\{LATEX_BY_MARK[mark]}{{{letter}}}"
        if not node.sub:
            return letter
        if not is_subscript(node.sub):
            raise NotationTranslationError(f"the subscript {node.sub!r} is not letters and digits",
                                           node.span)
        return f"{letter}_{{{node.sub}}}"

    def emit_Number(self, node: Number) -> str:
        if not isinstance(node.text, str) or not _NUMBER.match(node.text):
            raise NotationTranslationError(f"{str(node.text)[:40]!r} is not a number", node.span)
        return node.text

    def emit_Call(self, node: Call) -> str:
        fn = functions.lookup(node.func)
        if fn is None:
            raise NotationTranslationError(f"the function '{node.func}' is not in the function table",
                                           node.span)
        prime = "'" if node.derivative else ""
        arg = self.emit(node.arg)
        if _tall(arg):
            return f"{fn.latex}{prime}{OPEN}{LEFT}{arg}{RIGHT}"
        return f"{fn.latex}{prime}({arg})"

    def emit_Transpose(self, node: Transpose) -> str:
        # xᵀᵀ… is a chain the parser does not bound: count it instead of recursing. TeX
        # refuses a double superscript (x^{\top}^{\top}); a thin space gives each further ⊤
        # an empty base of its own, flat, where braces would nest past TeX's 255 groups.
        count = 0
        while isinstance(node, Transpose):
            count, inner, node = count + 1, node, node.operand
        return self.operand(inner, node) + TRANSPOSE + (r"\," + TRANSPOSE) * (count - 1)

    def emit_Negate(self, node: Negate) -> str:
        return "-" + self.operand(node, node.operand)

    def emit_Divide(self, node: Divide) -> str:
        # A fraction's braces delimit its parts: no parentheses inside.
        return r"\frac{" + self.emit(node.left) + "}{" + self.emit(node.right) + "}"

    def _binary(self, node) -> str:
        # Walk the left spine of a chain in a loop: 100,000 factors are one flat line.
        spine = [node]
        while isinstance(spine[-1].left, BINARY) and not isinstance(spine[-1].left, Divide) \
                and not needs_parens(spine[-1], spine[-1].left):
            spine.append(spine[-1].left)
        text = self.operand(spine[-1], spine[-1].left)
        for parent in reversed(spine):
            right = self.operand(parent, parent.right, right=True)
            if type(parent) is MatMul:
                text += self.juxtapose(text, right, parent.left)
            else:
                text += BINARY_OPERATORS[type(parent)].latex
            text += right
        return text

    emit_MatMul = emit_Hadamard = emit_Add = emit_Subtract = _binary

    @staticmethod
    def juxtapose(left: str, right: str, left_node: Expr | None = None) -> str:
        """What goes between two factors: a space, ``\\cdot`` where a space would mislead,
        or a thin space after a scalar's Greek letter (``\\alpha\\, l_{1}``)."""
        if right[:1].isdigit():
            return r" \cdot "      # x 2 looks like x², and 2 3 like 23
        if right.startswith((LEFT, "(")) and _ENDS_IN_SIGMA.search(left):
            return r" \cdot "      # \sigma( is the sigmoid
        if type(left_node) is Name and not left_node.sub and is_greek(left_node.letter) \
                and kind_by_letter(left_node) is Kind.SCALAR:
            return r"\, "
        return " "

    def operand(self, parent: Expr, child: Expr, right: bool = False) -> str:
        text = self.emit(child)
        if isinstance(child, Divide):
            # \frac{a}{b} is a unit on the page; only a transpose brackets it, for clarity.
            return f"{LEFT}{text}{RIGHT}" if isinstance(parent, Transpose) else text
        return _bracket(text) if needs_parens(parent, child, right) else text


def _tall(text: str) -> bool:
    """Is this LaTeX taller than a line of text? A fraction is; subscripts and ⊤ are not."""
    return r"\frac{" in text


def _bracket(text: str) -> str:
    return f"{LEFT}{text}{RIGHT}" if _tall(text) else f"({text})"


def latex(node, *, document: bool = False) -> str:
    """The LaTeX of a program or node; ``document=True`` gives a complete ``.tex`` file.

    >>> from notation import parse
    >>> latex(parse("l2 = relu(l0W0)W1"))
    'l_{2} = \\\\operatorname{relu}(l_{0} W_{0}) W_{1}'
    """
    try:
        body = LatexEmitter().emit(node)
    except RecursionError:
        # Parsed programs nest at most ~100 levels; a tree built by hand may nest deeper.
        raise NotationTranslationError("the program nests too deeply to print") from None
    if not document:
        return body
    return "\n".join(PREAMBLE + ("\\[", body, "\\]", r"\end{document}")) + "\n"
