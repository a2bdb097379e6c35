"""The text of one token as the tree holds it: a NAME token's letter and subscript (LaTeX
letters, accents, bold, ``_{…}`` and ``^{[2]}`` indices: ``W^{[2]}`` is W2, ``\\hat{y}`` is
ŷ), a NUMBER's one spelling, a FUNC token's function word. The tree builder calls these at
each name, number and call; the LaTeX reader and the NumPy view reuse ``name_parts`` and
``normal_number``.

>>> name_parts(r"W^{[2]}")
('W', '2')
>>> normal_number("007")
'7'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .errors import NotationSyntaxError
from .greek import canonical_letter
from .marks import (CANONICAL_MARK, MARK_BY_COMMAND, MARK_BY_WORD, MAX_SUBSCRIPT_DIGITS,
                     split_letter)
from .nodes import Name, Span, Transpose


_GREEK_COMMAND = re.compile(r"\\([A-Za-z]+)")
_DECORATION_COMMAND = re.compile(r"\\([A-Za-z]+)\s*")
_BOLD_COMMANDS = frozenset({"mathbf", "boldsymbol", "bm", "pmb"})
_INDEX = re.compile(
    r"_\{ *([A-Za-z0-9]+) *\}|_([A-Za-z0-9]+)|([0-9]+)"
    r"|\^\s*\{\s*[(\[]\s*([A-Za-z0-9]+)\s*[)\]]\s*(T|⊤|\\top|\\intercal)?\s*\}"
    r"|\^[(\[]([A-Za-z0-9]+)[)\]]")



def _letter(text: str, i: int) -> tuple[str, int]:
    """The letter that starts at ``text[i]``, as the tree holds it, and where it ends.

    Bold is dropped; a decoration becomes the base letter and one combining mark."""
    if text.startswith("\\", i):
        m = _DECORATION_COMMAND.match(text, i)
        command = m.group(1)
        if command in _BOLD_COMMANDS:
            return _braced(text, m.end())
        mark = MARK_BY_COMMAND.get(command)
        if mark is not None:
            inner, end = _braced(text, m.end())
            if split_letter(inner)[1]:
                raise NotationSyntaxError(
                    "a name has at most one decoration", Span(i, end),
                    label="two decorations on one letter",
                    hint="write one of \\hat, \\tilde or \\bar over the letter")
            return inner + mark, end
        g = _GREEK_COMMAND.match(text, i)
        letter, end = canonical_letter(g.group()), g.end()
    else:
        letter, end = text[i], i + 1
        if len(decomposed := unicodedata.normalize("NFD", letter)) == 2:
            return decomposed[0] + CANONICAL_MARK[decomposed[1]], end     # ŷ, precomposed
        letter = canonical_letter(letter)
    if end < len(text) and text[end] in CANONICAL_MARK:
        return letter + CANONICAL_MARK[text[end]], end + 1              # y + U+0302
    return letter, end


def _braced(text: str, i: int) -> tuple[str, int]:
    if text.startswith("{", i):
        j = i + 1
        while text[j].isspace():
            j += 1
        letter, end = _letter(text, j)
        while text[end].isspace():
            end += 1
        return letter, end + 1                  # past the closing brace
    return _letter(text, i)


@lru_cache(maxsize=4096)
def name_parts(text: str) -> tuple[str, str]:
    """``"l_{12}"`` -> ``("l", "12")``; ``"\\delta2"`` -> ``("δ", "2")``;
    ``"\\hat{y}"`` -> ``("y\u0302", "")``; ``"W^{[2]}"`` -> ``("W", "2")``."""
    return _name_parts(text)[:2]


@lru_cache(maxsize=4096)
def _name_parts(text: str) -> tuple[str, str, bool]:
    """(letter, subscript, whether a transpose was written inside the superscript)."""
    letter, end = _letter(text, 0)
    sub, transposed = "", False
    if end < len(text):
        m = _INDEX.match(text, end)
        sub = next(g for g in (m.group(1), m.group(2), m.group(3), m.group(4), m.group(6)) if g)
        transposed = bool(m.group(5))
    if not split_letter(letter)[1] and sub in MARK_BY_WORD:
        letter, sub = letter + MARK_BY_WORD[sub], ""     # y_hat is ŷ, as NumPy spells it
    return letter, sub, transposed


def normal_number(text: str) -> str:
    """One spelling per number where it costs nothing: ``007`` -> ``7``, ``1E3`` -> ``1e3``."""
    text = text.replace("E", "e")
    if text.isdigit():
        return text.lstrip("0") or "0"
    mantissa, _, exponent = text.partition("e")
    whole, dot, frac = mantissa.partition(".")
    whole = whole.lstrip("0") or "0"
    return whole + dot + frac + ("e" + exponent if exponent else "")


def name_token(tok) -> Name:
    """The name a NAME token spells; one spelled with a transpose (``W^{[2]T}``) is refused
    here, where only a name can stand (the left of ``=``)."""
    node = name_or_transpose(tok)
    if isinstance(node, Transpose):
        raise NotationSyntaxError(
            "only a name can stand left of '='", node.span, label="this is a transpose",
            hint=f"write the name without ᵀ: {str(tok).split('^')[0]}")
    return node


def name_or_transpose(tok):
    text = tok.value        # ours or Lark's token; str(tok) was a call per name
    span = Span(tok.start_pos, tok.end_pos)
    if text[0].isascii() and text[1:].isdigit() and len(text) <= MAX_SUBSCRIPT_DIGITS + 1 \
            or len(text) == 1 and text.isascii():
        return Name(text[0], text[1:], span)   # l0, W12, x: the common case, no regex
    try:
        letter, sub, transposed = _name_parts(text)
    except NotationSyntaxError as e:        # its span is within the token: make it the text's
        e.span = Span(tok.start_pos + e.span.start, tok.start_pos + e.span.end)
        raise
    if sub.isdigit() and len(sub) > MAX_SUBSCRIPT_DIGITS:
        raise NotationSyntaxError(
            f"a subscript of {len(sub):,} digits is too long", span,
            label="this index", hint=f"a layer index has at most {MAX_SUBSCRIPT_DIGITS} digits")
    name = Name(letter, sub, span)
    return Transpose(name, span) if transposed else name


_FUNC_SPELLING = re.compile(r"\\(?:operatorname\*?|mathrm|text|textrm|mathit)\s*\{\s*([A-Za-z]+)\s*\}")


def function_word(tok) -> str:
    text = str(tok)
    m = _FUNC_SPELLING.fullmatch(text)
    return m.group(1) if m else text
