"""Lowering, products: a product of two or more factors becomes its steps. A chain of three
or more arrays is costed as written and in the best order (``chain.py``), the advice kept
for the plan, and with ``optimize`` lowered in the best order; scalar factors scale the
result once, where the written order puts them.

A part of :class:`notation.lowering.Lowering` (its base class): the methods read and
write the same state, the steps being built.
"""

from __future__ import annotations

from . import chain as chains
from .dims import find
from .nodes import MatMul
from .polynomial import mul
from .steps import FLOAT, SCALAR, TEMP, ChainAdvice, Operand, Step, Temp


class Products:
    """The products' part of :class:`~notation.lowering.Lowering`."""

    def _chain(self, node, factor_nodes, operands, statement, in_order: bool) -> Operand:
        """A product of two or more factors (``in_order``: written without parentheses on
        the right, so that its order is left to right)."""
        arrays = [o for o in operands if o.kind != SCALAR]
        if len(arrays) == len(operands):
            if len(arrays) == 2:                          # one product: no order to choose
                return self._product(arrays[0], arrays[1], node, statement)
            scalars = []
        else:
            scalars = [o.ref for o in operands if o.kind == SCALAR]
            in_order = False
        if in_order:
            tree = chains.left_to_right(len(arrays))
        else:
            tree = _written_tree(node, [o.kind != SCALAR for o in operands])
        written = tree
        if len(arrays) >= 3:
            nodes = [n for n, o in zip(factor_nodes, operands) if o.kind != SCALAR] \
                if scalars else factor_nodes
            tree = self._advise(node, arrays, nodes, tree, in_order)
        if scalars and tree is written:
            return self._as_written(node, operands, statement)
        result = self._products(tree, arrays, node, statement, in_order and tree is written)
        if scalars:                  # a reordered chain: every scalar scales the result
            factor = scalars[0]
            for s in scalars[1:]:
                factor = MatMul(factor, s)
            result = self._scale(result, factor, node, statement)
        return result

    def _scale(self, o: Operand, factor, node, statement) -> Operand:
        shape = o.shape
        in_place = 0 if self._reusable(o, shape) else None
        step = self._elementwise_step("scale", node, (o, Operand(SCALAR, factor)), shape,
                                      statement, in_place)
        return Operand(TEMP, step.target, shape)

    def _as_written(self, node, operands: list[Operand], statement) -> Operand:
        """A chain with scalar factors, scaled where and when the book style scales it, so
        that the bits agree: the scalars that open a product scale its result, except that
        scalars times a parenthesized product (``α(δ1δ1)a``) scale that product at once, as
        the book's ``(alpha * (…)).dot(a)`` does; a scalar after an array scales the product
        so far if another array follows, and the whole result (after the opening scalars)
        if none does; a parenthesized product is finished before it is used.

        Each value on the stack is (array, opening scalars, trailing scalars).
        """
        leaves = iter(operands)
        out: list = []
        stack = [(node, False)]
        while stack:
            n, ready = stack.pop()
            if type(n) is not MatMul:
                o = next(leaves)
                out.append((None, o.ref, []) if o.kind == SCALAR else (o, None, []))
                continue
            if not ready:
                stack += [(n, True), (n.right, False), (n.left, False)]
                continue
            (ra, rp, rt), (la, lp, lt) = out.pop(), out.pop()
            if la is None and ra is None:                      # scalar · scalar
                out.append((None, MatMul(lp, rp), []))
            elif ra is None:                                   # array · scalar
                out.append((la, lp, lt + [rp]))
            else:
                ra = self._finish(ra, rp, rt, n.right, statement)   # a group on the right
                if la is None and type(n.right) is MatMul:    # α(…): the book scales the
                    out.append((self._scale(ra, lp, n, statement), None, []))   # group now
                elif la is None:                               # scalars open the product
                    out.append((ra, lp, []))
                else:
                    for factor in lt:                          # scalars before this product
                        la = self._scale(la, factor, n, statement)
                    out.append((self._product(la, ra, n, statement), lp, []))
        array, prefix, trailing = out[-1]
        return self._finish(array, prefix, trailing, node, statement)

    def _finish(self, array: Operand, prefix, trailing: list, node, statement) -> Operand:
        if prefix is not None:
            array = self._scale(array, prefix, node, statement)
        for factor in trailing:
            array = self._scale(array, factor, node, statement)
        return array

    def _products(self, tree, arrays: list[Operand], node, statement,
                  in_order: bool = False) -> Operand:
        """The steps of a product tree (``in_order``: the tree is known to be left to right)."""
        out: list[Operand] = []
        top = tree
        if in_order or chains.is_left_to_right(tree):    # the usual case, without a stack
            left = arrays[0]
            for i in range(1, len(arrays)):
                left = self._product(left, arrays[i], node if i == len(arrays) - 1 else None,
                                     statement)
            return left
        for sub in chains.postorder(tree):
            if isinstance(sub, int):
                out.append(arrays[sub])
                continue
            right = out.pop()
            left = out.pop()
            out.append(self._product(left, right, node if sub is top else None, statement))
        return out[-1]

    def _product(self, left: Operand, right: Operand, node, statement) -> Operand:
        shape = (left.shape[0], right.shape[1])
        self.temps += 1
        temp = Temp(self.temps, FLOAT, shape)
        # self._step, inline (a chain's products are most of its plan): the inner products
        # of a chain (node None) are no layer
        step = Step("matmul", temp, (left, right), shape, node, statement, self.shapes)
        steps = self.steps
        steps.append(step)
        step.index = len(steps)
        if node is not None:
            step.layer = self.shapes.layers.get(id(node))
        dm, dk, dn = find(shape[0]), find(left.shape[1]), find(shape[1])
        rm, rk, rn = dm.value, dk.value, dn.value
        if type(rm) is int and type(rk) is int and type(rn) is int:
            step.multiply_adds = rm * rk * rn
            step.flops = 2 * step.multiply_adds
            step.allocates = rm * rn * self.itemsize
        else:
            # The counts of one product of these dimensions (roots), made once a plan: a
            # program repeating a statement multiplies the same symbols at every step. The
            # polynomials are shared, never changed in place (polynomial.py makes new ones).
            self.numeric = False
            key = (dm, dk, dn)
            counts = self.counts.get(key)
            if counts is None:
                count = self.shapes.count
                m, k, n = count(dm), count(dk), count(dn)
                multiply_adds = mul(m, k, n)
                counts = self.counts[key] = (multiply_adds, mul(2, multiply_adds),
                                             mul(m, n, self.itemsize))
            step.multiply_adds, step.flops, step.allocates = counts
        step.formula = ((2, shape[0], left.shape[1], shape[1]),)
        return Operand(TEMP, temp, shape)

    def _advise(self, node, arrays: list[Operand], texts: list, written, in_order=False):
        # the sizes of the factors, or a symbol's name or None where they are not numbers
        dims = [find(arrays[0].shape[0]).value] + [find(o.shape[1]).value for o in arrays]
        if not all(type(d) is int for d in dims):
            self.chains.append(ChainAdvice(node, texts, written, None, None, None, False,
                                           "symbolic dimensions: the cheapest order depends on them"))
            return written
        if in_order:
            # chains.cost of the left-to-right tree, without walking it: each product is
            # dims[0] × dims[k] by dims[k] × dims[k + 1]
            rows = dims[0]
            written_flops = 2 * rows * sum([a * b for a, b in zip(dims[1:-1], dims[2:])])
        else:
            written_flops = chains.cost(written, dims)
        if len(arrays) > chains.MAX_FACTORS:
            self.chains.append(ChainAdvice(node, texts, written, None, written_flops, None, False,
                                           f"longer than {chains.MAX_FACTORS} factors: not searched"))
            return written
        best_flops, best = chains.best_cost(dims)
        adopt = self.optimize and best_flops < written_flops
        advice = ChainAdvice(node, texts, written, best, written_flops, best_flops, adopt)
        self.chains.append(advice)
        return advice.best if adopt else written


def _factors(node) -> tuple[list, bool]:
    """The factors of a product, left to right, and whether it is written without parentheses
    on the right (``l0W0W1``: no product is the right operand of another)."""
    rights = []
    n = node
    while type(n) is MatMul and type(n.right) is not MatMul:     # down the left side
        rights.append(n.right)
        n = n.left
    if type(n) is not MatMul:                  # the usual case: written left to right
        rights.append(n)
        rights.reverse()
        return rights, True
    out, stack = [], [node]
    in_order = True
    while stack:
        n = stack.pop()
        if type(n) is MatMul:
            if type(n.right) is MatMul:
                in_order = False
            stack.append(n.right)
            stack.append(n.left)
        else:
            out.append(n)
    return out, in_order


def _written_tree(node, is_array: list[bool]):
    """The product tree as written, over the array factors only (scalars scale the result)."""
    out: list = []
    index = 0
    array_index = 0
    stack = [(node, False)]
    while stack:
        n, ready = stack.pop()
        if type(n) is not MatMul:
            if is_array[index]:
                out.append(array_index)
                array_index += 1
            else:
                out.append(None)
            index += 1
            continue
        if not ready:
            stack += [(n, True), (n.right, False), (n.left, False)]
            continue
        right, left = out.pop(), out.pop()
        out.append(left if right is None else right if left is None else (left, right))
    return out[-1]
