"""The whole source -> a Reading: the program, the legend, the helpers and what was skipped."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ...errors import NotationSyntaxError, NotationTranslationError
from ...naming import Scheme
from ...nodes import (Assign, Declare, Divide, ExprStatement, MatMul, Name, Program, Span,
                      Statement, Update)
from .cells import Cells, Skipped
from .declared import Declared
from .expressions import Expressions
from .helpers import Helpers
from .legend import Legend
from .names import Binding, key, show
from .positions import Positions
from .survey import Survey
from .syntax import CONSTRUCTS, STATEMENTS_HINT, what, unparse
from .toplevel import TopLevel



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


class Reader(TopLevel, Declared):
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


def _docstring(node) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
        and isinstance(node.value.value, str)


def _greek(name: Name) -> bool:
    from ...greek import is_greek
    return is_greek(name.letter)
