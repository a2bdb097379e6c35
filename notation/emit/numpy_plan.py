"""The NumPy ``plan`` style (SPEC §4): one step of the plan per line, temporaries, and
activations computed in place where nothing reads the value again.

    layer_0 → t1 = layer_0.dot(weights_0_1)
              t1 *= t1 > 0
              layer_2 = t1.dot(weights_1_2)

Every recipe gives the same bits as the book's code: ``t *= t > 0`` multiplies by the same
mask as the book's ``(x > 0) * x`` (``np.maximum(t, 0)`` would not: it turns -0.0 into 0.0 and
-inf into 0 where the book gives -0.0 and nan); the sigmoid is ``np.negative``, ``np.exp``,
``+= 1`` and ``np.divide(1, …)`` into one buffer, the same operations as
``1 / (1 + np.exp(-x))``. The bytes each line allocates are the plan's (notation/plan.py),
and never more than the book's code allocates.
"""

from __future__ import annotations

from ..errors import NotationTranslationError
from ..lowering import recipe_of
from ..nodes import Declare, ExprStatement, Program
from ..plan import NAME, SCALAR, TEMP, Plan, Temp, build
from .numpy import (ATOM, FACTOR, SUM, TERM, BookStyle, Code, binary, check_names,
                    helper_names, wrap, EXPRESSION_KEY)

_OPERATOR = {"hadamard": ("*", TERM), "divide": ("/", TERM), "add": ("+", SUM),
             "subtract": ("-", SUM)}
_IN_PLACE_RIGHT = {"divide": "np.divide", "subtract": "np.subtract"}   # not commutative


class PlanStyle(BookStyle):
    """Plan-style code for a program, from its plan.

    ``plan`` is used as it is when given; otherwise one is built from the program with
    ``options`` (shape options), ``convention`` and ``optimize``. Scalar sub-expressions
    are written as the book style writes them.
    """

    style = "plan"

    def __init__(self, scheme="book", declared=None, *, plan: Plan | None = None,
                 options=None, convention: bool = True, optimize: bool = False):
        super().__init__(scheme, declared)
        self.plan = plan
        self.options, self.convention, self.optimize = options, convention, optimize
        self.temp_names: dict[Temp, str] = {}
        self.prefix = "t"

    def body(self, program: Program, module: bool = False) -> list[str]:
        plan = self.plan
        if plan is None:
            plan = self.plan = build(program, self.options, convention=self.convention,
                                     optimize=self.optimize)
        self.reserved |= helper_names(program)
        check_names(program, self.scheme, self.reserved)
        self.bind_expressions = module
        self.prefix = _temp_prefix(program, self.scheme, self.reserved)
        by_statement: dict[int, list] = {}
        for step in plan.steps:
            by_statement.setdefault(id(step.statement), []).append(step)
        dead = _dead_after(plan.steps)
        lines: list[str] = []
        # The statement each line computes: compile() names it when NumPy fails on the line.
        self.line_statements: list = []
        for s in program.statements:
            if isinstance(s, Declare):
                lines.append(self.emit_Declare(s))
                self.line_statements.append(s)
                continue
            steps = by_statement.get(id(s), [])
            for step in steps:
                lines += self.step(step)
                if step.index in dead:
                    lines.append("del " + ", ".join(self.temp(t) for t in dead[step.index]))
            if module and isinstance(s, ExprStatement):
                lines.append(self._bare(s))
            self.line_statements += [s] * (len(lines) - len(self.line_statements))
        return lines

    # -- operands
    def temp(self, t: Temp) -> str:
        if t.bound is not None:
            return self.identifier(t.bound)
        return f"{self.prefix}{t.number}"

    def operand(self, o) -> Code:
        if o.kind == SCALAR:
            return self.expression(o.ref)
        text = self.identifier(o.ref) if o.kind == NAME else self.temp(o.ref)
        return Code(text + ".T" if o.transposed else text, ATOM)

    def target(self, step) -> str:
        t = step.target
        if t is None:
            return ""
        return self.temp(t) if isinstance(t, Temp) else self.identifier(t)

    # -- steps
    def step(self, step) -> list[str]:
        method = getattr(self, f"step_{step.op}")
        return method(step, self.target(step), [self.operand(o) for o in step.operands])

    def step_matmul(self, step, t, ops):
        a, b = ops
        return [f"{t} = {wrap(a, ATOM)}.dot({b.text})"]

    def step_scale(self, step, t, ops):
        a, s = ops
        if step.in_place is not None:
            return [f"{t} *= {s.text}"]
        return [f"{t} = {binary(s, '*', a, TERM).text}"]

    def _elementwise(self, step, t, ops):
        op, level = _OPERATOR[step.op]
        a, b = ops
        if step.in_place == 0:
            return [f"{t} {op}= {b.text}"]
        if step.in_place == 1:
            if step.op in _IN_PLACE_RIGHT:
                self.uses_numpy = True
                return [f"{_IN_PLACE_RIGHT[step.op]}({a.text}, {t}, out={t})"]
            return [f"{t} {op}= {a.text}"]          # ⊙ and + commute exactly
        return [f"{t} = {binary(a, op, b, level).text}"]

    step_hadamard = step_divide = step_add = step_subtract = _elementwise

    def step_negate(self, step, t, ops):
        if step.in_place is not None:
            self.uses_numpy = True
            return [f"np.negative({t}, out={t})"]
        return [f"{t} = -{wrap(ops[0], FACTOR)}"]

    def step_call(self, step, t, ops):
        return self._function(step, t, ops, False)

    def step_derivative(self, step, t, ops):
        return self._function(step, t, ops, True)

    def _function(self, step, t, ops, derivative: bool):
        """A function's recipe from the function registry (functions.Recipe), or its helper
        called when it has none."""
        a = ops[0]
        recipe = recipe_of(step.func, derivative) if step.recipe else None
        if recipe is None:
            return [f"{t} = {self.use_function(step.func, derivative, step.node)}({a.text})"]
        lines = recipe.in_place if step.in_place is not None else recipe.fresh
        x = wrap(a, ATOM)
        scratch = [n for n in ("s", "u") if any("{" + n + "}" in line for line in lines)]
        names = {n: f"_{n}{step.index}" for n in scratch}     # no name of the notation
        out = [line.format(t=t, a=a.text, x=x, **names) for line in lines]
        if scratch:
            out.append("del " + ", ".join(names.values()))
        if any("np." in line for line in lines):
            self.uses_numpy = True
        return out

    def step_update(self, step, t, ops):
        if step.func not in ("-=", "+="):
            # The operator is written as it is: check it, as the book style does (a tree built
            # by hand could hold "= x\nimport os\nW +=").
            raise NotationTranslationError(f"unknown update {step.func!r}",
                                           getattr(step.statement, "span", None))
        return [f"{t} {step.func} {ops[0].text}"]

    def step_bind(self, step, t, ops):
        return [f"{t} = {ops[0].text}"]

    def step_copy(self, step, t, ops):
        return [f"{t} = {wrap(ops[0], ATOM)}.copy()"]

    def step_scalar(self, step, t, ops):
        value = ops[0].text
        if step.target is None:
            return [] if self.bind_expressions else [value]
        return [f"{t} {step.func or '='} {value}"]

    def _bare(self, s: ExprStatement) -> str:
        """``_ = value`` for a bare expression in a module (returned under "_")."""
        value = self.plan.results[id(s)]
        return f"{EXPRESSION_KEY} = {self.operand(value).text}"


def _dead_after(steps) -> dict[int, list[Temp]]:
    """Step index -> the temporaries it reads for the last time, when memory is allocated
    after it: ``del`` frees them there, as the plan's memory count assumes (a local variable
    would otherwise hold its array to the end of the function)."""
    last: dict[Temp, int] = {}
    viewed: set[Temp] = set()
    for step in steps:
        for o in step.operands:
            if o.kind == TEMP:
                last[o.ref] = step.index
                if step.op == "bind":
                    viewed.add(o.ref)                  # a name holds a view of it
    allocates_after = [False] * (len(steps) + 2)
    later = False
    for step in reversed(steps):
        allocates_after[step.index] = later
        later = later or bool(step.allocates) or bool(step.scratch)
    out: dict[int, list[Temp]] = {}
    for step in steps:
        if not allocates_after[step.index]:
            continue
        for o in step.operands:
            t = o.ref
            if o.kind == TEMP and t is not step.target and t.bound is None and t not in viewed \
                    and last[t] == step.index and t not in out.get(step.index, ()):
                out.setdefault(step.index, []).append(t)
    return out


def _temp_prefix(program: Program, scheme, reserved) -> str:
    """``t`` for temporaries, unless the program's own names use t1, t2… (then ``tmp``…)."""
    from .numpy import names_in
    used = {scheme.python(n) for n in names_in(program)} | set(reserved)
    for prefix in ("t", "tmp", "_t"):
        if not any(u.startswith(prefix) and u[len(prefix):].isdigit() for u in used):
            return prefix
    raise NotationTranslationError("no free names are left for temporaries")


def numpy_plan(program: Program, *, naming: str = "book", module: bool = False, plan=None,
               options=None, convention: bool = True, optimize: bool = False,
               function: str = "run") -> str:
    """Plan-style NumPy code for a program.

    >>> from notation import parse
    >>> print(numpy_plan(parse("l2 = relu(l0W0)W1")))
    t1 = layer_0.dot(weights_0_1)
    t1 *= t1 > 0
    layer_2 = t1.dot(weights_1_2)
    """
    from .numpy import module_source, scheme_for
    from ..kinds import declared_scalars
    emitter = PlanStyle(scheme_for(naming), declared_scalars(program), plan=plan, options=options,
                        convention=convention, optimize=optimize)
    body = emitter.body(program, module=module)
    if module:
        return module_source(program, emitter, body, function)
    return "\n".join(body)


__all__ = ["PlanStyle", "numpy_plan"]
