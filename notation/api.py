"""The public API: ``Program`` and ``Plan`` with their methods; the only module that reaches
every stage.

The stages build records and know nothing of this module: the parser makes a
``nodes.Program`` (data only), ``plan.build`` a ``plan.Plan`` (figures only). The methods a
user calls on them (``program.numpy()``, ``program.plan()``, ``str(plan)``, ``plan(l0=x)``)
are defined here and attached to those very classes when ``notation`` is imported (which
this module always is first: ``notation/__init__`` imports it). One class each, not a
subclass returned by ``parse``, so that a tree built by the parser, by a stage
(``backward``, the readers) or by hand in a test is the same class: ``isinstance``,
equality, hashing and pickling behave as before, and no stage has to know which class
to build. Each stage is imported on a method's first use, so ``import notation`` loads
neither the plan nor NumPy nor SymPy. (docs/architecture.md)
"""

from __future__ import annotations

from .errors import NotationError
from .nodes import Program
from .parser import parse
from .plan_record import PlanRecord

__all__ = ["Program", "parse"]


# What ``Program.plan`` and ``compile`` call, imported on first use and kept in these globals
# (an lru_cache call or three imports in the method cost a plan of a 3-factor chain ~2%).
_BUILD = _SHAPE_OPTIONS = None


def _stages():
    global _BUILD, _SHAPE_OPTIONS
    if _BUILD is None:
        from .plan import build
        from .shapes import shape_options
        _BUILD, _SHAPE_OPTIONS = build, shape_options
    return _BUILD, _SHAPE_OPTIONS


def _sourced(program: Program, call, *args, **kwargs):
    """``call(*args, **kwargs)``, its NotationError pointing into the program's text."""
    try:
        return call(*args, **kwargs)
    except NotationError as e:
        raise e.with_source(program.source) from None


# --------------------------------------------------------------------------- Program

def algebra(self: Program, *, ascii: bool = False) -> str:
    """The canonical algebra: ``parse("l2=relu( l_0 W_{0} ) W1").algebra() == "l2 = relu(l0W0)W1"``."""
    from .emit.algebra import algebra as emit
    return emit(self, ascii=ascii)


def numpy(self: Program, *, style: str = "book", naming: str = "book", module: bool = False,
          function: str = "run") -> str:
    """The NumPy code: ``parse("W1 -= αl1ᵀδ2").numpy()`` is
    ``"weights_1_2 -= alpha * layer_1.T.dot(layer_2_delta)"``.

    ``style`` is ``"book"`` (``.dot``) or ``"matmul"`` (``@``); ``naming`` is ``"book"``
    (``layer_1``) or ``"plain"`` (``l1``); ``module=True`` gives an importable module
    whose function ``function`` takes the inputs by keyword.
    """
    from .emit.numpy import numpy as emit
    return _sourced(self, emit, self, style=style, naming=naming, module=module,
                    function=function)


def latex(self: Program, *, document: bool = False) -> str:
    """The LaTeX: ``l_{2} = \\operatorname{relu}\\left(l_{0} W_{0}\\right) W_{1}``;
    ``document=True`` gives a complete ``.tex`` file."""
    from .emit.latex import latex as emit
    return _sourced(self, emit, self, document=document)


def _repr_latex_(self: Program) -> str:
    return "$$" + self.latex() + "$$"


def _repr_html_(self: Program) -> str:
    """Jupyter's rich display: every view side by side (algebra, math, NumPy, LaTeX,
    plan, diagram), shapes inferred symbolically."""
    from .side_by_side import html_fragment
    return html_fragment(self)


def backward(self: Program, loss: str = "mse", lr: str = "α", target: str = "y",
             params=None, *, delta: str = "l-y", mean: bool = False, sizes=None, dims=None,
             batch=None, columns: bool = False) -> Program:
    """The training step, as the book's loops: forward, deltas, then updates (SPEC §5).

    ``parse("l2 = relu(l0W0)W1").backward()`` gives ``δ2 = l2 - y``,
    ``δ1 = δ2W1ᵀ ⊙ relu'(l1)``, ``W1 -= αl1ᵀδ2``, ``W0 -= αl0ᵀδ1`` after the forward lines.
    ``delta="y-l"`` writes the book's ``δ = y - l`` with ``+=``; ``mean=True`` divides the
    output delta by the batch size ``n``; ``sizes``, ``dims``, ``batch`` are shapes the step
    is checked with, as ``plan`` takes them (docs/backward.md); ``columns=True`` reads the
    column-vector convention (docs/shapes.md), so a bias column sums over the batch columns.
    """
    from .backward import backward as derive
    _, shape_options = _stages()
    return _sourced(self, derive, self, loss=loss, lr=lr, target=target, params=params,
                    delta=delta, mean=mean,
                    opts=shape_options(sizes, dims, batch, columns=columns))


def plan(self: Program, *, sizes=None, dims=None, batch=None, convention: bool = True,
         optimize: bool = False, dtype: str = "float64", params=None, **names):
    """The shape-checked plan (SPEC §4): ``parse("l2 = relu(l0W0)W1").plan(sizes=(3, 4, 1))``
    has steps of 1×4, 1×4 and 1×1, 36 FLOPs and 16 parameters.

    Shapes come as the CLI's options do — ``sizes``, ``dims``, ``batch`` — or one keyword
    per name: ``l0=3`` (units), ``W0=(3, 4)``, ``l0=("b", 784)``. Raises NotationShapeError.
    """
    build, shape_options = _stages()
    opts = shape_options(sizes, dims, batch, **names)
    # _sourced written out: planning a small chain is mostly fixed costs, a call frame one
    try:
        return build(self, opts, convention=convention, optimize=optimize, dtype=dtype,
                     params=params)
    except NotationError as e:
        raise e.with_source(self.source) from None


def compile(self: Program, *, style: str = "plan", sizes=None, dims=None, batch=None,
            convention: bool = True, optimize: bool = False, check: bool = True, **names):
    """A fast callable from the emitted code (SPEC §7): ``f = parse("l2 = relu(l0W0)W1")
    .compile(); f(l0=x, W0=A, W1=B)`` returns ``{"l2": …}``, checking the shapes passed.

    ``style`` is ``"plan"`` (default, the fastest), ``"book"`` or ``"matmul"``; shapes may
    be fixed as for :meth:`plan`.
    """
    from .compile import compile_program
    _, shape_options = _stages()
    opts = shape_options(sizes, dims, batch, **names)
    return _sourced(self, compile_program, self, opts, style=style, convention=convention,
                    optimize=optimize, check=check)


def to_sympy(self: Program, *, sizes=None, dims=None, batch=None, convention: bool = True,
             **names):
    """SymPy matrix expressions with the checked shapes: ``{"l2": relu(l0*W0)*W1}`` of
    ``MatrixSymbol`` s (SPEC §7). Unknown dimensions are positive integer symbols."""
    from .sympy_export import to_sympy as export
    _, shape_options = _stages()
    opts = shape_options(sizes, dims, batch, **names)
    return _sourced(self, export, self, opts, convention=convention)


def _program_str(self: Program) -> str:
    return self.algebra()


REPR_CHARS = 120     # a longer program's repr is cut, as reprlib cuts a long list


def _program_repr(self: Program) -> str:
    """``Program('l2 = relu(l0W0)W1')``: the text it was read from (its algebra when it was
    built in Python), cut to REPR_CHARS."""
    text = self.source.strip()
    if not text:
        try:
            text = self.algebra()
        except NotationError:    # a tree built in Python that no view prints: repr never raises
            return f"Program(<{len(self.statements)} statements that print in no view>)"
    if len(text) > REPR_CHARS:
        text = text[:REPR_CHARS - 1] + "…"
    return f"Program({text!r})"


def init(self: Program, *, scheme: str = "book", seed: int | None = None, sizes=None,
         dims=None, batch=None, convention: bool = True, params=None, columns: bool = False,
         **names) -> dict:
    """Initial weights of the checked shapes, ``{"W0": array, …}`` (notation.weights):
    ``parse("l2 = relu(l0W0)W1").init(sizes=(3, 4, 1), seed=1)`` gives the book's
    ``2*np.random.random((3, 4)) - 1`` and ``(4, 1)`` after ``np.random.seed(1)``.
    ``scheme`` is ``"book"``, ``"xavier"`` (``"glorot"``) or ``"he"``."""
    from .weights import init_weights
    return _sourced(self, init_weights, self, scheme=scheme, seed=seed, sizes=sizes,
                    dims=dims, batch=batch, convention=convention, params=params,
                    columns=columns, **names)


PROGRAM_METHODS = {
    "algebra": algebra, "numpy": numpy, "latex": latex, "_repr_latex_": _repr_latex_,
    "_repr_html_": _repr_html_, "backward": backward, "plan": plan, "compile": compile,
    "to_sympy": to_sympy, "__str__": _program_str, "__repr__": _program_repr, "init": init,
}


# --------------------------------------------------------------------------- Plan

def text(self) -> str:
    """The plan as an aligned table, then totals, shapes and chain advice.

    >>> print(parse("l2 = l1W1").plan().text().splitlines()[0])
    plan of l2 = l1W1  (float64; the book's convention)
    """
    from .emit.plan import plan_text
    return plan_text(self)


def summary(self) -> str:
    """The table and totals, without the shapes and their provenance."""
    from .emit.plan import plan_text
    return plan_text(self, shapes=False)


def to_dict(self) -> dict:
    """The plan as plain data: steps, totals, shapes, chains (what ``json()`` writes)."""
    from .emit.plan import plan_dict
    return plan_dict(self)


def json(self, indent: int | None = 2) -> str:
    """``to_dict()`` as JSON text."""
    import json as _json
    return _json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def _plan_str(self) -> str:
    return self.text()


def _plan_html(self) -> str:
    """Jupyter shows the steps and totals as an HTML table."""
    from .emit.html import plan_table
    return plan_table(self.to_dict())


def run(self, **inputs):
    """Run the plan: NumPy ``plan`` style code, compiled on the first call."""
    if self._compiled is None:
        from .compile import compile_plan
        self._compiled = compile_plan(self)
    return self._compiled(**inputs)


PLAN_METHODS = {"text": text, "summary": summary, "to_dict": to_dict, "json": json,
                "__str__": _plan_str, "__repr__": _plan_str, "_repr_html_": _plan_html,
                "__call__": run}


# The records' generated reprs (a dataclass dump; nodes' tree repr) give way to short ones.
_REPLACED = {"__repr__"}


def _attach(cls, methods: dict) -> None:
    for name, function in methods.items():
        if name in cls.__dict__ and name not in _REPLACED:      # a method written in the record too: one would be lost
            raise RuntimeError(f"{cls.__name__}.{name} is defined both in its class and in "
                               f"notation/api.py: keep one (api.py's)")
        function.__qualname__ = f"{cls.__name__}.{name}"
        setattr(cls, name, function)


_attach(Program, PROGRAM_METHODS)
_attach(PlanRecord, PLAN_METHODS)
