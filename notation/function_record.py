"""The record of one function (``Function``) and of its plan-style lines (``Recipe``):
every fact a stage needs about a function, in one place. The registry of records is
``notation/functions.py``; the built-in records are ``notation/builtin_functions.py``.
"""

from __future__ import annotations

from typing import Callable

from .records import frozen, uncompared


@frozen
class Recipe:
    """The plan style's lines for one step of a function (``emit/numpy_plan.py``).

    ``{t}`` is the step's array, ``{a}`` the argument as written, ``{x}`` the argument as an
    atom (``(a + b)``). ``fresh`` writes a new array ``{t}``; ``in_place``, when there is
    one, overwrites ``{t}``, which holds the argument nothing reads again. Each gives the
    same bits as the helper's body. ``scratch`` names what the lines allocate besides the
    result, for the plan's memory count (``lowering.py``): ``"mask"`` a byte an element,
    ``"cast"`` NumPy's cast buffer, ``"rows"`` one value a row, ``"array"`` one more array.
    ``float64``: the result is float64 whatever the data (the mask times ``1.0``). ``{s}``
    and ``{u}`` are scratch arrays the lines may use (each an ``"array"`` of ``scratch``),
    deleted after the last line.
    """

    fresh: tuple[str, ...]
    in_place: tuple[str, ...] = ()
    scratch: tuple[str, ...] = ()
    float64: bool = False


# The shape rules (``shape``): the result has the argument's shape and each element depends
# on its own ("elementwise") or on its row ("row-wise", softmax); or each example's units are
# summed into one b × 1 column ("example-sum"); or the batch is summed into one 1 × n row
# ("batch-sum").
SHAPE_RULES = ("elementwise", "row-wise", "example-sum", "batch-sum")


@frozen
class Function:
    """One function of the notation, every fact about it.

    ``numpy`` is the body of the NumPy helper as an expression in ``x`` (after the statements
    ``numpy_setup``); ``numpy_call`` is set for functions that need no helper (``np.exp``).
    ``derivative`` is the body of the derivative helper, an expression in ``output`` (or in
    ``x`` when ``derivative_of`` is ``"input"``). ``reference`` and ``reference_derivative``
    are the evaluator's own implementations (``evaluate.py``), written apart from the
    helper's code so that ``compare`` checks one against the other. ``sympy`` and
    ``sympy_derivative`` are SymPy expressions in ``x``, applied elementwise (for a row-wise
    function, the term that each row is normalised by the sum of; for a sum, the term
    summed). ``idioms`` are NumPy expressions in ``x`` that read back as the function
    (``derivative_idioms`` in ``output``, or ``x``), matched by :func:`match_idiom`.
    ``flops`` counts the floating-point operations an element of the argument costs in the
    plan; ``spellings`` are the other ways the input may name the function.
    """

    name: str
    numpy: str
    latex: str
    derivative: str | None = None
    derivative_name: str | None = None
    numpy_call: str | None = None
    latex_operator: bool = True  # \operatorname{relu} rather than a command such as \tanh
    numpy_setup: str = ""        # statements the helper runs before returning ``numpy``
    spellings: tuple[str, ...] = ()
    mathml: str = ""             # the identifier MathML shows; the name when empty
    derivative_of: str = "output"
    derivative_setup: str = ""
    shape: str = "elementwise"
    flops: int = 1
    reference: Callable | None = uncompared(None)
    reference_derivative: Callable | None = uncompared(None)
    sympy: str | None = None
    sympy_derivative: str | None = None
    recipe: Recipe | None = None
    derivative_recipe: Recipe | None = None
    idioms: tuple[str, ...] = ()
    derivative_idioms: tuple[str, ...] = ()
    # The chain rule backward writes for a layer y = f(x) with no derivative helper: the
    # gradient with respect to x, in the notation, from G (the gradient with respect to y),
    # x (the input) and y (the output). Without it, backward writes "G ⊙ f'(y)" (or
    # "G ⊙ f'(x)" when derivative_of is "input"), and refuses a function with neither.
    backward: str | None = None
    # The NumPy view writes the code out (np.sum(d, axis=0, keepdims=True)) rather than
    # calling a helper, when the code is one NumPy call of x: as the book writes a sum.
    inline: bool = False
    # The plan style's code of the function (its recipe, fresh or in place) is right for
    # integer arrays as they are: relu's `t *= t > 0` keeps an int an int, as the book's
    # `(x > 0) * x` does. Only a program whose every step is such a call, a product or a
    # binding runs on integer arrays unconverted (compile.py); any other converts them to
    # the plan's float dtype first, since a sigmoid cannot write floats into an int array.
    integer_safe: bool = False
    # What the parser says where the notation writes f' of a function with no derivative
    # (softmax': the delta of softmax with cross-entropy is output - y); when empty, it
    # lists the functions that have one.
    no_derivative_hint: str = ""
    # What backward says where it cannot carry a delta through a layer of the function (it
    # has no chain rule: softmax is differentiated only at the output, with cross-entropy);
    # when empty, it says to register the function with a derivative.
    backward_hint: str = ""

    @property
    def derivative_parameter(self) -> str:
        """The derivative helper's parameter: ``output``, or ``x`` for a derivative of the input."""
        return "x" if self.derivative_of == "input" else "output"

    def shown(self) -> str:
        """The name as MathML shows it (``σ`` for the sigmoid)."""
        return self.mathml or self.name
