"""Text -> tree: the grammar's LALR tables, run by a small loop; Lark's errors made ours.

Lark reads grammar/notation.lark and computes the LALR(1) tables and the terminals each
parser state accepts (its contextual lexer). Those tables are saved, as plain data, in a
per-user cache; a parse loads them and runs a loop tuned for this grammar, so that the
command line neither imports Lark nor rebuilds anything on an ordinary run. The loop:

- lexes with one regular expression per lexer context, the terminals in Lark's own order
  (all expression states share one; a shape state, where ``x`` separates dimensions,
  has its own);
- skips the unit reductions between precedence levels (sum → hadamard → … → atom), which
  build nothing;
- applies each rule's child filter as Lark would (separators dropped, inlined helper rules
  spliced), then the tree builder's method for the rule (notation/tree_builder.py).

tests/test_parser.py checks tokens and trees against Lark's own parser on a corpus.
"""

from __future__ import annotations

import binascii
import gc
import marshal
import os
import re
import sys
from functools import lru_cache

from .errors import NotationError, NotationSyntaxError
from .nodes import Program, Span
from .tree_builder import TreeBuilder, name_parts, normal_number  # noqa: F401 (used by others)

# Bump when the saved tables change form; the cache key also holds the grammar's checksum.
TABLES_FORMAT = 3

# Terminals that only a shape uses. Where they can appear, the parser's state decides how
# text lexes (`x` separates dimensions in `1x3` but is a name in `xW`); everywhere else
# the terminals of the expression grammar never compete for the same text.
SHAPE_TERMINALS = frozenset({"DIMSEP", "INT", "REALS", "CARET", "SCALAR"})

# The parser's stack grows with nesting (brackets, calls, signs) and not with chains
# (`a b c …`, `a + b + …` reduce as they go). Bounding it bounds the depth of the tree
# that every view and check walks, so none of them can exhaust Python's stack.
MAX_NESTING = 200

# The longest program read, in characters. A program a person writes is a few hundred
# lines; this admits about 40,000 statements, which every command answers in seconds.
# Past it the answer is a clear error at once, not a minute of work (a 10 MB program took
# 16 s to print as algebra and 25 s to check).
MAX_SOURCE_CHARS = 1_000_000

# Reduction kinds in the saved tables.
UNIT, CALL, INLINE = 0, 1, 2


# --------------------------------------------------------------------------- grammar file

def grammar_path() -> str:
    """Where the grammar is: inside the package in a wheel, at the repository top otherwise."""
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (os.path.join(here, "grammar", "notation.lark"),
                      os.path.join(os.path.dirname(here), "grammar", "notation.lark")):
        if os.path.isfile(candidate):
            return candidate
    raise FileNotFoundError("notation.lark is missing from this installation")


def _grammar_text() -> str:
    with open(grammar_path(), encoding="utf-8") as f:
        return f.read()


def _cache_folder() -> str | None:
    if os.environ.get("NOTATION_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "notation")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


# --------------------------------------------------------------------------- Lark and its tables

@lru_cache(maxsize=1)
def lark_parser():
    """Lark's parser of the grammar, building this project's trees (tests compare with it)."""
    from lark import Lark
    return Lark(_grammar_text(), parser="lalr", lexer="contextual", transformer=TreeBuilder(),
                maybe_placeholders=False)


def _lark_order(terminals) -> list:
    """Terminals in the order Lark's lexer tries them."""
    return sorted(terminals, key=lambda t: (-t.priority, -t.pattern.max_width,
                                            -len(t.pattern.value), t.name))


def build_tables(grammar: str) -> dict:
    """The LALR tables and lexer contexts of the grammar, as plain data (marshal-able)."""
    from lark import Lark
    from lark.parsers.lalr_analysis import Shift
    lark = Lark(grammar, parser="lalr", lexer="contextual", maybe_placeholders=False)
    frontend = lark.parser
    table = frontend.parser.parser.parse_table
    contexts: dict[tuple, int] = {}
    patterns: list[list] = []

    def context(terminals) -> int:
        ordered = _lark_order(terminals)
        key = tuple(t.name for t in ordered)
        if key not in contexts:
            contexts[key] = len(patterns)
            patterns.append([(str(t.name), str(t.pattern.to_regexp())) for t in ordered])
        return contexts[key]

    every = list(lark.terminals)
    expression = context([t for t in every if t.name not in SHAPE_TERMINALS])
    root = context(every)
    ignore = set(lark.lexer_conf.ignore)
    states, lexing = {}, {}
    for state, actions in table.states.items():
        compiled = {}
        for symbol, (action, arg) in actions.items():
            symbol = str(symbol)     # Lark's names may be str subclasses; marshal wants str
            if action is Shift:
                compiled[symbol] = (True, int(arg))
                continue
            rule = arg
            size = len(rule.expansion)
            # Lark's child filter: separators (filter_out) dropped, _rules spliced.
            plan = tuple(1 if (s.is_term and s.filter_out) else
                         2 if (not s.is_term and s.name.startswith("_")) else 0
                         for s in rule.expansion)
            expand1 = bool(rule.options.expand1) and not rule.alias
            only = rule.expansion[0] if size == 1 else None
            if expand1 and only is not None and not (only.is_term and only.filter_out):
                kind, method = UNIT, None
            elif rule.origin.name.startswith("_"):
                kind, method = INLINE, None
            else:
                kind, method = CALL, str(rule.alias or rule.options.template_source
                                         or rule.origin.name)
            compiled[symbol] = (False, size, kind, method, str(rule.origin.name),
                                plan if any(plan) else None, expand1)
        states[int(state)] = compiled
        accepted = frontend.lexer.lexers[state].terminals
        shape = any(t.name in SHAPE_TERMINALS for t in accepted)
        lexing[int(state)] = context(accepted) if shape else expression
    return {
        "format": TABLES_FORMAT, "start": int(table.start_states["start"]),
        "end": int(table.end_states["start"]), "states": states, "lexing": lexing,
        "patterns": patterns, "root": root, "ignore": sorted(str(i) for i in ignore),
    }


@lru_cache(maxsize=1)
def tables() -> dict:
    """The tables, from the cache when it matches the grammar, else built (and cached)."""
    grammar = _grammar_text()
    key = "%08x" % binascii.crc32(grammar.encode("utf-8"))
    folder = _cache_folder()
    path = os.path.join(folder, "tables-%d-py%d%d-%s.marshal"
                        % (TABLES_FORMAT, *sys.version_info[:2], key)) if folder else None
    if path:
        try:
            with open(path, "rb") as f:
                data = marshal.load(f)
            if data.get("format") == TABLES_FORMAT:
                return data
        except (OSError, EOFError, ValueError, TypeError):
            pass
    data = build_tables(grammar)
    if path:
        tmp = f"{path}.{os.getpid()}.tmp"
        try:
            with open(tmp, "wb") as f:
                marshal.dump(data, f)
            os.replace(tmp, path)        # atomic: a concurrent reader sees all or nothing
        except (OSError, ValueError):
            try:
                os.unlink(tmp)
            except OSError:
                pass
    return data


# --------------------------------------------------------------------------- the loop

class Tok:
    """A token: its terminal, its text and where it is."""

    __slots__ = ("type", "value", "start_pos", "end_pos")

    def __init__(self, type: str, value: str, start_pos: int, end_pos: int):
        self.type, self.value, self.start_pos, self.end_pos = type, value, start_pos, end_pos

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"Tok({self.type}, {self.value!r}, {self.start_pos})"


class UnexpectedToken(Exception):
    """The parser met a token its state has no action for."""

    def __init__(self, token: Tok, expected: set, value_stack: list):
        super().__init__(token.type)
        self.token, self.expected, self.value_stack = token, expected, value_stack


class UnexpectedCharacters(Exception):
    """No terminal of the grammar matches the text at ``pos_in_stream``."""

    def __init__(self, pos: int):
        super().__init__(pos)
        self.pos_in_stream = pos


class _Regexes(dict):
    """Lexer context -> its compiled expression, compiled on first use."""

    def __init__(self, patterns):
        super().__init__()
        self.patterns = patterns

    def __missing__(self, index):
        regex = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in self.patterns[index]))
        self[index] = regex
        return regex


class Driver:
    """Runs the saved tables over a text with the tree builder."""

    def __init__(self, data: dict):
        self.states = data["states"]
        self.start_state, self.end_state = data["start"], data["end"]
        self.lexing = data["lexing"]
        self.root = data["root"]
        self.ignore = frozenset(data["ignore"])
        self.regexes = _Regexes(data["patterns"])
        builder = TreeBuilder()
        # A rule whose builder method is missing could only make a bare parse tree, which
        # no view can print: a grammar change that adds one fails at the first parse.
        self.methods = {name: getattr(builder, name, None) for name in
                        {a[3] for acts in self.states.values() for a in acts.values()
                         if not a[0] and a[2] == CALL}}

    def tokens(self, text: str, state_stack: list, value_stack: list):
        regexes, lexing, ignore = self.regexes, self.lexing, self.ignore
        pos, n = 0, len(text)
        while pos < n:
            m = regexes[lexing[state_stack[-1]]].match(text, pos)
            if m is None:
                self._lexing_failed(text, pos, state_stack, value_stack)
            kind = m.lastgroup
            end = m.end()
            if kind not in ignore:
                yield Tok(kind, m.group(), pos, end)
            pos = end

    def _lexing_failed(self, text, pos, state_stack, value_stack):
        """As Lark's contextual lexer: a terminal of another context is an unexpected token."""
        m = self.regexes[self.root].match(text, pos)
        if m is None:
            raise UnexpectedCharacters(pos)
        expected = {s for s in self.states[state_stack[-1]] if s.isupper()}
        raise UnexpectedToken(Tok(m.lastgroup, m.group(), pos, m.end()), expected, value_stack)

    def parse(self, text: str):
        states, methods, end_state = self.states, self.methods, self.end_state
        state_stack = [self.start_state]
        value_stack: list = []

        def feed(token: Tok, is_end: bool = False):
            while True:
                try:
                    action = states[state_stack[-1]][token.type]
                except KeyError:
                    expected = {s for s in states[state_stack[-1]] if s.isupper()}
                    raise UnexpectedToken(token, expected, value_stack) from None
                if action[0]:
                    state_stack.append(action[1])
                    value_stack.append(token)
                    if len(state_stack) > MAX_NESTING:
                        raise _too_deep(token)
                    return None
                _, size, kind, method, origin, plan, expand1 = action
                if kind == UNIT:                    # a step between precedence levels
                    del state_stack[-1]
                    state_stack.append(states[state_stack[-1]][origin][1])
                    continue
                if size:
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
                if kind == INLINE:
                    value = children                # spliced into the rule that uses it
                elif expand1 and len(children) == 1:
                    value = children[0]
                else:
                    build = methods[method]
                    if build is None:
                        raise RuntimeError(f"the grammar rule {method} has no tree builder")
                    value = build(children)
                value_stack.append(value)
                state_stack.append(states[state_stack[-1]][origin][1])
                if is_end and state_stack[-1] == end_state:
                    return value_stack[-1]

        token = None
        for token in self.tokens(text, state_stack, value_stack):
            feed(token)
        end = token.end_pos if token is not None else 0
        return feed(Tok("$END", "", end, end), True)


def _too_deep(token: Tok) -> NotationError:
    return NotationSyntaxError(
        "the expression nests too deeply", Span(token.start_pos, token.end_pos),
        label="this is about 100 levels of brackets, calls or signs deep",
        hint="give intermediate values names of their own (l1 = …) and use them")


@lru_cache(maxsize=1)
def driver() -> Driver:
    return Driver(tables())


# --------------------------------------------------------------------------- parse

def parse(text: str) -> Program:
    """Parse a program of the notation into its tree.

    >>> parse("l2 = relu(l0W0)W1").algebra()
    'l2 = relu(l0W0)W1'
    """
    if not isinstance(text, str):
        raise TypeError(f"parse() takes the program as a str, not {type(text).__name__}")
    if len(text) > MAX_SOURCE_CHARS:
        raise NotationSyntaxError(
            f"the program is {len(text):,} characters long; notation reads at most "
            f"{MAX_SOURCE_CHARS:,}", Span(MAX_SOURCE_CHARS, MAX_SOURCE_CHARS + 1),
            label="the program goes on past here",
            hint="split it into programs of their own and read each one").with_source(text)
    return parse_derived(text)


def parse_derived(text: str) -> Program:
    """Parse a program that notation wrote itself (a derived training step), with no limit
    on its length: the limit is for what people give it, and a network within the limit
    may derive a longer program."""
    parsing = driver()
    collecting = gc.isenabled()
    # The tree has no reference cycles; the collector's passes over a growing heap cost a
    # large program a quarter of its parse, for nothing.
    gc.disable()
    try:
        statements = parsing.parse(text)
    except NotationError as e:
        raise e.with_source(text) from None
    except (UnexpectedToken, UnexpectedCharacters) as e:
        from .syntax_errors import syntax_error  # error paths load their module on demand
        raise syntax_error(text, e).with_source(text) from None
    finally:
        if collecting:
            gc.enable()
    if not statements:
        end = len(text.rstrip())
        raise NotationSyntaxError("empty input: there is no statement to read", Span(end, end),
                                  hint="write a statement such as l2 = relu(l0W0)W1",
                                  source=text)
    return Program(tuple(statements), source=text)
