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

from lark import Lark, Token, Transformer
from lark.lexer import LexerThread
from lark.parsers.lalr_analysis import Shift
from lark.exceptions import UnexpectedInput, UnexpectedToken

from . import functions
from .errors import NotationError, NotationNameError, NotationSyntaxError
from .greek import canonical_letter
from .nodes import (Add, Assign, Call, Declare, Divide, ExprStatement, Hadamard, MatMul, Name,
                    Negate, Number, Program, Span, Subtract, Transpose, Update)

# --------------------------------------------------------------------------- grammar file

def grammar_path() -> str:
    """Where the grammar is: inside the package in a wheel, at the repository top otherwise."""
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (os.path.join(here, "grammar", "notation.lark"),
                      os.path.join(os.path.dirname(here), "grammar", "notation.lark")):
        if os.path.isfile(candidate):
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
    text = str(tok)
    if text[0].isascii() and text[1:].isdigit() or len(text) == 1 and text.isascii():
        letter, sub = text[0], text[1:]      # l0, W12, x: the common case, no regex
    else:
        letter, sub = name_parts(text)
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
                Span(start, end), label=f"{len(dims.dims)} dimensions",
                hint="every value is a scalar or a 2-D array: batch × units, or inputs × outputs")
        return dims.dims, end

    def dims(self, c):
        return _Dims(tuple(self._dim(t) for t in c if t.type != "DIMSEP"),
                     c[0].start_pos, c[-1].end_pos)

    @staticmethod
    def _dim(tok: Token):
        if tok.type == "INT":
            digits = tok.lstrip("0") or "0"
            if len(digits) > 18:
                raise NotationSyntaxError(
                    f"the dimension {digits[:20]}… is too large", Span(tok.start_pos, tok.end_pos),
                    hint="a dimension is a whole number below 10^18, or a symbol such as b")
            return int(digits)  # never int() of the raw text: 5,000 zeros is a short number
        return _name(tok)

    # -- expressions
    def name(self, c):
        return _name(c[0])

    def number(self, c):
        return Number(normal_number(str(c[0])), _span(c[0], c[0]))

    def word(self, c):
        from .syntax_errors import word_error  # error paths load their module on demand
        raise word_error(c[0])

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
            from .syntax_errors import unknown_function
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


# --------------------------------------------------------------------------- the parser

@lru_cache(maxsize=1)
def lark_parser() -> Lark:
    """The one Lark parser, built on first use (from Lark's cache when it is there)."""
    with open(grammar_path(), encoding="utf-8") as f:
        grammar = f.read()
    return Lark(grammar, parser="lalr", lexer="contextual",
                transformer=TreeBuilder(), maybe_placeholders=False, cache=_cache_file())


class _Driver:
    """Lark's LALR tables, run by a loop tuned for this grammar.

    The precedence levels of the grammar (sum, hadamard, negation, product, postfix, atom)
    make most reductions unit steps from one level to the next that build nothing. Lark's
    loop pays a rule lookup and a callback for each; here they are marked once, when the
    table is compiled, and cost one list assignment. The result is the same tree, about
    twice as fast (benchmarks/parse.py).
    """

    def __init__(self, lark: Lark):
        frontend = lark.parser
        inner = frontend.parser.parser
        table = inner.parse_table
        callbacks = inner.callbacks
        self.lexer = frontend.lexer
        self.start_state = table.start_states["start"]
        self.end_state = table.end_states["start"]
        self.raw_states = table.states
        # state -> {symbol: (shift?, next state) or (False, size, callback or None, origin)}
        self.states = {}
        for state, actions in table.states.items():
            compiled = {}
            for symbol, (action, arg) in actions.items():
                if action is Shift:
                    compiled[symbol] = (True, arg)
                else:
                    rule = arg
                    unit = (rule.options.expand1 and not rule.alias and len(rule.expansion) == 1
                            and not rule.expansion[0].is_term)
                    compiled[symbol] = (False, len(rule.expansion),
                                        None if unit else callbacks[rule], rule.origin.name)
            self.states[state] = compiled
        self.ignore = frozenset(lark.lexer_conf.ignore)
        self.regexes = _StateRegexes(self.lexer.lexers, lark.terminals)

    def parse(self, text: str):
        states = self.states
        end_state = self.end_state
        state_stack = [self.start_state]
        value_stack: list = []
        position = _ParserPosition(state_stack, value_stack)

        def feed(token, is_end=False):
            while True:
                try:
                    action = states[state_stack[-1]][token.type]
                except KeyError:
                    expected = {s for s in states[state_stack[-1]] if s.isupper()}
                    raise UnexpectedToken(token, expected, state=position) from None
                if action[0]:
                    state_stack.append(action[1])
                    value_stack.append(token)
                    if len(state_stack) > MAX_NESTING:
                        raise _too_deep(token)
                    return None
                _, size, callback, origin = action
                if callback is None:                   # a unit step between levels
                    del state_stack[-1]
                    state_stack.append(states[state_stack[-1]][origin][1])
                    continue
                if size:
                    children = value_stack[-size:]
                    del state_stack[-size:]
                    del value_stack[-size:]
                else:
                    children = []
                value_stack.append(callback(children))
                state_stack.append(states[state_stack[-1]][origin][1])
                if is_end and state_stack[-1] == end_state:
                    return value_stack[-1]

        token = None
        for token in self.tokens(text, position):
            feed(token)
        end = Token.new_borrow_pos("$END", "", token) if token else Token("$END", "", 0, 1, 1)
        return feed(end, True)

    def tokens(self, text: str, position: "_ParserPosition"):
        """Lark's contextual lexing (the parser's state picks the terminals), in one loop.

        Each state's terminals, in Lark's own order, are joined into one regular expression
        as Lark's scanner does; tests check that the tokens are the ones Lark's lexer makes.
        """
        regexes = self.regexes
        ignore = self.ignore
        state_stack = position.state_stack
        pos, n = 0, len(text)
        while pos < n:
            m = regexes[state_stack[-1]].match(text, pos)
            if m is None:
                # Let Lark's own lexer describe the failure, with its expected sets.
                thread = LexerThread.from_text(self.lexer, text)
                thread.state.line_ctr.char_pos = pos
                for _ in thread.lex(position):
                    break
                raise AssertionError("Lark's lexer accepted what the fast lexer refused")
            kind = m.lastgroup
            end = m.end()
            if kind not in ignore:
                yield Token(kind, m.group(), pos, None, None, None, None, end)
            pos = end

# Terminals that only a shape uses. Where they can appear, the parser's state decides how
# text lexes (`x` separates dimensions in `1x3` but is a name in `xW`); everywhere else
# the terminals of the expression grammar never compete for the same text.
SHAPE_TERMINALS = frozenset({"DIMSEP", "INT", "REALS", "CARET", "SCALAR"})


class _StateRegexes(dict):
    """state -> one regular expression of the terminals Lark's lexer allows there.

    Every expression state shares one expression (all terminals but the shape ones), so a
    CLI call compiles one pattern, not one per state; shape states get their own, made on
    first use. tests/test_parser.py checks the tokens against Lark's own lexer.
    """

    def __init__(self, lexers, terminals):
        super().__init__()
        self.lexers = lexers
        self.by_terminals = {}
        self.expression_terminals = [t for t in terminals if t.name not in SHAPE_TERMINALS]

    def _compile(self, terminals):
        terminals = sorted(terminals, key=lambda t: (-t.priority, -t.pattern.max_width,
                                                     -len(t.pattern.value), t.name))
        key = tuple(t.name for t in terminals)
        regex = self.by_terminals.get(key)
        if regex is None:
            regex = self.by_terminals[key] = re.compile("|".join(
                f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in terminals))
        return regex

    def __missing__(self, state):
        terminals = self.lexers[state].terminals
        if any(t.name in SHAPE_TERMINALS for t in terminals):
            regex = self._compile(terminals)
        else:
            regex = self._compile(self.expression_terminals)
        self[state] = regex
        return regex


# The parser's stack grows with nesting (brackets, calls, signs) and not with chains
# (`a b c …`, `a + b + …` reduce as they go). Bounding it bounds the depth of the tree
# that every view and check walks, so none of them can exhaust Python's stack.
MAX_NESTING = 200


def _too_deep(token: Token) -> NotationError:
    return NotationSyntaxError(
        "the expression nests too deeply", Span(token.start_pos, token.end_pos),
        label="this is about 100 levels of brackets, calls or signs deep",
        hint="give intermediate values names of their own (l1 = …) and use them")


class _ParserPosition:
    """What Lark's contextual lexer asks of the parser: its current state."""

    __slots__ = ("state_stack", "value_stack")

    def __init__(self, state_stack, value_stack):
        self.state_stack = state_stack
        self.value_stack = value_stack

    @property
    def position(self):
        return self.state_stack[-1]


@lru_cache(maxsize=1)
def driver() -> _Driver:
    return _Driver(lark_parser())


def parse(text: str) -> Program:
    """Parse a program of the notation into its tree.

    >>> parse("l2 = relu(l0W0)W1").algebra()
    'l2 = relu(l0W0)W1'
    """
    if not isinstance(text, str):
        raise TypeError(f"parse() takes the program as a str, not {type(text).__name__}")
    try:
        statements = driver().parse(text)
    except NotationError as e:
        raise e.with_source(text) from None
    except UnexpectedInput as e:
        from .syntax_errors import syntax_error
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


