"""Errors about names, words and functions (SPEC §6): a word that is not a product of
letters (``ab``), a function without parentheses, an unknown function (with the nearest
known one), a NumPy name written in the algebra (``layer_1`` is l1). The tree builder calls
them where it meets such a token, and ``syntax_errors`` where a parse stops at one."""

from __future__ import annotations

import re

from . import functions
from .errors import NotationError, NotationNameError, NotationSyntaxError
from .nodes import Span
from .tokens import Tok as Token


def word_error(tok: Token) -> NotationError:
    word = str(tok)
    span = Span(tok.start_pos, tok.end_pos)
    if functions.lookup(word) is not None:
        return NotationSyntaxError(
            f"{word} is a function: it needs parentheses", span,
            label="no ( after the function name", hint=f"write {word}(…), as in {word}(l0W0)")
    spaced = " ".join(word)
    from .greek import UNICODE_BY_ENGLISH
    greek = UNICODE_BY_ENGLISH.get(word) or UNICODE_BY_ENGLISH.get(word + "_")
    if greek is not None:
        return NotationNameError(
            f"'{word}' is a word, not the Greek letter", span,
            label="a run of lowercase letters is a word",
            hint=f"write {greek} or \\{word} for the letter; for the product of its letters "
                 f"write '{spaced}'")
    return NotationNameError(
        f"'{word}' is a word, not a product of letters", span,
        label="a run of lowercase letters is a word",
        hint=f"for the product of its letters write '{spaced}'; "
             f"for a function call write {word}(…) with a known function "
             f"({', '.join(functions.FUNCTIONS)})")


def unknown_function(name: str, tok: Token | None = None, *, span: Span | None = None
                     ) -> NotationError:
    span = Span(tok.start_pos, tok.end_pos) if tok is not None else span
    known = f"the known functions are {', '.join(functions.FUNCTIONS)}; others can be " \
        f"registered with notation.functions.register"
    if name.isascii() and name.isalpha() and not re.search("[a-z]{2}", name):
        # XW(b): letters, not a word, before ( -- a product, but written like a call.
        spaced = " ".join(name)
        return NotationNameError(
            f"'{name}' is not a function, in any case", span,
            label="letters directly before ( read as a function name",
            hint=f"for the product of its letters write {spaced} (…) or {name}·(…); " + known)
    near = functions.nearest(name)
    hint = (f"did you mean {near}? " if near else "") + known
    return NotationNameError(f"unknown function '{name}'", span,
                             label="not a known function", hint=hint)


# Words in NumPy names and the notation letter for what they usually hold.
_ROLES = (("delta", "δ"), ("mask", "M"), ("weight", "W"), ("bias", "b"), ("layer", "l"),
          ("goal", "y"), ("target", "y"), ("label", "y"), ("input", "x"), ("pred", "ŷ"),
          ("output", "ŷ"), ("hidden", "h"), ("alpha", "α"), ("rate", "α"))


def numpy_name_error(text: str, pos: int) -> NotationError:
    """``layer_1``, ``weights_0_1``, ``dropout_mask`` written in the algebra: NumPy's names."""
    from .emit.algebra import algebra
    from .naming import BOOK
    start = pos
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_") \
            and text[start - 1].isascii():
        start -= 1
    end = pos
    while end < len(text) and (text[end].isalnum() or text[end] == "_") and text[end].isascii():
        end += 1
    ident = text[start:end]
    name = BOOK.notation(ident)
    if name is not None:
        says = f"in the notation it is {algebra(name)}"
    else:
        role = next((letter for word, letter in _ROLES if word in ident.lower()), None)
        says = ("the notation names it with one letter and a subscript"
                + (f", such as {role} (say --names {ident}={role} when reading NumPy)"
                   if role else ""))
    return NotationNameError(
        f"'{ident}' is a NumPy name, not a name of the notation", Span(start, end),
        label="a Python identifier",
        hint=f"{says} (layer_k is lk, weights_j_k is Wj, layer_k_delta is δk); to read NumPy "
             f"code as it is, use notation.from_numpy(source), or notation compare")
