"""Text -> tree: the grammar's LALR tables, run by a small loop; the tree builder's nodes.

The tables are plain data in notation/_tables.py, made from grammar/notation.lark by
tools/build_tables.py at development time (the only code that reads Lark's internals):
a parse neither imports Lark nor builds or caches anything. The loop:

- lexes in the lexer context of the state (all expression states share one; a shape
  state, where ``x`` separates dimensions, has its own), trying at each position only the
  terminals that can start with the character there (FIRSTS), in Lark's own order;
- skips the unit reductions between precedence levels (sum → hadamard → … → atom), which
  build nothing;
- applies each rule's child filter as Lark would (separators dropped, inlined helper rules
  spliced), then the tree builder's method for the rule (notation/tree_builder.py).

tests/test_parser.py checks that the committed tables are the grammar's, and compares
tokens and trees with Lark's own parser on a generated corpus.
"""

from __future__ import annotations

import binascii
import os
import re
from functools import lru_cache

from .collector import paused as collector_paused
from .errors import NotationError, NotationSyntaxError
from .nodes import Program, Span
from .tokens import Tok, UnexpectedCharacters, UnexpectedToken
from .name_tokens import name_parts, normal_number  # noqa: F401 (used by others)
from .tree_builder import TreeBuilder

# The parser's stack grows with nesting (brackets, calls, signs) and not with chains
# (`a b c …`, `a + b + …` reduce as they go). Bounding it bounds the depth of the tree
# that every view and check walks, so none of them can exhaust Python's stack.
MAX_NESTING = 200

# The longest program read, in characters. A program a person writes is a few hundred
# lines; this admits about 40,000 statements, which every command answers in seconds.
# Past it the answer is a clear error at once, not a minute of work (a 10 MB program took
# 16 s to print as algebra and 25 s to check).
MAX_SOURCE_CHARS = 1_000_000

REBUILD = "python tools/build_tables.py"


# --------------------------------------------------------------------------- grammar file

def grammar_path() -> str:
    """Where the grammar is: inside the package in a wheel, at the repository top otherwise.

    >>> grammar_path().endswith("notation.lark")
    True
    """
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (os.path.join(here, "grammar", "notation.lark"),
                      os.path.join(os.path.dirname(here), "grammar", "notation.lark")):
        if os.path.isfile(candidate):
            return candidate
    raise FileNotFoundError("notation.lark is missing from this installation")


def _check_fresh(tables) -> None:
    """Refuse tables built from another grammar than the one beside them (a developer
    who edited grammar/notation.lark and has not rebuilt): they would parse the old
    language without a word. A wheel carries the pair it was built with."""
    try:
        with open(grammar_path(), encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        return
    if binascii.crc32(text.encode("utf-8")) != tables.GRAMMAR_CRC32:
        raise RuntimeError(f"notation/_tables.py was built from another version of "
                           f"{grammar_path()}: run `{REBUILD}`")


# --------------------------------------------------------------------------- the loop

def _alternation(terminals) -> re.Pattern:
    """One expression of the ``(name, regex)`` terminals, tried in their order."""
    return re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in terminals))


class _Lexer(dict):
    """One lexer context: a character -> the expression of the context's terminals that can
    start with it (FIRSTS), None where none can. Each is compiled on first use, once per
    group of terminals: the others cannot match there, and Python's ``re`` would try each
    of them in turn (at the length limit, half the lexing time)."""

    def __init__(self, terminals, firsts):
        super().__init__()
        self.terminals = terminals
        self.other, groups = firsts
        self.group_of = {c: group for chars, group in groups for c in chars}
        self.compiled: dict[tuple, re.Pattern] = {}

    def __missing__(self, char):
        group = self.group_of.get(char, self.other)
        regex = self.compiled.get(group)
        if regex is None and group:
            regex = self.compiled[group] = _alternation([self.terminals[i] for i in group])
        self[char] = regex
        return regex


class _Lexers(dict):
    """Lexer context -> its :class:`_Lexer`, made on first use."""

    def __init__(self, patterns, firsts):
        super().__init__()
        self.patterns, self.firsts = patterns, firsts

    def __missing__(self, index):
        lexer = self[index] = _Lexer(self.patterns[index], self.firsts[index])
        return lexer


def _decode(tables) -> list[dict]:
    """The STATES text as one dict per state: symbol -> ``(True, next_state)`` for a shift
    or a goto, ``(False, *rule)`` for a reduction by a rule of RULES."""
    rules = [(False, *rule) for rule in tables.RULES]
    shifts: dict[int, tuple] = {}
    states = []
    for line in tables.STATES.splitlines():
        number, _, items = line.partition(": ")
        if int(number) != len(states):
            raise RuntimeError(f"notation/_tables.py is damaged: run `{REBUILD}`")
        actions = {}
        for item in items.split():
            at = item.find(">")
            if at > 0:
                target = int(item[at + 1:])
                actions[item[:at]] = shifts.get(target) or shifts.setdefault(target, (True, target))
            else:
                at = item.index("<")
                actions[item[:at]] = rules[int(item[at + 1:])]
        states.append(actions)
    return states


class Driver:
    """Runs the saved tables over a text with the tree builder."""

    def __init__(self, tables):
        self.states = _decode(tables)
        self.start_state, self.end_state = tables.START, tables.END
        self.lexing = tables.LEXING
        self.root = tables.ROOT
        self.ignore = frozenset(tables.IGNORE)
        self.lexers = _Lexers(tables.PATTERNS, tables.FIRSTS)
        # a text without a backslash lexes the same with these, which compile ~5x faster
        self.plain_lexers = _Lexers(tables.PLAIN_PATTERNS, tables.FIRSTS)
        self.unit, self.inline = tables.UNIT, tables.INLINE
        self.units: dict[tuple, int] = {}     # _after_units, by (below, top, token kind)
        builder = self.builder = TreeBuilder()
        # A rule whose builder method is missing could only make a bare parse tree, which
        # no view can print: a grammar change that adds one fails at the first parse.
        self.methods = {name: getattr(builder, name, None) for name in
                        {a[3] for acts in self.states for a in acts.values()
                         if not a[0] and a[2] == tables.CALL}}

    def _lexing_failed(self, text, pos, state_stack, value_stack, lexers):
        """As Lark's contextual lexer: a terminal of another context is an unexpected token."""
        regex = lexers[self.root][text[pos]]
        m = regex and regex.match(text, pos)
        if m is None:
            raise UnexpectedCharacters(pos)
        expected = {s for s in self.states[state_stack[-1]] if s.isupper()}
        raise UnexpectedToken(Tok(m.lastgroup, m.group(), pos, m.end()), expected, value_stack)

    def parse(self, text: str):
        """The tree of ``text``: lexing and the LALR loop in one loop, as a token is lexed
        in the context of the state its predecessor left (no generator and no call per
        token: at the length limit they were a tenth of the parse)."""
        states, end_state, unit, units = self.states, self.end_state, self.unit, self.units
        lexers = self.plain_lexers if "\\" not in text else self.lexers
        lexing, ignore = self.lexing, self.ignore
        state_stack = [self.start_state]
        value_stack: list = []
        pos, n, token, is_end, max_nesting = 0, len(text), None, False, MAX_NESTING
        while True:
            if pos < n:
                regex = lexers[lexing[state_stack[-1]]][text[pos]]
                m = regex and regex.match(text, pos)
                if m is None:
                    self._lexing_failed(text, pos, state_stack, value_stack, lexers)
                kind = m.lastgroup
                end = m.end()
                if kind in ignore:
                    pos = end
                    continue
                token = Tok(kind, m.group(), pos, end)
                pos = end
            else:
                end = token.end_pos if token is not None else 0
                kind = "$END"
                token, is_end = Tok(kind, "", end, end), True
            while True:
                try:
                    action = states[state_stack[-1]][kind]
                except KeyError:
                    expected = {s for s in states[state_stack[-1]] if s.isupper()}
                    raise UnexpectedToken(token, expected, value_stack) from None
                if action[0]:
                    state_stack.append(action[1])
                    value_stack.append(token)
                    if len(state_stack) > max_nesting:
                        raise _too_deep(token)
                    if is_end:
                        return None
                    break
                if action[2] == unit:               # steps between precedence levels
                    key = (state_stack[-2], state_stack[-1], kind)
                    top = units.get(key)
                    if top is None:
                        top = units[key] = self._after_units(state_stack[-2], action, kind)
                    state_stack[-1] = top
                    continue
                value_stack.append(self._reduced(action, state_stack, value_stack))
                state_stack.append(states[state_stack[-1]][action[4]][1])
                if is_end and state_stack[-1] == end_state:
                    return value_stack[-1]

    def _after_units(self, below: int, action, kind: str) -> int:
        """The state on top after the unit reductions from ``action`` on a ``kind`` token,
        with ``below`` under it: they build nothing and pop only the top, so the chain
        depends on these three alone (parse remembers it: 17 steps a statement in 6 chains)."""
        states, unit = self.states, self.unit
        while True:
            top = states[below][action[4]][1]
            action = states[top].get(kind)
            if action is None or action[0] or action[2] != unit:
                return top

    def _reduced(self, action, state_stack: list, value_stack: list):
        """The value of a reduction by ``action``'s rule, its children taken off the stacks."""
        _, size, kind, method, origin, plan, expand1 = action
        if size == 1:                       # most rules (a name, a number, a call's word)
            state_stack.pop()
            children = [value_stack.pop()]
        elif size:
            children = value_stack[-size:]
            del state_stack[-size:]
            del value_stack[-size:]
        else:
            children = []
        if plan is not None:
            kept = []
            for i, (child, what) in enumerate(zip(children, plan)):
                if what == 0:
                    kept.append(child)
                elif what == 2 and i == 0:
                    kept = child     # a repetition growing on the left: extend it in
                elif what == 2:      # place, not a copy per item (linear, not quadratic)
                    kept.extend(child)
            children = kept
        if kind == self.inline:
            return children                 # spliced into the rule that uses it
        if expand1 and len(children) == 1:
            return children[0]
        build = self.methods[method]
        if build is None:
            raise RuntimeError(f"the grammar rule {method} has no tree builder")
        return build(children)


def _too_deep(token: Tok) -> NotationError:
    return NotationSyntaxError(
        "the expression nests too deeply", Span(token.start_pos, token.end_pos),
        label="this is about 100 levels of brackets, calls or signs deep",
        hint="give intermediate values names of their own (l1 = …) and use them")


@lru_cache(maxsize=1)
def driver() -> Driver:
    """The parser's loop over the committed tables, made on first use and kept."""
    from . import _tables
    _check_fresh(_tables)
    return Driver(_tables)


# --------------------------------------------------------------------------- parse

def parse(text: str, *, strict: bool = False, functions: dict[str, str] | None = None
          ) -> Program:
    """Parse a program of the notation into its tree.

    A reading that picked one of two plausible meanings gives a NotationWarning (kept in
    ``Program.warnings`` and issued with Python's ``warnings``); ``strict=True`` raises it as a
    NotationError instead. ``functions`` declares letters as functions: ``{"g": "relu"}``.

    >>> parse("l2 = relu(l0W0)W1").algebra()
    'l2 = relu(l0W0)W1'
    """
    if not isinstance(text, str):
        from .errors import NotationOptionError
        raise NotationOptionError(f"parse() takes the program as a str, not {type(text).__name__}")
    check_length(text)
    program = parse_derived(text, functions)
    if strict:
        program = Program(program.statements, source=program.source,
                          warnings=program.warnings, strict=True)
    if program.warnings:
        if strict:
            raise program.warnings[0].error() from None
        import warnings
        for w in program.warnings:
            warnings.warn(w, stacklevel=2)
    return program


def check_length(text: str) -> None:
    """Refuse a program longer than MAX_SOURCE_CHARS, located where it goes past the limit:
    the notation, a LaTeX document, and any file the command line reads (a .py one too; the
    API's from_numpy has no limit, docs/language.md)."""
    if len(text) > MAX_SOURCE_CHARS:
        # The CLI reads at most one character past the limit, so a text of exactly that
        # length may have been cut: its length is a lower bound then, and says so.
        length = f"{len(text):,}" if len(text) > MAX_SOURCE_CHARS + 1 else f"at least {len(text):,}"
        raise NotationSyntaxError(
            f"the program is {length} characters long; notation reads at most "
            f"{MAX_SOURCE_CHARS:,}", Span(MAX_SOURCE_CHARS, MAX_SOURCE_CHARS + 1),
            label="the program goes on past here",
            hint="split it into programs of their own and read each one").with_source(text)


# The tree has no reference cycles; the collector's passes over a growing heap cost a
# large program a quarter of its parse, for nothing.
@collector_paused
def _statements(parsing, text: str, functions: dict[str, str] | None) -> list:
    try:
        parsing.builder.begin(functions)
        return parsing.parse(text)
    except NotationError as e:
        raise e.with_source(text) from None
    except (UnexpectedToken, UnexpectedCharacters) as e:
        from .syntax_errors import syntax_error  # error paths load their module on demand
        raise syntax_error(text, e).with_source(text) from None


def parse_derived(text: str, functions: dict[str, str] | None = None) -> Program:
    """Parse a program that notation wrote itself (a derived training step), with no limit
    on its length: the limit is for what people give it, and a network within the limit
    may derive a longer program."""
    parsing = driver()
    statements = _statements(parsing, text, functions)
    if not statements:
        end = len(text.rstrip())
        raise NotationSyntaxError("empty input: there is no statement to read", Span(end, end),
                                  hint="write a statement such as l2 = relu(l0W0)W1",
                                  source=text)
    found = tuple(w.with_source(text) for w in parsing.builder.warnings)
    return Program(tuple(statements), source=text, warnings=found)
