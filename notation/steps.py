"""What a plan is made of: the steps, what they read, and the advice on a chain's order.

A :class:`Step` is one line of the plan and of the NumPy ``plan`` style's code; it reads
:class:`Operand` s — a name, a temporary (:class:`Temp`), either possibly transposed (a
view), or a scalar expression written inline — and writes a temporary or a name.
"""

from __future__ import annotations

from . import chain as chains
from .nodes import Name
from .polynomial import add, formula

NAME, TEMP, SCALAR = "name", "temp", "scalar"
# The element type of a value: the data's float type (float64 or float32, as the inputs
# are), or float64 whatever the inputs are (the book's relu2deriv, ``(output > 0) * 1.0``).
FLOAT, F64 = "float", "float64"


class Temp:
    """A value made by one step and read by one other (or bound to a name at the end of
    its statement, when it becomes that name's value)."""

    __slots__ = ("number", "dtype", "shape", "bound")

    def __init__(self, number: int, dtype: str, shape):
        self.number, self.dtype, self.shape = number, dtype, shape
        self.bound: Name | None = None

    def __repr__(self) -> str:
        return f"Temp({self.number})"


class Operand:
    """What a step reads: a name, a temporary (either maybe transposed: a view), or a scalar
    expression written inline."""

    __slots__ = ("kind", "ref", "transposed", "shape")

    def __init__(self, kind: str, ref, shape=None, transposed: bool = False):
        self.kind, self.ref, self.shape, self.transposed = kind, ref, shape, transposed


class Step:
    """One line of the plan.

    ``op``: matmul, scale, hadamard, divide, add, subtract, negate, call, derivative,
    update, bind, scalar. ``in_place`` is the index of the operand whose memory the
    result overwrites, or None. ``allocates`` is the result's new memory (0 in place or for a
    view); ``scratch`` the memory the step needs while it runs and frees at once.
    """

    __slots__ = ("index", "op", "func", "target", "operands", "shape", "flops", "formula",
                 "multiply_adds", "allocates", "scratch", "in_place", "node", "statement",
                 "layer", "shapes", "recipe")

    def __init__(self, op, target, operands, shape, node, statement, shapes):
        self.op, self.target, self.operands, self.shape = op, target, operands, shape
        self.node, self.statement, self.shapes = node, statement, shapes
        self.func: str | None = None
        self.in_place: int | None = None
        self.flops = self.multiply_adds = self.allocates = self.scratch = 0
        self.formula: tuple = ()          # the factors of the FLOPs, printed on demand
        self.layer: int | None = None
        self.index = 0
        self.recipe = True                 # False: a function called as its helper

    @property
    def flops_text(self) -> str:
        """The FLOPs as a number, or as the product they come from when a symbol is in it:
        ``2·b·784·h`` (and ``+ n`` for the scalar operations of an inline scalar)."""
        if isinstance(self.flops, int):
            return f"{self.flops:,}" if self.flops >= 10_000 else str(self.flops)
        dim = self.shapes.dim
        text = formula(*[f if isinstance(f, int) else dim(f) for f in self.formula[0]])
        return text + "".join([f" + {n}" for n in self.formula[1:]]) if len(self.formula) > 1 \
            else text

    @property
    def bytes(self):
        """Memory the step allocates: its result (unless in place) and its scratch."""
        return add(self.allocates, self.scratch)


class ChainAdvice:
    """A chain of three or more array factors: its written order and the cheapest one."""

    __slots__ = ("node", "factor_nodes", "written", "_best", "written_flops", "best_flops",
                 "adopted", "reason", "_factors")

    def __init__(self, node, factor_nodes, written, best, written_flops, best_flops, adopted,
                 reason=""):
        self.node, self.factor_nodes = node, factor_nodes
        self._factors = None
        self.written, self._best = written, best     # the best tree, or a function making it
        self.written_flops, self.best_flops = written_flops, best_flops
        self.adopted, self.reason = adopted, reason

    @property
    def best(self):
        """The cheapest product tree (None when the chain was not searched)."""
        if callable(self._best):
            self._best = self._best()
        return self._best

    @property
    def factors(self) -> list[str]:
        """The algebra of each factor (printed when first asked for)."""
        if self._factors is None:
            self._factors = [factor_text(n) for n in self.factor_nodes]
        return self._factors

    @property
    def saving(self) -> int:
        if self.best_flops is None:
            return 0
        return self.written_flops - self.best_flops

    @property
    def written_text(self) -> str:
        return chains.text(self.written, self.factors)

    @property
    def best_text(self) -> str | None:
        return None if self.best is None else chains.text(self.best, self.factors)


def factor_text(node) -> str:
    """A factor of a chain as the plan prints it: its algebra, bracketed below a product's
    precedence, or ``(…)`` when it is not small.

    >>> from notation import parse
    >>> factor_text(parse("y = W1").statements[0].value)
    'W1'
    """
    from .shape_errors import _small
    if not _small(node):
        return "(…)"
    from .emit.algebra import algebra
    from .operators import precedence, PRODUCT
    text = algebra(node)
    return f"({text})" if precedence(node) < PRODUCT else text
