"""The lexer by first character (FIRSTS): the tokens of trying every terminal of a context.

notation/parser.py tries, at each position, only the terminals that tools/first_chars.py
says can start with the character there. These tests check the committed sets are the
tool's, that no terminal ever matches at a character outside its set, and that the
lexer lexes as the one expression of all the context's terminals did (the lexer before
FIRSTS), at every position of some 3,500 texts in every context.
"""

import importlib.util
import random
import re
from functools import lru_cache
from pathlib import Path

from notation import _tables
from notation.parser import _Lexer

from .parser_corpus import programs

ROOT = Path(__file__).resolve().parent.parent


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, ROOT / path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=1)
def texts() -> list[str]:
    """The parser tests' corpus, the fuzzer's generated inputs and token soups (each cut at
    120 characters, so that the tests below take seconds: a few are thousands long)."""
    fuzz = _load("benchmarks/fuzz.py", "fuzz")
    corpus = programs(500)
    corpus += [fuzz.generate(random.Random(f"firsts:{i}"))[1] for i in range(1500)]
    rng = random.Random(3)
    pieces = fuzz.TOKENS + list(fuzz.ALPHABET) + fuzz.STRAY + ["\\mathbb{R}^{3×4}", "1x3",
                                                              "scalar", "R^3", "(b, 3)"]
    corpus += ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 25)))
               for _ in range(1500)]
    return [text[:120] for text in corpus]


def test_there_are_enough_texts():
    assert len(texts()) >= 3500
    assert sum("\\" not in t for t in texts()) >= 1000     # for PLAIN_PATTERNS too


def test_the_committed_firsts_are_the_tools():
    tool = _load("tools/first_chars.py", "first_chars")
    assert _tables.FIRSTS == tuple(tool.firsts(terminals) for terminals in _tables.PATTERNS)


def test_no_terminal_matches_at_a_character_outside_its_set():
    # a terminal's set is made from its regex alone: the root context, which has every
    # terminal, checks them all
    terminals = _tables.PATTERNS[_tables.ROOT]
    other, groups = _tables.FIRSTS[_tables.ROOT]
    starts = {i: set() for i in range(len(terminals))}
    for chars, group in groups:
        for i in group:
            starts[i].update(chars)
    for i, (name, regex) in enumerate(terminals):
        if i in other:
            continue                        # tried at every character
        compiled = re.compile(regex)
        for text in texts():
            for pos in range(len(text)):
                if compiled.match(text, pos):
                    assert text[pos] in starts[i], (name, text, pos)


def test_the_lexer_by_first_character_lexes_as_all_terminals_at_once():
    pairs = [(_tables.PATTERNS, texts()),
             (_tables.PLAIN_PATTERNS, [t for t in texts() if "\\" not in t])]
    for patterns, corpus in pairs:
        for terminals, firsts in zip(patterns, _tables.FIRSTS):
            every = re.compile("|".join(f"(?P<{n}>{p})" for n, p in terminals))
            lexer = _Lexer(terminals, firsts)
            for text in corpus:
                for pos in range(len(text)):
                    m = every.match(text, pos)
                    regex = lexer[text[pos]]
                    n = regex and regex.match(text, pos)
                    assert (m and (m.lastgroup, m.end())) == (n and (n.lastgroup, n.end())), \
                        (text, pos)
