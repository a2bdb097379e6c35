"""What a compiled function receives (``compile.py``): its keyword arguments, checked and
made what the code wants, or refused by name with an error at the input's first mention.

    >>> import numpy as np
    >>> from notation import parse
    >>> f = parse("l1 = sigmoid(l0W0)").compile()
    >>> f(l0=np.ones((1, 2), dtype=int), W0=np.zeros((2, 1)))["l1"]
    array([[0.5]])

In the ``plan`` style an array of integers or booleans is converted, at the call, to the
plan's float dtype (float64 unless the plan says otherwise): the style computes in place, and
an integer array cannot hold what a sigmoid or a float update writes into it. The numbers are
the book style's, which turns such inputs into floats as soon as it mixes them with one. (An
integer weight matrix that the program updates is therefore not changed in place; the
updated copy is returned.) Float arrays pass as they are, for a comparison or two; complex
and other arrays are refused with a NotationShapeError (the notation's values are real). The
book and matmul styles run the book's code on what they are given.

The fast path tests the inputs with the lines ``compile_checks.py`` writes into the code;
only a call that fails them meets :class:`Inputs`, the slow path's side of the inputs.
"""

from __future__ import annotations

import numbers
import unicodedata

from .emit.numpy_program import string_literal
from .errors import NotationShapeError
from .kinds import declared_scalars, is_scalar_name
from .mentions import first_mention
from .nodes import Declare, Name, Program
from .shapes import INPUT, Origin, find, symbol_text


def keyword(name: Name) -> str:
    """The keyword argument of an input: ``l0``, ``W_out``, ``δ2``, ``α``.

    In NFKC form, as Python reads the identifier in ``def run(*, ŷ)``: the tree holds ŷ as
    y + U+0302, which as a keyword would match no parameter.

    >>> keyword(Name("W", "out")), keyword(Name("δ", "2"))
    ('W_out', 'δ2')
    """
    return unicodedata.normalize("NFKC", symbol_text(name))


class Real:
    """The plan style's conversion of an array that is not of floats: integers and booleans
    become the plan's dtype; anything else (complex, objects, text) is refused.

    ``inputs`` are the compiled function's (keyword, identifier, name) triples.
    """

    def __init__(self, program: Program, inputs, dtype):
        self.program, self.dtype = program, dtype
        self.names = {k: name for k, _, name in inputs}

    def __call__(self, value, key: str):
        if value.dtype.kind in "biu":
            return value.astype(self.dtype)
        if value.dtype.kind == "f":
            return value
        raise not_real(self.program, self.names[key], key, value.dtype, self.dtype)


def conversions(shapes, inputs) -> list[str]:
    """The lines that code compiled without the shape checks starts with in the plan style:
    each array input not of floats goes through ``_real`` (a :class:`Real`).

    >>> from notation.nodes import Name
    >>> class Shapes: names = {Name("l", "0"): (1, 3)}
    >>> conversions(Shapes, [("l0", "l0", Name("l", "0"))])
    ['if l0.dtype is not _FLOAT and l0.dtype.kind != "f": l0 = _real(l0, "l0")']
    """
    return [f'if {k}.dtype is not _FLOAT and {k}.dtype.kind != "f": '
            f'{k} = _real({k}, {string_literal(k)})'
            for k, _, name in inputs if shapes.names.get(name) is not None]


class Inputs:
    """The inputs of a compiled function as its slow path sees them: each made what the
    code wants (:meth:`values`), tested against the plan's shapes (:meth:`fit`), or turned
    into the declarations that inference checks them with (:meth:`declarations`).

    ``converted`` is the dtype the plan style converts integers and booleans to (None in
    the book and matmul styles); ``shapes`` are the plan's (None: no fast test to redo).
    """

    def __init__(self, program: Program, inputs, *, shapes=None, converted=None):
        self.program, self.inputs = program, inputs
        self.shapes, self.converted = shapes, converted

    def values(self, given: dict) -> dict:
        """Every input by its keyword, as the code wants it."""
        return {k: self.value(k, name, given[k]) for k, _, name in self.inputs}

    def value(self, key: str, name: Name, value):
        """The value as the compiled code wants it: an array-like (a list of lists, an
        np.matrix, a memmap) becomes an ndarray; what cannot be one is refused, by name."""
        import numpy as np
        program = self.program
        span = first_mention(program, name)
        if is_scalar_name(name, declared_scalars(program)):
            if isinstance(value, np.ndarray) and value.shape == () \
                    and value.dtype.kind in "biuf":
                return value[()]
            if isinstance(value, numbers.Real):
                return value
            raise input_error(program, name, key, value, "a scalar (a number)", span,
                              why="the notation's numbers are real"
                              if isinstance(value, numbers.Complex) else "")
        if type(value) is np.ndarray:
            array = value
        elif isinstance(value, np.ma.MaskedArray):
            # np.asarray would drop the mask and compute with the values it hides.
            raise input_error(program, name, key, value, "a 2-D array", span,
                              why="a masked array's mask would be ignored")
        elif isinstance(value, np.ndarray):
            array = np.asarray(value)               # np.matrix: its * and ** are products
        elif value is None or isinstance(value, (str, bytes, dict, set, numbers.Number)):
            raise input_error(program, name, key, value, "a 2-D array", span)
        else:
            try:
                array = np.asarray(value)
            except (ValueError, TypeError, OverflowError, MemoryError):
                raise input_error(program, name, key, value, "a 2-D array", span,
                                  why="NumPy cannot make an array of it") from None
        if array.dtype.kind not in "biuf":
            raise not_real(program, name, key, array.dtype, self.converted)
        return array

    def fit(self, given: dict) -> bool:
        """Do the arrays have the plan's shapes (every known dimension its value, every
        dimension that inference tied together one value)? The fast test, in Python."""
        if self.shapes is None:
            return False
        bound: dict = {}
        for k, _, name in self.inputs:
            shape = self.shapes.names.get(name)
            if shape is None:
                continue
            actual = getattr(given[k], "shape", None)
            if actual is None or len(actual) != len(shape):
                return False
            for v, d in zip(shape, actual):
                root = find(v)
                want = root.value if isinstance(root.value, int) else bound.setdefault(root, d)
                if want != d:
                    return False
        return True

    def declarations(self, given: dict):
        """The shapes passed, as (a signature to cache the code by, the declarations that
        inference checks them with, each passed as its keyword)."""
        program = self.program
        declared = declared_scalars(program)
        signature, out = [], []
        for k, _, name in self.inputs:
            value = given[k]
            shape = getattr(value, "shape", None)
            if is_scalar_name(name, declared):
                if isinstance(value, numbers.Number) or shape == ():
                    signature.append(None)
                    continue
                raise input_error(program, name, k, value, "a scalar (a number)",
                                  first_mention(program, name))
            if shape is None or len(shape) != 2:
                raise input_error(program, name, k, value, "a 2-D array",
                                  first_mention(program, name))
            signature.append(tuple(shape))
            origin = Origin(INPUT, detail=k)
            out.append((Declare(name, tuple(int(d) for d in shape)), (origin, origin)))
        return tuple(signature), out


def not_real(program: Program, name: Name, key: str, held, converted=None):
    """The error of an input that holds no real numbers (complex, objects, text)."""
    e = NotationShapeError(
        f"{key} must be an array of real numbers, but it holds {held} values",
        first_mention(program, name), label=f"{key} is an array of real numbers here",
        hint=f"pass {key} as floats, integers or booleans" + (
            f" (integers and booleans are converted to {converted})" if converted else ""),
        source=program.source)
    e.node = None
    return e


def input_error(program: Program, name: Name, key: str, value, wanted: str, span,
                why: str = ""):
    """The error of an input that is not ``wanted`` (a 2-D array, a scalar), at ``span``."""
    shape = getattr(value, "shape", None)
    what = (f"an array of shape {tuple(shape)}" if shape is not None
            else f"a {type(value).__name__}")
    if why:
        what += f" ({why})"
    e = NotationShapeError(
        f"{key} must be {wanted}, but it is {what}", span,
        label=f"{key} is {wanted.split(' (')[0]} here",
        hint=("every value is a scalar or a 2-D array: a single example is 1×n, "
              "such as x.reshape(1, -1)") if wanted.startswith("a 2-D array") else
             f"pass {key} as a number, or declare {key} with a shape",
        source=program.source)
    e.node = None
    return e


# Past this many inputs the compiled function takes them as ``**given`` and unpacks them in
# one statement: CPython binds each keyword of a call to a keyword-only parameter by
# searching the parameter names, so a call of n keywords costs n² (a 36,905-layer network's
# 73,810 inputs: 5.9 s a call; 73,810 keywords of new strings: 25.7 s).
MANY_INPUTS = 255


class Unpack:
    """``Unpack(keys)(given)``: the values of ``given`` in the order of ``keys``, or the
    TypeError Python raises for the same call of a function with those keyword-only
    parameters (an unexpected keyword first, then the missing ones)."""

    def __init__(self, keys):
        from operator import itemgetter
        self.keys = tuple(keys)
        self.known = frozenset(self.keys)
        self.get = itemgetter(*self.keys)

    def __call__(self, given: dict):
        if len(given) == len(self.keys):
            try:
                values = self.get(given)
            except KeyError:
                pass
            else:
                return values if len(self.keys) > 1 else (values,)
        raise self.error(given)

    def error(self, given: dict) -> TypeError:
        unexpected = next((k for k in given if k not in self.known), None)
        if unexpected is not None:
            return TypeError(f"run() got an unexpected keyword argument '{unexpected}'")
        missing = [f"'{k}'" for k in self.keys if k not in given]
        listed = (missing[0] if len(missing) == 1 else " and ".join(missing) if len(missing) == 2
                  else ", ".join(missing[:-1]) + ", and " + missing[-1])
        plural = "argument" if len(missing) == 1 else "arguments"
        return TypeError(f"run() missing {len(missing)} required keyword-only {plural}: {listed}")

