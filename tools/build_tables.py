"""Build notation/_tables.py, the parser's tables, from grammar/notation.lark.

    python tools/build_tables.py           # rewrite notation/_tables.py
    python tools/build_tables.py --check   # exit 1 if the committed tables are stale

Run it after every change to the grammar: tests/test_parser.py fails while the committed
tables differ from what this script makes, and the parser refuses tables built from
another grammar. This is the only code of the project that reads Lark's internals (its
LALR analysis, its contextual lexer and its terminal order); a user's run reads only the
plain data written here, so a Lark release that moves those internals can break this
script, with the tables still committed and working, and never a user's run.

What is written:

- ``RULES``: the reductions, each ``(size, kind, method, origin, plan, expand1)``: ``kind``
  is UNIT (a step between precedence levels that builds nothing), CALL (the tree
  builder's ``method`` builds a node) or INLINE (a ``_rule`` whose children are spliced
  into its parent); ``plan`` is Lark's child filter per symbol (0 kept, 1 dropped
  separator, 2 spliced ``_rule``), or None when every child is kept.
- ``STATES``: one line per LALR state, ``N: SYMBOL>M …`` (shift the terminal, or go to
  after the rule, into state M) and ``SYMBOL<R`` (on this lookahead, reduce by rule R).
  It is text, not a Python literal, so that compiling the module costs nothing where no
  bytecode is cached (a dict literal of 900 actions took longer to compile than every
  other module on the command line's path together).
- ``LEXING``: for each state, which of ``PATTERNS`` lexes there, Lark's contextual lexer
  made explicit; ``PATTERNS`` are (terminal, regex) lists in the order Lark's lexer tries
  them. ``PLAIN_PATTERNS`` are the same with every alternative that must begin with a
  backslash removed (:func:`without_backslash`), for a text with no backslash, the common
  case: they match the same tokens there and compile in a fraction of the time (context 0:
  1,094 characters instead of 5,109). All expression states share one context; a shape state (``x`` separates
  dimensions in ``1x3``) has its own. ``ROOT`` has every terminal, for error messages.
- ``FIRSTS``: for each context, which of its terminals can start with each character
  (tools/first_chars.py, a module of its own as it reads regexes, not the grammar), so
  that the lexer tries only those at a position.

States are numbered breadth-first from the start state, symbols in sorted order, so the
file is the same whatever Python's hash seed (Lark's own numbering is not).
"""

from __future__ import annotations

import argparse
import binascii
import os
import pprint
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from first_chars import firsts  # noqa: E402 (beside this script, which may be loaded by path)

ROOT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GRAMMAR = os.path.join(ROOT_DIR, "grammar", "notation.lark")
OUTPUT = os.path.join(ROOT_DIR, "notation", "_tables.py")

# Terminals that only a shape uses. Where they can appear, the parser's state decides how
# text lexes (`x` separates dimensions in `1x3` but is a name in `xW`); everywhere else
# the terminals of the expression grammar never compete for the same text.
SHAPE_TERMINALS = frozenset({"DIMSEP", "INT", "REALS", "CARET", "SCALAR"})

# Reduction kinds, written into the generated module for notation/parser.py to read.
UNIT, CALL, INLINE = 0, 1, 2


def grammar_checksum(text: str) -> int:
    """The CRC-32 of the grammar's text (newlines as ``\\n``), which the parser compares.

    >>> grammar_checksum("start: NAME")
    1669140655
    """
    return binascii.crc32(text.replace("\r\n", "\n").encode("utf-8"))


def _lark_order(terminals) -> list:
    """Terminals in the order Lark's lexer tries them (lark.lexer's sort key)."""
    return sorted(terminals, key=lambda t: (-t.priority, -t.pattern.max_width,
                                            -len(t.pattern.value), t.name))


def _reduction(rule) -> tuple:
    """A reduction by ``rule``, as the parser's loop runs it (an entry of RULES)."""
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
    return (size, kind, method, str(rule.origin.name), plan if any(plan) else None, expand1)


def _numbering(table) -> dict:
    """Lark's state ids -> ids breadth-first from the start, symbols in sorted order."""
    from lark.parsers.lalr_analysis import Shift
    start = table.start_states["start"]
    order, seen = [start], {start}
    for state in order:                      # grows while it is read: a breadth-first walk
        actions = table.states[state]
        for symbol in sorted(actions, key=str):
            action, arg = actions[symbol]
            if action is Shift and arg not in seen:
                seen.add(arg)
                order.append(arg)
    missing = set(table.states) - seen
    if missing:
        raise SystemExit(f"states unreachable from the start: {sorted(missing)}")
    return {old: new for new, old in enumerate(order)}


def build(grammar: str, lark=None) -> dict:
    """The tables of ``grammar`` as plain data (ints, strings, tuples, dicts).

    ``lark`` may be a Lark LALR parser of the same grammar already built (with
    ``strict=True``, so that no conflict was resolved silently).
    """
    from lark import Lark
    from lark.parsers.lalr_analysis import Shift
    if lark is None:
        lark = Lark(grammar, parser="lalr", lexer="contextual", maybe_placeholders=False,
                    strict=True)
    elif not lark.options.strict:
        raise ValueError("the tables are built from a strict Lark parser only")
    frontend = lark.parser
    table = frontend.parser.parser.parse_table
    number = _numbering(table)
    contexts: dict[tuple, int] = {}
    patterns: list[tuple] = []

    def context(terminals) -> int:
        ordered = _lark_order(terminals)
        key = tuple(t.name for t in ordered)
        if key not in contexts:
            contexts[key] = len(patterns)
            patterns.append(tuple((str(t.name), str(t.pattern.to_regexp())) for t in ordered))
        return contexts[key]

    every = list(lark.terminals)
    expression = context([t for t in every if t.name not in SHAPE_TERMINALS])
    root = context(every)
    states: list = [None] * len(number)
    lexing: list = [None] * len(number)
    rules: dict[tuple, int] = {}
    for old in sorted(table.states, key=number.get):
        actions = table.states[old]
        line = []
        for symbol in sorted(actions, key=str):
            action, arg = actions[symbol]
            if action is Shift:
                line.append(f"{symbol}>{number[arg]}")
            else:
                rule = rules.setdefault(_reduction(arg), len(rules))
                line.append(f"{symbol}<{rule}")
        states[number[old]] = f"{number[old]}: " + " ".join(line)
        accepted = frontend.lexer.lexers[old].terminals
        shape = any(t.name in SHAPE_TERMINALS for t in accepted)
        lexing[number[old]] = context(accepted) if shape else expression
    return {
        "GRAMMAR_CRC32": grammar_checksum(grammar),
        "START": number[table.start_states["start"]],
        "END": number[table.end_states["start"]],
        "ROOT": root,
        "IGNORE": tuple(sorted(str(i) for i in lark.lexer_conf.ignore)),
        "PATTERNS": tuple(patterns),
        "LEXING": tuple(lexing),
        "RULES": tuple(rules),
        "STATES": "\n".join(states),
    }


def without_backslash(pattern: str) -> str:
    """``pattern`` with every alternative that begins with a literal backslash (``\\\\``)
    removed, in every alternation: on a text with no backslash it matches exactly what
    ``pattern`` matches (such an alternative cannot match there, and the others keep their
    order). An alternation left empty becomes ``(?!)``, which never matches."""
    out, i = _alternation(pattern, 0)
    if i != len(pattern):
        raise ValueError(f"unbalanced pattern at {i}: {pattern!r}")
    return out


def _alternation(p: str, i: int) -> tuple[str, int]:
    """The alternatives from ``i`` to the ``)`` that closes them (or the end), reduced."""
    kept, branch = [], []
    while i < len(p) and p[i] != ")":
        if p[i] == "|":
            kept.append("".join(branch))
            branch = []
            i += 1
            continue
        piece, i = _atom(p, i)
        branch.append(piece)
    kept.append("".join(branch))
    alive = [b for b in kept if not _needs_backslash(b)]
    if not alive:
        return "(?!)", i
    return "|".join(alive), i


def _needs_backslash(branch: str) -> bool:
    """Does the alternative begin with a literal backslash that it must match (not one made
    optional by ``?``, ``*`` or ``{0,…}``)?"""
    return branch.startswith("\\\\") and not branch[2:3] in ("?", "*", "{")


def _atom(p: str, i: int) -> tuple[str, int]:
    c = p[i]
    if c == "\\":
        return p[i:i + 2], i + 2
    if c == "[":
        j = i + 1
        if j < len(p) and p[j] == "^":
            j += 1
        if j < len(p) and p[j] == "]":
            j += 1
        while p[j] != "]":
            j += 2 if p[j] == "\\" else 1
        return p[i:j + 1], j + 1
    if c == "(":
        j = i + 1
        head = "("
        if p.startswith("?", j):
            # (?:  (?P<name>  (?=  (?!  (?<=  (?<!
            for prefix in ("?:", "?=", "?!", "?<=", "?<!"):
                if p.startswith(prefix, j):
                    head += prefix
                    j += len(prefix)
                    break
            else:
                if p.startswith("?P<", j):
                    k = p.index(">", j)
                    head += p[j:k + 1]
                    j = k + 1
                else:
                    raise ValueError(f"unknown group at {i}: {p[i:i + 10]!r}")
        inner, j = _alternation(p, j)
        if j >= len(p) or p[j] != ")":
            raise ValueError(f"unclosed group at {i}")
        if head in ("(?=", "(?!", "(?<=", "(?<!"):
            # a lookaround's alternatives are kept as they are: it may look at other text
            inner = _raw_group(p, i)[len(head):-1]
        return head + inner + ")", j + 1
    return c, i + 1


def _raw_group(p: str, i: int) -> str:
    depth, j = 0, i
    while True:
        c = p[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            _, j = _atom(p, j)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return p[i:j + 1]
        j += 1


HEADER = '''"""The parser's tables: GENERATED by tools/build_tables.py from grammar/notation.lark.

Do not edit: after changing the grammar, run `python tools/build_tables.py`.
The format is described in that script's docstring; notation/parser.py runs them.
"""

# fmt: off
'''


def render(grammar: str, lark=None) -> str:
    """The text of notation/_tables.py for ``grammar`` (``lark`` as for :func:`build`)."""
    data = build(grammar, lark)
    lines = [HEADER, f"UNIT, CALL, INLINE = {UNIT}, {CALL}, {INLINE}   # reduction kinds\n"]
    for name in ("GRAMMAR_CRC32", "START", "END", "ROOT", "IGNORE"):
        lines.append(f"{name} = {data[name]!r}\n")
    lines.append("PATTERNS = (\n")
    for i, terminals in enumerate(data["PATTERNS"]):
        lines.append(f"    (  # context {i}\n")
        lines.extend(f"        {entry!r},\n" for entry in terminals)
        lines.append("    ),\n")
    lines.append(")\n")
    lines.append("# PATTERNS with every alternative that must begin with a backslash removed\n"
                 "# (without_backslash): the same tokens on a text that has no backslash, and a\n"
                 "# fraction of the patterns to compile.\n")
    lines.append("PLAIN_PATTERNS = (\n")
    for i, terminals in enumerate(data["PATTERNS"]):
        lines.append(f"    (  # context {i}\n")
        lines.extend(f"        {(name, without_backslash(regex))!r},\n" for name, regex in terminals)
        lines.append("    ),\n")
    lines.append(")\n")
    lines.extend(_render_firsts(data["PATTERNS"]))
    lines.append(f"LEXING = {pprint.pformat(data['LEXING'], width=100, compact=True)}\n")
    lines.append("RULES = (   # size, kind, method, origin, plan, expand1\n")
    lines.extend(f"    {rule!r},  # {i}\n" for i, rule in enumerate(data["RULES"]))
    lines.append(")\n")
    lines.append(f'STATES = """\\\n{data["STATES"]}\n"""\n')
    return "".join(lines)


def _render_firsts(patterns) -> list[str]:
    lines = ["# FIRSTS[context] = (other, ((characters, group), ...)): the terminals (indices into\n"
             "# the context's PATTERNS, in their order) that can start with each character;\n"
             "# other is the group of a character listed nowhere (tools/first_chars.py).\n"
             "FIRSTS = (\n"]
    for i, terminals in enumerate(patterns):
        other, groups = firsts(terminals)
        lines.append(f"    (  # context {i}\n        {other!r},\n        (\n")
        lines.extend(f"            {entry!r},\n" for entry in groups)
        lines.append("        ),\n    ),\n")
    lines.append(")\n")
    return lines


def read_grammar() -> str:
    with open(GRAMMAR, encoding="utf-8") as f:
        return f.read()


def main(argv=None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    args.add_argument("--check", action="store_true",
                      help="do not write: exit 1 if notation/_tables.py is stale")
    check = args.parse_args(argv).check
    text = render(read_grammar())
    try:
        with open(OUTPUT, encoding="utf-8") as f:
            current = f.read()
    except FileNotFoundError:
        current = None
    if check:
        if current != text:
            print(f"{OUTPUT} is stale: run `python tools/build_tables.py`", file=sys.stderr)
            return 1
        return 0
    if current != text:
        with open(OUTPUT, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {os.path.relpath(OUTPUT)}")
    else:
        print(f"{os.path.relpath(OUTPUT)} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
