"""The letter and subscript of a name as the tree holds them: a decorated letter (ŷ, h̃, x̄)
is the base letter and one combining mark, each decoration with its LaTeX commands; a
subscript of digits is a layer index of at most MAX_SUBSCRIPT_DIGITS digits. The parser,
the algebra and the LaTeX view read these; the naming schemes (``naming.py``) too.
"""

from __future__ import annotations

from .greek import is_greek

# A digit subscript is a layer index: past this length it is no index anyone writes, and
# past 4,300 digits Python's int() (which the shape convention applies) refuses it. The
# parser refuses a longer one; an identifier with one (layer_666…6) names no notation name.
MAX_SUBSCRIPT_DIGITS = 18

# (decoration, the combining mark that carries it in the tree, LaTeX command printed,
#  further LaTeX commands and combining marks read as the same decoration)
DECORATIONS = (
    ("hat", "\u0302", "hat", ("widehat",), ()),
    ("tilde", "\u0303", "tilde", ("widetilde",), ()),
    ("bar", "\u0304", "bar", ("overline",), ("\u0305",)),
)
MARK_BY_COMMAND = {cmd: mark for _, mark, printed, others, _ in DECORATIONS
                   for cmd in (printed, *others)}
MARK_BY_WORD = {word: mark for word, mark, *_ in DECORATIONS}
CANONICAL_MARK = {m: mark for _, mark, _, _, more in DECORATIONS for m in (mark, *more)}
WORD_BY_MARK = {mark: word for word, mark, *_ in DECORATIONS}
LATEX_BY_MARK = {mark: printed for _, mark, printed, *_ in DECORATIONS}


def split_letter(letter: str) -> tuple[str, str]:
    """A letter of the tree as (base letter, combining mark or "").

    >>> split_letter("y\u0302"), split_letter("W")
    (('y', '\u0302'), ('W', ''))
    """
    if len(letter) == 2 and letter[1] in WORD_BY_MARK:
        return letter[0], letter[1]
    return letter, ""


def is_letter(letter) -> bool:
    """One Latin letter, or a Greek one: all a name's letter can be. A tree built by hand may
    hold anything (``Name("__import__")``); the views write only these."""
    if not isinstance(letter, str):
        return False
    base, mark = split_letter(letter)
    return len(base) == 1 and base.isascii() and base.isalpha() or is_greek(base)


def is_subscript(sub) -> bool:
    """Latin letters and digits, or nothing."""
    return isinstance(sub, str) and (sub == "" or sub.isascii() and sub.isalnum())
