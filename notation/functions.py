"""The function registry: one record per function, holding every fact about it (SPEC §3).

Each view, the plan, the evaluator, the SymPy export, the NumPy reader and backward take
what they need from the :class:`Function` record, and from nowhere else, so a function is
added in one place: one record in ``builtin_functions.py`` (or one :func:`register`
call). The record types are in ``function_record.py``, the NumPy idioms' matching in
``function_idioms.py``.
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

from .builtin_functions import builtin
from .function_record import SHAPE_RULES, Function, Recipe  # noqa: F401 (the registry's record types)



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


for _fn in builtin():
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


def summing(rule: str) -> str:
    """The name of the first function whose shape rule is ``rule`` (a sum): backward sums a
    gradient with it over the dimension its value was broadcast along.

    >>> summing("batch-sum"), summing("example-sum")
    ('batchsum', 'sum')
    """
    return next(name for name, fn in FUNCTIONS.items() if fn.shape == rule)


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


