"""The runtime errors of a compiled function (``compile.py``): NumPy's own errors on values
the shapes allow (1 / 0, an update of a read-only or an integer array, softmax of an empty
array) become a NotationRunError at the statement whose line failed.

    >>> from notation import parse
    >>> parse("α = β / γ").compile()(β=1, γ=0)
    Traceback (most recent call last):
    ...
    notation.errors.NotationRunError: error: division by zero
    ...
"""

from __future__ import annotations

from .errors import NotationRunError
from .nodes import Program, Update

# What NumPy and Python raise on values the shapes allow. MemoryError: an array too large
# for this machine; RecursionError cannot happen in straight-line code.
NUMPY_ERRORS = (ArithmeticError, ValueError, TypeError, IndexError, MemoryError)


class FailedRun:
    """Turns an error raised by the compiled code into a NotationRunError at the statement
    whose line raised it, saying what NumPy said and what would fix it. ``where`` holds the
    statement of each line of the function's body, from line ``first`` of ``filename``.

    >>> from notation import parse
    >>> program = parse("y = x")
    >>> FailedRun(program, "<code>", 3, list(program.statements))(ZeroDivisionError("1 / 0"))
    Traceback (most recent call last):
    ...
    notation.errors.NotationRunError: error: division by zero
    ...
    """

    def __init__(self, program: Program, filename: str, first: int, where: list):
        self.program, self.filename, self.first, self.where = program, filename, first, where

    def statement(self, error):
        """The statement whose line of the compiled function raised ``error``, or None."""
        tb, line = error.__traceback__, None
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == self.filename \
                    and tb.tb_frame.f_code.co_name == "run":
                line = tb.tb_lineno
            tb = tb.tb_next
        if line is None or not 0 <= line - self.first < len(self.where):
            return None
        return self.where[line - self.first]

    def __call__(self, error):
        from .emit.algebra import algebra
        s = self.statement(error)
        text = str(error).split("\n")[0][:200]
        target = algebra(s.target) if s is not None and hasattr(s, "target") else None
        message, hint = _message(error, text, s, target)
        e = NotationRunError(message, s.span if s is not None else None,
                             label="computed here" if s is not None else "",
                             hint=hint, source=self.program.source)
        e.node = None
        raise e from None


def _message(error, text: str, s, target: str | None) -> tuple[str, str | None]:
    """What went wrong in the user's words, and what would fix it (or None)."""
    message, hint = f"NumPy cannot compute this: {text}", None
    if isinstance(error, ZeroDivisionError):
        message, hint = "division by zero", "divide by a number other than 0"
    elif isinstance(error, OverflowError):
        message = f"a number too large for a float ({text})"
        hint = "a float64 holds numbers up to about 1.8e308"
    elif isinstance(error, MemoryError):
        message = "there is not enough memory for the arrays of this statement"
        hint = "pass smaller arrays"
    elif "read-only" in text:
        message = f"{target or 'an array'} is updated in place, but the array passed " \
                  f"is read-only"
        hint = f"pass a writeable copy ({target}.copy())" if target else None
    elif "Cannot cast ufunc" in text and isinstance(s, Update):
        message = (f"{target} is updated in place, but the array passed as {target} "
                   f"cannot hold the result ({text.split('from ')[-1]})")
        hint = f"pass {target} as an array of floats ({target}.astype(float))"
    elif "zero-size array" in text:
        message = "an array with no elements has no maximum (softmax reads one per row)"
        hint = "pass arrays with at least one row and one column"
    elif "axis" in text and "out of bounds" in text:
        message = f"this applies a function row by row to a scalar ({text})"
        hint = "give the function an array (a 1×n row), not a number"
    return message, hint
