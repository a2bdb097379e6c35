"""Text -> tree. Loads the grammar once, builds nodes during the parse, turns Lark's errors into ours.

The tree is built by an inline transformer (``Lark(transformer=...)``): each rule's node is
made when the LALR parser reduces it, so there is no intermediate parse tree, and nothing
recurses however deep the input nests. Spans come from the tokens themselves, so positions
stay exact.
"""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache
from pathlib import Path

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from . import functions
from .errors import Label, NotationError, NotationNameError, NotationSyntaxError
from .greek import canonical_letter
from .nodes import (Add, Assign, Call, Declare, Divide, ExprStatement, Hadamard, MatMul, Name,
                    Negate, Number, Program, Span, Subtract, Transpose, Update)

# --------------------------------------------------------------------------- grammar file

def grammar_path() -> Path:
    """Where the grammar is: inside the package in a wheel, at the repository top otherwise."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "grammar" / "notation.lark", here.parent / "grammar" / "notation.lark"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("notation.lark is missing from this installation")


def _cache_file() -> str | bool:
    """A per-user file for Lark's parser cache; building the LALR tables costs ~100 ms."""
    if os.environ.get("NOTATION_NO_CACHE"):
        return False
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "notation")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return False
    if not os.access(folder, os.W_OK):
        return False
    # Lark checks a hash of grammar, options and its own version inside the file.
    return os.path.join(folder, "parser-py%d%d.lark-cache" % sys.version_info[:2])


# --------------------------------------------------------------------------- the tree builder

_NAME = re.compile(r"(\\[A-Za-z]+|.)(?:_\{ *([A-Za-z0-9]+) *\}|_([A-Za-z0-9]+)|([0-9]+))?\Z", re.S)


@lru_cache(maxsize=4096)
def name_parts(text: str) -> tuple[str, str]:
    """``"l_{12}"`` -> ``("l", "12")``; ``"\\delta2"`` -> ``("δ", "2")``."""
    m = _NAME.match(text)
    letter, *subs = m.groups()
    return canonical_letter(letter), next((s for s in subs if s), "")


def normal_number(text: str) -> str:
    """One spelling per number where it costs nothing: ``007`` -> ``7``, ``1E3`` -> ``1e3``."""
    text = text.replace("E", "e")
    if text.isdigit():
        return text.lstrip("0") or "0"
    mantissa, _, exponent = text.partition("e")
    whole, dot, frac = mantissa.partition(".")
    whole = whole.lstrip("0") or "0"
    return whole + dot + frac + ("e" + exponent if exponent else "")


def _start(x) -> int:
    return x.start_pos if isinstance(x, Token) else x.span.start


def _end(x) -> int:
    return x.end_pos if isinstance(x, Token) else x.span.end


def _span(first, last) -> Span:
    return Span(_start(first), _end(last))


def _name(tok: Token) -> Name:
    letter, sub = name_parts(str(tok))
    return Name(letter, sub, Span(tok.start_pos, tok.end_pos))


_FUNC_SPELLING = re.compile(r"\\(?:operatorname\*?|mathrm|text|textrm|mathit)\s*\{\s*([A-Za-z]+)\s*\}")


def _function_name(tok: Token) -> str:
    text = str(tok)
    m = _FUNC_SPELLING.fullmatch(text)
    return m.group(1) if m else text


class TreeBuilder(Transformer):
    """Called by the LALR parser at each reduction; each method returns a node."""

    # -- statements
    def start(self, children):
        return children

    def assign(self, c):
        return Assign(_name(c[0]), c[2], _span(c[0], c[2]))

    def update(self, c):
        op = "+=" if "+" in str(c[1]) else "-="
        return Update(_name(c[0]), op, c[2], _span(c[0], c[2]))

    def declare(self, c):
        dims, end = c[2]
        return Declare(_name(c[0]), dims, Span(c[0].start_pos, end))

    def expr_statement(self, c):
        return ExprStatement(c[0], c[0].span)

    # -- shapes: (dims, end offset)
    def shape(self, c):
        first, last = c[0], c[-1]
        if isinstance(first, Token) and first.type == "SCALAR":
            return (), first.end_pos
        dims = next((x for x in c if isinstance(x, _Dims)), None)
        if dims is None:
            if isinstance(last, Token) and last.type == "REALS":
                return (), last.end_pos          # α ∈ ℝ
            dims = _Dims((self._dim(last),), last.start_pos, last.end_pos)  # ℝ^3
        start = first.start_pos if isinstance(first, Token) else first.start
        end = last.end_pos if isinstance(last, Token) else last.end
        if len(dims.dims) > 2:
            raise NotationSyntaxError(
                f"a shape has at most two dimensions, and this one has {len(dims.dims)}",
                Span(start, end),
                hint="every value is a scalar or a 2-D array: batch × units, or inputs × outputs")
        return dims.dims, end

    def dims(self, c):
        return _Dims(tuple(self._dim(t) for t in c if t.type != "DIMSEP"),
                     c[0].start_pos, c[-1].end_pos)

    @staticmethod
    def _dim(tok: Token):
        if tok.type == "INT":
            if len(tok.lstrip("0")) > 18:
                raise NotationSyntaxError(
                    f"the dimension {str(tok)[:20]}… is too large", Span(tok.start_pos, tok.end_pos),
                    hint="a dimension is a whole number below 10^18, or a symbol such as b")
            return int(tok)
        return _name(tok)

    # -- expressions
    def name(self, c):
        return _name(c[0])

    def number(self, c):
        return Number(normal_number(str(c[0])), _span(c[0], c[0]))

    def word(self, c):
        raise _word_error(c[0])

    def group(self, c):
        inner = c[1]
        # The parentheses belong to the value they enclose: carets then cover them too.
        return _respan(inner, _span(c[0], c[-1]))

    def call(self, c):
        fn_tok = c[0]
        derivative = c[1].type == "PRIME"
        arg = c[-2]
        spelling = _function_name(fn_tok)
        fn = functions.lookup(spelling)
        if fn is None:
            raise _unknown_function(spelling, fn_tok)
        if derivative and fn.derivative is None:
            raise NotationNameError(
                f"{fn.name} has no derivative in the notation",
                _span(fn_tok, c[1]), label="no derivative helper for this function",
                hint=("softmax is used with cross-entropy, whose delta is output - y"
                      if fn.name == "softmax" else
                      f"the derivatives known are those of "
                      f"{', '.join(f.name for f in functions.FUNCTIONS.values() if f.derivative)}"))
        return Call(fn.name, arg, derivative, _span(fn_tok, c[-1]))

    def frac(self, c):
        return Divide(c[2], c[5], _span(c[0], c[-1]))

    def transpose(self, c):
        return Transpose(c[0], _span(c[0], c[1]))

    def mat_mul(self, c):
        return MatMul(c[0], c[-1], _span(c[0], c[-1]))

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


def _respan(node, span):
    from dataclasses import replace
    return replace(node, span=span)


class _Dims:
    """The dimensions of a shape while it is being built, with where they were written."""

    __slots__ = ("dims", "start", "end")

    def __init__(self, dims, start, end):
        self.dims, self.start, self.end = dims, start, end


def _word_error(tok: Token) -> NotationError:
    word = str(tok)
    span = Span(tok.start_pos, tok.end_pos)
    if functions.lookup(word) is not None:
        return NotationSyntaxError(
            f"{word} is a function: it needs parentheses", span,
            label="no ( after the function name", hint=f"write {word}(…), as in {word}(l0W0)")
    spaced = " ".join(word)
    return NotationNameError(
        f"'{word}' is a word, not a product of letters", span,
        label="a run of lowercase letters is a word",
        hint=f"for the product of its letters write '{spaced}'; "
             f"for a function call write {word}(…) with a known function "
             f"({', '.join(functions.FUNCTIONS)})")


def _unknown_function(name: str, tok: Token) -> NotationError:
    near = functions.nearest(name)
    hint = (f"did you mean {near}? " if near else "") + \
        f"the known functions are {', '.join(functions.FUNCTIONS)}; others can be registered " \
        f"with notation.functions.register"
    return NotationNameError(f"unknown function '{name}'", Span(tok.start_pos, tok.end_pos),
                             label="not a known function", hint=hint)


# --------------------------------------------------------------------------- the parser

@lru_cache(maxsize=1)
def lark_parser() -> Lark:
    """The one parser, built on first use (from Lark's cache when it is there)."""
    return Lark(grammar_path().read_text(encoding="utf-8"), parser="lalr", lexer="contextual",
                transformer=TreeBuilder(), maybe_placeholders=False, cache=_cache_file())


def parse(text: str) -> Program:
    """Parse a program of the notation into its tree.

    >>> parse("l2 = relu(l0W0)W1").algebra()
    'l2 = relu(l0W0)W1'
    """
    if not isinstance(text, str):
        raise TypeError(f"parse() takes the program as a str, not {type(text).__name__}")
    try:
        statements = lark_parser().parse(text)
    except NotationError as e:
        raise e.with_source(text) from None
    except UnexpectedInput as e:
        raise syntax_error(text, e).with_source(text) from None
    except RecursionError:
        raise NotationSyntaxError("the program nests too deeply to read", Span(0, len(text)),
                                  source=text) from None
    if not statements:
        end = len(text.rstrip())
        raise NotationSyntaxError("empty input: there is no statement to read", Span(end, end),
                                  hint="write a statement such as l2 = relu(l0W0)W1",
                                  source=text)
    return Program(tuple(statements), source=text)


# --------------------------------------------------------------------------- syntax errors

# Human names for the terminals, for "expected ..." in messages.
TERMINAL_NAMES = {
    "NAME": "a name", "NUMBER": "a number", "WORD": "a word", "FUNC": "a function",
    "LPAR": "'('", "RPAR": "')'", "LEFT": "'\\left('", "RIGHT": "'\\right)'",
    "LBRACE": "'{'", "RBRACE": "'}'", "TRANSPOSE": "'ᵀ'", "PRIME": "'",
    "MATMUL": "'@'", "HADAMARD": "'⊙'", "DIVIDE": "'/'", "PLUS": "'+'", "MINUS": "'-'",
    "ASSIGN": "'='", "UPDATE": "'-='", "DECLARE": "':'", "REALS": "'ℝ'", "CARET": "'^'",
    "SCALAR": "'scalar'", "DIMSEP": "'×'", "INT": "a whole number", "FRAC": "'\\frac'",
    "_SEP": "the end of the statement", "$END": "the end of the input",
}
_OPERATORS = {"MATMUL", "HADAMARD", "DIVIDE", "PLUS", "MINUS", "ASSIGN", "UPDATE", "DECLARE"}
_SHAPE_ONLY = {"DIMSEP", "REALS", "CARET", "SCALAR", "INT"}
_OPERAND_STARTS = {"NAME", "NUMBER", "LPAR", "LEFT", "FUNC", "WORD"}
_BRACKETS = re.compile(r"\\left\s*\(|\\[bB]igg?l\s*\(|\\right\s*\)|\\[bB]igg?r\s*\)|[()]")


def _open_brackets(text: str, upto: int) -> list[re.Match]:
    """The brackets still open at ``upto``, scanning from the start of its statement."""
    stack: list[re.Match] = []
    line_start = max(text.rfind("\n", 0, upto), text.rfind(";", 0, upto)) + 1
    for m in _BRACKETS.finditer(text, line_start, upto):
        if m.group().endswith("("):
            stack.append(m)
        elif stack:
            stack.pop()
    return stack


def _last_value(e: UnexpectedInput):
    """The token or node the parser read just before the error, if it kept one."""
    state = getattr(e, "state", None)
    stack = getattr(state, "value_stack", None)
    return stack[-1] if stack else None


def _statement_before(text: str, pos: int) -> str:
    start = max(text.rfind("\n", 0, pos), text.rfind(";", 0, pos)) + 1
    return text[start:pos]


def _previous_token_span(text: str, pos: int) -> Span:
    """The span of the last non-blank run before ``pos`` (an operator, in practice)."""
    end = len(text[:pos].rstrip())
    start = end - 1
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "(){}" \
            and not text[start].isalnum():
        start -= 1
    return Span(max(start, 0), end)


def syntax_error(text: str, e: UnexpectedInput) -> NotationError:
    """Translate one of Lark's errors into a NotationError that says what to do."""
    if isinstance(e, UnexpectedCharacters):
        return _unexpected_character(text, e)
    if isinstance(e, UnexpectedEOF):
        token_type, pos, token_text = "$END", len(text.rstrip()), ""
        expected = set(e.expected)
    else:
        assert isinstance(e, UnexpectedToken)
        tok = e.token
        token_type = tok.type
        token_text = str(tok)
        expected = set(e.expected)
        pos = len(text.rstrip()) if token_type == "$END" else tok.start_pos
    end_pos = pos + len(token_text) if token_type not in ("$END",) else pos
    at_end = token_type in ("$END", "_SEP")
    here = Span(pos, max(end_pos, pos)) if not at_end else Span(pos, pos)
    if token_type == "_SEP" and token_text in ("\n", "\r\n"):
        here = Span(pos, pos)

    closing = expected & {"RPAR", "RIGHT"}
    if at_end and closing:
        opened = _open_brackets(text, pos)
        if opened:
            m = opened[-1]
            left = m.group().startswith("\\")
            return NotationSyntaxError(
                "unbalanced \\left( … \\right)" if left else "unclosed parenthesis",
                Span(m.start(), m.end()),
                label=f"this {m.group()} is never closed",
                labels=(Label(here, "the statement ends here"),),
                hint="add \\right) to close it" if left else "add ')' to close it")
    if token_type in ("RPAR", "RIGHT"):
        if token_type == "RPAR" and "RIGHT" in expected:
            return NotationSyntaxError("unbalanced \\left( … \\right)", here,
                                       label="a \\left( must be closed by \\right)",
                                       hint="write \\right) here, or ( instead of \\left(")
        if token_type == "RIGHT" and "RPAR" in expected:
            return NotationSyntaxError("unbalanced \\left( … \\right)", here,
                                       label="this \\right) closes a plain (",
                                       hint="write ) here, or \\left( where it opens")
        if _open_brackets(text, pos):
            return NotationSyntaxError(f"'{token_text}' comes before the value it closes", here,
                                       label="nothing to close yet",
                                       hint="put an expression inside the parentheses")
        return NotationSyntaxError(
            "unbalanced \\left( … \\right)" if token_type == "RIGHT" else "unmatched ')'", here,
            label="nothing here to close", hint="remove it, or add the opening bracket it closes")
    if token_type in ("ASSIGN", "UPDATE", "DECLARE"):
        op = token_text.strip("& ")
        if not _statement_before(text, pos).strip():
            return NotationSyntaxError(
                f"'{op}' has nothing on its left", here,
                label="needs a name before it",
                hint=f"write the name it defines first: l1 {op} …")
        return NotationSyntaxError(
            f"only a single name can stand left of '{op}'", here,
            label="the left side must be one name, such as l1 or W0",
            hint="write the target as one name: l2 = relu(l0W0)W1")
    if token_text == "," and "RPAR" in expected | {"RIGHT"}:
        return NotationSyntaxError(
            "a function takes one argument", here, label="a second argument starts here",
            hint="functions apply to one value, as relu(l0W0); a comma only separates "
                 "dimensions in a shape such as (b, 3)")
    if token_type == "PRIME" and isinstance(_last_value(e), Token) and _last_value(e).type == "WORD":
        word = _last_value(e)
        if functions.lookup(str(word)) is None:
            return _unknown_function(str(word), word)
        return NotationSyntaxError(
            "a function needs parentheses", _span(word, tok), label="no ( after the function name",
            hint=f"write {word}'(…) around its argument")
    if token_type in _SHAPE_ONLY:
        return NotationSyntaxError(
            f"'{token_text}' belongs in a shape, not in an expression", here,
            label="only declarations use this",
            hint="declare shapes as l0 : 1×3 or W0 ∈ ℝ^{3×4}; a product is written "
                 "side by side, with @, · or \\cdot")
    last = _last_value(e)
    if isinstance(last, Token) and last.type in ("FUNC", "PRIME"):
        fn = Span(last.start_pos, last.end_pos)
        return NotationSyntaxError(
            "a function needs parentheses", fn,
            label="no ( after the function name",
            hint=f"write {last}(…) around its argument")
    if token_type == "PRIME":
        return NotationSyntaxError(
            "' marks the derivative of a function", here, label="no function before it",
            hint="write it after a function name, as in relu'(l1)")
    if expected & _OPERAND_STARTS:
        # An operand was due: either the input ended after an operator, or an operator
        # came where a value should be.
        prev = _previous_token_span(text, pos)
        if isinstance(last, Token):
            prev = Span(last.start_pos, last.end_pos)
        op = text[prev.start:prev.end].strip("& ")
        if at_end and isinstance(last, Token) and last.type == "DECLARE":
            return NotationSyntaxError(
                f"a declaration needs a shape after '{op}'", prev,
                label="no shape after it", labels=(Label(here, "the statement ends here"),),
                hint="write a shape, as in l0 : 1×3, W0 ∈ ℝ^{3×4} or α : scalar")
        if at_end:
            if not text[:pos].strip():
                return NotationSyntaxError("the statement is empty", here,
                                           hint="remove the stray separator")
            return NotationSyntaxError(
                f"dangling '{op}': it has nothing on its right", prev,
                label="needs a value after it",
                labels=(Label(here, "the statement ends here"),),
                hint=f"finish the expression after '{op}', or remove the '{op}'")
        if token_type in _OPERATORS or token_type in ("TRANSPOSE", "PRIME"):
            return NotationSyntaxError(
                f"'{token_text}' has nothing on its left", here,
                label="needs a value before it",
                hint="put a value before it, or remove it")
    names = sorted({TERMINAL_NAMES.get(t, t) for t in expected
                    if not t.startswith("__") and t != "WORD"})
    what = "the end of the input" if at_end else repr(token_text)
    return NotationSyntaxError(
        f"unexpected {what}", here,
        label="not expected here",
        hint=("expected " + ", ".join(names)) if names else None)


_COMMAND = re.compile(r"\\[A-Za-z]+|\\.")


def _unexpected_character(text: str, e: UnexpectedCharacters) -> NotationError:
    pos = e.pos_in_stream
    ch = text[pos]
    prev = text[pos - 1] if pos > 0 else ""
    if ch == "_" or (ch == "{" and prev == "_") or (prev == "_" and pos >= 1):
        start = pos if ch == "_" else pos - 1
        return NotationSyntaxError(
            "malformed subscript", Span(start, start + 1),
            label="a subscript needs letters or digits after _",
            hint="write l_0, l_{12} or W_{out}")
    if ch == "\\":
        m = _COMMAND.match(text, pos)
        cmd = m.group() if m else "\\"
        return NotationSyntaxError(
            f"unknown command {cmd}", Span(pos, pos + len(cmd)),
            label="not part of the notation",
            hint="the LaTeX the notation reads: Greek letters, \\cdot, \\odot, ^{\\top}, "
                 "\\operatorname{…}, \\left( \\right), \\frac{…}{…}, \\in \\mathbb{R}^{…}")
    shown = ch if ch.isprintable() else repr(ch)
    return NotationSyntaxError(
        f"unexpected character {shown!r}" if ch.isprintable() else f"unexpected character {shown}",
        Span(pos, pos + 1), label="the notation has no such symbol",
        hint="names are letters with a subscript (l0, W1, δ2); operators are "
             "juxtaposition, @, ·, ⊙, *, /, +, -, ᵀ")
