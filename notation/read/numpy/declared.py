"""What the source says about shapes: declarations written as comments (``# weights_0_1 :
3×4``), and how many rows an argument has, for ``np.outer`` (``aᵀb`` only for single rows).
A mixin of :class:`.reader.Reader`.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize

from ...errors import NotationError
from ...nodes import Declare, Name, Span
from .names import is_rows, key, one_row
from .syntax import dotted, unparse

_COMMENT_DECLARATION = re.compile(r"#\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?::|∈)\s*(\S[^#;]*?)\s*\Z")


class Declared:
    # -- np.outer(a, b): aᵀb only where a and b are single rows
    def outer(self, node: ast.Call) -> None:
        """NumPy's outer flattens its arguments, so ``np.outer(a, b)`` is ``aᵀb`` only for
        single rows: refused where a declaration says an argument has more rows, warned
        (located) where nothing says how many."""
        if getattr(node, "single_rows", False) or len(node.args) != 2:
            return
        rows = [self.rows(a) for a in node.args]
        for arg, count in zip(node.args, rows):
            if count not in (None, 1):
                raise self.error(
                    f"np.outer({unparse(node.args[0])}, {unparse(node.args[1])}) flattens "
                    f"{unparse(arg)}, declared with {count} rows: it is not the product aᵀb, "
                    f"which sums the outer products of the rows", arg,
                    label=f"{count} rows", hint=f"write {unparse(node.args[0])}.T.dot("
                    f"{unparse(node.args[1])}) for aᵀb, or give np.outer single rows")
        if None in rows:
            unknown = [unparse(a) for a, r in zip(node.args, rows) if r is None]
            self.outer_warnings.append((
                f"np.outer({unparse(node.args[0])}, {unparse(node.args[1])}) at line "
                f"{node.lineno} is read as aᵀb, which is the same only for single rows (NumPy's "
                f"outer flattens a batch of rows); nothing says how many rows "
                f"{' and '.join(unknown)} {'has' if len(unknown) == 1 else 'have'}: declare one "
                f"row (# name : 1×n), or write a.T.dot(b)", node))

    def value_rows(self, node):
        """1 where a value is one row because what it is computed from is (elementwise
        operations, a product x.dot(W), a function of one argument), else None. Without
        recursion: a long chain of sums is one deep ast."""
        stack = [node]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Constant):
                continue
            if isinstance(node, ast.UnaryOp):
                stack.append(node.operand)
            elif isinstance(node, ast.BinOp):
                stack.extend([node.left] if isinstance(node.op, ast.MatMult)
                             else [node.left, node.right])
            elif isinstance(node, ast.Call):
                first = (node.func.value if isinstance(node.func, ast.Attribute)
                         and node.func.attr == "dot" and not self.numpy_function_name(node.func)
                         else node.args[0] if node.args
                         and (dotted(node.func) or "").rsplit(".", 1)[-1] != "outer" else None)
                if first is None:
                    return None
                stack.append(first)
            elif self.rows(node) != 1:
                return None
        return 1

    def numpy_function_name(self, func) -> bool:
        return isinstance(func.value, ast.Name) and func.value.id in self.numpy_names

    def rows(self, node):
        """How many rows an argument has, as far as the source says (1, a count, or None)."""
        k = key(node)
        if k is None:
            return None
        if self.single.get(k):
            return 1
        if is_rows(node):
            return 1 if one_row(node) else None
        binding = self.cells.bindings.get(k)
        if binding is not None and (binding.kind == "scalar" or binding.single):
            return 1
        name = self.legend.resolve_key(k) or (self.scheme.notation(k)
                                              if isinstance(node, ast.Name) else None)
        if name is None:
            return None
        name = Name(name.letter, name.sub)
        if self.declared.get(name) is True:
            return 1                           # a scalar
        dims = self.dims.get(name)
        if not dims:
            return None
        return 1 if dims[0] == 1 else (dims[0] if isinstance(dims[0], int) else _show_dim(dims[0]))

    # -- declarations written as comments
    def comment_declarations(self, excluded):
        out = []
        if "#" not in self.source:      # no comment to read: no tokenizing the whole source
            return out
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(self.source).readline))
        except (tokenize.TokenError, SyntaxError, ValueError):
            return out
        lines = self.source.splitlines()
        for tok in tokens:
            if tok.type != tokenize.COMMENT:
                continue
            row, col = tok.start
            if any(a <= row <= b for a, b in excluded):
                continue
            if row - 1 < len(lines) and lines[row - 1][:col].strip():
                continue           # a comment after code on its line is only a comment
            declaration = self.declaration(tok.string, self.positions.offset(row, col, in_bytes=False))
            if declaration is not None:
                out.append((row, declaration))
                self.declared[declaration.target] = not declaration.dims
                self.dims[declaration.target] = declaration.dims
        return out

    def declaration(self, comment: str, start: int) -> Declare | None:
        m = _COMMENT_DECLARATION.match(comment)
        if not m:
            return None
        found = self.legend.resolve_key(m.group(1)) or self.scheme.notation(m.group(1))
        if found is None:
            return None
        from ...parser import parse
        try:
            statements = parse(f"x : {m.group(2)}").statements
        except NotationError:
            return None            # a comment that is not a declaration
        if len(statements) != 1 or not isinstance(statements[0], Declare):
            return None
        span = Span(start, start + len(comment))
        return Declare(Name(found.letter, found.sub, span), statements[0].dims, span)


def _show_dim(dim) -> str:
    from ...emit.algebra import algebra
    return algebra(dim) if isinstance(dim, Name) else str(dim)
