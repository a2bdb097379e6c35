"""Lark's errors -> NotationErrors that say what is wrong and what would fix it (SPEC §6).

Lark reports where the parse stopped, which token it met and which it expected; these
functions turn that into the user's words: unclosed parenthesis, dangling operator, a
function without parentheses, a word that is not a product. At the end of the input the
caret goes at the end of the text, not under the last token.
"""

from __future__ import annotations

import re


from . import functions
from .errors import Label, NotationError, NotationSyntaxError
from .name_errors import numpy_name_error, unknown_function, word_error
from .nodes import Span
from .tokens import Tok as Token
from .tokens import UnexpectedCharacters



def _span(first: Token, last: Token) -> Span:
    return Span(first.start_pos, last.end_pos)


# Human names for the terminals, for "expected ..." in messages.
TERMINAL_NAMES = {
    "NAME": "a name", "NUMBER": "a number", "WORD": "a word", "FUNC": "a function",
    "LPAR": "'('", "RPAR": "')'", "LEFT": "'\\left('", "RIGHT": "'\\right)'",
    "LBRACE": "'{'", "RBRACE": "'}'", "TRANSPOSE": "'ᵀ'", "PRIME": "'",
    "MATMUL": "'@'", "HADAMARD": "'⊙'", "DIVIDE": "'/'", "PLUS": "'+'", "MINUS": "'-'",
    "ASSIGN": "'='", "UPDATE": "'-='", "DECLARE": "':'", "REALS": "'ℝ'", "CARET": "'^'",
    "SCALAR": "'scalar'", "DIMSEP": "'×'", "COMMA": "','", "INT": "a whole number", "FRAC": "'\\frac'",
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


def _last_value(e):
    """The token or node the parser read just before the error, if it kept one."""
    stack = getattr(e, "value_stack", None)
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


class _Failure:
    """Where and how a parse stopped: the token met, the terminals expected, the value
    read before it, and the place the caret goes."""

    def __init__(self, text: str, e):
        self.text, self.e = text, e
        tok = self.tok = e.token
        self.type, self.token_text = tok.type, str(tok)
        self.expected = set(e.expected)
        self.pos = len(text.rstrip()) if self.type == "$END" else tok.start_pos
        end_pos = self.pos + len(self.token_text) if self.type != "$END" else self.pos
        self.at_end = self.type in ("$END", "_SEP")
        self.here = Span(self.pos, max(end_pos, self.pos))
        if self.at_end:
            # The statement ended early: the caret goes just after its last character, not
            # under the line break or separator that ended it.
            end = len(text[:self.pos].rstrip(" \t\r\f"))
            self.here = Span(end, end)
        self.last = _last_value(e)


def syntax_error(text: str, e) -> NotationError:
    """Translate a parse failure into a NotationError that says what to do: the first of
    the rules below that knows the failure, else "unexpected …, expected …"."""
    if isinstance(e, UnexpectedCharacters):
        return _unexpected_character(text, e)
    f = _Failure(text, e)
    for rule in (_word, _brackets, _left_side, _marks, _operand_due):
        found = rule(f)
        if found is not None:
            return found
    names = sorted({TERMINAL_NAMES.get(t, t) for t in f.expected
                    if not t.startswith("__") and t != "WORD"})
    # "unexpected end of input", as "unexpected '}'" reads: TERMINAL_NAMES' "the end of the
    # input" fits only after "expected".
    what = "end of input" if f.at_end else repr(f.token_text)
    return NotationSyntaxError(
        f"unexpected {what}", f.here,
        label="not expected here",
        hint=("expected " + ", ".join(names)) if names else None)


def _word(f: _Failure) -> NotationError | None:
    # A word is never a value: the grammar has it only after "g =" (g = relu, a function).
    if f.type == "WORD":
        if f.text.startswith("_", f.tok.end_pos):
            return numpy_name_error(f.text, f.tok.end_pos)      # layer_1 = …
        return word_error(f.tok)
    if isinstance(f.last, Token) and f.last.type == "WORD":
        return word_error(f.last)
    return None


def _brackets(f: _Failure) -> NotationError | None:
    """An unclosed, unmatched or mismatched parenthesis or \\left( … \\right)."""
    text, pos, here, token_type, expected, at_end = (f.text, f.pos, f.here, f.type,
                                                     f.expected, f.at_end)
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
            return NotationSyntaxError(f"'{f.token_text}' comes before the value it closes", here,
                                       label="nothing to close yet",
                                       hint="put an expression inside the parentheses")
        return NotationSyntaxError(
            "unbalanced \\left( … \\right)" if token_type == "RIGHT" else "unmatched ')'", here,
            label="nothing here to close", hint="remove it, or add the opening bracket it closes")
    return None


def _left_side(f: _Failure) -> NotationError | None:
    """An assignment with no single name on its left; a second argument."""
    text, pos, here, token_type, token_text, expected = (f.text, f.pos, f.here, f.type,
                                                         f.token_text, f.expected)
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
    return None


def _marks(f: _Failure) -> NotationError | None:
    """A prime, a caret, a shape's symbol or a function word where they cannot stand."""
    text, pos, here, token_type, token_text, last = (f.text, f.pos, f.here, f.type,
                                                     f.token_text, f.last)
    if token_type == "PRIME" and isinstance(last, Token) and last.type == "WORD":
        word = last
        if functions.lookup(str(word)) is None:
            return unknown_function(str(word), word)
        return NotationSyntaxError(
            "a function needs parentheses", _span(word, f.tok),
            label="no ( after the function name",
            hint=f"write {word}'(…) around its argument")
    if token_type == "CARET" and re.match(r"\^\s*\{?\s*[(\[]", text[pos:pos + 40]) \
            and isinstance(last, Token) and last.type == "NAME":
        return NotationSyntaxError(
            "a name has one index: a subscript or a layer superscript, not both",
            Span(last.start_pos, f.tok.end_pos), label="a second index",
            hint="write W_2 or W^{[2]} (the same name), not both")
    if token_type in _SHAPE_ONLY:
        return NotationSyntaxError(
            f"'{token_text}' belongs in a shape, not in an expression", here,
            label="only declarations use this",
            hint="declare shapes as l0 : 1×3 or W0 ∈ ℝ^{3×4}; a product is written "
                 "side by side, with @, · or \\cdot")
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
    return None


def _operand_due(f: _Failure) -> NotationError | None:
    """An operand was due: either the input ended after an operator, or an operator came
    where a value should be."""
    text, pos, here, token_type, token_text, expected, last, at_end = (
        f.text, f.pos, f.here, f.type, f.token_text, f.expected, f.last, f.at_end)
    if expected & _OPERAND_STARTS:
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
    return None


_COMMAND = re.compile(r"\\[A-Za-z]+|\\.")


def _unexpected_character(text: str, e: UnexpectedCharacters) -> NotationError:
    pos = e.pos_in_stream
    ch = text[pos]
    prev = text[pos - 1] if pos > 0 else ""
    if ch == "_" and pos >= 2 and text[pos - 1].isalpha() and text[pos - 2].isalpha():
        return numpy_name_error(text, pos)
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
