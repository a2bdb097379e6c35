"""The tree builder: called at each reduction of the parse, it makes the node of the rule.

Methods are named after the grammar's rule aliases (grammar/notation.lark), so the same
builder serves the project's own LALR loop (notation/parser.py) and Lark's parser, which
the tests run side by side. Spans come from the tokens, so positions stay exact.
"""

from __future__ import annotations

from . import functions
from .errors import NotationNameError, NotationWarning
from .name_tokens import name_or_transpose, name_token, normal_number
from .nodes import (Add, Assign, Declare, Divide, ExprStatement, Hadamard, Name, Negate, Number,
                    Span, Subtract, Transpose, Update)
from .tree_calls import CallRules
from .tree_pieces import Word, respan, span_of
from .tree_shapes import ShapeRules


class TreeBuilder(ShapeRules, CallRules):
    """Called by the LALR parser at each reduction; each method returns a node.

    A parse starts with :meth:`begin`, which sets the letters declared as functions and
    empties the warnings that this parse collects (NotationWarning, SPEC §1)."""

    def __init__(self):
        self.begin()

    def begin(self, functions: dict[str, str] | None = None) -> None:
        """Start a parse: ``functions`` maps letters to the function they name (``g -> relu``)."""
        self.functions = {}
        for letter, fn in (functions or {}).items():
            self.declare_function(letter, fn)
        self.warnings: list[NotationWarning] = []
        self._parenthesized: dict[int, int] = {}   # start -> end of each group in plain ( )

    def declare_function(self, letter: str, spelling: str, span: Span | None = None) -> None:
        fn = functions.lookup(spelling)
        if fn is None:
            from .name_errors import unknown_function
            raise unknown_function(spelling, span=span)
        if not (len(letter) == 1 and letter.isascii() and letter.isalpha()):
            raise NotationNameError(f"only a single letter can be declared a function, not {letter!r}",
                                    span, hint="write g = relu, or --function g=relu")
        self.functions[letter] = fn.name

    # -- statements
    def start(self, children):
        return [c for c in children if c is not None]

    def assign(self, c):
        if type(c[2]) is Word:
            return self.function_alias(c[0], c[2].tok)
        return Assign(name_token(c[0]), c[2], span_of(c[0], c[2]))

    def function_alias(self, target, word):
        """``g = relu``: the letter g names the function relu from here on; no statement."""
        if functions.lookup(str(word)) is None:
            from .name_errors import word_error
            raise word_error(word)
        if not str(target).isascii() or len(str(target)) != 1:
            raise NotationNameError(
                f"only a single letter can name a function, not {target}",
                span_of(target, word), label="a function is named by one letter",
                hint=f"write f = {word}, then f(…)")
        self.declare_function(str(target), str(word), span_of(target, word))
        return None

    def arrow(self, c):
        """``W \\leftarrow W - η g`` and ``W := W - η g`` are the update ``W -= ηg``; any
        other value is an assignment (``h \\leftarrow σ(h)``)."""
        target = name_token(c[0])
        update = _as_update(target, c[2])
        if update is not None:
            op, value = update
            return Update(target, op, value, span_of(c[0], c[2]))
        return Assign(target, c[2], span_of(c[0], c[2]))

    def update(self, c):
        op = "+=" if "+" in str(c[1]) else "-="
        return Update(name_token(c[0]), op, c[2], span_of(c[0], c[2]))

    def declare(self, c):
        dims, end = c[2]
        return Declare(name_token(c[0]), dims, Span(c[0].start_pos, end))

    def expr_statement(self, c):
        return ExprStatement(c[0], c[0].span)

    # -- expressions
    def name(self, c):
        return name_or_transpose(c[0])

    def number(self, c):
        return Number(normal_number(str(c[0])), span_of(c[0], c[0]))

    def word(self, c):
        # Only "g = relu" takes a word as it is; anywhere else its span is asked for, and
        # that raises the word's error (see tree_pieces.Word).
        return Word(c[0])

    def group(self, c):
        inner = c[1]
        if type(inner) is Word:
            inner.span
        if c[0].type == "LPAR":
            self._parenthesized[c[0].start_pos] = c[-1].end_pos
        # The parentheses belong to the value they enclose: carets then cover them too.
        return respan(inner, span_of(c[0], c[-1]))

    def frac(self, c):
        for part in (c[2], c[5]):
            if type(part) is Word:
                part.span
        return Divide(c[2], c[5], span_of(c[0], c[-1]))

    def transpose(self, c):
        return Transpose(c[0], span_of(c[0], c[1]))

    def negate(self, c):
        return Negate(c[1], span_of(c[0], c[1]))

    def hadamard(self, c):
        return Hadamard(c[0], c[2], span_of(c[0], c[2]))

    def divide(self, c):
        return Divide(c[0], c[2], span_of(c[0], c[2]))

    def add(self, c):
        return Add(c[0], c[2], span_of(c[0], c[2]))

    def subtract(self, c):
        return Subtract(c[0], c[2], span_of(c[0], c[2]))


def _as_update(target: Name, value):
    """``target ± e ± f …`` as (op, value) of an update, or None when it is not one."""
    terms = []
    node = value
    while isinstance(node, (Add, Subtract)):
        terms.append((type(node), node.right))
        node = node.left
    if not terms or node != target:
        return None
    terms.reverse()
    first_op, result = terms[0]
    for op, term in terms[1:]:
        result = (Add if op is first_op else Subtract)(result, term, span_of(result, term))
    return ("-=" if first_op is Subtract else "+="), result
