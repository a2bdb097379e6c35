"""Where a Python node is in the source: ast's (line, UTF-8 byte column) as character offsets.

The line starts are found once; every lookup is then a slice of one line, so reading a
source of n statements costs O(n), not O(n²) (issue 16, H4: 4,000 numbers took 23 s when
each was found again by ``ast.get_source_segment``, which splits the whole source).
"""

from __future__ import annotations

import re

from ...nodes import Span


class Positions:
    """Offsets into ``text`` for ast's positions."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def offset(self, line: int | None, column: int | None, *, in_bytes: bool = True) -> int:
        if line is None:
            return 0
        line = max(1, min(line, len(self.starts)))
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        column = max(column or 0, 0)
        if in_bytes and column:
            prefix = self.text[start:min(end, start + column)]
            if not prefix.isascii():      # UTF-8 bytes are characters only in ASCII
                column = len(self.text[start:end].encode("utf-8", "surrogatepass")[:column]
                             .decode("utf-8", "ignore"))
        return min(start + column, end)

    def span(self, node) -> Span:
        start = self.offset(getattr(node, "lineno", None), getattr(node, "col_offset", None))
        end = self.offset(getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None))
        return Span(start, max(start, end))

    def segment(self, node) -> str:
        """The source text of a node (``ast.get_source_segment`` without re-splitting)."""
        span = self.span(node)
        return self.text[span.start:span.end]

    def line_and_column(self, node) -> tuple[int, int]:
        """1-based line and character column of a node, for messages."""
        line = getattr(node, "lineno", 1) or 1
        start = self.offset(line, getattr(node, "col_offset", 0))
        return line, start - self.starts[min(line, len(self.starts)) - 1] + 1
