"""Which terminals can start with each character: the FIRSTS of notation/_tables.py.

tools/build_tables.py writes what :func:`firsts` computes here into the tables (one
generated file, one ``--check``); it is a module of its own because it reads regular
expressions, not the grammar, and build_tables.py is long enough already.

The lexer (notation/parser.py) tries, at each position, only the terminals of its context
that can start with the character there, in the context's order. That gives the same
token as trying every terminal, provided each terminal's set of first characters holds
every character that a match of it can start with. The sets are derived from the
terminal's regex as Python's own parser of regular expressions reads it
(``re._parser``, development time only), and where an analysis would be inexact they
only grow:

- a lookaround (``(?<![A-Za-z])``, ``(?=…)``) is read as matching the empty string
  anywhere: it can only refuse matches, so ignoring it keeps every character it allows;
- a class too large to list (a negated class, ``.``, ``\\w``) or any construct not
  known here makes the terminal *wide*: it is tried at every character.

>>> firsts([("A", "ab|c"), ("B", "[ \\t]+"), ("C", "(?<!x)b?c")])
((), (('\\t ', (1,)), ('a', (0,)), ('b', (2,)), ('c', (0, 2))))
"""

from __future__ import annotations

import re
from functools import lru_cache

try:                                    # Python 3.11 renamed sre_parse and sre_constants
    from re import _constants as C, _parser as sre
except ImportError:                     # pragma: no cover
    import sre_constants as C
    import sre_parse as sre

# A class of more characters than this is not listed: its terminal is tried everywhere.
MAX_LISTED = 4096

_CATEGORIES = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_SPACE: r"\s", C.CATEGORY_WORD: r"\w"}
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT} | ({C.POSSESSIVE_REPEAT} if hasattr(C, "POSSESSIVE_REPEAT") else set())
_ZERO_WIDTH = {C.ASSERT, C.ASSERT_NOT, C.AT}


class _Wide(Exception):
    """The terminal may start with more characters than are worth listing."""


@lru_cache(maxsize=None)
def _category(code) -> frozenset:
    """Every character of a category (``\\d``, ``\\s``), found by asking ``re`` itself."""
    regex = _CATEGORIES.get(code)
    if regex is None:
        raise _Wide
    test = re.compile(regex).match
    found = frozenset(chr(i) for i in range(0x110000) if test(chr(i)))
    if len(found) > MAX_LISTED:
        raise _Wide
    return found


def _class(items) -> set:
    """The characters of a ``[…]`` class."""
    chars: set = set()
    for op, arg in items:
        if op is C.LITERAL:
            chars.add(chr(arg))
        elif op is C.RANGE and arg[1] - arg[0] < MAX_LISTED:
            chars.update(chr(i) for i in range(arg[0], arg[1] + 1))
        elif op is C.CATEGORY:
            chars |= _category(arg)
        else:                           # NEGATE, a huge range, …
            raise _Wide
    return chars


def _sequence(items, chars: set) -> bool:
    """Add to ``chars`` the characters a match of the sequence ``items`` can start with;
    return whether the sequence can match the empty string."""
    for op, arg in items:
        if not _item(op, arg, chars):
            return False
    return True


def _item(op, arg, chars: set) -> bool:
    """As :func:`_sequence`, for one item."""
    if op is C.LITERAL:
        chars.add(chr(arg))
        return False
    if op is C.IN:
        chars |= _class(arg)
        return False
    if op is C.BRANCH:
        empty = False
        for branch in arg[1]:
            empty |= _sequence(branch, chars)
        return empty
    if op is C.SUBPATTERN:
        if arg[1] & (re.IGNORECASE | re.LOCALE):
            raise _Wide                 # case folding: not worth listing by hand
        return _sequence(arg[-1], chars)
    if op in _REPEATS:
        low, _, body = arg
        return _sequence(body, chars) or low == 0
    if op in _ZERO_WIDTH:
        return True                     # it only refuses: its characters stay in
    raise _Wide                         # ANY, NOT_LITERAL, a back reference, …


def first_characters(regex: str) -> frozenset | None:
    """The characters a match of ``regex`` can start with, or None where it may start
    with any (a class too large to list, or a match of the empty string).

    >>> sorted(first_characters(r"(?:&\\s*)?-=|\\\\in(?![A-Za-z])"))
    ['&', '-', '\\\\']
    >>> first_characters(r"[^x]") is None
    True
    """
    chars: set = set()
    try:
        if _sequence(sre.parse(regex), chars):
            return None
    except _Wide:
        return None
    return frozenset(chars)


def firsts(terminals) -> tuple:
    """For the ``(name, regex)`` terminals of one lexer context, in the order they are
    tried: ``(other, ((characters, group), …))``. A group is the indices of the terminals
    that can start with each of its characters, in the context's order; ``other`` is the
    group for a character listed nowhere (the wide terminals only)."""
    sets = [first_characters(regex) for _, regex in terminals]
    wide = tuple(i for i, s in enumerate(sets) if s is None)
    by_group: dict[tuple, list] = {}
    for c in sorted(set().union(*(s for s in sets if s is not None))):
        group = tuple(i for i, s in enumerate(sets) if s is None or c in s)
        by_group.setdefault(group, []).append(c)
    listed = sorted(("".join(cs), group) for group, cs in by_group.items())
    return wide, tuple(listed)
