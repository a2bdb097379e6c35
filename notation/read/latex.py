"""LaTeX -> tree (SPEC §5): through the one grammar, which reads LaTeX's spellings (§1).

A formula (``l_{2} = \\operatorname{relu}\\left(l_{0} W_{0}\\right) W_{1}``, an ``aligned``
block, ``$…$``) is parsed as it is. A whole document (one with ``\\begin{document}``, such
as ``notation latex --document`` writes) is first reduced to its math — ``\\[ \\]``, ``$$ $$``, ``$ $``, ``\\( \\)`` and
the ``equation``, ``align``, ``aligned``, ``gather`` and ``multline`` environments, starred or
not — with ``\\label``, ``\\tag``, ``\\nonumber`` and ``\\notag`` dropped. Everything else is
blanked out with spaces rather than cut, so errors point at the right line and column of
the file.
"""

from __future__ import annotations

import re

from ..errors import NotationError, NotationSyntaxError
from ..nodes import Program, Span
from ..parser import check_length, parse
from . import DOCUMENT_BEGIN

_ENVS = "equation|align|aligned|gather|multline|displaymath|eqnarray|math"
# Every delimiter of math in one pattern, found in one left-to-right pass (linear in the
# text: an unclosed \begin{equation} is one error, not a scan to the end per opening).
# An escaped \$ and a % comment are matched so that they are skipped.
_DELIMITER = re.compile(
    r"\\\\|\\[$%]"
    r"|%[^\n]*"
    r"|\\\[|\\\]|\\\(|\\\)|\$\$|\$"
    r"|\\(?P<kind>begin|end)\{(?P<env>" + _ENVS + r")(?P<star>\*?)\}")
# Inline math in prose mostly mentions a name ("where $l_0$ is the input"): it is read only
# when it states something (an assignment, an update or a declaration).
_INLINE = ("$", "\\(")
_STATES = re.compile(r"=|\\leftarrow|\\gets|\\in(?![A-Za-z])|:")
_CLOSER = {"\\[": "\\]", "\\(": "\\)", "$$": "$$", "$": "$"}
_FURNITURE = re.compile(r"\\(?:label|tag)\*?\s*\{[^{}]*\}|\\(?:nonumber|notag)(?![A-Za-z])")
# The spacing of a line break, \\[2pt]: the break stays, its argument goes.
_BREAK_SPACING = re.compile(r"(?<=\\\\)\[[^\]\n]*\]")
_BEGIN = DOCUMENT_BEGIN
_END = "\\end{document}"


def from_latex(text: str, *, strict: bool = False, functions: dict[str, str] | None = None
               ) -> Program:
    """Read LaTeX back into the notation: a formula, or the display math of a document.

    >>> from_latex(r"l_{2} = \\operatorname{relu}\\left(l_{0} W_{0}\\right) W_{1}").algebra()
    'l2 = relu(l0W0)W1'
    """
    if not isinstance(text, str):
        raise TypeError(f"from_latex() takes the text as a str, not {type(text).__name__}")
    if _BEGIN not in text:
        return parse(text, strict=strict, functions=functions)
    check_length(text)          # before the document is scanned: a cut one is not unclosed
    masked = display_math(text)
    try:
        program = parse(masked, strict=strict, functions=functions)
    except NotationError as e:
        e.source = text            # same offsets: the errors point into the file itself
        raise e from None
    for w in program.warnings:
        w.source = text            # as errors: they point into the file itself
    return Program(program.statements, source=text, warnings=program.warnings,
                   strict=program.strict)


def display_math(text: str) -> str:
    """The document with everything but the contents of its math blanked out.

    Each block ends with ``;``, so that two blocks are two statements. One pass over the
    delimiters: an environment, ``\\[``, ``$$`` or ``$`` opened and never closed is an error
    at the opening, and whatever is inside a block (an ``aligned`` in an ``equation``) is
    the block's.
    """
    start = text.index(_BEGIN) + len(_BEGIN)
    end = text.find(_END, start)
    end = len(text) if end < 0 else end
    out = [c if c in "\r\n" else " " for c in text]
    found = False
    opened = None           # (closing delimiter, where the content starts, the opening match)
    for m in _DELIMITER.finditer(text, start, end):
        token = m.group()
        if token[0] == "%" or token in ("\\\\", "\\$", "\\%"):
            continue
        if opened is None:
            if m.group("kind") == "begin":
                opened = (f"\\end{{{m.group('env')}{m.group('star')}}}", m.end(), m)
            elif token in _CLOSER:
                opened = (_CLOSER[token], m.end(), m)
            # a stray closer outside math is LaTeX's business, not the notation's
            continue
        if token != opened[0]:
            continue
        a, b = opened[1], m.start()
        if opened[2].group() in _INLINE and not _STATES.search(text, a, b):
            opened = None
            continue
        content = _FURNITURE.sub(lambda f: " " * len(f.group()), text[a:b])
        content = _BREAK_SPACING.sub(lambda f: " " * len(f.group()), content)
        out[a:b] = list(content)
        out[b] = ";"
        found = True
        opened = None
    if opened is not None:
        closer, _, m = opened
        raise NotationSyntaxError(
            f"{m.group()} is never closed", Span(m.start(), m.end()), source=text,
            hint=f"close it with {closer}")
    if not found:
        raise NotationSyntaxError(
            "the document has no formula to read", Span(start, start), source=text,
            hint="put each formula in \\[ … \\], $ … $ or an equation or align environment "
                 "(inline math that only names something, as $x$ does, is prose)")
    return "".join(out)
