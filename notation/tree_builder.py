"""The tree builder: called at each reduction of the parse, it makes the node of the rule.

Methods are named after the grammar's rule aliases (grammar/notation.lark), so the same
builder serves the project's own LALR loop (notation/parser.py) and Lark's parser, which
the tests run side by side. Spans come from the tokens, so positions stay exact.
"""

from __future__ import annotations

from . import functions
from .errors import NotationNameError, NotationSyntaxError, NotationWarning
from .name_tokens import function_word, name_or_transpose, name_token, normal_number
from .nodes import (Add, Assign, Call, Declare, Divide, ExprStatement, Hadamard, MatMul, Name,
                    Negate, Number, Span, Subtract, Transpose, Update)


def _start(x) -> int:
    # A token (ours or Lark's) knows its offsets; a node carries a span.
    start = getattr(x, "start_pos", None)
    return x.span.start if start is None else start


def _end(x) -> int:
    end = getattr(x, "end_pos", None)
    return x.span.end if end is None else end


def _kind(x) -> str | None:
    """The terminal of a token, None for a node."""
    return getattr(x, "type", None)


def _span(first, last) -> Span:
    return Span(_start(first), _end(last))


class TreeBuilder:
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
        if type(c[2]) is _Word:
            return self.function_alias(c[0], c[2].tok)
        return Assign(name_token(c[0]), c[2], _span(c[0], c[2]))

    def function_alias(self, target, word):
        """``g = relu``: the letter g names the function relu from here on; no statement."""
        if functions.lookup(str(word)) is None:
            from .name_errors import word_error
            raise word_error(word)
        if not str(target).isascii() or len(str(target)) != 1:
            raise NotationNameError(
                f"only a single letter can name a function, not {target}",
                _span(target, word), label="a function is named by one letter",
                hint=f"write f = {word}, then f(…)")
        self.declare_function(str(target), str(word), _span(target, word))
        return None

    def arrow(self, c):
        """``W \\leftarrow W - η g`` and ``W := W - η g`` are the update ``W -= ηg``; any
        other value is an assignment (``h \\leftarrow σ(h)``)."""
        target = name_token(c[0])
        update = _as_update(target, c[2])
        if update is not None:
            op, value = update
            return Update(target, op, value, _span(c[0], c[2]))
        return Assign(target, c[2], _span(c[0], c[2]))

    def update(self, c):
        op = "+=" if "+" in str(c[1]) else "-="
        return Update(name_token(c[0]), op, c[2], _span(c[0], c[2]))

    def declare(self, c):
        dims, end = c[2]
        return Declare(name_token(c[0]), dims, Span(c[0].start_pos, end))

    def expr_statement(self, c):
        return ExprStatement(c[0], c[0].span)

    # -- shapes: (dims, end offset)
    def shape(self, c):
        first, last = c[0], c[-1]
        if _kind(first) == "SCALAR":
            return (), first.end_pos
        dims = next((x for x in c if isinstance(x, _Dims)), None)
        if dims is None:
            if _kind(last) == "REALS":
                return (), last.end_pos          # α ∈ ℝ
            dims = _Dims((self._dim(last),), last.start_pos, last.end_pos)  # ℝ^3
        start = first.start if isinstance(first, _Dims) else first.start_pos
        end = last.end if isinstance(last, _Dims) else last.end_pos
        if len(dims.dims) > 2:
            raise NotationSyntaxError(
                f"a shape has at most two dimensions, and this one has {len(dims.dims)}",
                Span(start, end), label=f"{len(dims.dims)} dimensions",
                hint="every value is a scalar or a 2-D array: batch × units, or inputs × outputs")
        return dims.dims, end

    def dims(self, c):
        return _Dims(tuple(self._dim(t) for t in c if t.type not in ("DIMSEP", "COMMA")),
                     c[0].start_pos, c[-1].end_pos)

    @staticmethod
    def _dim(tok):
        if tok.type == "INT":
            digits = str(tok).lstrip("0") or "0"
            if len(digits) > 18:
                raise NotationSyntaxError(
                    f"the dimension {digits[:20]}… is too large", Span(tok.start_pos, tok.end_pos),
                    hint="a dimension is a whole number below 10^18, or a symbol such as b")
            return int(digits)  # never int() of the raw text: 5,000 zeros is a short number
        return name_token(tok)

    # -- expressions
    def name(self, c):
        return name_or_transpose(c[0])

    def number(self, c):
        return Number(normal_number(str(c[0])), _span(c[0], c[0]))

    def word(self, c):
        # Only "g = relu" takes a word as it is; anywhere else its span is asked for, and
        # that raises the word's error (see _Word).
        return _Word(c[0])

    def group(self, c):
        inner = c[1]
        if type(inner) is _Word:
            inner.span
        if c[0].type == "LPAR":
            self._parenthesized[c[0].start_pos] = c[-1].end_pos
        # The parentheses belong to the value they enclose: carets then cover them too.
        return _respan(inner, _span(c[0], c[-1]))

    def call(self, c):
        fn_tok = c[0]
        derivative = c[1].type == "PRIME"
        arg = c[-2]
        if type(arg) is _Word:
            arg.span
        spelling = function_word(fn_tok)
        fn = functions.lookup(spelling)
        if fn is None:
            from .name_errors import unknown_function
            raise unknown_function(spelling, fn_tok)

        if derivative and fn.derivative is None:
            raise NotationNameError(
                f"{fn.name} has no derivative in the notation",
                _span(fn_tok, c[1]), label="no derivative helper for this function",
                hint=("softmax is used with cross-entropy, whose delta is output - y"
                      if fn.name == "softmax" else
                      f"the derivatives known are those of "
                      f"{', '.join(f.name for f in functions.FUNCTIONS.values() if f.derivative)}"))
        return Call(fn.name, arg, derivative, _span(fn_tok, c[-1]))

    def call2(self, c):
        """``max(0, e)`` and ``max(e, 0)`` are relu; no other function takes two arguments."""
        fn_tok, first, second = c[0], c[2], c[4]
        for arg in (first, second):
            if type(arg) is _Word:
                arg.span
        spelling = function_word(fn_tok)
        maxes, relu = functions.MAX_OF_ZERO
        if spelling.lower() in maxes or spelling in maxes:
            for zero, other in ((first, second), (second, first)):
                if isinstance(zero, Number) and float(zero.text) == 0:
                    return Call(relu, other, False, _span(fn_tok, c[-1]))
            raise NotationNameError(
                "max of two values is read only as max(0, e), which is relu", _span(fn_tok, c[-1]),
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

    def frac(self, c):
        for part in (c[2], c[5]):
            if type(part) is _Word:
                part.span
        return Divide(c[2], c[5], _span(c[0], c[-1]))

    def transpose(self, c):
        return Transpose(c[0], _span(c[0], c[1]))

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
                            f"more than its parenthesized argument", _span(letter, right),
                            label="a call followed by more",
                            hint=f"bracket what you mean: ({letter.letter}(…))ᵀ, or "
                                 f"{letter.letter}((…)ᵀ)")
                    call = Call(fn, right, False, _span(letter, right))
                    if letter is left:
                        return call
                    return MatMul(left.left, call, _span(left, right))
                if _doubtful(letter):
                    self.warnings.append(_call_or_product(letter, right))
        return MatMul(left, right, _span(left, right))

    def negate(self, c):
        return Negate(c[1], _span(c[0], c[1]))

    def hadamard(self, c):
        return Hadamard(c[0], c[2], _span(c[0], c[2]))

    def divide(self, c):
        return Divide(c[0], c[2], _span(c[0], c[2]))

    def add(self, c):
        return Add(c[0], c[2], _span(c[0], c[2]))

    def subtract(self, c):
        return Subtract(c[0], c[2], _span(c[0], c[2]))


def _doubtful(name: Name) -> bool:
    """A lowercase Latin letter without subscript directly before "(" reads as a function as
    readily as a product (f(x), g(z1)); a matrix W(…), a scalar α(…) or l1(…) reads as a
    product."""
    return not name.sub and len(name.letter) == 1 and "a" <= name.letter <= "z"


def _call_or_product(name: Name, group) -> NotationWarning:
    from .emit.algebra import algebra
    letter = name.letter
    inner = algebra(group)
    return NotationWarning(
        f"{letter}({inner}) is read as the product {letter}·({inner})", _span(name, group),
        label=f"{letter} directly before ( could also be a function", code="call-or-product",
        hint=f"for a function declare it: {letter} = relu (or --function {letter}=relu); for "
             f"the product write {letter}·({inner}) or {letter} ({inner})")


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
        result = (Add if op is first_op else Subtract)(result, term, _span(result, term))
    return ("-=" if first_op is Subtract else "+="), result


def _respan(node, span):
    from dataclasses import replace
    return replace(node, span=span)


class _Word:
    """A word where a value stands: right only in ``g = relu``. Every builder asks a value
    for its span; a word answers with its error ('layer' is a word, not l·a·y·e·r)."""

    __slots__ = ("tok",)

    def __init__(self, tok):
        self.tok = tok

    @property
    def span(self):
        from .name_errors import word_error  # error paths load their module on demand
        raise word_error(self.tok)


class _Dims:
    """The dimensions of a shape while it is being built, with where they were written."""

    __slots__ = ("dims", "start", "end")

    def __init__(self, dims, start, end):
        self.dims, self.start, self.end = dims, start, end


