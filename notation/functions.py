"""The function registry: one record per function, holding every fact about it (SPEC §3).

Each view, the plan, the evaluator, the SymPy export, the NumPy reader and backward take
what they need from the :class:`Function` record, and from nowhere else, so a function is
added in one place: one entry in :data:`_BUILTIN` (or one :func:`register` call).
``tests/test_registry.py`` runs every registered function through every consumer and names
the fact that is missing.

The activations use the book's own definitions. A derivative ``f'`` is applied to the
*output* of ``f``, as the book's ``relu2deriv(layer_1)`` is, except where the output does
not determine it (``gelu``): then ``derivative_of`` is ``"input"`` and ``f'`` takes the
value ``f`` was applied to.

>>> lookup("σ").name
'sigmoid'
>>> lookup("relu").recipe.in_place
('{t} *= {t} > 0',)
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from typing import Callable



@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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
    reference: Callable | None = field(default=None, compare=False)
    reference_derivative: Callable | None = field(default=None, compare=False)
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

    @property
    def derivative_parameter(self) -> str:
        """The derivative helper's parameter: ``output``, or ``x`` for a derivative of the input."""
        return "x" if self.derivative_of == "input" else "output"

    def shown(self) -> str:
        """The name as MathML shows it (``σ`` for the sigmoid)."""
        return self.mathml or self.name


# ---------------------------------------------------------------------------- references
# Written apart from the helpers' code: compare checks one against the other. NumPy is
# imported on a reference's first call: the parser and the text views never load it.

class _LazyNumPy:
    def __getattr__(self, attribute):
        import numpy
        return getattr(numpy, attribute)


np = _LazyNumPy()

def _sigmoid(x):
    return np.exp(-np.logaddexp(0.0, -x))


def _softmax(x):
    shifted = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return shifted / np.sum(shifted, axis=-1, keepdims=True)


def _softplus(x):
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


_GELU_C = 0.7978845608028654      # √(2/π), as a Python float so float32 data stays float32


def _gelu_inner(x):
    return 2.0 * _GELU_C * (x + 0.044715 * x * x * x)


def _gelu(x):
    # 0.5x(1 + tanh u) = x·σ(2u)
    return x * _sigmoid(_gelu_inner(x))


def _gelu_derivative(x):
    s = _sigmoid(_gelu_inner(x))
    return s + x * s * (1.0 - s) * 2.0 * _GELU_C * (1.0 + 3 * 0.044715 * x * x)


def _register_builtin() -> tuple[Function, ...]:
    """The built-in functions, one entry each."""
    r = Recipe
    return (
        # The book's relu2deriv returns the boolean mask `output > 0`. Multiplied, as the
        # book uses it, that is the same number; added to another mask it is a logical or,
        # and negated it is an error. `* 1.0` makes it a number in every use.
        Function(
            "relu", "(x > 0) * x", r"\operatorname{relu}",
            derivative="(output > 0) * 1.0", derivative_name="relu2deriv", spellings=("ReLU",),
            reference=lambda x: np.where(x > 0, x, 0.0),
            reference_derivative=lambda y: np.asarray(y > 0, dtype=float),
            sympy="Max(x, 0)", sympy_derivative="Heaviside(x, 0)",
            recipe=r(("{t} = ({x} > 0) * {x}",), ("{t} *= {t} > 0",), ("mask", "cast")),
            derivative_recipe=r(("{t} = ({x} > 0) * 1.0",), (), ("mask", "cast"), float64=True),
            idioms=("(x > 0) * x", "x * (x > 0)", "np.maximum(x, 0)", "np.maximum(0, x)"),
            derivative_idioms=("output > 0", "0 < output", "(output > 0) * 1.0")),
        # The step x >= 0 as a number: 1 where x >= 0, also at 0, where relu' (x > 0) is 0.
        # Chapter 8's relu2deriv is written so (`output >= 0`); the NumPy reader reads it as
        # step, and what it prints must read back in any process. Its gradient is 0.
        Function(
            "step", "(x >= 0) * 1.0", r"\operatorname{step}",
            reference=lambda x: np.where(x >= 0, 1.0, 0.0), sympy="Heaviside(x, 1)",
            backward="0x",
            recipe=r(("{t} = ({x} >= 0) * 1.0",), (), ("mask", "cast"), float64=True),
            idioms=("x >= 0", "0 <= x", "(x >= 0) * 1.0")),
        Function(
            "sigmoid", "1 / (1 + np.exp(-x))", r"\sigma", latex_operator=False,
            derivative="output * (1 - output)", derivative_name="sigmoid2deriv",
            spellings=("σ", "\\sigma", "sigma", "logistic"), mathml="σ",
            reference=_sigmoid, reference_derivative=lambda y: y - y * y,
            sympy="1/(1 + exp(-x))", sympy_derivative="x*(1 - x)",
            recipe=r(("{t} = np.negative({a})", "np.exp({t}, out={t})", "{t} += 1",
                      "np.divide(1, {t}, out={t})"),
                     ("np.negative({t}, out={t})", "np.exp({t}, out={t})", "{t} += 1",
                      "np.divide(1, {t}, out={t})")),
            derivative_recipe=r(("{t} = 1 - {x}", "{t} *= {x}")),
            idioms=("1 / (1 + np.exp(-x))", "1 / (np.exp(-x) + 1)"),
            derivative_idioms=("output * (1 - output)",)),
        Function(
            "tanh", "np.tanh(x)", r"\tanh", latex_operator=False,
            derivative="1 - output ** 2", derivative_name="tanh2deriv", spellings=("\\tanh",),
            reference=lambda x: np.tanh(x), reference_derivative=lambda y: 1.0 - np.square(y),
            sympy="tanh(x)", sympy_derivative="1 - x**2",
            recipe=r(("{t} = np.tanh({a})",), ("np.tanh({t}, out={t})",)),
            derivative_recipe=r(("{t} = np.square({a})", "np.subtract(1, {t}, out={t})"),
                                ("np.square({t}, out={t})", "np.subtract(1, {t}, out={t})")),
            idioms=("np.tanh(x)",), derivative_idioms=("1 - output ** 2",)),
        # Row-wise, as the book's; shifted by each row's maximum first, which changes no
        # value and keeps exp from overflowing to inf (and the result from nan) past x ≈ 709.
        Function(
            "softmax", "e / np.sum(e, axis=1, keepdims=True)", r"\operatorname{softmax}",
            numpy_setup="e = np.exp(x - np.max(x, axis=1, keepdims=True))", shape="row-wise",
            reference=_softmax, sympy="exp(x)",
            recipe=r(("{t} = {x} - {x}.max(axis=1, keepdims=True)", "np.exp({t}, out={t})",
                      "{t} /= {t}.sum(axis=1, keepdims=True)"),
                     ("{t} -= {t}.max(axis=1, keepdims=True)", "np.exp({t}, out={t})",
                      "{t} /= {t}.sum(axis=1, keepdims=True)"), ("rows", "cast")),
            idioms=("np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)",
                    "np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)")),
        Function(
            "exp", "np.exp(x)", r"\exp", numpy_call="np.exp", latex_operator=False,
            spellings=("\\exp",), reference=lambda x: np.exp(x), sympy="exp(x)",
            backward="G ⊙ y",                     # exp' = exp: the output itself
            recipe=r(("{t} = np.exp({a})",), ("np.exp({t}, out={t})",)), idioms=("np.exp(x)",)),
        Function(
            "log", "np.log(x)", r"\log", numpy_call="np.log", latex_operator=False,
            spellings=("\\log", "ln", "\\ln"), reference=lambda x: np.log(x), sympy="log(x)",
            backward="G / x",                     # log'(x) = 1/x, on the input
            recipe=r(("{t} = np.log({a})",), ("np.log({t}, out={t})",)), idioms=("np.log(x)",)),
        # The sum over each example's units, keeping a b × 1 column: the sum a reader of
        # exp(z) / sum(exp(z)) means (a softmax of each example). The column broadcasts back
        # over the units it summed (docs/shapes.md); its gradient is G broadcast over them.
        Function(
            "sum", "np.sum(x, axis=1, keepdims=True)", r"\operatorname{sum}", shape="example-sum",
            reference=lambda x: np.add.reduce(x, axis=-1, keepdims=True), sympy="x",
            backward="G + 0x", inline=True,
            recipe=r(("{t} = {x}.sum(axis=1, keepdims=True)",)),
            idioms=("np.sum(x, axis=1, keepdims=True)", "np.sum(x, axis=-1, keepdims=True)",
                    "x.sum(axis=1, keepdims=True)", "x.sum(axis=-1, keepdims=True)")),
        # The sum over the batch (rows), keeping a 1 × n row: the gradient of a bias that was
        # broadcast over the batch. Backward writes it; users may too. Its name says what it
        # sums, so that no reader takes it for the sum over an example's units.
        Function(
            "batchsum", "np.sum(x, axis=0, keepdims=True)", r"\operatorname{batchsum}",
            shape="batch-sum",
            reference=lambda x: np.add.reduce(x, axis=0, keepdims=True), sympy="x",
            backward="G + 0x", inline=True,
            recipe=r(("{t} = {x}.sum(axis=0, keepdims=True)",)),
            idioms=("np.sum(x, axis=0, keepdims=True)", "x.sum(axis=0, keepdims=True)")),
        # log(1 + exp(x)) without overflow; its derivative, σ(x), is 1 - exp(-output). The
        # written-out np.log(1 + np.exp(x)) is no idiom of it: it reads back as written.
        Function(
            "softplus", "np.logaddexp(0, x)", r"\operatorname{softplus}",
            derivative="1 - np.exp(-output)", derivative_name="softplus2deriv",
            reference=_softplus, reference_derivative=lambda y: -np.expm1(-y),
            sympy="log(1 + exp(x))", sympy_derivative="1 - exp(-x)",
            recipe=r(("{t} = np.logaddexp(0, {a})",), ("np.logaddexp(0, {t}, out={t})",)),
            derivative_recipe=r(("{t} = np.negative({a})", "np.exp({t}, out={t})",
                                 "np.subtract(1, {t}, out={t})"),
                                ("np.negative({t}, out={t})", "np.exp({t}, out={t})",
                                 "np.subtract(1, {t}, out={t})")),
            idioms=("np.logaddexp(0, x)", "np.log1p(np.exp(x))"),
            derivative_idioms=("1 - np.exp(-output)",)),
        # Slope 0.01 for x ≤ 0; its derivative, 1 or 0.01, follows from the output's sign.
        Function(
            "leaky_relu", "np.where(x > 0, x, 0.01 * x)", r"\operatorname{LeakyReLU}",
            derivative="np.where(output > 0, 1.0, 0.01)", derivative_name="leaky_relu2deriv",
            spellings=("LeakyReLU",), reference=lambda x: np.maximum(x, 0.01 * x),
            reference_derivative=lambda y: 0.01 + 0.99 * (y > 0),
            sympy="Piecewise((x, x > 0), (0.01*x, True))",
            sympy_derivative="Piecewise((1, x > 0), (0.01, True))",
            recipe=r(("{t} = np.where({x} > 0, {x}, 0.01 * {x})",), (), ("mask", "array")),
            derivative_recipe=r(("{t} = np.where({x} > 0, 1.0, 0.01)",), (), ("mask",),
                                float64=True),
            idioms=("np.where(x > 0, x, 0.01 * x)", "np.maximum(x, 0.01 * x)"),
            derivative_idioms=("np.where(output > 0, 1.0, 0.01)",)),
        # The tanh approximation 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))), computed as x·σ(u)
        # with u = 2√(2/π)(x + 0.044715x³) (1 + tanh(u/2) = 2σ(u)) and σ(u) =
        # exp(-logaddexp(0, -u)): the tanh form cancels where tanh ≈ -1 (gelu(-5.77) and
        # gelu'(-5.77) lose 7 digits, gelu'(-10) all of them); this form keeps float64's
        # relative precision everywhere, without overflow. The output does not determine
        # the derivative, so gelu' takes the input: gelu'(x) = σ(u)·(1 + x·σ(-u)·u'),
        # u' = 2√(2/π)(1 + 3·0.044715x²). The
        # constants are Python floats (2√(2/π), and 6·0.044715·√(2/π)), so float32 data stays
        # float32. docs/backward.md, "gelu's derivative".
        Function(
            "gelu", "x * np.exp(-np.logaddexp(0, -u))", r"\operatorname{GELU}",
            numpy_setup="u = 1.5957691216057308 * (x + 0.044715 * x ** 3)",
            spellings=("GELU",), derivative_of="input",
            derivative_setup="u = 1.5957691216057308 * (x + 0.044715 * x ** 3)\n"
                             "s = np.exp(-np.logaddexp(0, -u))",
            derivative="s * (1 + x * np.exp(-np.logaddexp(0, u)) * (1.5957691216057308 "
                       "+ 0.21406444881780073 * x * x))", derivative_name="gelu2deriv",
            reference=_gelu, reference_derivative=_gelu_derivative,
            sympy="x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x**3)))/2",
            sympy_derivative="diff(x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x**3)))/2, x)",
            recipe=r(("{t} = {x} ** 3", "{t} *= 0.044715", "{t} += {x}",
                      "{t} *= 1.5957691216057308", "np.negative({t}, out={t})",
                      "np.logaddexp(0, {t}, out={t})", "np.negative({t}, out={t})",
                      "np.exp({t}, out={t})", "{t} *= {x}")),
            derivative_recipe=r(("{s} = {x} ** 3", "{s} *= 0.044715", "{s} += {x}",
                                 "{s} *= 1.5957691216057308", "{t} = np.logaddexp(0, {s})",
                                 "np.negative({t}, out={t})", "np.exp({t}, out={t})",
                                 "{t} *= {x}", "{u} = 0.21406444881780073 * {x}", "{u} *= {x}",
                                 "{u} += 1.5957691216057308", "{t} *= {u}", "{t} += 1",
                                 "np.negative({s}, out={s})", "np.logaddexp(0, {s}, out={s})",
                                 "np.negative({s}, out={s})", "np.exp({s}, out={s})",
                                 "{t} *= {s}"), (), ("array", "array")),
            idioms=("x * np.exp(-np.logaddexp(0, -1.5957691216057308 * (x + 0.044715 * x ** 3)))",
                    "0.5 * x * (1 + np.tanh(0.7978845608028654 * (x + 0.044715 * x ** 3)))",
                    "0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))")),
    )


FUNCTIONS: dict[str, Function] = {}

# Spellings that name a function in the input and are not its name (derived from the
# records' ``spellings``; kept up to date by :func:`add`).
ALIASES: dict[str, str] = {}
# Every name and ASCII spelling by its folded form (lower case, no _), so that a name is
# matched in any case: ReLU, Relu, SIGMOID, SoftMax, LeakyReLU.
_FOLDED: dict[str, str] = {}

# max(0, e) and max(e, 0), as courses write ReLU, are relu: (spellings of max, its name).
MAX_OF_ZERO = (("max", "\\max"), "relu")


def _fold(spelling: str) -> str:
    return spelling.lower().replace("_", "")


def add(fn: Function) -> Function:
    """Put a record in the registry (replacing one of the same name), with its spellings.

    >>> add(Function("cube", "x ** 3", r"\\operatorname{cube}")).name
    'cube'
    >>> _ = FUNCTIONS.pop("cube")
    """
    if fn.shape not in SHAPE_RULES:
        raise ValueError(f"the shape rule of {fn.name} is one of {SHAPE_RULES}, not {fn.shape!r}")
    if fn.derivative_of not in ("output", "input"):
        raise ValueError(f"derivative_of is 'output' or 'input', not {fn.derivative_of!r}")
    FUNCTIONS[fn.name] = fn
    for spelling in fn.spellings:
        ALIASES[spelling] = fn.name
    for spelling in (fn.name, *fn.spellings):
        if spelling.isascii() and spelling.replace("_", "").isalpha():
            _FOLDED.setdefault(_fold(spelling), fn.name)
    return fn


for _fn in _register_builtin():
    add(_fn)


def lookup(spelling: str) -> Function | None:
    """The function a spelling names, or None; names are matched in any case.

    >>> lookup("σ").name, lookup("ReLU").name, lookup("SoftMax").name
    ('sigmoid', 'relu', 'softmax')
    """
    fn = FUNCTIONS.get(ALIASES.get(spelling, spelling))
    if fn is None and spelling.isascii():
        fn = FUNCTIONS.get(_FOLDED.get(_fold(spelling), ""))
    return fn


def nearest(name: str) -> str | None:
    """The known function name closest to ``name``, for 'did you mean' hints.

    >>> nearest("rleu")
    'relu'
    """
    import difflib  # only when a name is wrong; it costs the CLI's start-up otherwise
    # In lower case (Relux -> relu), and only its start: a 10^6-letter word is no function.
    found = difflib.get_close_matches(name.lower()[:64], list(FUNCTIONS), n=1, cutoff=0.5)
    return found[0] if found else None


def shape_rules() -> dict[str, str]:
    """The functions whose shape rule is not "elementwise", by name.

    >>> shape_rules()["sum"], shape_rules()["batchsum"]
    ('example-sum', 'batch-sum')
    """
    return {name: fn.shape for name, fn in FUNCTIONS.items() if fn.shape != "elementwise"}


def with_derivative() -> list[str]:
    """The names of the functions that have a derivative, in order.

    >>> with_derivative()[:3]
    ['relu', 'sigmoid', 'tanh']
    """
    return [f.name for f in FUNCTIONS.values() if f.derivative is not None]


_NAME = re.compile(r"[a-z]{2,}(?:_[a-z]+)*")


def register(name: str, numpy: str, latex: str | None = None, *,
             derivative: str | None = None, derivative_name: str | None = None,
             **facts) -> Function:
    """Add a function to the notation: ``numpy`` is an expression in ``x``, ``derivative`` one
    in ``output`` (or ``x`` with ``derivative_of="input"``). Any other fact of
    :class:`Function` may be given by keyword (``reference=``, ``sympy=``, ``recipe=``…); one
    left out is missing where it is needed (the plan style calls the helper; the evaluator
    runs the helper's own code; SymPy gets an undefined function).

    >>> register("swish", "x / (1 + np.exp(-x))").name
    'swish'
    >>> _ = FUNCTIONS.pop("swish")
    """
    if not (name.isascii() and _NAME.fullmatch(name)):
        raise ValueError("a function name is two or more lowercase letters, words joined "
                         f"by _, not {name!r}")
    if keyword.iskeyword(name):
        raise ValueError(f"{name!r} is a Python keyword")
    if derivative is not None and derivative_name is None:
        derivative_name = f"{name}2deriv"
    return add(Function(name, numpy, latex or rf"\operatorname{{{name}}}",
                        derivative=derivative, derivative_name=derivative_name, **facts))


# ---------------------------------------------------------------------------- NumPy idioms

def idioms() -> list[tuple[str, Function, bool]]:
    """Every NumPy idiom that reads back as a function: (source, function, derivative).

    >>> ("np.maximum(x, 0)", "relu", False) in [(s, f.name, d) for s, f, d in idioms()]
    True
    """
    out = []
    for fn in FUNCTIONS.values():
        out += [(source, fn, False) for source in fn.idioms]
        out += [(source, fn, True) for source in fn.derivative_idioms]
    return out


def match_idiom(node, is_numpy: Callable = lambda n: getattr(n, "id", None) == "np"):
    """The function a NumPy expression (a Python ``ast`` node) is the idiom of, as
    ``(function, derivative, argument node)``, or None. In an idiom, ``x`` (or ``output``)
    stands for any expression (the same one each time it appears) and ``np`` for any name
    ``is_numpy`` accepts; the numbers must be equal.

    >>> import ast
    >>> fn, derivative, arg = match_idiom(ast.parse("np.maximum(a + b, 0)").body[0].value)
    >>> fn.name, derivative, ast.unparse(arg)
    ('relu', False, 'a + b')
    """
    for template, fn, derivative in _candidates(node):
        bound: dict = {}
        if _matches(template, node, bound, is_numpy):
            (arg,) = bound.values()
            return fn, derivative, arg
    return None


def _kind(node) -> tuple:
    """What a template's root must share with a node to match it: its class, and the
    operator or the called function's last name (``np.maximum`` -> "maximum")."""
    import ast
    if isinstance(node, ast.Call):
        f = node.func
        return ("Call", f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None))
    if isinstance(node, (ast.BinOp, ast.UnaryOp)):
        return (type(node).__name__, type(node.op).__name__)
    if isinstance(node, ast.Compare):
        return ("Compare",) + tuple(type(op).__name__ for op in node.ops)
    return (type(node).__name__,)


_BY_KIND: dict = {}


def _candidates(node) -> list:
    """The idioms whose template could match ``node``, in registry order: templates indexed
    by their root's kind (issue 14: every node was tried against every idiom). The index is
    rebuilt when the registry changes (a function added, replaced or removed)."""
    fingerprint = tuple(map(id, FUNCTIONS.values()))
    if _BY_KIND.get("fingerprint") != fingerprint:
        _BY_KIND.clear()
        index: dict = {}
        for source, fn, derivative in idioms():
            template = _template(source)
            index.setdefault(_kind(template), []).append((template, fn, derivative))
        _BY_KIND["index"] = index
        _BY_KIND["fingerprint"] = fingerprint
    return _BY_KIND["index"].get(_kind(node), [])


def _template(source: str):
    import ast
    cached = _TEMPLATES.get(source)
    if cached is None:
        cached = _TEMPLATES[source] = ast.parse(source, mode="eval").body
    return cached


_TEMPLATES: dict = {}


def _matches(template, node, bound: dict, is_numpy) -> bool:
    import ast
    if isinstance(template, ast.Name):
        if template.id in ("x", "output"):
            if template.id in bound:
                return ast.dump(bound[template.id]) == ast.dump(node)
            bound[template.id] = node
            return True
        if template.id == "np":
            return isinstance(node, ast.Name) and bool(is_numpy(node))
        return isinstance(node, ast.Name) and node.id == template.id
    if isinstance(template, ast.Constant):
        return (isinstance(node, ast.Constant) and type(node.value) is not bool
                and type(template.value) is not bool and isinstance(node.value, (int, float))
                and node.value == template.value) or (
            isinstance(node, ast.Constant) and node.value is template.value)
    if type(template) is not type(node):
        return False
    for name in template._fields:
        if name == "ctx":
            continue
        a, b = getattr(template, name), getattr(node, name)
        if isinstance(a, list):
            if not isinstance(b, list) or len(a) != len(b):
                return False
            if not all(_matches(x, y, bound, is_numpy) for x, y in zip(a, b)):
                return False
        elif isinstance(a, ast.AST):
            if not isinstance(b, ast.AST) or not _matches(a, b, bound, is_numpy):
                return False
        elif a != b:
            return False
    return True
