"""Lowering: the program, shapes checked, turned into the steps of its plan.

Each operation becomes one step (a product, an activation, an elementwise operation, a
scaling, an update); a value nothing reads again is overwritten in place when the step
has an in-place recipe and the shapes and types allow it; chains of three or more products
are costed and, with ``optimize``, reordered (``chain.py``). The bytes each step allocates
are those of the code ``emit/numpy_plan.py`` writes for it, NumPy's scratch buffers
included (checked with tracemalloc in tests/test_plan.py).
"""

from __future__ import annotations

from .nodes import (Add, Call, Declare, Divide, ExprStatement, Hadamard, MatMul, Name,
                    Negate, Subtract, Transpose, Update)
from .polynomial import add, mul
from .shapes import Shapes, find
from .lowering_elementwise import CAST_BUFFER, Elementwise, has_recipe, recipe_of
from .lowering_products import Products, _factors
from .walk import fields, names, pre_order
from .steps import F64, FLOAT, NAME, SCALAR, TEMP, ChainAdvice, Operand, Step, Temp

_ELEMENTWISE = {Hadamard: "hadamard", Divide: "divide", Add: "add", Subtract: "subtract"}
_BINARY = frozenset((MatMul, Hadamard, Divide, Add, Subtract))
_SCALAR_OPS = (MatMul, Hadamard, Divide, Add, Subtract, Negate, Call)

class Lowering(Products, Elementwise):
    """Lowers the statements of one program, in order, into ``steps``."""

    def __init__(self, shapes: Shapes, itemsize: int, optimize: bool, copies=frozenset()):
        self.shapes = shapes
        self.copies = copies        # ids of the statements that copy (aliasing.py)
        self.itemsize = itemsize
        self.optimize = optimize
        self.steps: list[Step] = []
        self.chains: list[ChainAdvice] = []
        self.temps = 0
        self.inputs: dict[tuple, Name] = {}     # keyed by (letter, subscript), in order
        self.outputs: dict[tuple, Name] = {}
        self.results: dict[int, Operand] = {}    # id(bare expression statement) -> its value
        self.name_dtypes: dict[tuple, str] = {}   # names bound to float64 values (relu')
        self.recipes: dict[tuple, bool] = {}      # has_recipe, asked once a function per plan
        self.counts: dict[tuple, object] = {}     # symbolic counts by dimension roots (below)
        # No count is a polynomial (every dimension a number): the plan's totals are then
        # builtin sums. Cleared where a polynomial count is made: a product's, an operation's
        # (lowering_elementwise), _elements'.
        self.numeric = True

    # -- statements
    def statement(self, s) -> None:
        kind = type(s)
        if kind is Declare:
            return
        expr = s.expr if kind is ExprStatement else s.value
        read: set = set()
        value = self.value(expr, s, read)
        if kind is ExprStatement:
            if value.kind == SCALAR:
                self._scalar_step(None, value, s)
            elif id(s) in self.copies:
                value = self._copy(value, None, s)
            self.results[id(s)] = value
            return
        target = s.target
        shape = self.shapes.nodes[id(target)]
        key = (target.letter, target.sub)
        if kind is Update:
            if key not in self.outputs:
                self.inputs.setdefault(key, target)
            self.outputs.setdefault(key, target)
            if shape is None:
                step = self._scalar_step(target, value, s)
                step.func = s.op
                return
            step = self._step("update", target, (value,), shape, s, s)
            step.func = s.op
            if self._casts([value]) or self._broadcasts(value, shape):
                step.scratch = self._cast_buffer(self._elements(shape))
            step.flops = self._elements(shape)
            step.formula = ((shape[0], shape[1]),)
            self._add_scalar_flops(step, value)
            return
        self.outputs.setdefault(key, target)
        if value.kind == SCALAR:
            self._scalar_step(target, value, s)
        elif value.kind == TEMP and not value.transposed and key not in read:
            value.ref.bound = target
        elif id(s) in self.copies:
            self._copy(value, target, s)
        else:
            self._step("bind", target, (value,), shape, s, s)
        if self._dtype(value) == F64:
            self.name_dtypes[key] = F64
        else:
            self.name_dtypes.pop(key, None)

    def _reads(self, expr, read: set) -> None:
        """Record the names read before they are assigned (the inputs), and add the keys
        read to ``read``."""
        outputs, inputs = self.outputs, self.inputs
        for node in names(expr):
            key = (node.letter, node.sub)
            read.add(key)
            if key not in outputs and key not in inputs:
                inputs[key] = node

    # -- expressions
    def value(self, root, statement, read: set) -> Operand:
        """The operand holding the value of an expression, after the steps that compute it;
        the names it reads are added to ``read`` (and the inputs recorded, left to right)."""
        of = self.shapes.nodes
        outputs, inputs = self.outputs, self.inputs
        out: list[Operand] = []
        # Operands are pushed bare; an operation, to be lowered once its operands are, as
        # (node, the factors of a product, whether the product is written left to right).
        stack: list = [root]
        while stack:
            node = stack.pop()
            t = type(node)
            if t is not tuple:
                shape = of[id(node)]
                if t is Name:
                    key = (node.letter, node.sub)
                    read.add(key)
                    if key not in outputs and key not in inputs:
                        inputs[key] = node
                    out.append(Operand(NAME, node, shape) if shape is not None
                               else Operand(SCALAR, node))
                elif shape is None:                  # a scalar, written inline
                    self._reads(node, read)
                    out.append(Operand(SCALAR, node))
                elif t is MatMul:
                    factors, in_order = _factors(node)
                    stack.append((node, factors, in_order))
                    stack.extend(reversed(factors))
                else:
                    stack.append((node, None, False))
                    # walk.FIELDS inline (every node of every plan); others raise there
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
            node, factors, in_order = node
            t = type(node)
            if t is MatMul:
                n = len(factors)
                operands = out[-n:]
                del out[-n:]
                out.append(self._chain(node, factors, operands, statement, in_order))
            elif t is Transpose:
                o = out.pop()
                out.append(Operand(o.kind, o.ref, of[id(node)], not o.transposed))
            elif t is Negate:
                out.append(self._unary("negate", None, node, out.pop(), statement))
            elif t is Call:
                op = "derivative" if node.derivative else "call"
                out.append(self._unary(op, node.func, node, out.pop(), statement))
            else:
                right = out.pop()
                left = out.pop()
                out.append(self._binary(_ELEMENTWISE[t], node, left, right, statement))
        return out[-1]

    # -- steps
    def _step(self, op, target, operands: tuple, shape, node, statement) -> Step:
        step = Step(op, target, operands, shape, node, statement, self.shapes)
        steps = self.steps
        steps.append(step)
        step.index = len(steps)
        step.layer = self.shapes.layers.get(id(node))
        return step

    def _temp(self, shape, dtype=FLOAT) -> Temp:
        self.temps += 1
        return Temp(self.temps, dtype, shape)

    def _copy(self, value: Operand, target: Name | None, statement) -> Operand:
        """``a = c.copy()``: a new array, where two names would share one that an update
        later changes (the book style copies there too)."""
        temp = self._temp(value.shape, self._dtype(value))
        step = self._step("copy", temp, (value,), value.shape, statement, statement)
        step.allocates = mul(self._elements(value.shape), self._size(temp.dtype))
        temp.bound = target
        return Operand(TEMP, temp, value.shape)

    def _dtype(self, o: Operand) -> str | None:
        if o.kind == TEMP:
            return o.ref.dtype
        if o.kind == NAME:
            return self.name_dtypes.get((o.ref.letter, o.ref.sub), FLOAT)
        return None

    def _size(self, dtype) -> int:
        return 8 if dtype == F64 else self.itemsize

    def _scalar_step(self, target, value: Operand, statement) -> Step:
        step = self._step("scalar", target, (value,), None, statement, statement)
        self._add_scalar_flops(step, value)
        return step

    # -- counting
    def _elements(self, shape):
        rows, cols = find(shape[0]).value, find(shape[1]).value
        if isinstance(rows, int) and isinstance(cols, int):
            return rows * cols
        self.numeric = False
        return mul(self.shapes.count(shape[0]), self.shapes.count(shape[1]))

    def _add_scalar_flops(self, step: Step, o: Operand) -> None:
        if o.kind != SCALAR:
            return
        n = _scalar_operations(o.ref)
        if n:
            step.flops = add(step.flops, n)
            step.formula = (step.formula or ((),)) + (n,)


def _scalar_operations(expr) -> int:
    return sum(1 for node in pre_order(expr) if type(node) in _SCALAR_OPS)


# recipe_of, has_recipe and CAST_BUFFER are lowering_elementwise's, imported from here too
__all__ = ["Lowering", "recipe_of", "has_recipe", "CAST_BUFFER"]
