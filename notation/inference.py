"""Inference: the walk over a program that checks and infers its shapes (SPEC §2).

In this order: declarations, hoisted; the shape options; the book's convention; then every
operation, statement by statement, operands before their operator. The rules are at the
end of the module; each unifies dimensions (``Shapes.unify``) and turns a conflict into the
error of SPEC §6 (``shape_errors.py``), raised at the operator that fails.
"""

from __future__ import annotations

from .errors import Label, NotationShapeError
from .kinds import Kind, kind_by_letter
from .nodes import (Add, Assign, Call, Declare, Divide, Expr, ExprStatement, Hadamard, MatMul,
                    Name, Negate, Number, Program, Subtract, Transpose, Update)
from .dims import (ASSIGNMENT, BIAS, CONVENTION, DECLARED, DELTA, ELEMENTWISE, OPTION, PRODUCT,
                   REDUCED, SHAPE_RULES, UPDATE, Conflict, DimValue, Origin, Shape, Var, _text,
                   compatible as _compatible, find, is_one as _is_one, symbol_text)
from .shape_errors import assignment_error, elementwise_error, kind_error, product_error
from .shape_options import ShapeOptions
from .shape_record import Shapes
from .walk import children, fields, names, pre_order

def _check_dims(decl: Declare) -> None:
    """A declaration's dimensions are numbers or names. The parser makes no other, but a tree
    built by hand can hold anything, and the rest of inference reads a dimension that is no
    number as a Name (symbol_text): refuse it here, as the NumPy views refuse it."""
    for d in decl.dims:
        if not isinstance(d, (int, Name)):
            raise NotationShapeError(
                f"a dimension is a whole number or a name, not {str(d)[:40]!r}", decl.span,
                label="declared here",
                hint="write each dimension as a number such as 3 or a symbol such as b")


class Inference:
    """One run of inference over a program (``shapes.infer`` makes and runs it)."""

    def __init__(self, program: Program, opts: ShapeOptions, convention: bool, *,
                 other: bool = True, loose: bool = False):
        # loose (random_inputs, over several views at once): a name first met as the target
        # of an assignment takes the value's shape, whatever its letter's kind
        self.loose = loose
        # as given, for trying the other convention when a shape error is found
        self.given = (opts, convention) if other else None
        columns = opts.columns
        self.shapes = Shapes(program, convention, columns)
        self.program = program
        self.columns = columns
        # The axis of a layer that holds its units, and the one that holds the batch: a
        # layer is batch × units (the book's rows), or units × batch (--columns).
        self.units_axis = 0 if columns else 1
        self.batch_axis = 1 - self.units_axis
        # (letter, subscript) -> the name where first written. The walk over the statements
        # records each name as it meets it; the convention and the options need them all
        # before that walk, and then a walk of their own finds them (in the same order).
        self.mentioned: dict[tuple, Name] = {}
        if convention or opts.declarations or opts.sizes:
            self.mentioned = _mentioned_names(program)
        if convention and not _book_layers(self.mentioned):
            # W_k joins l_k to l_k+1 only where the layers are the book's l_k (or δ_k): else
            # an index says nothing about layers (h = relu(xW1) + relu(xW2) has parallel
            # weights). The plan still says the convention was asked for (docs/shapes.md).
            convention = False
        self.convention = convention
        self.opts = opts
        # Names are looked up by (letter, subscript): hashing the tuple is cheaper than
        # the dataclass's __hash__, and a plan of a 10-factor chain does ~200 lookups.
        # scalar_decl: whether each name an option declares is a scalar (read only)
        self.scalar_decl: dict[tuple, bool] = opts.scalars
        # --batch is the batch of every layer the program does not declare
        self.batch = (opts.batch, Origin(OPTION, detail="--batch")) if opts.batch_option else None
        self.cache: dict[tuple, Shape] = self.shapes._cache
        self.hidden: set[tuple] = set()
        self.declared = self.shapes._declared        # (letter, subscript) -> (name, origin, dims)

    def run(self) -> Shapes:
        try:
            self._declarations()
            if self.convention:
                self._convention()
            for s in self.program.statements:
                self._statement(s)
            if self.batch is not None:
                self._batch()
        except NotationShapeError as e:
            e = e.with_source(self.program.source)
            if self.given is not None:
                _other_convention(self.program, *self.given, e)
            raise e from None
        if self.given is not None and not self.columns:
            _column_reading(self)
        shapes = self.shapes
        listed = shapes._listed
        # every name the statements mention is listed (the walk gave each its shape); then
        # the names only declared, in the order of their declarations
        mentioned = list(self.mentioned.values())
        if len(mentioned) != len(listed):
            seen = self.mentioned
            mentioned += [n for n in listed if (n.letter, n.sub) not in seen]
        shapes._listed = mentioned
        shapes._names = None
        return shapes

    # -- names
    def shape_of(self, name: Name, listed: bool = True) -> Shape:
        key = (name.letter, name.sub)
        cache = self.cache
        if key in cache:
            if listed and key in self.hidden:              # mentioned after all
                self.hidden.discard(key)
                shapes = self.shapes
                del shapes._hidden[key]      # a dict: a list's filter made this quadratic
                shapes._listed.append(name)
                shapes._names = None
            return cache[key]
        scalar = self.scalar_decl.get(key)
        kind = _KINDS.get(name.letter) or _kind(name)
        if scalar is None:
            scalar = kind is Kind.SCALAR
        if scalar:
            shape = None
        else:
            shape = (Var(name, 0), Var(name, 1))
            if kind is Kind.BIAS and key not in self.scalar_decl:
                self.shapes.fix(shape[self.batch_axis], 1,
                                Origin(BIAS, detail="column" if self.columns else ""))
        cache[key] = shape
        if listed:
            self.shapes._listed.append(name)
            self.shapes._names = None
        else:
            self.shapes._hidden[key] = name
            self.hidden.add(key)
        return shape

    # -- 1. declarations
    def _declarations(self) -> None:
        shapes = self.shapes
        batch = self.opts.batch
        declared, scalar_decl = self.declared, self.scalar_decl
        for s in self.program.statements:
            if type(s) is not Declare:
                continue
            target = s.target
            key = (target.letter, target.sub)
            _check_dims(s)
            dims = s.dims if len(s.dims) != 1 else self._dims(s, batch)
            if key in declared:
                _, first_origin, first_dims = declared[key]
                if first_dims != dims:
                    raise NotationShapeError(
                        f"{_text(target)} is declared twice, as {_dims_text(first_dims)} "
                        f"and as {_dims_text(dims)}", s.span,
                        label=f"declared {_dims_text(dims)} here",
                        labels=(Label(first_origin.span, f"and {_dims_text(first_dims)} here"),)
                        if first_origin.span is not None else (),
                        hint="keep one declaration")
                continue
            origin = Origin(DECLARED, s.span)
            declared[key] = (target, origin, dims)
            # Declarations come first, each name's once: this is the name's first shape,
            # made here as shape_of and _apply would make it, for less.
            shape = (Var(target, 0, dims[0], origin), Var(target, 1, dims[1], origin)) \
                if dims else None
            self.cache[key] = shape
            shapes._listed.append(target)
        if self.opts.sizes or self.opts.declarations:
            # --sizes follows the program's own chain; a name the program lacks is an error
            self.opts = self.opts.resolve(self.program, self.mentioned, declared,
                                          self.convention)
            self.scalar_decl = scalar_decl = self.opts.scalars
        if not self.opts.declarations:
            return
        # the batch the program's declarations give, for the layers that take it
        program_batch = self._program_batch() if self.opts.from_batch else None
        cache, mentioned, hidden = self.cache, self.mentioned, self.hidden
        for decl, origins in self.opts.declarations:
            key = (decl.target.letter, decl.target.sub)
            if program_batch is not None and key in self.opts.from_batch:
                if self.columns:
                    decl = Declare(decl.target, (decl.dims[0], program_batch[0]))
                    origins = (origins[0], program_batch[1])
                else:
                    decl = Declare(decl.target, (program_batch[0], decl.dims[1]))
                    origins = (program_batch[1], origins[1])
            dims = decl.dims if len(decl.dims) != 1 else self._dims(decl, batch)
            if key in declared:
                _, first_origin, first_dims = declared[key]
                if first_dims != dims:
                    raise self._disagree(decl.target, first_origin, first_dims, origins[-1], dims)
                continue
            declared[key] = (decl.target, origins[-1], dims)
            shapes._declared_names = None
            if key in cache:
                # listed in the plan only when the program mentions it
                self._apply(decl.target, dims, origins, key in mentioned)
                continue
            # The usual case, no shape yet: the shape shape_of would make (a scalar_decl
            # name, so no bias row) with _apply's values, made with them (~1 µs an option).
            target = decl.target
            cache[key] = None if scalar_decl[key] else \
                (Var(target, 0, dims[0], origins[0]), Var(target, 1, dims[1], origins[1]))
            if key in mentioned:
                shapes._listed.append(target)
            else:
                shapes._hidden[key] = target
                hidden.add(key)
        shapes._names = None
        shapes._symbols = None

    def _program_batch(self):
        """(batch, origin) that the program's own declarations give its layers, when the
        options give no --batch and every declared layer agrees on it; else None."""
        if self.opts.batch_given:
            return None
        found = None
        for name, (origin, dims) in self.shapes.declared.items():
            if len(dims) == 2 and kind_by_letter(name) in (Kind.LAYER, Kind.DELTA):
                batch = dims[self.batch_axis]
                if found is not None and found[0] != batch:
                    return None
                if found is None:
                    found = (batch, origin)
        return found

    def _disagree(self, name: Name, first: Origin, first_dims, second: Origin, dims):
        """Two declarations of one name that disagree (the program's and an option's)."""
        source = self.program.source
        said = second.text(source)
        batch_hint = (f"; pass --batch {symbol_text(first_dims[0])} to give the batch"
                      if second.kind == OPTION and first_dims[1:] == dims[1:]
                      and isinstance(first_dims[0], Name) else "")
        span = first.span if first.span is not None else _first_mention(self.program, name)
        return NotationShapeError(
            f"{_text(name)} is {_dims_text(first_dims)} ({first.text(source)}), but it is "
            f"{_dims_text(dims)} ({said})", span,
            label=f"{_text(name)} is {_dims_text(first_dims)} ({first.text(source)})",
            hint=f"make them agree{batch_hint}")

    def _dims(self, decl: Declare, batch: DimValue) -> tuple:
        dims = decl.dims
        if len(dims) != 1:
            return dims
        kind = kind_by_letter(decl.target)
        if kind is Kind.MATRIX:
            raise NotationShapeError(
                f"{_text(decl.target)} is a matrix and needs two dimensions, rows × columns",
                decl.span, label=f"only {dims[0] if isinstance(dims[0], int) else symbol_text(dims[0])} given",
                hint=f"write {_text(decl.target)} : m×{_dim_text(dims[0])}, or use a lowercase "
                     f"letter for a row vector")
        # A vector of n units: one row for a bias, else the batch (a single example unless
        # --batch says otherwise), as --dims l0=3 would say; under --columns, a column.
        rows = 1 if kind is Kind.BIAS else batch
        return (dims[0], rows) if self.columns else (rows, dims[0])

    def _apply(self, name: Name, dims: tuple, origins: tuple, listed: bool) -> None:
        shape = self.shape_of(name, listed)
        if shape is None:
            return
        for v, d, origin in zip(shape, dims, origins):
            r = find(v)
            r.value, r.origin = d, origin
            v.own = origin
        self.shapes._symbols = self.shapes._nearest = None

    def _batch(self) -> None:
        """--batch is the batch of every layer (and delta) whose batch nothing else gave: after
        the operations, so that it never contradicts a declaration (x : 1×3 stays one row)."""
        shapes, axis = self.shapes, self.batch_axis
        for (letter, sub), shape in self.cache.items():
            if shape is None or find(shape[axis]).value is not None:
                continue
            if _KINDS.get(letter) in (Kind.LAYER, Kind.DELTA) or \
                    kind_by_letter(Name(letter, sub)) in (Kind.LAYER, Kind.DELTA):
                shapes.fix(shape[axis], *self.batch)

    # -- 3. the book's convention
    def _convention(self) -> None:
        shapes = self.shapes
        cache, declared = self.cache, self.declared
        for name in self.mentioned.values():
            key = (name.letter, name.sub)
            if name.letter not in ("W", "δ") or not name.sub.isdigit() or key in declared:
                continue
            # self.shape_of(name), inline: an undeclared W_k or δ_k has no shape yet (only
            # the declarations made any), and is neither a scalar nor a bias row
            shape = cache[key] = (Var(name, 0), Var(name, 1))
            shapes._listed.append(name)
            k = int(name.sub)
            if name.letter == "W":
                sub, nxt = str(k), str(k + 1)
                here = cache[("l", sub)] if ("l", sub) in cache else self._layer(sub)
                there = cache[("l", nxt)] if ("l", nxt) in cache else self._layer(nxt)
                reason = (CONVENTION, None, name)
                # W_k : n_k × n_{k+1} (rows), n_{k+1} × n_k (columns: W is outputs × inputs)
                u, inputs, outputs = self.units_axis, 1 - self.units_axis, self.units_axis
                if here is not None:
                    shapes.unify(shape[inputs], here[u], reason)
                if there is not None:
                    shapes.unify(shape[outputs], there[u], reason)
            elif name.letter == "δ":
                layer = self._layer(name.sub)
                if layer is not None:
                    reason = (DELTA, None, name)
                    shapes.unify(shape[0], layer[0], reason)
                    shapes.unify(shape[1], layer[1], reason)
        shapes._names = None

    def _layer(self, sub: str) -> Shape:
        key = ("l", sub)
        if key in self.cache:
            return self.cache[key]
        return self.shape_of(Name("l", sub), listed=False)

    # -- 4. operations
    def _statement(self, s) -> None:
        t = type(s)
        if t is Declare:
            return
        if t is ExprStatement:
            self.expr(s.expr)
            return
        value = self.expr(s.value)
        target = s.target
        key = (target.letter, target.sub)
        if self.loose and t is Assign and key not in self.cache:
            self.mentioned.setdefault(key, target)
            self.cache[key] = self.shapes.nodes[id(target)] = value
            self.shapes._listed.append(target)
            self.shapes._names = None
            return
        self.mentioned.setdefault(key, target)
        shape = self.shape_of(target)
        self.shapes.nodes[id(target)] = shape
        if t is Assign:
            _assign_rule(self.shapes, s, shape, value)
        else:
            _update_rule(self.shapes, s, shape, value, self.batch_axis)

    def expr(self, root: Expr) -> Shape:
        shapes = self.shapes
        nodes = shapes.nodes
        cache, hidden, mentioned = self.cache, self.hidden, self.mentioned
        convention, columns = self.convention, self.columns
        out: list = []
        # Operands are pushed bare, an operator whose operands are done as a 1-tuple: the
        # leaves, most of the nodes, make no tuple.
        stack: list = [root]
        while stack:
            node = stack.pop()
            t = type(node)
            if t is Name:
                key = (node.letter, node.sub)
                if key not in mentioned:
                    mentioned[key] = node
                if key in cache and key not in hidden:
                    shape = cache[key]
                else:
                    shape = self.shape_of(node)
            elif t is Number:
                shape = None
            elif t is not tuple:
                stack.append((node,))
                stack.extend(reversed(children(node)))     # an unknown node raises there
                continue
            else:
                node = node[0]
                t = type(node)
                if t is MatMul:
                    right = out.pop()
                    left = out.pop()
                    if convention:
                        # the value W_k multiplies is layer k: l0W0 (rows), W0l0 (columns)
                        weight, layer = (node.left, node.right) if columns else \
                            (node.right, node.left)
                        if type(weight) is Name and weight.letter == "W" and weight.sub.isdigit():
                            shapes.layers[id(layer)] = int(weight.sub)
                    shape = _product_rule(shapes, node, left, right)
                elif t is Transpose:
                    operand = out.pop()
                    shape = None if operand is None else (operand[1], operand[0])
                elif t is Call and not node.derivative and node.func in SHAPE_RULES:
                    shape = out.pop()
                    if shape is not None:
                        one = Var(None, 0)
                        over = "the rows" if columns else "the batch"
                        shapes.fix(one, 1, Origin(REDUCED, node.span, f"{node.func} over {over}"))
                        shape = (one, shape[1])
                elif t is Call and columns and node.func in ROW_WISE and not node.derivative \
                        and type(node.arg) is not Transpose:
                    raise _row_wise_error(node)
                elif t is Call or t is Negate:
                    shape = out.pop()
                elif t is Hadamard or t is Divide or t is Add or t is Subtract:
                    right = out.pop()
                    left = out.pop()
                    shape = _elementwise_rule(shapes, node, left, right, self.batch_axis)
                else:
                    fields(node)             # raises: a node that walk.FIELDS lacks
            nodes[id(node)] = shape
            out.append(shape)
        return out[-1]


def _other_convention(program: Program, opts: ShapeOptions, convention: bool,
                      error: NotationShapeError) -> None:
    """When a program that fails in one convention reads in the other (rows and columns),
    the error says so and names the flag: the mismatch is the convention, not the user's."""
    if getattr(error, "node", None) is None:
        return                 # not an operation's mismatch (a declaration, an option)
    # only a program that multiplies as the other convention does: Wx (columns), xW (rows)
    pair = _matrix_and_layer(program, matrix_first=not opts.columns)
    if pair is None:
        return
    flipped = opts.flipped()
    if flipped is None:
        return
    try:
        Inference(program, flipped, convention, other=False).run()
    except NotationShapeError:
        return
    matrix, layer = pair
    if opts.columns:
        extra = (f"this program reads in the book's rows: {matrix} is applied from the right "
                 f"of {layer} (xW + b: a layer is batch × units, W is inputs × outputs): drop "
                 f"--columns (columns=False)")
    else:
        extra = (f"this program reads as column vectors: {matrix} is applied from the left "
                 f"of {layer} (h = σ(Wx + b): a layer is units × batch, W is outputs × "
                 f"inputs): pass --columns (columns=True)")
    error.hint = f"{extra}; read as it is, {error.hint}" if error.hint else extra


def _column_reading(inference: "Inference") -> None:
    """Warn when a program that reads in the book's rows is written as column vectors are
    (``y = Wx + b``: a matrix applied from the left of a layer) and reads that way too.

    In the rows a layer is batch × units, so ``Wx`` mixes the examples of a batch: the
    shapes may still agree (``W : 4×3; x : 3×1`` is a batch of 3 with one unit) while the
    figures differ from what the writer meant (``b`` is then ``1×1``, 13 parameters, where
    the columns give ``4×1`` and 16). Both readings are plausible, so this is a warning
    (docs/language.md), an error with ``--strict``."""
    program = inference.program
    product = _matrix_before_layer(program, inference.cache)
    if product is None:
        return
    opts, convention = inference.given
    flipped = opts.flipped()
    if flipped is None:
        return
    try:
        Inference(program, flipped, convention, other=False).run()
    except NotationShapeError:
        return                  # it reads in the rows only: nothing to choose between
    matrix, layer = _text(product.left), _text(product.right)
    import warnings

    from .errors import NotationWarning
    warning = NotationWarning(
        f"{matrix}{layer} applies {matrix} from the left of {layer}, as column vectors are "
        f"written; it is read in the book's rows, where {layer} is batch × units",
        product.span,
        label=f"read as rows: {layer} is batch × units and {matrix} mixes its examples",
        hint=f"pass --columns (columns=True) to read {layer} as units × batch and {matrix} "
             f"as outputs × inputs, or write {layer}{matrix} for the book's rows",
        code="column-vectors", source=program.source)
    if program.strict:
        raise warning.error()
    warnings.warn(warning, stacklevel=5)


def _matrix_before_layer(program: Program, shapes: dict):
    """The first product ``Wx`` of a matrix name and a layer name, the matrix first, both
    arrays as inferred (a declaration ``M : scalar`` makes M no matrix), or None."""
    def array(name: Name) -> bool:
        return shapes.get((name.letter, name.sub)) is not None

    for s in program.statements:
        if type(s) is Declare:
            continue
        stack = [s.expr if type(s) is ExprStatement else s.value]
        while stack:
            node = stack.pop()
            if type(node) is MatMul and type(node.left) is Name and type(node.right) is Name \
                    and kind_by_letter(node.left) is Kind.MATRIX \
                    and kind_by_letter(node.right) is Kind.LAYER \
                    and array(node.left) and array(node.right):
                return node
            stack += reversed(children(node))
    return None


def _matrix_and_layer(program: Program, matrix_first: bool):
    """(matrix, layer) as text for the first product of a matrix name and a layer name, the
    matrix first (``Wx``, a matrix applied from the left of a layer) or last (``xW``)."""
    for s in program.statements:
        if type(s) is Declare:
            continue
        for node in pre_order(s.expr if type(s) is ExprStatement else s.value):
            if type(node) is MatMul:
                matrix, layer = (node.left, node.right) if matrix_first else \
                    (node.right, node.left)
                if type(matrix) is Name and type(layer) is Name \
                        and kind_by_letter(matrix) is Kind.MATRIX \
                        and kind_by_letter(layer) is Kind.LAYER:
                    return _text(matrix), _text(layer)
    return None


def _first_mention(program: Program, name: Name):
    """The span of the first place a name is written in the program, or None."""
    for s in program.statements:
        if isinstance(s, Declare):
            if s.target == name:
                return s.target.span
            continue
        found = None
        written = list(names(s.expr if isinstance(s, ExprStatement) else s.value))
        if isinstance(s, (Assign, Update)):
            written.append(s.target)
        for node in written:
            if node == name and (found is None or node.span.start < found.start):
                found = node.span
        if found is not None:
            return found
    return None


def _book_layers(mentioned: dict) -> bool:
    """Does the program name its layers (or their deltas) as the book does, l0, δ1…?"""
    return any((letter == "l" or letter == "δ") and sub.isdigit() for letter, sub in mentioned)


_KINDS: dict[str, Kind] = {}     # letter -> kind, filled as letters are met


def _kind(name: Name) -> Kind:
    kind = _KINDS[name.letter] = kind_by_letter(name)
    return kind


def _mentioned_names(program: Program) -> dict[tuple, Name]:
    """(letter, subscript) -> the name's first mention, in the order the statements mention
    them (each statement's value left to right, then its target)."""
    seen: dict[tuple, Name] = {}
    for s in program.statements:
        if type(s) is Declare:
            continue
        for node in names(s.expr if type(s) is ExprStatement else s.value):
            seen.setdefault((node.letter, node.sub), node)
        if type(s) is not ExprStatement:
            seen.setdefault((s.target.letter, s.target.sub), s.target)
    return seen


# --------------------------------------------------------------------------- the rules

def _product_rule(shapes: Shapes, node: MatMul, left: Shape, right: Shape) -> Shape:
    """``A B`` needs cols(A) = rows(B); a scalar factor scales anything."""
    if left is None:
        return right
    if right is None:
        return left
    try:
        shapes.unify(left[1], right[0], (PRODUCT, node, None))
    except Conflict:
        raise product_error(shapes, node, left, right) from None
    return (left[0], right[1])


# Functions applied row by row (over the units of a row layer): under --columns, where the
# units of a layer are its rows, the call would mix the examples of a batch.
ROW_WISE = {"softmax"}


def _row_wise_error(node: Call) -> NotationShapeError:
    return NotationShapeError(
        f"{node.func} is row-wise (each row of its argument is one example), but under "
        f"--columns a layer is units × batch, so it would mix the examples of a batch",
        node.span, label=f"{node.func} of a column layer",
        hint=f"write {node.func}(eᵀ)ᵀ to apply it to each column, or read the program in the "
             f"book's rows (without --columns)")


def _elementwise_rule(shapes: Shapes, node, left: Shape, right: Shape, axis: int = 0) -> Shape:
    """Equal shapes, except that a 1 × n row broadcasts over b × n and a scalar over anything.
    ``axis`` is the batch axis: 0 for the book's rows; 1 under --columns, where an n × 1
    column broadcasts over n × b."""
    if left is None:
        return right
    if right is None:
        return left
    reason = (ELEMENTWISE, node, None)
    other = 1 - axis
    rows = None
    if _is_one(left[axis]):
        rows = right[axis]
    elif _is_one(right[axis]):
        rows = left[axis]
    try:
        if not _compatible(left[other], right[other]) or \
                (rows is None and not _compatible(left[axis], right[axis])):
            raise Conflict(left, right)
        shapes.unify(left[other], right[other], reason)
        if rows is None:
            # (a square operand ties rows to columns: the second unification can still fail)
            shapes.unify(left[axis], right[axis], reason)
            rows = left[axis]
    except Conflict:
        raise elementwise_error(shapes, node, left, right) from None
    return (rows, left[1]) if axis == 0 else (left[0], rows)


def _assign_rule(shapes: Shapes, s: Assign, target: Shape, value: Shape) -> None:
    """The target takes the shape of the value (one shape per name)."""
    if target is None or value is None:
        if target is not value:
            raise kind_error(shapes, s, target, value)
        return
    reason = (ASSIGNMENT, s, None)
    try:
        if not (_compatible(target[0], value[0]) and _compatible(target[1], value[1])):
            raise Conflict(target, value)
        shapes.unify(target[0], value[0], reason)
        shapes.unify(target[1], value[1], reason)
    except Conflict:
        raise assignment_error(shapes, s, target, value) from None


def _update_rule(shapes: Shapes, s: Update, target: Shape, value: Shape, axis: int = 0) -> None:
    """``W -= v``: v must broadcast to W's shape, which does not change (a row broadcasts;
    under --columns, ``axis`` 1, a column)."""
    if value is None:
        return
    if target is None:
        if _is_one(value[0]) and _is_one(value[1]):
            return      # a 1 × 1 value is one number: a scalar parameter's step (backward)
        raise kind_error(shapes, s, target, value)
    other = 1 - axis
    row = _is_one(value[axis])
    reason = (UPDATE, s, None)
    try:
        if not _compatible(target[other], value[other]) or \
                (not row and not _compatible(target[axis], value[axis])):
            raise Conflict(target, value)
        shapes.unify(target[other], value[other], reason)
        if not row:
            shapes.unify(target[axis], value[axis], reason)
    except Conflict:
        raise assignment_error(shapes, s, target, value) from None


# --------------------------------------------------------------------------- messages

def _dim_text(d) -> str:
    return str(d) if isinstance(d, int) else symbol_text(d)


def _dims_text(dims: tuple) -> str:
    return "scalar" if not dims else "×".join(_dim_text(d) for d in dims)
