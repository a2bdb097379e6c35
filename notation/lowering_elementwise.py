"""Lowering, elementwise operations: an activation, a derivative, a negation, ``⊙``, ``/``,
``+``, ``-`` and a scaling become one step each, computed in place over an operand that
nothing reads again when the function's plan-style recipe allows it; the step's FLOPs, the
bytes of its result and the scratch its recipe or NumPy's cast buffer needs.

A part of :class:`notation.lowering.Lowering` (its base class, as ``lowering_products``'s
``Products``): the methods read and write the same state, the steps being built.
"""

from __future__ import annotations

from .dims import find
from .polynomial import add, mul
from .steps import F64, FLOAT, SCALAR, TEMP, Operand, Temp


def recipe_of(func: str, derivative: bool):
    """The plan-style recipe of a function (or of its derivative) in the function registry,
    or None: the plan style then calls the helper, as the book style does.

    >>> recipe_of("tanh", True).in_place
    ('np.square({t}, out={t})', 'np.subtract(1, {t}, out={t})')
    """
    from . import functions
    fn = functions.lookup(func)
    if fn is None:
        return None
    return fn.derivative_recipe if derivative else fn.recipe


def has_recipe(func: str, derivative: bool) -> bool:
    """Has the function (or its derivative) a plan-style recipe?"""
    return recipe_of(func, derivative) is not None


# An elementwise operation that casts an operand (the mask of ``t *= t > 0``, as of the
# book's ``(x > 0) * x``; float32 data against a float64 value) or broadcasts one (a bias
# row, softmax's row maxima and sums) runs through NumPy's ufunc buffer: min(elements,
# 8192) elements, allocated for the operation (measured with tracemalloc in tests).
CAST_BUFFER = 8192


class Elementwise:
    """The elementwise operations' part of :class:`~notation.lowering.Lowering`."""

    def _casts(self, operands) -> bool:
        """Does an operation mix float64 values with float32 data (so NumPy casts)?"""
        return self.itemsize != 8 and any(self._dtype(o) == F64 for o in operands)

    def _cast_buffer(self, elements, itemsize: int | None = None):
        itemsize = itemsize or self.itemsize
        if isinstance(elements, int):
            return min(elements, CAST_BUFFER) * itemsize
        return CAST_BUFFER * itemsize

    def _broadcasts(self, o: Operand, shape) -> bool:
        """Is an array operand spread over more rows than it has (a 1×n row)?"""
        return o.kind != SCALAR and not self.shapes.same(o.shape[0], shape[0])

    def _reusable(self, o: Operand, shape, dtype=FLOAT) -> bool:
        if o.kind != TEMP or o.transposed or o.ref.dtype != dtype:
            return False
        same = self.shapes.same
        return same(o.shape[0], shape[0]) and same(o.shape[1], shape[1])

    def _elementwise_step(self, op, node, operands, shape, statement, in_place, dtype=FLOAT):
        if in_place is not None:
            target = operands[in_place].ref
        else:
            self.temps += 1
            target = Temp(self.temps, dtype, shape)
        step = self._step(op, target, operands, shape, node, statement)
        step.in_place = in_place
        rr, rc = find(shape[0]), find(shape[1])          # self._elements(shape)
        rows, cols = rr.value, rc.value
        size = self._size(dtype)
        if type(rows) is int and type(cols) is int:
            step.flops = rows * cols
            if in_place is None:
                step.allocates = step.flops * size
        else:
            self.numeric = False
            key = (rr, rc, size)                        # as Products._product's counts
            counts = self.counts.get(key)
            if counts is None:
                elements = self._elements(shape)
                counts = self.counts[key] = (elements, mul(elements, size))
            step.flops = counts[0]
            if in_place is None:
                step.allocates = counts[1]
        step.formula = ((shape[0], shape[1]),)
        for o in operands:
            if o.kind == SCALAR:
                self._add_scalar_flops(step, o)
        return step

    def _unary(self, op, func, node, o: Operand, statement) -> Operand:
        shape = self.shapes.nodes[id(node)]
        derivative = op == "derivative"
        which = (func, derivative)
        if op == "negate":
            recipe, fn = None, None
        else:
            found = self.recipes.get(which)
            if found is None:
                from . import functions
                found = self.recipes[which] = (recipe_of(func, derivative),
                                               functions.lookup(func))
            recipe, fn = found
        dtype = F64 if recipe is not None and recipe.float64 else FLOAT
        can = op == "negate" or (recipe is not None and bool(recipe.in_place))
        in_place = 0 if (op == "negate" or recipe is not None) and can \
            and self._reusable(o, shape) else None
        step = self._elementwise_step(op, node, (o,), shape, statement, in_place, dtype)
        step.func = func
        step.recipe = op == "negate" or recipe is not None
        if op == "negate":
            return Operand(TEMP, step.target, shape)
        elements = step.flops
        if fn is not None and fn.shape in ("batch-sum", "example-sum"):   # elements, summed
            step.flops = self._elements(o.shape)
            step.formula = ((o.shape[0], o.shape[1]),)
        if fn is not None and fn.flops != 1:
            step.flops = mul(fn.flops, step.flops)
            step.formula = ((fn.flops,) + step.formula[0],)
        if recipe is None:
            return Operand(TEMP, step.target, shape)      # a helper: its result, no more known
        if recipe.scratch:
            step.scratch = self._scratch(recipe.scratch, elements, shape, dtype)
        elif self.itemsize != 8 and self._casts((o,)):
            step.scratch = self._cast_buffer(elements)
        return Operand(TEMP, step.target, shape)

    def _scratch(self, terms, elements, shape, dtype):
        """The bytes a recipe allocates besides its result (functions.Recipe.scratch)."""
        if type(elements) is not int:      # symbolic: made once for these dimensions
            key = (terms, id(elements), find(shape[0]), dtype)
            kept = self.counts.get(key)
            if kept is None:               # (elements kept too, so that its id stays its own)
                kept = self.counts[key] = (elements, self._scratch_bytes(terms, elements,
                                                                         shape, dtype))
            return kept[1]
        # numbers: the same for every step of these sizes (a deep net's relu at each layer)
        key = (terms, elements, find(shape[0]).value, dtype)
        made = self.counts.get(key)
        if made is None:
            made = self.counts[key] = self._scratch_bytes(terms, elements, shape, dtype)
        return made

    def _scratch_bytes(self, terms, elements, shape, dtype):
        total = 0
        for term in terms:
            if term == "mask":                     # x > 0: one byte an element
                size = elements
            elif term == "cast":                   # the buffer that casts or broadcasts
                size = self._cast_buffer(elements, self._size(dtype))
            elif term == "rows":                   # one value a row (softmax's maxima, sums)
                size = mul(self.shapes.count(shape[0]), self.itemsize)
            elif term == "array":                  # one more array of the result's size
                size = mul(elements, self._size(dtype))
            else:
                raise ValueError(f"unknown scratch {term!r} in a recipe")
            total = size if total == 0 else add(total, size)
        return total

    def _binary(self, op, node, left: Operand, right: Operand, statement) -> Operand:
        shape = self.shapes.nodes[id(node)]
        # float64 with anything is float64: only a float64 buffer may then take the result
        dtype = F64 if F64 in (self._dtype(left), self._dtype(right)) else FLOAT
        in_place = None
        if self._reusable(left, shape, dtype):
            in_place = 0
        elif self._reusable(right, shape, dtype):
            in_place = 1
        step = self._elementwise_step(op, node, (left, right), shape, statement, in_place, dtype)
        if (self.itemsize != 8 and self._casts((left, right))) or self._broadcasts(left, shape) \
                or self._broadcasts(right, shape):
            step.scratch = self._cast_buffer(step.flops, self._size(dtype))
        return Operand(TEMP, step.target, shape)
