"""The tree builder's rules for calls (notation/tree_builder.py): ``relu(e)`` and its
derivative ``relu'(e)``, ``max(0, e)`` (relu), and a letter directly before ``(``, which is
a call where the letter is declared a function (``g = relu``) and otherwise a product,
with a warning where a reader may have meant a call.
"""

from __future__ import annotations

from . import functions
from .errors import NotationNameError, NotationSyntaxError, NotationWarning
from .name_tokens import function_word
from .nodes import Call, MatMul, Name, Number, Span
from .tree_pieces import Word, span_of


class CallRules:
    """The methods of the grammar's call rules and of the product (a part of
    ``TreeBuilder``: they read its ``functions``, ``warnings`` and ``_parenthesized``)."""

    def call(self, c):
        fn_tok = c[0]
        derivative = c[1].type == "PRIME"
        arg = c[-2]
        if type(arg) is Word:
            arg.span
        spelling = function_word(fn_tok)
        fn = functions.lookup(spelling)
        if fn is None:
            from .name_errors import unknown_function
            raise unknown_function(spelling, fn_tok)

        if derivative and fn.derivative is None:
            raise NotationNameError(
                f"{fn.name} has no derivative in the notation",
                span_of(fn_tok, c[1]), label="no derivative helper for this function",
                hint=(fn.no_derivative_hint or
                      f"the derivatives known are those of "
                      f"{', '.join(f.name for f in functions.FUNCTIONS.values() if f.derivative)}"))
        return Call(fn.name, arg, derivative, span_of(fn_tok, c[-1]))

    def call2(self, c):
        """``max(0, e)`` and ``max(e, 0)`` are relu; no other function takes two arguments."""
        fn_tok, first, second = c[0], c[2], c[4]
        for arg in (first, second):
            if type(arg) is Word:
                arg.span
        spelling = function_word(fn_tok)
        maxes, relu = functions.MAX_OF_ZERO
        if spelling.lower() in maxes or spelling in maxes:
            for zero, other in ((first, second), (second, first)):
                if isinstance(zero, Number) and float(zero.text) == 0:
                    return Call(relu, other, False, span_of(fn_tok, c[-1]))
            raise NotationNameError(
                "max of two values is read only as max(0, e), which is relu", span_of(fn_tok, c[-1]),
                label="neither argument is 0",
                hint="write max(0, e) or relu(e); an elementwise maximum of two arrays is not "
                     "in the notation")
        if functions.lookup(spelling) is None:
            from .name_errors import unknown_function
            raise unknown_function(spelling, fn_tok)
        comma = c[3]
        raise NotationSyntaxError(
            "a function takes one argument", Span(comma.start_pos, comma.end_pos),
            label="a second argument starts here",
            hint="functions apply to one value, as relu(l0W0); a comma only separates "
                 "dimensions in a shape such as (b, 3)")

    def mat_mul(self, c):
        left, right = c[0], c[-1]
        if len(c) == 2 and right.span.start in self._parenthesized:
            # A letter directly before "(": g(z1) may be a call or a product.
            letter = left.right if type(left) is MatMul else left
            if type(letter) is Name and letter.span is not None \
                    and letter.span.end == right.span.start:
                fn = self.functions.get(letter.letter) if not letter.sub else None
                if fn is not None:
                    if self._parenthesized[right.span.start] != right.span.end:
                        raise NotationSyntaxError(
                            f"{letter.letter} is declared a function, and what follows it is "
                            f"more than its parenthesized argument", span_of(letter, right),
                            label="a call followed by more",
                            hint=f"bracket what you mean: ({letter.letter}(…))ᵀ, or "
                                 f"{letter.letter}((…)ᵀ)")
                    call = Call(fn, right, False, span_of(letter, right))
                    if letter is left:
                        return call
                    return MatMul(left.left, call, span_of(left, right))
                if doubtful(letter):
                    self.warnings.append(call_or_product(letter, right))
        return MatMul(left, right, span_of(left, right))


def doubtful(name: Name) -> bool:
    """A lowercase Latin letter without subscript directly before "(" reads as a function as
    readily as a product (f(x), g(z1)); a matrix W(…), a scalar α(…) or l1(…) reads as a
    product."""
    return not name.sub and len(name.letter) == 1 and "a" <= name.letter <= "z"


def call_or_product(name: Name, group) -> NotationWarning:
    from .emit.algebra import algebra
    letter = name.letter
    inner = algebra(group)
    return NotationWarning(
        f"{letter}({inner}) is read as the product {letter}·({inner})", span_of(name, group),
        label=f"{letter} directly before ( could also be a function", code="call-or-product",
        hint=f"for a function declare it: {letter} = relu (or --function {letter}=relu); for "
             f"the product write {letter}·({inner}) or {letter} ({inner})")
