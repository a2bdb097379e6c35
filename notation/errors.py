"""One error family for everything the user can get wrong (SPEC §6).

Every error carries the source, the span at fault, a message that says what is wrong, a
hint that says what would fix it, and any further labelled spans; ``str(error)`` is the
rendered block with line, column and carets:

    error: unclosed parenthesis
      --> line 1, column 10
       |
     1 | l2 = relu(l0W0
       |          ^ this ( is never closed
       = add ')' after l0W0
"""

from __future__ import annotations

import bisect
import functools
from .nodes import Span
from .records import Record, set_field


class Label(Record):
    """A further span of an error, with the words printed under its carets."""

    __slots__ = __match_args__ = ("span", "text")

    def __init__(self, span: Span, text: str = ""):
        set_field(self, "span", span)
        set_field(self, "text", text)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.span, self.text) == (other.span, other.text)
        return NotImplemented

    def __hash__(self):
        return hash((self.span, self.text))

    def __repr__(self):
        return f"Label(span={self.span!r}, text={self.text!r})"


class NotationError(Exception):
    """Anything wrong with the user's input. ``str(e)`` is the full rendered message."""

    kind = "error"

    def __init__(self, message: str, span: Span | None = None, *, hint: str | None = None,
                 label: str = "", labels: tuple[Label, ...] = (), source: str | None = None):
        super().__init__(message)
        self.message = message
        self.span = span
        self.hint = hint
        self.label = label
        self.labels = tuple(labels)
        self.source = source

    def with_source(self, source: str) -> "NotationError":
        """Attach the text the spans point into (errors raised deep inside lack it)."""
        if self.source is None:
            self.source = source
        return self

    @property
    def line(self) -> int | None:
        if self.span is None or self.source is None:
            return None
        return line_and_column(self.source, self.span.start)[0]

    @property
    def column(self) -> int | None:
        if self.span is None or self.source is None:
            return None
        return line_and_column(self.source, self.span.start)[1]

    def render(self) -> str:
        return render(self)

    def __str__(self) -> str:
        return self.render()


class NotationSyntaxError(NotationError):
    """The text does not follow the grammar."""


class NotationNameError(NotationError):
    """A word, function or name that the notation does not know."""


class NotationShapeError(NotationError):
    """Shapes that do not fit together."""


class NotationTranslationError(NotationError):
    """A construct that cannot be carried from one view into another."""


class NotationRunError(NotationError):
    """Values that the shapes allow but the computation cannot take: a division by zero,
    an update of a read-only array (compiled code and ``notation run``)."""


class NotationOptionError(NotationError, ValueError, TypeError):
    """An argument of the API or an option of the CLI that is none of its values
    (``sizes="0"``, ``style="x"``, ``parse(5)``, ``lr=[1]``). It is also a ValueError and a
    TypeError, the errors Python gives a bad argument, so either ``except`` catches it; the
    CLI reports it as bad usage (exit status 2)."""


class NotationWarning(UserWarning):
    """Text the tool read one way where another reading was plausible (SPEC §1, §6).

    Rendered as an error is, with ``warning:`` in front; issued with Python's ``warnings``
    module and kept on the program (``Program.warnings``). ``parse(..., strict=True)`` and
    the CLI's ``--strict`` raise :meth:`error` instead.
    """

    kind = "warning"

    def __init__(self, message: str, span: Span | None = None, *, hint: str | None = None,
                 label: str = "", labels: tuple[Label, ...] = (), source: str | None = None,
                 code: str = ""):
        super().__init__(message)
        self.message, self.span, self.hint = message, span, hint
        self.label, self.labels, self.source = label, tuple(labels), source
        self.code = code           # a short name for the kind of warning (docs/language.md)

    def with_source(self, source: str) -> "NotationWarning":
        if self.source is None:
            self.source = source
        return self

    line = NotationError.line
    column = NotationError.column

    def error(self) -> NotationError:
        """The same finding as an error (``--strict``)."""
        return NotationSyntaxError(self.message, self.span, hint=self.hint, label=self.label,
                                   labels=self.labels, source=self.source)

    def render(self) -> str:
        return render(self, "warning")

    def __str__(self) -> str:
        return self.render()


# ---------------------------------------------------------------------------- rendering

def line_and_column(source: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of an offset.

    The line starts of the last few sources are kept: a plan or a diagram names the line of
    every step, and counting the newlines before each was quadratic in the lines."""
    offset = max(0, min(offset, len(source)))
    if len(source) < 4096:
        line = source.count("\n", 0, offset) + 1
        start = source.rfind("\n", 0, offset) + 1
        return line, offset - start + 1
    starts = _line_starts(source)
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


@functools.lru_cache(maxsize=4)
def _line_starts(source: str) -> list[int]:
    starts = [0]
    find = source.find
    i = find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return starts


def _line_text(source: str, line: int) -> str:
    lines = source.split("\n")
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    # Tabs and carriage returns would shift the carets; show each as one space.
    return text.replace("\t", " ").replace("\r", " ")


# A control character in the source (an escape sequence in a comment) would reach the
# user's terminal and act there: it is shown as its Control Pictures sign (␛ for ESC), one
# column wide, so the carets stay in place. C1 controls and the bidirectional overrides,
# which reorder what the terminal shows, are shown as �.
_VISIBLE = {c: 0x2400 + c for c in range(0x20)}
_VISIBLE[0x7f] = 0x2421
_VISIBLE.update({c: 0xfffd for c in range(0x80, 0xa0)})
_VISIBLE.update({c: 0xfffd for c in (*range(0x202a, 0x202f), *range(0x2066, 0x206a))})


def visible(text: str) -> str:
    """``text`` with control characters shown as signs, safe to print on a terminal."""
    return text.translate(_VISIBLE)


_MAX_SHOWN = 72  # characters of a long source line shown around the caret


def render(error, prefix: str = "error") -> str:
    out = [f"{prefix}: {error.message}"]
    labels = list(error.labels)
    if error.span is not None:
        labels.insert(0, Label(error.span, error.label))
    if error.source is not None and labels:
        positioned = []
        for lab in labels:
            line, col = line_and_column(error.source, lab.span.start)
            end_line, end_col = line_and_column(error.source, lab.span.end)
            text = _line_text(error.source, line)
            width = (end_col - col) if end_line == line else (len(text) - col + 1)
            positioned.append((line, col, max(width, 1), lab.text))
        first_line, first_col = positioned[0][0], positioned[0][1]
        gutter = len(str(max(p[0] for p in positioned)))
        pad = " " * gutter
        out.append(f"{pad} --> line {first_line}, column {first_col}")
        out.append(f"{pad}  |")
        by_line: dict[int, list] = {}
        for p in sorted(positioned, key=lambda p: (p[0], p[1])):
            by_line.setdefault(p[0], []).append(p)
        for line, marks in by_line.items():
            src = _line_text(error.source, line)
            # A very long line (a 10 MB program on one line) is cut to a window around the
            # first caret on it.
            shift = 0
            if len(src) > _MAX_SHOWN:
                begin = max(0, min(marks[0][1] - 1 - _MAX_SHOWN // 3, len(src) - _MAX_SHOWN))
                src = (("…" if begin else "") + src[begin:begin + _MAX_SHOWN]
                       + ("…" if begin + _MAX_SHOWN < len(src) else ""))
                shift = begin - (1 if begin else 0)
            out.append(f" {line:>{gutter}} | {src}")
            for _, col, width, text in marks:
                at = max(col - 1 - shift, 0)
                carets = " " * at + "^" * max(1, min(width, len(src) - at + 1))
                out.append(f"{pad}  | {carets}" + (f" {text}" if text else ""))
    if error.hint:
        out.append(f"{pad if error.source is not None and labels else ' '}  = {error.hint}")
    return "\n".join(visible(line) for line in "\n".join(out).split("\n"))
