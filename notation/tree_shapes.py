"""The tree builder's rules for a declaration's shape (``l0 : b×3``, ``α ∈ ℝ``,
``W ∈ ℝ^{3×4}``): each returns ``(dims, end offset)``, which ``TreeBuilder.declare``
(notation/tree_builder.py) makes a Declare of.
"""

from __future__ import annotations

from .errors import NotationSyntaxError
from .name_tokens import name_token
from .nodes import Span
from .tree_pieces import Dims, kind


class ShapeRules:
    """The methods of the grammar's shape rules (a part of ``TreeBuilder``)."""

    def shape(self, c):
        first, last = c[0], c[-1]
        if kind(first) == "SCALAR":
            return (), first.end_pos
        dims = next((x for x in c if isinstance(x, Dims)), None)
        if dims is None:
            if kind(last) == "REALS":
                return (), last.end_pos          # α ∈ ℝ
            dims = Dims((self._dim(last),), last.start_pos, last.end_pos)  # ℝ^3
        start = first.start if isinstance(first, Dims) else first.start_pos
        end = last.end if isinstance(last, Dims) else last.end_pos
        if len(dims.dims) > 2:
            raise NotationSyntaxError(
                f"a shape has at most two dimensions, and this one has {len(dims.dims)}",
                Span(start, end), label=f"{len(dims.dims)} dimensions",
                hint="every value is a scalar or a 2-D array: batch × units, or inputs × outputs")
        return dims.dims, end

    def dims(self, c):
        return Dims(tuple(self._dim(t) for t in c if t.type not in ("DIMSEP", "COMMA")),
                    c[0].start_pos, c[-1].end_pos)

    @staticmethod
    def _dim(tok):
        if tok.type == "INT":
            digits = str(tok).lstrip("0") or "0"
            if len(digits) > 18:
                raise NotationSyntaxError(
                    f"the dimension {digits[:20]}… is too large", Span(tok.start_pos, tok.end_pos),
                    hint="a dimension is a whole number below 10^18, or a symbol such as b")
            return int(digits)  # never int() of the raw text: 5,000 zeros is a short number
        return name_token(tok)
