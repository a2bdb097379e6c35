"""The whole source -> a Reading: the program, the legend, the helpers and what was skipped."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field

from ...errors import NotationError, NotationSyntaxError, NotationTranslationError
from ...naming import Scheme
from ...nodes import (Assign, Declare, Divide, ExprStatement, MatMul, Name, Program, Span,
                      Statement, Update)
from .cells import Cells, Skipped
from .expressions import Expressions
from .helpers import BodyNames, Helpers
from .names import Binding, Legend, is_rows, key, one_row, show
from .lowering import Lowering, inlinable
from .positions import Positions
from .survey import Survey
from .syntax import CONSTRUCTS, STATEMENTS_HINT, dotted, what, unparse

_COMMENT_DECLARATION = re.compile(r"#\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?::|∈)\s*(\S[^#;]*?)\s*\Z")


@dataclass(frozen=True)
class Reading:
    """What ``read_numpy`` found: ``program`` (as ``from_numpy`` returns it), ``legend``
    (identifier → notation name, for the names the scheme does not read), the ``helpers`` read
    from the source, the ``skipped`` lines with why, ``warnings``, and the ``loss`` an error
    sum names."""

    program: Program
    legend: Legend
    helpers: tuple[str, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    warnings: tuple[str, ...] = ()
    loss: str | None = None
    notes_: tuple[str, ...] = field(default=())
    warning_spans: tuple[Span | None, ...] = ()    # where each warning points in the source
    warning_codes: tuple[tuple[str, str], ...] = ()   # (code, label) of each warning

    def numpy(self, **options) -> str:
        """The NumPy code again, with the source's own identifiers."""
        return self.program.numpy(naming=self.legend.restoring(), **options)

    def notes(self) -> list[str]:
        out = [f"legend: {k} → {n} ({w})" for k, n, w in self.legend.entries()]
        out += [f"helper {h}" for h in self.helpers]
        out += [f"skipped {s}" for s in self.skipped]
        out += [f"warning: {w}" for w in self.warnings]
        out += list(self.notes_)
        if self.loss:
            out.append(f"the error sum names the loss: {self.loss}")
        return out


class Reader:
    def __init__(self, source: str, scheme: Scheme, chosen: dict[str, Name] | None,
                 columns: bool = False, prelude=()):
        self.source = source
        self.prelude = tuple(prelude)        # definitions of a notebook's earlier cells
        self.origins: dict[str, str] = {}    # function name -> where an earlier cell defined it
        self.scheme = scheme
        self.columns = columns
        self.positions = Positions(source)
        self.numpy_names = {"np", "numpy"}
        self.helpers = Helpers()
        self.legend = Legend(scheme, chosen)
        self.declared: dict[Name, bool] = {}
        self.dims: dict[Name, tuple] = {}          # shapes declared in comments
        self.outer_warnings: list[tuple[str, object]] = []
        self.single: dict[str, bool] = {}           # assigned names known to be one row
        self.cells = Cells(self.positions, self.numpy_names)

    def span(self, node) -> Span:
        return self.positions.span(node)

    def error(self, message: str, node, *, label: str = "", hint: str | None = None):
        return NotationTranslationError(message, self.span(node), label=label, hint=hint)

    def parse(self) -> ast.Module:
        try:
            return ast.parse(self.source)
        except SyntaxError as e:
            line = e.lineno or 1
            at = self.positions.offset(line, (e.offset or 1) - 1, in_bytes=False)
            raise NotationSyntaxError(f"the Python source does not parse: {e.msg}",
                                      Span(at, at), label="Python stops here") from None
        except (ValueError, UnicodeError, OverflowError) as e:
            raise NotationSyntaxError(f"the Python source cannot be read: {e}",
                                      Span(0, len(self.source))) from None

    def read(self) -> Reading:
        module = self.parse()
        statements, excluded = self.top_level(module.body)
        step = self.cells.step(statements)
        survey = Survey(self.numpy_names, self.helpers.names(), self.columns)
        for s in step:
            survey.statement(s)
        for _, ident, index, mask in self.lowering.frozen:
            self.cells.bindings[mask] = Binding(
                "constant", f"a constant mask: 1s, with 0 at [{index}]: {mask} is {ident} ⊙ it",
                of=ident)
        self.legend.assign(survey.facts, self.cells.bindings, self.columns)
        self.frozen_deltas(step)
        declarations = self.comment_declarations(excluded)
        items: list[tuple[int, Statement]] = list(declarations)
        expressions = Expressions(self.source, self.positions, self, self.helpers,
                                  self.numpy_names, self.declared)
        for k, name in self.legend.by_key.items():
            binding = self.cells.bindings.get(k)
            scalar = k in self.legend.scalars or binding is not None and binding.kind == "scalar"
            fact = survey.facts.get(k)
            # a name of the scheme too (n, x) when the step only reads it: `rate, n = 0.5, 16`
            read_only = fact is not None and not fact.assigned and not fact.updated
            if scalar and name not in self.declared \
                    and not _greek(name) and (self.legend.why.get(k) != "scheme" or read_only):
                self.declared[name] = True
                items.append((0, Declare(name, (), None)))
        for s in step:
            statement = self.statement(s, expressions)
            if statement is not None:
                items.append((s.lineno, statement))
        if not any(not isinstance(s, Declare) for _, s in items) and not declarations:
            raise self.nothing()
        items.sort(key=lambda item: item[0])
        program = Program(tuple(s for _, s in items), source=self.source)
        put = tuple(f"{f.name}() ({self.origins.get(f.name) or f'line {f.lineno}'}) is put in "
                    f"place where it is called"
                    for f in self.lowering.functions.values() if f.name in self.lowering.used)
        return Reading(program, self.legend, tuple(self.helpers.describe()) + put,
                       tuple(sorted(self.cells.skipped, key=lambda s: s.line)),
                       tuple(w for w, _ in self.cells.warnings + self.outer_warnings),
                       self.cells.loss,
                       notes_=tuple(
                           f"line {node.lineno}: if {test}: the update is gated, read as "
                           f"{'step' if '>=' in gate else 'relu' + chr(39)}({difference}) "
                           f"times the change (1 where the condition holds)"
                           for node, test, difference in self.lowering.gated
                           for gate in [ast.unparse(node.test)]),
                       warning_spans=tuple(self.span(n) if n is not None else None
                                           for _, n in self.cells.warnings + self.outer_warnings),
                       warning_codes=(("repeated-update", "repeats the updates"),)
                       * len(self.cells.warnings)
                       + (("outer-of-rows", "single rows only"),) * len(self.outer_warnings))

    def frozen_deltas(self, step) -> None:
        """``d[0] = 0`` reads as ``d ⊙ m`` only where d is a delta or a change (δ, G): a weight
        or a layer set so is refused, as setting any other element is."""
        for node, ident, index, mask in self.lowering.frozen:
            name = self.legend.resolve_key(ident)
            if any(s is node for s in step) and (name is None or name.letter not in "δGg"):
                raise self.error(
                    f"setting one element ({ident}[{index}] = 0) changes the computation: it "
                    f"reads as a product with a constant mask only for a delta, and {ident} is "
                    f"{'not one' if name is None else show(name) + ', not a delta'}",
                    node, label="an element assigned",
                    hint="compute the whole array (multiply by a mask of 0s and 1s), or read "
                         "the step without this line")

    def nothing(self) -> NotationTranslationError:
        """No network arithmetic: say what was skipped, and where."""
        listed = [s for s in self.cells.skipped if s.why]
        end = len(self.source.rstrip())
        if not listed:
            return NotationTranslationError(
                "there is no statement to read", Span(end, end),
                hint="give NumPy code such as layer_1 = relu(layer_0.dot(weights_0_1))")
        first = min(listed, key=lambda s: s.line)
        at = self.positions.offset(first.line, 0)
        return NotationTranslationError(
            f"there is no network arithmetic to read: {first.construct} at line {first.line} is "
            f"skipped ({first.why})" + (f", and {len(listed) - 1} more line(s)" if len(listed) > 1
                                         else ""),
            Span(at, at + len(first.text)), label=first.why,
            hint="the step is the assignments and updates of the network; setup, printing, "
                 "bookkeeping and loops that update nothing are skipped")

    # -- the top level: imports, helpers, the network's function, statements
    def earlier_cells(self) -> list:
        """Take the definitions of a notebook's earlier cells; the functions to put in place."""
        functions = []
        for d in self.prelude:
            node = d.node
            if isinstance(node, ast.Import):
                self.numpy_names.update(a.asname or "numpy" for a in node.names
                                        if a.name == "numpy")
            elif isinstance(node, ast.FunctionDef):
                if not self.helpers.define_function(node, self.read_body, where=d.origin):
                    functions.append(node)
                    self.origins[node.name] = d.origin
            elif isinstance(node.value, ast.Lambda):
                self.helpers.define_lambda(d.name, node.value, self.read_body, where=d.origin)
            else:
                self.cells.bind(node)        # a constant: alpha = 0.2 is a scalar
        return functions

    def top_level(self, body):
        out, excluded, pending = [], [], []
        earlier = self.earlier_cells()
        for index, node in enumerate(body):
            if index == 0 and _docstring(node):
                continue
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == "numpy":
                        self.numpy_names.add(alias.asname or "numpy")
                self.cells.skip(node, "an import")
            elif isinstance(node, ast.ImportFrom):
                self.cells.skip(node, "an import")
            elif isinstance(node, ast.FunctionDef):
                if self.helpers.define_function(node, self.read_body):
                    excluded.append((node.lineno, node.end_lineno or node.lineno))
                    continue
                pending.append((len(out), node))
            elif isinstance(node, ast.ClassDef):
                out.extend(self.class_body(node))
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda) \
                    and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                    and self.helpers.define_lambda(node.targets[0].id, node.value, self.read_body):
                excluded.append((node.lineno, node.end_lineno or node.lineno))
            else:
                out.append(node)
        # functions the cell calls are put in place at their calls (chapters 3-5)
        called = inlinable(earlier + [f for _, f in pending] + out, lambda name: False)
        lowering = Lowering(called, self.numpy_names)
        self.lowering = lowering
        lowered = lowering.statements(out)
        for f in called.values():
            if f.name in lowering.used and f.name not in self.origins:
                excluded.append((f.lineno, f.end_lineno or f.lineno))
        # the network's function: the one not put in place (a function defined beside
        # functions that were put in place, and never called, is not the network)
        main = None
        for position, node in pending:
            if node.name in lowering.used:
                continue
            if lowering.used and node.name not in called:
                self.cells.skip(node, f"{node.name}() is defined but never called")
                excluded.append((node.lineno, node.end_lineno or node.lineno))
                continue
            if main is not None:
                raise self.error(
                    f"a second function, {node.name}(), cannot be read: the notation reads "
                    f"one function's body", node, label="a second function",
                    hint="read each function on its own")
            main = (position, node)
        if main is not None:
            position, node = main
            before = lowering.statements(out[:position])
            after = lowering.statements(out[position:])
            kept = []
            for s in after:
                if _calls_function(s, node.name):
                    self.cells.skip(s, f"runs {node.name}(), read above")
                else:
                    kept.append(s)
            lowered = before + lowering.statements(self.function_body(node)) + kept
        out = lowered
        if not out and main is None and len(excluded) == 1 and len(body) - (
                1 if body and _docstring(body[0]) else 0) == 1 and isinstance(
                body[-1], ast.FunctionDef):
            # one function and nothing else: it is the network, not a helper
            self.helpers.defined.pop(body[-1].name, None)
            excluded.clear()
            out.extend(self.function_body(body[-1]))
        return out, excluded

    def read_body(self, node, param: str):
        names = BodyNames(param, self.positions)
        reader = Expressions(self.source, self.positions, names, self.helpers, self.numpy_names, {})
        return reader.expression(node)

    def function_body(self, node: ast.FunctionDef):
        if node.decorator_list:
            raise self.error("a decorated function cannot be read", node.decorator_list[0],
                             label="a decorator")
        body = [s for s in node.body if not _docstring(s)]
        out = []
        for index, statement in enumerate(body):
            if isinstance(statement, ast.Return):
                if index != len(body) - 1:
                    raise self.error("a return before the end of the function cannot be read",
                                     statement, label="an early return")
                value = statement.value
                if value is None or key(value) is not None or isinstance(value, ast.Dict) or (
                        isinstance(value, ast.Tuple) and all(key(e) is not None for e in value.elts)):
                    continue           # handing back values computed above
                out.append(ast.Expr(value, lineno=statement.lineno, col_offset=value.col_offset,
                                    end_lineno=value.end_lineno, end_col_offset=value.end_col_offset))
            elif isinstance(statement, (ast.FunctionDef, ast.Import)):
                raise self.error(f"{'an import' if isinstance(statement, ast.Import) else 'a function'}"
                                 f" inside a function cannot be read", statement)
            else:
                out.append(statement)
        return out

    def class_body(self, node: ast.ClassDef):
        """A network written as a class: ``__init__`` is setup; every other method is read."""
        out = []
        if not any(isinstance(item, ast.FunctionDef) for item in node.body):
            self.cells.skip(node, "a class definition with no methods")
            return out
        for item in node.body:
            if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                for s in ast.walk(item):
                    if isinstance(s, ast.Assign):
                        self.cells.bind(s)
                self.cells.skip(item, "setup: the initial parameters")
            elif isinstance(item, ast.FunctionDef):
                out.extend(self.function_body(item))
            elif not _docstring(item):
                self.cells.skip(item, "setup, in the class")
        return out

    # -- statements
    def statement(self, node, expressions: Expressions) -> Statement | None:
        if isinstance(node, ast.Pass):
            return None
        if isinstance(node, ast.Expr):
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                raise self.error("a string cannot be read into the notation", node.value,
                                 label="a string")
            return ExprStatement(expressions.expression(node.value), self.span(node))
        if isinstance(node, ast.Assign):
            if len(node.targets) != 1:
                raise self.error("a chained assignment (a = b = …) cannot be read", node,
                                 label="more than one target", hint="assign one name at a time")
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id == "_":
                return ExprStatement(expressions.expression(node.value), self.span(node))
            name = self.target(target)
            value = expressions.expression(node.value)
            self.single[key(target)] = self.value_rows(node.value) == 1
            return Assign(name, value, self.span(node))
        if isinstance(node, ast.AugAssign):
            return self.aug_assign(node, expressions)
        if isinstance(node, (ast.Import, ast.FunctionDef)):
            raise self.error(f"{'an import' if isinstance(node, ast.Import) else 'a function'} "
                             f"inside a function cannot be read", node)
        thing = what(node)
        raise self.error(f"{thing} cannot be read into the notation", node,
                         label=f"{thing} has no notation", hint=STATEMENTS_HINT)

    def target(self, node) -> Name:
        if key(node) is None:
            thing = CONSTRUCTS.get(type(node).__name__, "an attribute")
            raise self.error(f"assignment to {thing} cannot be read", node,
                             label="the target must be a name",
                             hint="assign to a name such as layer_1, self.W1 or model['W1']")
        return self.resolve(node)

    def aug_assign(self, node: ast.AugAssign, expressions: Expressions) -> Statement:
        target = self.target(node.target)
        value = expressions.expression(node.value)
        span = self.span(node)
        if isinstance(node.op, ast.Sub):
            return Update(target, "-=", value, span)
        if isinstance(node.op, ast.Add):
            return Update(target, "+=", value, span)
        # `layer_1 *= dropout_mask * 2` (the book, ch. 8) is `l1 = l1 ⊙ (…)`.
        if isinstance(node.op, ast.Mult):
            return Assign(target, expressions.product(target, value, span), span)
        if isinstance(node.op, ast.Div):
            return Assign(target, Divide(target, value, span), span)
        if isinstance(node.op, ast.MatMult):
            return Assign(target, MatMul(target, value, span), span)
        raise self.error(f"the in-place {what(node.op)} cannot be read", node,
                         label="no notation for this update")

    # -- names: the legend, as Expressions asks for them
    def resolvable(self, node) -> bool:
        return not isinstance(node, ast.Name) and key(node) is not None \
            and key(node) in self.legend.by_key

    def resolve(self, node) -> Name:
        if isinstance(node, ast.Name) and node.id in self.numpy_names:
            raise self.error(f"the module {node.id} is not a value", node,
                             label="a module, not an array")
        k = key(node)
        found = self.legend.resolve_key(k) if k is not None else None
        if found is None and k is not None and isinstance(node, ast.Name):
            found = self.scheme.notation(k)
        if found is None:
            raise self.error(f"'{k or unparse(node)}' is not a name of the notation", node,
                             label="no notation name for this",
                             hint="name it with --names (names={…}), or give it a name such as "
                                  "layer_1 or W1 first")
        return Name(found.letter, found.sub, self.span(node))

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
        operations, a product x.dot(W), a function of one argument), else None."""
        if isinstance(node, ast.Constant):
            return 1
        if isinstance(node, ast.UnaryOp):
            return self.value_rows(node.operand)
        if isinstance(node, ast.BinOp) and not isinstance(node.op, ast.MatMult):
            both = (self.value_rows(node.left), self.value_rows(node.right))
            return 1 if both == (1, 1) else None
        if isinstance(node, (ast.BinOp, ast.Call)):
            first = node.left if isinstance(node, ast.BinOp) else (
                node.func.value if isinstance(node.func, ast.Attribute) and node.func.attr == "dot"
                and not self.numpy_function_name(node.func) else node.args[0] if node.args
                and (dotted(node.func) or "").rsplit(".", 1)[-1] != "outer" else None)
            return self.value_rows(first) if first is not None else None
        return self.rows(node)

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


def _docstring(node) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
        and isinstance(node.value.value, str)


def _calls_function(node, name: str) -> bool:
    return any(isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id == name
               for c in ast.walk(node))


def _greek(name: Name) -> bool:
    from ...greek import is_greek
    return is_greek(name.letter)
