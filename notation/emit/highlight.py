"""The page's highlighting: the NumPy section's Python (as ``tokenize`` reads it, by one
regular expression where that reads the same) and the LaTeX section's commands, escaped for
HTML. ``tests/test_html_page.py`` checks the fast paths against tokenize's reading.

>>> print(highlight_latex(r"\\sigma(x) < 1"))
<span class='tex'>\\sigma</span>(x) &lt; 1
"""

from __future__ import annotations

import io
import keyword
import re
import tokenize
from html import escape


# The tokens highlight_python marks, as Python's tokenize reads them: its own patterns for
# numbers and one-line strings, tried in its order (comment, number, string, name), and
# whether a name is called (the next token is "(": only spaces between, on the same line).
_TOKEN = re.compile("|".join((
    r"(?P<com>#[^\r\n]*)",
    r"(?P<ellipsis>\.\.\.)",          # one operator: "...5" is ... then 5, not .. then .5
    f"(?P<num>{tokenize.Number})",
    f"(?P<str>{tokenize.String})",
    r"(?P<name>\w+)(?P<call>(?=[ \f\t]*\())?")))
# What only tokenize reads right: a continued line, a string of three quotes, an indented
# line (IndentationError), a tab, a form feed, and the line ends other than "\n" (where
# str.splitlines breaks and tokenize does not).
_ESCAPED = re.compile("[&<>\"']")
_SLOW = re.compile("\\\\|'''|\"\"\"|\n |^ |[\r\t\f\v\x1c-\x1e\x85\u2028\u2029]")


# Where the code is ASCII and has no string and no comment (the NumPy view of most
# programs), only numbers, keywords and calls are marked, and everything between two of
# them is copied as it is: one match (and one call of Python) per marked token, not one per
# token. ``pre`` is the text before the marked token: characters that start no token tokenize
# marks (a "." starts a number only before a digit, and not in "...") and whole names that are no keyword and
# not called. Every position is then either in ``pre`` or at a marked token, so a match
# never fails (the end of the text is the last "token") and nothing is scanned twice.
_KEYWORDS = "|".join(sorted(keyword.kwlist, key=len, reverse=True))
_MARKED = re.compile(
    r"(?P<pre>(?:[^\w.]|\.\.\.|\.(?![0-9])"
    rf"|(?!(?:{_KEYWORDS})(?!\w))[A-Za-z_]\w*(?!\w)(?![ \f\t]*\())*)"
    f"(?:(?P<num>{tokenize.Number})|(?P<call>[A-Za-z_]\\w*)(?=[ \f\t]*\\()"
    rf"|(?P<kw>{_KEYWORDS})(?!\w)|\Z)")
_NOT_PLAIN = re.compile("[#'\"]")


def highlight_python(code: str) -> str:
    """Python source as HTML with spans for keywords, numbers, strings, comments, calls."""
    if _SLOW.search(code) is None:
        if code.isascii() and _NOT_PLAIN.search(code) is None:
            fast = _highlight_marked(code)
        else:
            fast = _highlight_lines(code)
        if fast is not None:
            return fast
    return _highlight_tokens(code)


def _highlight_marked(code: str) -> str | None:
    """_highlight_lines of ASCII code with no string and no comment, one match per marked
    token (``_MARKED``). None where a bracket is left open or closed too often."""
    if _depth(code):
        return None
    if _ESCAPED.search(code):      # no quote here: escape makes &lt; &gt; &amp;, no token
        code = escape(code)        # tokenize marks ("lt" is a name before ";", not called)
    return _MARKED.sub(_marked, code)


def _marked(m) -> str:
    kind = m.lastgroup
    if kind == "pre" or kind is None:        # the end of the text
        return m.group()
    text = m.group(kind)
    if kind == "call":
        kind = "kw" if keyword.iskeyword(text) else "fn"
    return f"{m.group('pre')}<span class='{kind}'>{text}</span>"


def _highlight_lines(code: str) -> str | None:
    """highlight_python of unindented one-line statements, as the NumPy view writes them:
    one scan with a regular expression instead of tokenize's (several times faster). None
    where only tokenize would answer as tokenize does: a bracket left open or closed too
    often (its TokenError, and then nothing is highlighted), a name that is no identifier."""
    out: list[str] = []
    append = out.append
    pos = 0
    depth = _depth(code)          # brackets in strings and comments are taken off below
    iskeyword = keyword.iskeyword
    # Most code has nothing to escape (escape is done character by character, so a piece
    # escaped alone is the same as escaped in place), nor a name other than ASCII.
    esc = escape if _ESCAPED.search(code) else str
    ascii = code.isascii()
    for m in _TOKEN.finditer(code):
        start = m.start()
        if start > pos:
            append(esc(code[pos:start]))
        text = m.group()
        kind = m.lastgroup
        pos = m.end()
        if kind == "ellipsis":
            append(text)
        elif kind == "name":
            if not ascii and not (text.isascii() and text.isidentifier()):
                return None
            append(f"<span class='kw'>{text}</span>" if iskeyword(text) else text)
        elif kind == "call":
            if not ascii and not (text.isascii() and text.isidentifier()):
                return None
            append(f"<span class='{'kw' if iskeyword(text) else 'fn'}'>{text}</span>")
        else:
            if kind != "num":
                depth -= _depth(text)
            append(f"<span class='{kind}'>{esc(text)}</span>")
    append(esc(code[pos:]))
    return None if depth else "".join(out)


def _depth(text: str) -> int:
    """Brackets opened less brackets closed (tokenize counts the three kinds as one)."""
    return (text.count("(") + text.count("[") + text.count("{")
            - text.count(")") - text.count("]") - text.count("}"))


def _highlight_tokens(code: str) -> str:
    """highlight_python by Python's tokenize."""
    out: list[str] = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return escape(code)
    lines = code.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    pos = 0
    for i, tok in enumerate(tokens):
        if tok.type in (tokenize.ENDMARKER,):
            break
        start = offsets[tok.start[0] - 1] + tok.start[1]
        end = offsets[tok.end[0] - 1] + tok.end[1]
        out.append(escape(code[pos:start]))
        text = escape(code[start:end])
        cls = None
        if tok.type == tokenize.NAME and keyword.iskeyword(tok.string):
            cls = "kw"
        elif tok.type == tokenize.NUMBER:
            cls = "num"
        elif tok.type == tokenize.STRING:
            cls = "str"
        elif tok.type == tokenize.COMMENT:
            cls = "com"
        elif tok.type == tokenize.NAME and i + 1 < len(tokens) and tokens[i + 1].string == "(":
            cls = "fn"
        out.append(f"<span class='{cls}'>{text}</span>" if cls else text)
        pos = end
    out.append(escape(code[pos:]))
    return "".join(out)


def highlight_latex(code: str) -> str:
    """LaTeX with its commands picked out."""
    return re.sub(r"(\\[A-Za-z]+)", r"<span class='tex'>\1</span>", escape(code))
