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

import numbers

from .errors import NotationShapeError
from .nodes import Declare, Name, Program
from .shapes import INPUT, Origin, ShapeOptions, find, infer, symbol_text

_CACHE_SIZE = 32          # shape signatures of the slow path kept compiled


def keyword(name: Name) -> str:
    """The keyword argument of an input: ``l0``, ``W_out``, ``δ2``, ``α``."""
    return symbol_text(name)


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
    if rebinding:
        lines.append(f"    {', '.join(i for _, i in rebinding)} = {', '.join(k for k, _ in rebinding)}")
    lines += ["    " + line for line in body]
    lines.append("    return {" + ", ".join(f"{_string(k)}: {i}" for k, i in outputs) + "}")
    source = "\n".join(lines) + "\n"
    slow = _SlowPath(program, opts, inputs, style=style, convention=convention, optimize=optimize,
                     dtype=plan.dtype)
    namespace = {"np": np, "_slow": slow,
                 "_SCALARS": frozenset({float, int, np.float64, np.float32, np.int64})}
    if style == "plan":
        namespace["_real"] = _Real(program, inputs, np.dtype(plan.dtype))
        namespace["_FLOAT"] = np.dtype(plan.dtype)      # the usual case costs one comparison
    exec(compile(source, f"<notation {style} code>", "exec"), namespace)
    run = namespace["run"]
    run.source = source
    run.plan = plan
    run.inputs = tuple(k for k, _, _ in inputs)
    run.outputs = tuple(k for k, _ in outputs)
    return run


# Steps whose plan-style code is right for integer arrays too: a product allocates its
# result, and relu multiplies by its mask in place (an int times a bool is an int).
_INTEGER_SAFE = {("matmul", None), ("call", "relu"), ("bind", None)}


def _writes_floats_in_place(plan) -> bool:
    """Could the plan's code be asked to write floats into an integer array (a sigmoid, an
    update, a sum with a float operand)? Only then are inputs tested for their float type:
    the test costs the book's 3 → 4 → 1 network 3% of a call, and with relu and products
    alone integers give the book style's numbers as they are."""
    return any((step.op, step.func if step.op == "call" else None) not in _INTEGER_SAFE
               for step in plan.steps)


def _key(name: Name) -> str:
    from .emit.algebra import algebra
    return algebra(name)


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _checks(shapes, inputs, *, floats: bool = False) -> list[str]:
    """The fast shape check: unpack each array's shape, then compare integers; with
    ``floats``, each array's dtype is the plan's too."""
    call = "return _slow(" + ", ".join(f"{k}={k}" for k, _, _ in inputs) + ")"
    unpack, conditions = [], []
    first_of: dict = {}                       # class root -> the local that holds it first
    local = 0
    for k, _, name in inputs:
        shape = shapes.names.get(name)
        if shape is None:
            conditions.append(f"{k}.__class__ in _SCALARS")
            continue
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
        from .inference import _first_mention
        name = self.names[key]
        e = NotationShapeError(
            f"{key} must be an array of real numbers, but it holds {value.dtype} values",
            _first_mention(self.program, name), label=f"{key} is an array of real numbers here",
            hint=f"pass {key} as floats, integers or booleans (integers and booleans are "
                 f"converted to {self.dtype})",
            source=self.program.source)
        e.node = None
        raise e


class _SlowPath:
    """Runs when the fast check fails: raises the shape error, or runs code compiled for
    the shapes passed when they are valid after all (a broadcasting row)."""

    def __init__(self, program: Program, opts, inputs, *, style, convention, optimize,
                 dtype="float64"):
        self.program, self.opts, self.inputs = program, opts, inputs
        self.style, self.convention, self.optimize = style, convention, optimize
        self.dtype = dtype
        self.cache: dict = {}

    def __call__(self, **given):
        signature, declarations = self._declarations(given)
        run = self.cache.get(signature)
        if run is None:
            base = self.opts.declarations if self.opts else ()
            opts = ShapeOptions(base + tuple(declarations),
                                self.opts.batch if self.opts else 1)
            infer(self.program, opts, convention=self.convention)    # raises the shape error
            run = compile_program(self.program, opts, style=self.style,
                                  convention=self.convention, optimize=self.optimize, check=False,
                                  dtype=self.dtype)
            if len(self.cache) >= _CACHE_SIZE:
                self.cache.pop(next(iter(self.cache)))
            self.cache[signature] = run
        return run(**given)

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


def _input_error(program: Program, name: Name, key: str, value, wanted: str, span):
    shape = getattr(value, "shape", None)
    what = (f"an array of shape {tuple(shape)}" if shape is not None
            else f"a {type(value).__name__}")
    e = NotationShapeError(
        f"{key} must be {wanted}, but it is {what}", span,
        label=f"{key} is {wanted.split(' (')[0]} here",
        hint=("every value is a scalar or a 2-D array: a single example is 1×n, "
              "such as x.reshape(1, -1)") if wanted == "a 2-D array" else
             f"pass {key} as a number, or declare {key} with a shape",
        source=program.source)
    e.node = None
    return e
