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

What a call receives is checked and converted by ``compile_inputs.py``: in the ``plan``
style integer and boolean arrays become the plan's float dtype, complex and other arrays are
refused (the notation's values are real); the book and matmul styles run on what they are
given.

Shapes are checked at every call, first by a few integer comparisons compiled into the
function: every dimension that inference tied together must be equal, and every known one
must have its value. Only when they fail does the slow path run shape inference with the
shapes passed, to raise the same error as ``notation check`` would, at the operator that
fails and naming where each shape came from (``passed as l0``). Shapes that pass there but
not in the fast check (a row that broadcasts where inference had assumed equal shapes)
run code compiled for those shapes, kept for the next call.
"""

from __future__ import annotations

from .collector import paused as collector_paused
from .nodes import Name, Program
from .compile_checks import shape_checks, writes_floats_in_place
from .compile_errors import NUMPY_ERRORS, FailedRun
from .compile_inputs import MANY_INPUTS, Inputs, Real, Unpack, conversions, keyword
from .emit.numpy_program import string_literal
from .shapes import ShapeOptions, infer

_CACHE_SIZE = 32          # shape signatures of the slow path kept compiled


# The collector paused, as for the plan and the NumPy view: the code of a long chain and its
# checks are many small objects and no cycle (a tenth of compile's time at 10,000 factors).
@collector_paused
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
    from .emit.numpy import EXPRESSION_KEY
    emitter = _emitter(program, plan, style)
    body = emitter.body(program, module=True)
    inputs = [(keyword(n), emitter.identifier(n), n) for n in plan.inputs]
    outputs = [(_key(n), emitter.identifier(n)) for n in plan.outputs]
    if plan.results:
        outputs.append((EXPRESSION_KEY, EXPRESSION_KEY))
    source, first, where = _source(program, plan, emitter, body, inputs, outputs, style=style,
                                   check=check)
    filename = f"<notation {style} code>"
    slow = _SlowPath(program, opts, inputs, style=style, convention=convention, optimize=optimize,
                     dtype=plan.dtype, shapes=plan.shapes)
    namespace = {"np": np, "_slow": slow, "_ARRAY": np.ndarray, "_ERRORS": NUMPY_ERRORS,
                 "_failed": FailedRun(program, filename, first, where),
                 "_SCALARS": frozenset({float, int, np.float64, np.float32, np.int64})}
    if len(inputs) > MANY_INPUTS:
        namespace["_unpack"] = Unpack(k for k, _, _ in inputs)
    if style == "plan":
        namespace["_real"] = Real(program, inputs, np.dtype(plan.dtype))
        namespace["_FLOAT"] = np.dtype(plan.dtype)      # the usual case costs one comparison
    exec(compile(source, filename, "exec"), namespace)
    run = namespace["run"]
    run.source = source
    run.plan = plan
    run.inputs = tuple(k for k, _, _ in inputs)
    run.outputs = tuple(k for k, _ in outputs)
    return run


def _emitter(program: Program, plan, style: str):
    """The emitter of a style, under the plain naming scheme (the code's names are the
    keywords')."""
    from .emit.numpy import emitter_class, scheme_for
    from .kinds import declared_scalars
    scheme = scheme_for("plain")
    if style == "plan":
        from .emit.numpy_plan import PlanStyle
        return PlanStyle(scheme, declared_scalars(program), plan=plan)
    return emitter_class(style)(scheme, declared_scalars(program))


def _source(program: Program, plan, emitter, body: list[str], inputs, outputs, *, style: str,
            check: bool) -> tuple[str, int, list]:
    """The source of ``run``, the line number of its body's first line, and the statement
    of each line of the body (for the runtime errors)."""
    shapes = plan.shapes
    lines = []
    for source in emitter.helpers.values():
        lines += [source, ""]
    params = ", ".join(k for k, _, _ in inputs)
    if len(inputs) > MANY_INPUTS:       # (Unpack: a call binds its keywords in linear time)
        lines += ["def run(**_given):", f"    {params}, = _unpack(_given)"]
    else:
        lines.append(f"def run(*, {params}):" if params else "def run():")
    rebinding = [(k, ident) for k, ident, _ in inputs if k != ident]
    floats = style == "plan" and writes_floats_in_place(plan)
    if check and inputs:
        # In place, an integer array would have to hold floats (see the docstring). With the
        # checks on, "every array is of the plan's float type" joins the one fast test, and
        # anything else goes to the slow path, which runs the code compiled without checks
        # below: it converts. A line per input here cost the tiny call 4%.
        lines += ["    " + line for line in shape_checks(shapes, inputs, floats=floats)]
    elif floats:
        lines += ["    " + line for line in conversions(shapes, inputs)]
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
    lines.append("    return {" + ", ".join(f"{string_literal(k)}: {i}" for k, i in outputs) + "}")
    return "\n".join(lines) + "\n", first, where


def _key(name: Name) -> str:
    from .emit.algebra import algebra
    return algebra(name)


class _SlowPath:
    """Runs when the fast check fails: raises the shape error, or runs code compiled for
    the shapes passed when they are valid after all (a broadcasting row)."""

    def __init__(self, program: Program, opts, inputs, *, style, convention, optimize,
                 dtype="float64", shapes=None):
        self.program, self.opts = program, opts
        self.style, self.convention, self.optimize = style, convention, optimize
        self.dtype = dtype
        self.inputs = Inputs(program, inputs, shapes=shapes,
                             converted=dtype if style == "plan" else None)
        self.unchecked = None
        self.cache: dict = {}

    def __call__(self, **given):
        given = self.inputs.values(given)
        if self.inputs.fit(given):
            # The shapes are the plan's after all: the fast test failed on a type (a list,
            # float32 arrays under a symbolic batch), which values() has made right.
            if self.unchecked is None:
                self.unchecked = compile_program(
                    self.program, self.opts, style=self.style, convention=self.convention,
                    optimize=self.optimize, check=False, dtype=self.dtype)
            return self.unchecked(**given)
        signature, declarations = self.inputs.declarations(given)
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
