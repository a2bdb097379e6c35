"""The table of functions: notation name, NumPy helper, LaTeX, derivative (SPEC §3).

The activations use the book's own definitions, and a derivative ``f'`` is applied to the
*output* of ``f``, as the book's ``relu2deriv(layer_1)`` is. Further functions are added
with :func:`register`; the parser looks names up here, so a registered name parses at once.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Function:
    """One function of the notation.

    ``numpy`` is the body of the helper as an expression in ``x``; ``derivative`` the body of
    the derivative helper as an expression in ``output``; ``numpy_call`` is set for functions
    that need no helper (``np.exp``).
    """

    name: str
    numpy: str
    latex: str
    derivative: str | None = None
    derivative_name: str | None = None
    numpy_call: str | None = None
    latex_operator: bool = True  # \operatorname{relu} rather than a command such as \tanh
    numpy_setup: str = ""        # statements the helper runs before returning ``numpy``


_BUILTIN = (
    # The book's relu2deriv returns the boolean mask `output > 0`. Multiplied, as the book
    # uses it, that is the same number; added to another mask it is a logical or, and
    # negated it is an error. `* 1.0` makes it a number in every use, with the same values.
    Function("relu", "(x > 0) * x", r"\operatorname{relu}",
             derivative="(output > 0) * 1.0", derivative_name="relu2deriv"),
    Function("sigmoid", "1 / (1 + np.exp(-x))", r"\sigma",
             derivative="output * (1 - output)", derivative_name="sigmoid2deriv",
             latex_operator=False),
    Function("tanh", "np.tanh(x)", r"\tanh",
             derivative="1 - output ** 2", derivative_name="tanh2deriv",
             latex_operator=False),
    # Row-wise, as the book's; shifted by each row's maximum first, which changes no value
    # and keeps exp from overflowing to inf (and the result from nan) past x ≈ 709.
    Function("softmax", "e / np.sum(e, axis=1, keepdims=True)", r"\operatorname{softmax}",
             numpy_setup="e = np.exp(x - np.max(x, axis=1, keepdims=True))"),
    Function("exp", "np.exp(x)", r"\exp", numpy_call="np.exp", latex_operator=False),
    Function("log", "np.log(x)", r"\log", numpy_call="np.log", latex_operator=False),
    # The sum over the batch (rows), keeping a 1 × n row: the gradient of a bias that was
    # broadcast over the batch. Backward writes it; users may too.
    Function("sum", "np.sum(x, axis=0, keepdims=True)", r"\operatorname{sum}"),
)

FUNCTIONS: dict[str, Function] = {f.name: f for f in _BUILTIN}

# Spellings that name a function in the input and are not its name.
ALIASES = {
    "σ": "sigmoid",
    "\\sigma": "sigmoid",
    "\\tanh": "tanh",
    "\\exp": "exp",
    "\\log": "log",
    "ReLU": "relu",
}


def lookup(spelling: str) -> Function | None:
    """The function a spelling names, or None.

    >>> lookup("σ").name
    'sigmoid'
    """
    return FUNCTIONS.get(ALIASES.get(spelling, spelling))


def nearest(name: str) -> str | None:
    """The known function name closest to ``name``, for 'did you mean' hints."""
    import difflib  # only when a name is wrong; it costs the CLI's start-up otherwise
    found = difflib.get_close_matches(name, list(FUNCTIONS), n=1, cutoff=0.5)
    return found[0] if found else None


def register(name: str, numpy: str, latex: str | None = None, *,
             derivative: str | None = None, derivative_name: str | None = None) -> Function:
    """Add a function to the notation.

    ``numpy`` is an expression in ``x``; ``derivative`` an expression in ``output``.

    >>> register("swish", "x / (1 + np.exp(-x))").name
    'swish'
    """
    if not (name.isascii() and name.isalpha() and name.islower() and len(name) >= 2):
        raise ValueError(f"a function name is two or more lowercase letters, not {name!r}")
    if keyword.iskeyword(name):
        raise ValueError(f"{name!r} is a Python keyword")
    if derivative is not None and derivative_name is None:
        derivative_name = f"{name}2deriv"
    fn = Function(name, numpy, latex or rf"\operatorname{{{name}}}",
                  derivative=derivative, derivative_name=derivative_name)
    FUNCTIONS[name] = fn
    return fn
