"""``Program.compile()``: a fast callable made once from the emitted code (SPEC §7).

    >>> import numpy as np
    >>> from notation import parse
    >>> f = parse("l2 = relu(l0W0)W1").compile()
    >>> f(l0=np.ones((1, 3)), W0=np.ones((3, 4)), W1=np.ones((4, 1)))["l2"]
    array([[12.]])

The code of a style (``plan`` by default; ``book``, ``matmul``) is wrapped in a function
whose keyword arguments are the program's inputs by their notation names (``l0``, ``W0``,
``δ2``, ``α``) and which returns ``{notation name: value}`` for every name the program assigns
or updates (a bare expression's value under ``"_"``). It is executed once, in a namespace
that holds only ``np``, the helpers the code calls and the slow path below; a call runs
straight-line NumPy and never walks the tree.

In the ``plan`` style an array of integers or booleans is converted, at the call, to the
plan's float dtype (float64 unless the plan says otherwise): the style computes in place, and
an integer array cannot hold what a sigmoid or a float update writes into it. The numbers are
the book style's, which turns such inputs into floats as soon as it mixes them with one. (An
integer weight matrix that the program updates is therefore not changed in place; the
updated copy is returned.) Float arrays pass as they are, for a comparison or two; complex
and other arrays are refused with a NotationShapeError (the notation's values are real). The
book and matmul styles run the book's code on what they are given.

Shapes are checked at every call, first by a few integer comparisons compiled into the
function: every dimension that inference tied together must be equal, and every known one
must have its value. Only when they fail does the slow path run shape inference with the
shapes passed, to raise the same error as ``notation check`` would, at the operator that
fails and naming where each shape came from (``passed as l0``). Shapes that pass there but
not in the fast check (a row that broadcasts where inference had assumed equal shapes)
run code compiled for those shapes, kept for the next call.
"""

from __future__ import annotations

import unicodedata

import numbers

from .errors import NotationShapeError
from .nodes import Declare, Name, Program
from .shapes import INPUT, Origin, ShapeOptions, find, infer, symbol_text

_CACHE_SIZE = 32          # shape signatures of the slow path kept compiled


def keyword(name: Name) -> str:
    """The keyword argument of an input: ``l0``, ``W_out``, ``δ2``, ``α``.

    In NFKC form, as Python reads the identifier in ``def run(*, ŷ)``: the tree holds ŷ as
    y + U+0302, which as a keyword would match no parameter.
    """
    return unicodedata.normalize("NFKC", symbol_text(name))


def compile_program(program: Program, opts: ShapeOptions | None = None, *, style: str = "plan",
                    convention: bool = True, optimize: bool = False, check: bool = True,
                    dtype: str = "float64"):
    """A function ``f(**inputs) -> {name: value}`` running the program's NumPy code.

    ``check=False`` leaves out the shape checks (the code then fails as NumPy fails);
    ``dtype`` is the float type the plan style converts integer and boolean arrays to.
    """
    from .plan import build
    plan = build(program, opts, convention=convention, optimize=optimize, dtype=dtype)
    return _compile(program, plan, opts, style=style, convention=convention, optimize=optimize,
                    check=check)


def compile_plan(plan):
    """The plan-style function of a plan (``Plan.__call__``)."""
    return _compile(plan.program, plan, None, style="plan", convention=plan.convention,
                    optimize=plan.optimize, check=True)


def _compile(program: Program, plan, opts, *, style: str, convention: bool, optimize: bool,
             check: bool):
    import numpy as np
    from .emit.numpy import EXPRESSION_KEY, emitter_class, scheme_for
    from .kinds import declared_scalars
    scheme = scheme_for("plain")
    if style == "plan":
        from .emit.numpy_plan import PlanStyle
        emitter = PlanStyle(scheme, declared_scalars(program), plan=plan)
    else:
        emitter = emitter_class(style)(scheme, declared_scalars(program))
    body = emitter.body(program, module=True)
    shapes = plan.shapes
    inputs = [(keyword(n), emitter.identifier(n), n) for n in plan.inputs]
    outputs = [(_key(n), emitter.identifier(n)) for n in plan.outputs]
    if plan.results:
        outputs.append((EXPRESSION_KEY, EXPRESSION_KEY))
    lines = []
    for source in emitter.helpers.values():
        lines += [source, ""]
    params = ", ".join(k for k, _, _ in inputs)
    lines.append(f"def run(*, {params}):" if params else "def run():")
    rebinding = [(k, ident) for k, ident, _ in inputs if k != ident]
    floats = style == "plan" and _writes_floats_in_place(plan)
    if check and inputs:
        # In place, an integer array would have to hold floats (see the docstring). With the
        # checks on, "every array is of the plan's float type" joins the one fast test, and
        # anything else goes to the slow path, which runs the code compiled without checks
        # below: it converts. A line per input here cost the tiny call 4%.
        lines += ["    " + line for line in _checks(shapes, inputs, floats=floats)]
    elif floats:
        for k, _, name in inputs:
            if shapes.names.get(name) is not None:
                lines.append(f'    if {k}.dtype is not _FLOAT and {k}.dtype.kind != "f": '
                             f'{k} = _real({k}, {_string(k)})')
    # NumPy's own errors on values the shapes allow (1 / 0, an update of a read-only or an
    # integer array, softmax of an empty array) become a NotationRunError at the statement
    # whose line failed; a try costs nothing in Python 3.11 until it catches.
    lines.append("    try:")
    if rebinding:
        lines.append(f"        {', '.join(i for _, i in rebinding)} = {', '.join(k for k, _ in rebinding)}")
    first = "\n".join(lines).count("\n") + 2          # the line number of the body's first
    body_start = len(lines)
    statements = getattr(emitter, "line_statements", None) or \
        [s for s in program.statements]
    where: list = []
    for line, s in zip(body, statements):
        for piece in line.split("\n"):
            lines.append("        " + piece)
            where.append(s)
    if all(line.lstrip().startswith("#") for line in lines[body_start:]):
        lines.append("        pass")                   # only declarations: no code
    lines += ["    except _ERRORS as _e:", "        _failed(_e)"]
    lines.append("    return {" + ", ".join(f"{_string(k)}: {i}" for k, i in outputs) + "}")
    source = "\n".join(lines) + "\n"
    filename = f"<notation {style} code>"
    slow = _SlowPath(program, opts, inputs, style=style, convention=convention, optimize=optimize,
                     dtype=plan.dtype, shapes=shapes)
    namespace = {"np": np, "_slow": slow, "_ARRAY": np.ndarray, "_ERRORS": _ERRORS,
                 "_failed": _Failed(program, filename, first, where),
                 "_SCALARS": frozenset({float, int, np.float64, np.float32, np.int64})}
    if style == "plan":
        namespace["_real"] = _Real(program, inputs, np.dtype(plan.dtype))
        namespace["_FLOAT"] = np.dtype(plan.dtype)      # the usual case costs one comparison
    exec(compile(source, filename, "exec"), namespace)
    run = namespace["run"]
    run.source = source
    run.plan = plan
    run.inputs = tuple(k for k, _, _ in inputs)
    run.outputs = tuple(k for k, _ in outputs)
    return run


# Steps whose plan-style code is right for integer arrays too: a product allocates its
# result, and a binding names it. A call is right when its function's record says so
# (``Function.integer_safe``: relu multiplies by its mask in place, an int times a bool is an
# int).
_INTEGER_SAFE_STEPS = frozenset({"matmul", "bind"})


def _writes_floats_in_place(plan) -> bool:
    """Could the plan's code be asked to write floats into an integer array (a sigmoid, an
    update, a sum with a float operand)? Only then are inputs tested for their float type:
    the test costs the book's 3 → 4 → 1 network 3% of a call, and with relu and products
    alone integers give the book style's numbers as they are."""
    from . import functions
    for step in plan.steps:
        if step.op in _INTEGER_SAFE_STEPS:
            continue
        fn = functions.lookup(step.func) if step.op == "call" else None
        if fn is None or not fn.integer_safe:
            return True
    return False


def _key(name: Name) -> str:
    from .emit.algebra import algebra
    return algebra(name)


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _checks(shapes, inputs, *, floats: bool = False) -> list[str]:
    """The fast shape check: unpack each array's shape, then compare integers; with
    ``floats``, each array's dtype is the plan's too."""
    if len(inputs) <= 255:
        call = "return _slow(" + ", ".join(f"{k}={k}" for k, _, _ in inputs) + ")"
    else:
        # Python's compiler checks a call's keywords for duplicates pair by pair: 10,000
        # keywords took 1.3 s to compile. A dict display of them compiles in linear time.
        call = "return _slow(**{" + ", ".join(f"{_string(k)}: {k}" for k, _, _ in inputs) + "})"
    unpack, conditions = [], []
    first_of: dict = {}                       # class root -> the local that holds it first
    local = 0
    for k, _, name in inputs:
        shape = shapes.names.get(name)
        if shape is None:
            conditions.append(f"{k}.__class__ in _SCALARS")
            continue
        # A list, an np.matrix (whose * is a product) or any other class than ndarray goes
        # to the slow path, which converts it or refuses it.
        conditions.append(f"{k}.__class__ is _ARRAY")
        values = [find(v).value for v in shape]
        if all(isinstance(v, int) for v in values):
            conditions.append(f"{k}.shape == ({values[0]}, {values[1]})")
            if floats:
                conditions.append(f"{k}.dtype is _FLOAT")
            for v in shape:
                first_of.setdefault(find(v), str(find(v).value))
            continue
        names = []
        for v, value in zip(shape, values):
            local += 1
            d = f"_d{local}"
            names.append(d)
            root = find(v)
            if isinstance(value, int):
                conditions.append(f"{d} == {value}")
            elif root in first_of:
                conditions.append(f"{d} == {first_of[root]}")
            else:
                first_of[root] = d
        unpack.append(f"{', '.join(names)} = {k}.shape")
        if floats:
            conditions.append(f"{k}.dtype is _FLOAT")
    out = []
    if unpack:
        out += ["try:"] + ["    " + u for u in unpack]
        out += ["except (AttributeError, TypeError, ValueError):", f"    {call}"]
    if len(conditions) > 200:
        # One `and` of 20,000 comparisons compiles in super-linear time (CPython's jump
        # optimisation); runs of 200, each its own statement, compile in linear time.
        runs = [conditions[i:i + 200] for i in range(0, len(conditions), 200)]
        out.append(f"_ok = {' and '.join(runs[0])}")
        out += [f"_ok = _ok and {' and '.join(run)}" for run in runs[1:]]
        conditions = ["_ok"]
    if conditions:
        out += [f"if not ({' and '.join(conditions)}):", f"    {call}"]
    return out


class _Real:
    """The plan style's conversion of an array that is not of floats: integers and booleans
    become the plan's dtype; anything else (complex, objects, text) is refused."""

    def __init__(self, program: Program, inputs, dtype):
        self.program, self.dtype = program, dtype
        self.names = {k: name for k, _, name in inputs}

    def __call__(self, value, key: str):
        if value.dtype.kind in "biu":
            return value.astype(self.dtype)
        if value.dtype.kind == "f":
            return value
        raise _not_real(self.program, self.names[key], key, value.dtype, self.dtype)


def _not_real(program: Program, name: Name, key: str, held, converted=None):
    from .inference import _first_mention
    e = NotationShapeError(
        f"{key} must be an array of real numbers, but it holds {held} values",
        _first_mention(program, name), label=f"{key} is an array of real numbers here",
        hint=f"pass {key} as floats, integers or booleans" + (
            f" (integers and booleans are converted to {converted})" if converted else ""),
        source=program.source)
    e.node = None
    return e


class _SlowPath:
    """Runs when the fast check fails: raises the shape error, or runs code compiled for
    the shapes passed when they are valid after all (a broadcasting row)."""

    def __init__(self, program: Program, opts, inputs, *, style, convention, optimize,
                 dtype="float64", shapes=None):
        self.program, self.opts, self.inputs = program, opts, inputs
        self.style, self.convention, self.optimize = style, convention, optimize
        self.dtype = dtype
        self.shapes = shapes
        self.unchecked = None
        self.cache: dict = {}

    def __call__(self, **given):
        given = {k: self._value(k, name, given[k]) for k, _, name in self.inputs}
        if self.shapes is not None and self._fits(given):
            # The shapes are the plan's after all: the fast test failed on a type (a list,
            # float32 arrays under a symbolic batch), which _value has made right.
            if self.unchecked is None:
                self.unchecked = compile_program(
                    self.program, self.opts, style=self.style, convention=self.convention,
                    optimize=self.optimize, check=False, dtype=self.dtype)
            return self.unchecked(**given)
        signature, declarations = self._declarations(given)
        run = self.cache.get(signature)
        if run is None:
            opts = self.opts.adding(declarations) if self.opts else ShapeOptions(declarations)
            infer(self.program, opts, convention=self.convention)    # raises the shape error
            run = compile_program(self.program, opts, style=self.style,
                                  convention=self.convention, optimize=self.optimize, check=False,
                                  dtype=self.dtype)
            if len(self.cache) >= _CACHE_SIZE:
                self.cache.pop(next(iter(self.cache)))
            self.cache[signature] = run
        return run(**given)

    def _value(self, key: str, name: Name, value):
        """The value as the compiled code wants it: an array-like (a list of lists, an
        np.matrix, a memmap) becomes an ndarray; what cannot be one is refused, by name."""
        import numpy as np
        from .inference import _first_mention
        from .kinds import declared_scalars, is_scalar_name
        span = _first_mention(self.program, name)
        if is_scalar_name(name, declared_scalars(self.program)):
            if isinstance(value, np.ndarray) and value.shape == () \
                    and value.dtype.kind in "biuf":
                return value[()]
            if isinstance(value, numbers.Real):
                return value
            raise _input_error(self.program, name, key, value, "a scalar (a number)", span,
                               why="the notation's numbers are real"
                               if isinstance(value, numbers.Complex) else "")
        if type(value) is np.ndarray:
            array = value
        elif isinstance(value, np.ma.MaskedArray):
            # np.asarray would drop the mask and compute with the values it hides.
            raise _input_error(self.program, name, key, value, "a 2-D array", span,
                               why="a masked array's mask would be ignored")
        elif isinstance(value, np.ndarray):
            array = np.asarray(value)               # np.matrix: its * and ** are products
        elif value is None or isinstance(value, (str, bytes, dict, set, numbers.Number)):
            raise _input_error(self.program, name, key, value, "a 2-D array", span)
        else:
            try:
                array = np.asarray(value)
            except (ValueError, TypeError, OverflowError, MemoryError):
                raise _input_error(self.program, name, key, value, "a 2-D array", span,
                                   why="NumPy cannot make an array of it") from None
        if array.dtype.kind not in "biuf":
            raise _not_real(self.program, name, key, array.dtype,
                            self.dtype if self.style == "plan" else None)
        return array

    def _fits(self, given) -> bool:
        """Do the arrays have the plan's shapes (every known dimension its value, every
        dimension that inference tied together one value)? The fast test, in Python."""
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

    def _declarations(self, given):
        from .kinds import declared_scalars, is_scalar_name
        from .inference import _first_mention
        declared = declared_scalars(self.program)
        signature, out = [], []
        for k, _, name in self.inputs:
            value = given[k]
            scalar = is_scalar_name(name, declared)
            shape = getattr(value, "shape", None)
            if scalar:
                if isinstance(value, numbers.Number) or shape == ():
                    signature.append(None)
                    continue
                raise _input_error(self.program, name, k, value, "a scalar (a number)",
                                   _first_mention(self.program, name))
            if shape is None or len(shape) != 2:
                raise _input_error(self.program, name, k, value, "a 2-D array",
                                   _first_mention(self.program, name))
            signature.append(tuple(shape))
            origin = Origin(INPUT, detail=k)
            out.append((Declare(name, tuple(int(d) for d in shape)), (origin, origin)))
        return tuple(signature), out


def _input_error(program: Program, name: Name, key: str, value, wanted: str, span,
                 why: str = ""):
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


# What NumPy and Python raise on values the shapes allow. MemoryError: an array too large
# for this machine; RecursionError cannot happen in straight-line code.
_ERRORS = (ArithmeticError, ValueError, TypeError, IndexError, MemoryError)


class _Failed:
    """Turns an error raised by the compiled code into a NotationRunError at the statement
    whose line raised it, saying what NumPy said and what would fix it."""

    def __init__(self, program: Program, filename: str, first: int, where: list):
        self.program, self.filename, self.first, self.where = program, filename, first, where

    def statement(self, error):
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
        from .errors import NotationRunError
        from .nodes import Update
        s = self.statement(error)
        text = str(error).split("\n")[0][:200]
        target = algebra(s.target) if s is not None and hasattr(s, "target") else None
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
        e = NotationRunError(message, s.span if s is not None else None,
                             label="computed here" if s is not None else "",
                             hint=hint, source=self.program.source)
        e.node = None
        raise e from None
