"""Inference: the walk over a program that checks and infers its shapes (SPEC §2).

In this order: declarations, hoisted; the shape options; the book's convention; then every
operation, statement by statement, operands before their operator. The parts: the
declarations and options (``declared_shapes.py``, the base class), the rules, one per
operation (``shape_rules.py``: each unifies dimensions and turns a conflict into the error
of SPEC §6, raised at the operator that fails), what is read from the program around the
walk (``mentions.py``); this module is the walk, the convention and the hints about the
other convention.
"""

from __future__ import annotations

from .declared_shapes import Declarations
from . import functions
from .convention_hints import column_reading, other_convention
from .dims import BIAS, CONVENTION, DELTA, OPTION, Origin, Shape, Var
from .errors import NotationShapeError
from .kinds import Kind
from .mentions import _KINDS, _book_layers, _kind, _mentioned_names
from .nodes import (BINARY, Assign, Call, Declare, Expr, ExprStatement, Hadamard, MatMul, Name,
                    Negate, Number, Program, Transpose, Divide, Add, Subtract)
from .shape_options import ShapeOptions
from .shape_record import Shapes
from .shape_rules import assign_rule, call_rule, elementwise_rule, product_rule, update_rule
from .walk import fields


class Inference(Declarations):
    """One run of inference over a program (``shapes.infer`` makes and runs it)."""

    def __init__(self, program: Program, opts: ShapeOptions, convention: bool, *,
                 other: bool = True, loose: bool = False):
        # loose (random_inputs, over several views at once): a name first met as the target
        # of an assignment takes the value's shape, whatever its letter's kind
        self.loose = loose
        # the products of a matrix name and a layer name (Wx), in the order of the program
        # (column_reading reads them: the walk collects them, so that no second walk is
        # needed, and a program with none skips that check)
        self.name_products: list[MatMul] = []
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
        # The functions by name, for their shape rules (softmax, sum, batchsum are not
        # "elementwise"): looked up at each call, so a plan with no call builds no table
        self.functions = functions.FUNCTIONS
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
                other_convention(self.program, *self.given, e, _reads)
            raise e from None
        if self.given is not None and not self.columns and self.name_products:
            column_reading(self.program, self.given, self.name_products, self.cache, _reads)
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
            assign_rule(self.shapes, s, shape, value)
        else:
            update_rule(self.shapes, s, shape, value, self.batch_axis)

    def expr(self, root: Expr) -> Shape:
        shapes = self.shapes
        nodes = shapes.nodes
        cache, hidden, mentioned = self.cache, self.hidden, self.mentioned
        convention, columns = self.convention, self.columns
        functions_get = self.functions.get
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
                # walk.FIELDS inline (this walk visits every node of every plan): Call, the
                # unary nodes, the binary ones; any other node raises in walk.fields
                if t is Call:
                    stack.append(node.arg)
                elif t is Transpose or t is Negate:
                    stack.append(node.operand)
                elif t in _BINARY:
                    stack.append(node.right)
                    stack.append(node.left)
                else:
                    fields(node)
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
                    left_name, right_name = node.left, node.right
                    # a matrix name times a layer name, Wx: column_reading's candidates
                    if type(left_name) is Name and type(right_name) is Name \
                            and (_KINDS.get(left_name.letter) or _kind(left_name)) \
                            is Kind.MATRIX \
                            and (_KINDS.get(right_name.letter) or _kind(right_name)) \
                            is Kind.LAYER:
                        self.name_products.append(node)
                    shape = product_rule(shapes, node, left, right)
                elif t is Transpose:
                    operand = out.pop()
                    shape = None if operand is None else (operand[1], operand[0])
                elif t is Call and not node.derivative \
                        and (fn := functions_get(node.func)) is not None \
                        and fn.shape != "elementwise":
                    shape = call_rule(shapes, node, out.pop(), fn.shape, columns)
                elif t is Call or t is Negate:
                    shape = out.pop()
                elif t is Hadamard or t is Divide or t is Add or t is Subtract:
                    right = out.pop()
                    left = out.pop()
                    shape = elementwise_rule(shapes, node, left, right, self.batch_axis)
                else:
                    fields(node)             # raises: a node that walk.FIELDS lacks
            nodes[id(node)] = shape
            out.append(shape)
        return out[-1]


def _reads(program: Program, opts: ShapeOptions, convention: bool) -> bool:
    """Whether the program's shapes check with these options (the other convention's)."""
    try:
        Inference(program, opts, convention, other=False).run()
    except NotationShapeError:
        return False
    return True


_BINARY = frozenset(BINARY)
