"""The math of a program as presentation MathML, for the HTML page (SPEC §4 Side by side).

MathML Core renders in every current browser with no script and no font download, so
the page works offline. The layout follows the LaTeX view: subscripts, ``⊤`` for the
transpose, ``⊙``, ``relu′(…)``, and one row per statement in a table aligned on ``=``.
Parentheses come from the shared precedence table, as in every view.
"""

from __future__ import annotations


from .. import functions
from ..nodes import (Add, Assign, Call, Declare, Divide, Expr, ExprStatement, Hadamard, MatMul,
                     Name, Negate, Number, Program, Subtract, Transpose, Update)
from ..operators import needs_parens
from .base import Emitter, escape_text

# The operator between two operands, as MathML shows it.
BINARY_MO = {
    MatMul: "\u2062",      # invisible times: factors side by side, as in the book
    Hadamard: "⊙",
    Divide: "/",
    Add: "+",
    Subtract: "−",
}
UPDATE_MO = {"-=": "−=", "+=": "+="}


def _mi(text: str) -> str:
    return f"<mi>{escape_text(text)}</mi>"


def _mo(text: str) -> str:
    return f"<mo>{escape_text(text)}</mo>"


class MathMLEmitter(Emitter):
    def emit_Program(self, node: Program) -> str:
        rows = []
        for s in node.statements:
            left, op, right = self.statement(s)
            rows.append("<mtr><mtd columnalign='right'>" + left + "</mtd>"
                        "<mtd columnalign='left'><mrow>" + op + right + "</mrow></mtd></mtr>")
        return ("<math xmlns='http://www.w3.org/1998/Math/MathML' display='block'>"
                "<mtable columnspacing='0.2em' rowspacing='0.4em'>" + "".join(rows)
                + "</mtable></math>")

    def statement(self, s) -> tuple[str, str, str]:
        if isinstance(s, Assign):
            return self.emit(s.target), _mo("="), self.emit(s.value)
        if isinstance(s, Update):
            return self.emit(s.target), _mo(UPDATE_MO[s.op]), self.emit(s.value)
        if isinstance(s, Declare):
            if not s.dims:
                return self.emit(s.target), _mo("∈"), "<mi mathvariant='normal'>ℝ</mi>"
            dims = _mo("×").join(f"<mn>{d}</mn>" if isinstance(d, int) else self.emit(d)
                                 for d in s.dims)
            return (self.emit(s.target), _mo("∈"),
                    f"<msup><mi mathvariant='normal'>ℝ</mi><mrow>{dims}</mrow></msup>")
        if isinstance(s, ExprStatement):
            return "", "", self.emit(s.expr)
        raise TypeError(type(s).__name__)

    def emit_Name(self, node: Name) -> str:
        if not node.sub:
            return _mi(node.letter)
        sub = f"<mn>{node.sub}</mn>" if node.sub.isdigit() else f"<mi>{escape_text(node.sub)}</mi>"
        return f"<msub>{_mi(node.letter)}{sub}</msub>"

    def emit_Number(self, node: Number) -> str:
        return f"<mn>{escape_text(node.text)}</mn>"

    def emit_Call(self, node: Call) -> str:
        fn = functions.lookup(node.func)
        name = fn.shown() if fn is not None else node.func
        fn = f"<mi mathvariant='normal'>{escape_text(name)}</mi>"
        if node.derivative:
            fn = f"<msup>{fn}<mo>′</mo></msup>"
        return (f"<mrow>{fn}<mo>\u2061</mo><mrow><mo>(</mo>{self.emit(node.arg)}<mo>)</mo>"
                f"</mrow></mrow>")

    def emit_Transpose(self, node: Transpose) -> str:
        # xᵀᵀ… is a chain the parser does not bound (the LaTeX view counts it too): one
        # superscript of as many ⊤, in a loop rather than a recursion per ⊤.
        count = 0
        while isinstance(node, Transpose):
            count, inner, node = count + 1, node, node.operand
        marks = "<mo>⊤</mo>" * count
        return (f"<msup>{self.operand(inner, node)}"
                f"{marks if count == 1 else '<mrow>' + marks + '</mrow>'}</msup>")

    def emit_Negate(self, node: Negate) -> str:
        return f"<mrow><mo>−</mo>{self.operand(node, node.operand)}</mrow>"

    def _binary(self, node) -> str:
        # Walk the left spine in a loop (a chain of any length costs no recursion).
        spine = [node]
        while type(spine[-1].left) in BINARY_MO and not needs_parens(spine[-1], spine[-1].left):
            spine.append(spine[-1].left)
        # Joined once: a chain of 100,000 factors built by += was quadratic.
        out = ["<mrow>", self.operand(spine[-1], spine[-1].left)]
        for parent in reversed(spine):
            out += (_mo(BINARY_MO[type(parent)]), self.operand(parent, parent.right, right=True))
        out.append("</mrow>")
        return "".join(out)

    emit_MatMul = emit_Hadamard = emit_Divide = emit_Add = emit_Subtract = _binary

    def operand(self, parent: Expr, child: Expr, right: bool = False) -> str:
        inner = self.emit(child)
        if needs_parens(parent, child, right):
            return f"<mrow><mo>(</mo>{inner}<mo>)</mo></mrow>"
        return inner


def mathml(program: Program) -> str:
    """The program as one ``<math>`` element.

    >>> from notation import parse
    >>> mathml(parse("l1 = l0W0")).startswith("<math")
    True
    """
    return MathMLEmitter().emit(program)
