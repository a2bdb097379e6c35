"""Naming schemes: notation names <-> Python identifiers, both directions in one table.

``book`` (default) follows the book's code: ``l1 -> layer_1``, ``W1 -> weights_1_2``,
``δ2 -> layer_2_delta``, ``α -> alpha``; other names keep letter and subscript
(``x1 -> x_1``, ``b1 -> b_1``), Greek by its English name (``β -> beta``).
``plain`` writes the notation's own spelling: ``l0``, ``W0``, ``delta_2``, ``W_out``.

A decorated letter (ŷ, h̃, x̄) is a name of its own; in the tree it is the base letter and
one combining mark (``"y\u0302"``), and in Python its decoration's word follows the letter:
``ŷ -> y_hat``, ``θ̂1 -> theta_hat_1`` (book) or ``theta_hat1`` (plain).
"""

from __future__ import annotations

import keyword
import re
from typing import Callable

from .greek import ENGLISH_BY_UNICODE, UNICODE_BY_ENGLISH, is_greek
from .marks import (CANONICAL_MARK, DECORATIONS, LATEX_BY_MARK, MARK_BY_COMMAND,  # noqa: F401
                    MARK_BY_WORD, MAX_SUBSCRIPT_DIGITS, WORD_BY_MARK, is_letter, is_subscript,
                    split_letter)
from .nodes import Name
from .records import frozen

_SUB = r"([A-Za-z0-9]+)"

@frozen
class Rule:
    """One row of a scheme: which names it covers, how to spell them, how to read them back."""

    letter: str                          # the notation letter this row is for
    needs_sub: bool                      # only names with a subscript
    to_python: Callable[[str], str]      # subscript -> identifier
    pattern: re.Pattern                  # identifier -> subscript (group 1)
    sub_is_int: bool = False             # W_k -> weights_k_{k+1} needs an integer k


def _next(sub: str) -> str:
    """k + 1 for a decimal k of any length (int() refuses past 4,300 digits)."""
    digits = list(sub)
    i = len(digits) - 1
    while i >= 0 and digits[i] == "9":
        digits[i] = "0"
        i -= 1
    if i < 0:
        return "1" + "".join(digits)
    digits[i] = str(int(digits[i]) + 1)
    return "".join(digits)


BOOK_RULES = (
    Rule("δ", True, lambda s: f"layer_{s}_delta", re.compile(rf"layer_{_SUB}_delta\Z")),
    Rule("l", True, lambda s: f"layer_{s}", re.compile(rf"layer_{_SUB}\Z")),
    Rule("W", True, lambda s: f"weights_{s}_{_next(s)}", re.compile(r"weights_([0-9]+)_([0-9]+)\Z"),
         sub_is_int=True),
)


def _letter_word(letter: str) -> str:
    base, mark = split_letter(letter)
    word = ENGLISH_BY_UNICODE[base] if is_greek(base) else base
    return f"{word.rstrip('_')}_{WORD_BY_MARK[mark]}" if mark else word


# How many identifiers a scheme remembers before it forgets them all. Past the distinct names
# one program under the 1,000,000-character limit can hold (at most ~17,000 take three
# characters or fewer, every other one four or more): at 100,000, a 100,000-factor chain
# cleared the memo in the middle of each emission and every run paid for every name again
# (numpy() ×16 per decade from 10,000 factors, issue 16).
MEMO_NAMES = 300_000


class Scheme:
    """A naming scheme: ``python(name)`` and its inverse ``notation(identifier)``."""

    def __init__(self, label: str, rules: tuple[Rule, ...], joiner: str):
        self.label = label
        self.rules = rules
        self.joiner = joiner  # between letter and a digit subscript in other names ("_" or "")
        self._memo: dict[Name, str] = {}

    def python(self, name: Name) -> str:
        """The identifier for a name (remembered: a program names the same few things often)."""
        ident = self._memo.get(name)
        if ident is None:
            if len(self._memo) > MEMO_NAMES:
                self._memo.clear()
            ident = self._memo[name] = self._python(name)
        return ident

    def _python(self, name: Name) -> str:
        """The identifier for a name.

        >>> BOOK.python(Name("W", "1")), PLAIN.python(Name("δ", "2"))
        ('weights_1_2', 'delta_2')
        """
        for rule in self.rules:
            # W_k -> weights_k_{k+1} only for k as it is usually written: W00 is not W0.
            canonical_int = name.sub.isdigit() and (name.sub[0] != "0" or name.sub == "0")
            if rule.letter == name.letter and name.sub and (not rule.sub_is_int or canonical_int):
                return rule.to_python(name.sub)
        word = _letter_word(name.letter)
        if not name.sub:
            return word
        if name.sub.isdigit() and not is_greek(name.letter) and not split_letter(name.letter)[1]:
            return f"{word}{self.joiner}{name.sub}"
        if name.sub.isdigit() and split_letter(name.letter)[1] and not self.joiner:
            return f"{word}{name.sub}"
        return f"{word.rstrip('_')}_{name.sub}"

    def notation(self, identifier: str) -> Name | None:
        """The name an identifier stands for under this scheme, or None if none does.

        Reading is lenient where no ambiguity follows: ``x1`` and ``x_1`` are both x₁.

        >>> BOOK.notation("layer_2_delta"), BOOK.notation("alpha")
        (Name(letter='δ', sub='2'), Name(letter='α', sub=''))
        """
        name = self._notation(identifier)
        if name is not None and name.sub.isdigit() and len(name.sub) > MAX_SUBSCRIPT_DIGITS:
            return None     # the parser would refuse it: read as any other identifier
        return name

    def _notation(self, identifier: str) -> Name | None:
        for rule in self.rules:
            m = rule.pattern.match(identifier)
            if m:
                sub = m.group(1)
                if rule.sub_is_int and m.group(2) != _next(sub):
                    return None     # weights_0_2 joins no adjacent layers: not a W_k
                return Name(rule.letter, _strip_zeros(sub) if rule.sub_is_int else sub)
        m = _DECORATED_IDENTIFIER.fullmatch(identifier)
        if m:
            word, decoration, sub = m.group(1), m.group(2), m.group(3) or m.group(4) or ""
            base = word if len(word) == 1 else (UNICODE_BY_ENGLISH.get(word)
                                                or UNICODE_BY_ENGLISH[word + "_"])
            return Name(base + MARK_BY_WORD[decoration], sub)
        m = _GREEK_IDENTIFIER.fullmatch(identifier)
        if m:
            word = m.group(1)
            letter = UNICODE_BY_ENGLISH.get(word) or UNICODE_BY_ENGLISH[word.rstrip("_") + "_"]
            return Name(letter, m.group(2) or "")
        m = _LATIN_IDENTIFIER.fullmatch(identifier)
        if m:
            return Name(m.group(1), m.group(2) or m.group(3) or "")
        return None

    def check_unique(self, names) -> None:
        """Raise ValueError if two names map to one identifier."""
        seen: dict[str, Name] = {}
        for n in names:
            ident = self.python(n)
            if ident in seen and seen[ident] != n:
                raise ValueError(f"{seen[ident]} and {n} both become {ident}")
            seen[ident] = n


_GREEK_IDENTIFIER = re.compile(
    "(" + "|".join(sorted((re.escape(w) for w in UNICODE_BY_ENGLISH if not w.endswith("_")),
                          key=len, reverse=True)) + "|lambda_?)"
    r"(?:_([A-Za-z0-9]+))?")
_DECORATED_IDENTIFIER = re.compile(
    "([A-Za-z]|" + "|".join(sorted((re.escape(w.rstrip("_")) for w in UNICODE_BY_ENGLISH),
                                   key=len, reverse=True)) + ")"
    "_(" + "|".join(MARK_BY_WORD) + r")(?:_([A-Za-z0-9]+)|([0-9]+))?")
_LATIN_IDENTIFIER = re.compile(r"([A-Za-z])(?:_([A-Za-z0-9]+)|([0-9]+))?")


def _strip_zeros(sub: str) -> str:
    return sub.lstrip("0") or "0"


BOOK = Scheme("book", BOOK_RULES, "_")
PLAIN = Scheme("plain", (), "")
SCHEMES = {"book": BOOK, "plain": PLAIN}


def is_identifier(text: str) -> bool:
    """Every name put into emitted code passes this (SPEC §6: no user text runs as code)."""
    return text.isidentifier() and text.isascii() and not keyword.iskeyword(text)
