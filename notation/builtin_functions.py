"""The built-in functions of the notation, one ``Function`` record each (the registry,
``notation/functions.py``, adds them at import): relu, step, sigmoid, tanh, softmax, exp,
log, the two sums, softplus, leaky_relu, gelu. A function is added here, in one record
(docs/architecture.md, "Adding a function").

>>> [fn.name for fn in builtin()][:4]
['relu', 'step', 'sigmoid', 'tanh']
"""

from __future__ import annotations

from .function_record import Function, Recipe


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


def builtin() -> tuple[Function, ...]:
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
            derivative_idioms=("output > 0", "0 < output", "(output > 0) * 1.0"),
            integer_safe=True),
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
            no_derivative_hint="softmax is used with cross-entropy, whose delta is output - y",
            backward_hint=("softmax is differentiated only at the output, with the cross-entropy "
                           "loss (--loss cross_entropy)"),
            recipe=r(("{t} = {x} - {x}.max(axis=1, keepdims=True)", "np.exp({t}, out={t})",
                      "{t} /= {t}.sum(axis=1, keepdims=True)"),
                     ("{t} -= {t}.max(axis=1, keepdims=True)", "np.exp({t}, out={t})",
                      "{t} /= {t}.sum(axis=1, keepdims=True)"), ("rows", "cast")),
            idioms=("np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)",
                    "np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)",
                    "np.exp(x) / np.sum(np.exp(x), keepdims=True, axis=1)",
                    "np.exp(x) / np.sum(np.exp(x), keepdims=True, axis=-1)")),
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
            # np.sum(x, axis=0) is a (n,) row, which broadcasts as the 1 × n row
            idioms=("np.sum(x, axis=0, keepdims=True)", "x.sum(axis=0, keepdims=True)",
                    "np.sum(x, keepdims=True, axis=0)", "np.sum(x, axis=0)")),
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
