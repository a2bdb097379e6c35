"""Every view of one program together: the terminal's `show`, the HTML page, Jupyter (SPEC §4).

The views are computed once here and handed to the printers (the sections of the
registry of views, notation/views.py): the plan (or the shape error
that stops it, shown in its place: a page still shows the algebra of a network whose
shapes do not fit), and the diagram, whose layer sizes come from planning the forward
pass split into named layers (``relu(l0W0)`` is l1, whose shape the plan then knows).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .collector import paused as collector_paused
from .errors import NotationError
from .nodes import Name, Program

_MISSING = object()


@dataclass
class Views:
    program: Program
    plan: object | None          # notation.plan.Plan
    plan_error: NotationError | None
    shapes: dict[str, list]      # algebra name -> shape, for the diagram
    columns: bool = False        # a layer is units × batch (its units are its rows)
    # The forward pass split into named layers (layers.split_layers), computed once for the
    # shapes and the picture; None when there is no forward pass or it cannot be split.
    split: tuple | None = None
    _looked_up: dict = field(default_factory=dict, repr=False)   # shape_lookup's answers

    def shape_lookup(self, name: Name):
        found = self._looked_up.get(name, _MISSING)
        if found is _MISSING:
            found = self._looked_up[name] = self._shape_lookup(name)
        return found

    def _shape_lookup(self, name: Name):
        from .emit.algebra import algebra
        shape = self.shapes.get(algebra(name))
        if shape is None:
            return None
        if not shape:
            return "scalar", None
        units = shape[0 if self.columns else -1]
        units = units if isinstance(units, int) else None
        return "×".join(str(d) for d in shape), units

    @collector_paused
    def picture(self, limit: int | None = None):
        """The diagram's picture (of the first ``limit`` layers only: emit.diagram.picture)."""
        from .emit.diagram import picture
        if self.split is None:
            return None
        try:
            return picture(None, self.shape_lookup, split=self.split, limit=limit)
        except NotationError:
            return None


def forward_part(program: Program) -> Program | None:
    """The forward pass in a program: what the book draws. A training step's deltas and
    updates are left out (they run backwards through the same picture)."""
    return _forward(program)[0]


def _forward(program: Program) -> tuple[Program | None, bool]:
    """forward_part, and whether each of its assignments is split already: no function
    called below the top of its value (split_layers then gives back its statements as they
    are). One walk over each statement for both."""
    from .kinds import Kind, kind_by_letter
    from .nodes import Assign, Call, Declare
    from .walk import pre_order

    kept, split = [], True
    for s in program.statements:
        if isinstance(s, Declare):
            kept.append(s)
            continue
        if not isinstance(s, Assign) or kind_by_letter(s.target) is Kind.DELTA:
            continue
        inner_call = False
        for node in pre_order(s.value):
            kind = type(node)
            if kind is Call:
                if node.derivative:
                    break
                inner_call = inner_call or node is not s.value
            elif kind is Name and kind_by_letter(node) is Kind.DELTA:
                break
        else:
            kept.append(s)
            split = split and not inner_call
    if not any(isinstance(s, Assign) for s in kept):
        return None, False
    return Program(tuple(kept), source=program.source), split


@collector_paused
def views(program: Program, *, sizes=None, dims=None, batch=None, convention: bool = True,
          columns: bool = False, plan: bool = True) -> Views:
    """Plan the program and its split forward pass with the shapes given. With
    ``plan=False`` the shapes are only inferred, with the same errors (``Views.plan`` is
    None): the picture reads the names' shapes alone, and ``notation diagram`` of a
    program at the limit spent most of its plan on steps and counts it never read."""
    from .emit.plan import names_table, shape_table
    from .plan import build
    from .shapes import infer, shape_options

    def checked(prog):          # the plan, or the shapes only: the same NotationShapeError
        opts = shape_options(sizes, dims, batch, columns=columns)
        if plan:
            return build(prog, opts, convention=convention)
        return infer(prog, opts, convention=convention)

    def table(done, steps: bool = False, into=None) -> dict:
        if plan:
            return shape_table(done, steps=steps, into=into)
        return names_table(done, into)

    whole, error, shapes, layers = None, None, {}, None
    try:
        whole = checked(program)
        # Only the shapes: plan_dict would explain every dimension (the printers call it).
        shapes.update(table(whole))
    except NotationError as e:
        error = e.with_source(program.source)
    try:
        from .layers import split_layers
        from .nodes import Declare
        forward_pass, is_split = _forward(program)
        if is_split:        # what split_layers would give, without rebuilding every node
            declarations = [s for s in forward_pass.statements if isinstance(s, Declare)]
            forward = [s for s in forward_pass.statements if not isinstance(s, Declare)]
        else:
            declarations, forward = split_layers(forward_pass or program)
        if forward_pass is not None:
            layers = declarations, forward      # what the picture draws
        split = Program(tuple(declarations) + tuple(forward), source=program.source)
        if whole is not None and split.statements == program.statements:
            split_done = whole       # nothing was split off: the same plan, not a second one
        else:
            split_done = checked(split)
        table(split_done, steps=True, into=shapes)   # where the plan's names have none
    except NotationError:
        pass
    return Views(program, whole if plan else None, error, shapes, columns, layers)


@collector_paused
def html_page(program: Program, **options) -> str:
    """The self-contained HTML page of ``notation show --html``: the sections of the
    registry of views (notation/views.py), in its order."""
    from .emit.html import page
    from .views import page_sections
    return page(program, page_sections(views(program, **options)))


@collector_paused
def html_fragment(program: Program, **options) -> str:
    """The side-by-side view for a Jupyter output cell."""
    from .emit.html import fragment
    from .views import page_sections
    return fragment(program, page_sections(views(program, **options)))
