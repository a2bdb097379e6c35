"""LaTeX -> tree (SPEC §5): through the one grammar, which reads LaTeX's spellings (§1).

A formula (``l_{2} = \\operatorname{relu}\\left(l_{0} W_{0}\\right) W_{1}``, an ``aligned``
block, ``$…$``) is parsed as it is. A whole document (one with ``\\begin{document}``, such
as ``notation latex --document`` writes) is first reduced to its display math — ``\\[ \\]``,
``$$ $$`` and the ``equation``, ``align``, ``gather`` and ``multline`` environments, starred or
not — with ``\\label``, ``\\tag``, ``\\nonumber`` and ``\\notag`` dropped. Everything else is
blanked out with spaces rather than cut, so errors point at the right line and column of
the file.
"""

from __future__ import annotations

import re

from ..errors import NotationError, NotationSyntaxError
from ..nodes import Program, Span
from ..parser import parse

_DISPLAY = re.compile(
    r"\\\[(?P<a>.*?)\\\]"
    r"|\$\$(?P<b>.*?)\$\$"
    r"|\\begin\{(?P<env>equation|align|gather|multline|displaymath|eqnarray)(?P<star>\*?)\}"
    r"(?P<c>.*?)\\end\{(?P=env)(?P=star)\}",
    re.S)
_FURNITURE = re.compile(r"\\(?:label|tag)\*?\s*\{[^{}]*\}|\\(?:nonumber|notag)(?![A-Za-z])")
_BEGIN = "\\begin{document}"
_END = "\\end{document}"


def from_latex(text: str) -> Program:
    """Read LaTeX back into the notation: a formula, or the display math of a document.

    >>> from_latex(r"l_{2} = \\operatorname{relu}\\left(l_{0} W_{0}\\right) W_{1}").algebra()
    'l2 = relu(l0W0)W1'
    """
    if not isinstance(text, str):
        raise TypeError(f"from_latex() takes the text as a str, not {type(text).__name__}")
    if _BEGIN not in text:
        return parse(text)
    masked = display_math(text)
    try:
        program = parse(masked)
    except NotationError as e:
        e.source = text            # same offsets: the errors point into the file itself
        raise e from None
    return Program(program.statements, source=text)


def display_math(text: str) -> str:
    """The document with everything but the contents of its display math blanked out.

    Each block ends with ``;``, so that two blocks are two statements.
    """
    start = text.index(_BEGIN) + len(_BEGIN)
    end = text.find(_END, start)
    end = len(text) if end < 0 else end
    out = [c if c in "\r\n" else " " for c in text]
    found = False
    for m in _DISPLAY.finditer(text, start, end):
        group = next(g for g in ("a", "b", "c") if m.group(g) is not None)
        a, b = m.span(group)
        content = _FURNITURE.sub(lambda f: " " * len(f.group()), text[a:b])
        out[a:b] = list(content)
        out[b] = ";"
        found = True
    if not found:
        raise NotationSyntaxError(
            "the document has no display math to read", Span(start, start), source=text,
            hint="put each formula in \\[ … \\] or an equation or align environment")
    return "".join(out)
