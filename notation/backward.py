"""Forward program -> deltas and weight updates, as the book's training loops (SPEC §5).

"What an earlier layer says it should be is what a later layer says it should be,
multiplied by the weights in between": each layer's delta is the later layers' deltas
carried back through the products that used it, times the derivative of its activation
(applied to the layer's output, as the book's ``relu2deriv(layer_1)``). From

    l2 = relu(l0W0)W1

with the mean-squared error this derives

    l1 = relu(l0W0)
    l2 = l1W1
    δ2 = l2 - y
    δ1 = δ2W1ᵀ ⊙ relu'(l1)
    W1 -= αl1ᵀδ2
    W0 -= αl0ᵀδ1

A layer's delta δ is the gradient with respect to its pre-activation: the value the
activation was applied to (for a layer with no activation, the layer itself). Every rule
is the reverse-mode derivative of one node (``gradients.py``); the losses are the table in
``losses.py``; names and options of the step are in ``step_names.py``.

The guarantee (docs/backward.md): every update changes its parameter by exactly −α·∂L/∂P,
computed from the forward values, or the derivation refuses with a located error. Three
things make it so: every assignment is its own value (a reassigned name is renamed), every
value an update would read from a parameter is given a name first (so no update reads a
parameter an earlier update changed), and the sums over broadcast dimensions come from the
inferred shapes. tests/test_backward_autodiff.py checks it against autograd.
"""

from __future__ import annotations

import warnings

from . import losses
from .collector import paused
from .errors import NotationShapeError, NotationTranslationError
from .gradients import Gradients, add_all, one_expression, scale, through_activation
from .kinds import declared_scalars, is_scalar
from .layers import all_names, layers_of, names_in, split_layers
from .named_values import Fresh, name_products, rename_reassigned
from .nodes import Assign, Declare, Divide, Expr, MatMul, Name, Program, Update
from .step_tree import read_back
from .step_names import delta_name, loss_record, lr_and_target, stash_name, trained_parameters
from .walk import size, substitute

LOSSES = losses.names()
DELTAS = losses.DELTAS

# The most terms a derived program may hold: enough for any network a person writes (a
# 10,000-layer network derives about 150,000), few enough to print and read back in seconds.
MAX_DERIVED_NODES = 1_000_000

# The scalar the mean over the batch divides by (--mean): the batch size, given as an input.
BATCH_SIZE = Name("n")


def backward(program: Program, loss: str = "mse", lr: str | Expr = "α", target: str = "y",
             params=None, *, delta: str = "l-y", mean: bool = False, opts=None) -> Program:
    """The training step of a forward program: forward, deltas, then updates.

    ``loss`` is a name of :data:`notation.losses.LOSSES`. ``delta="y-l"`` writes the book's
    chapters 6 and 8 sign (``δ = y - l``, updates ``+=``); ``mean=True`` takes the loss as a
    mean over the batch, dividing the output delta by the batch size ``n`` (an input).
    ``opts`` are shape options (the CLI's --sizes, --dims, --batch) that the shapes of the
    step are checked with.

    >>> from notation import parse
    >>> print(backward(parse("l2 = relu(l0W0)W1")).algebra())
    l1 = relu(l0W0)
    l2 = l1W1
    δ2 = l2 - y
    δ1 = δ2W1ᵀ ⊙ relu'(l1)
    W1 -= αl1ᵀδ2
    W0 -= αl0ᵀδ1
    """
    record = loss_record(loss, delta, mean)
    lr_expr, target_expr = lr_and_target(lr, target)
    return _derive(program, record, lr_expr, target_expr, params, delta, mean, opts)


# The cyclic collector is paused while a step is derived: the derivation allocates its trees
# (acyclic, frozen nodes) and keeps them all, so every full collection rescans a heap that
# keeps growing (17% of backward's CPU time for benchmarks/growth.py's 10,000-layer network,
# ×13.4 per decade instead of ×12.0; docs/backward.md, "Speed"). A cycle made meanwhile is
# collected at the next collection after it.
@paused
def _derive(program: Program, record: losses.Loss, lr_expr: Expr, target_expr: Name, params,
            delta: str, mean: bool, opts) -> Program:
    from .shapes import infer
    declarations, written = split_layers(program)
    # The forward pass's own shapes first: a mismatch is reported in the program as written.
    shapes = infer(program, opts)
    taken = all_names(program) | {s.target for s in written}
    trained = trained_parameters(written, target_expr, params)

    fresh = Fresh(taken)
    forward = rename_reassigned(written, fresh)
    declared = declared_scalars(program)
    forward = name_products(forward, trained, fresh, lambda e: is_scalar(e, declared))
    if not _unchanged(program, declarations, forward):
        # The same forward pass with names given: its warnings are the ones just given
        # about the program as written (this program has no text of its own to quote).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            shapes = infer(Program((*declarations, *forward)), opts)
    assigned = {s.target for s in forward}
    taken = taken | fresh.taken | assigned
    if mean and BATCH_SIZE in taken:
        raise NotationTranslationError(
            "the program already uses n, the batch size a mean divides by",
            hint="rename it, or train without --mean")

    layers = layers_of(forward)
    gradients = Gradients(trained | assigned, shapes, trained)
    seed = _output_delta(record, layers[-1], target_expr, delta, mean)
    deltas, param_grads = _deltas(layers, seed, gradients, trained, taken)
    stashed, updates = _updates(param_grads, lr_expr, "-=" if delta == "l-y" else "+=", taken)
    decls = [*declarations, *([Declare(BATCH_SIZE, ())] if mean else [])]
    statements = (*decls, *forward, *deltas, *stashed, *updates)
    _check_size(statements)
    # The derived program as read from its own text, so that its spans point into it.
    derived = read_back(statements)
    # Every view prints what the plan accepts: the step's own shapes are checked here.
    try:
        infer(derived, opts)
    except NotationShapeError as e:
        _target_fits(program, shapes, derived, e, layers[-1], target_expr)
        raise
    return derived


def _target_fits(program: Program, shapes, derived: Program, error: NotationShapeError,
                 output, target: Name) -> None:
    """A target that cannot have the output's shape, said in the program as written.

    Only the output's δ reads the target (``δ = l - y``), so a shape error there is the target
    against the output; reported from the derived text, it would point at a line the user
    never wrote. Other errors of the derived step are left as they are (they quote its text).
    """
    at = error.span.start if error.span is not None else -1
    failing = next((s for s in derived.statements
                    if s.span is not None and s.span.start <= at < s.span.end), None)
    if not isinstance(failing, Assign) or target not in names_in(failing.value):
        return
    from .emit.algebra import algebra
    y, l = algebra(target), algebra(output.name)
    declared = next((s for s in program.statements
                     if isinstance(s, Declare) and s.target == target), None)
    out = shapes.names.get(output.name)
    where = declared.span if declared is not None else output.statement.span
    raise NotationShapeError(
        f"the target {y} cannot have the shape of the output {l}: the loss compares them "
        f"element by element ({error.message})", where,
        hint=(f"{l} is {shapes.text(out)} in the forward pass; declare {y} with that shape"
              if declared is not None and out is not None else error.hint))


def _unchanged(program: Program, declarations, forward) -> bool:
    """Is the program of the step's forward pass the program as written (no activation
    split off, no name renamed, no product named)? Then its shapes are already known."""
    statements = program.statements
    if len(statements) != len(declarations) + len(forward):
        return False
    for old, new in zip(statements, (*declarations, *forward)):
        if old is not new and (type(old) is not type(new) or old.target != new.target
                               or old.value is not new.value or old.span != new.span):
            return False
    return True


def _output_delta(record: losses.Loss, output, target: Name, delta: str, mean: bool) -> Expr:
    """The seed δ at the output, as the loss's record says: the error l - y (or y - l, over
    n with --mean), carried through the output's activation or cancelling it."""
    error = substitute(_error_template(record.error(delta)),
                       {Name("l"): output.name, Name("y"): target})
    if mean:
        error = Divide(error, BATCH_SIZE)
    refused = record.refusal(output.activation)
    if refused is not None:
        raise NotationTranslationError(refused[0], output.statement.span, hint=refused[1])
    return error if record.seed == "cancelled" else through_activation(output, error)


_ERRORS: dict[str, Expr] = {}


def _error_template(text: str) -> Expr:
    """A loss record's error at the output as a tree in l and y (parsed once)."""
    if text not in _ERRORS:
        from .parser import parse
        _ERRORS[text] = one_expression(parse(text), "a loss's error")
    return _ERRORS[text]


def _deltas(layers, seed: Expr, gradients: Gradients, trained: set[Name], taken: set[Name]):
    """Each layer's δ from the last back, and each parameter's gradient terms, in order."""
    out_grads: dict[Name, list[Expr]] = {}
    param_grads: dict[Name, list[Expr]] = {}
    deltas: list[Assign] = []
    output = layers[-1]
    for layer in reversed(layers):
        delta_expr = seed
        needed = None
        if layer is not output:
            grads = out_grads.pop(layer.name, None)
            if not grads:
                continue    # this layer does not reach the loss: it needs no delta
            needed = gradients.needing(layer.pre)
            if id(layer.pre) not in needed:
                continue    # nothing below it is trained (dropout on the input): no delta
            delta_expr = through_activation(layer, add_all(grads))
        name = delta_name(layer.name, taken, getattr(layer.statement, "span", None))
        deltas.append(Assign(name, delta_expr))
        collected: dict[Name, list[Expr]] = {}
        gradients.carry(layer.pre, name, collected, needed)
        for n, grads in collected.items():
            (param_grads if n in trained else out_grads).setdefault(n, []).extend(grads)
    return deltas, param_grads


def _updates(param_grads: dict, lr: Expr, op: str, taken: set[Name]):
    """One update per parameter; a gradient that would read a parameter an earlier update
    changed is computed first, with the deltas (W0W1 has no value of its own to name)."""
    stashed: list[Assign] = []
    updates: list[Update] = []
    done: set[Name] = set()
    for name, grads in param_grads.items():
        grad = add_all(grads)
        if done & set(names_in(grad)):
            stash = stash_name(name, taken)
            stashed.append(Assign(stash, grad))
            grad, grads = stash, [stash]
        updates.append(Update(name, op, scale(lr, grad) if len(grads) == 1 else
                              MatMul(lr, grad)))
        done.add(name)
    return stashed, updates


def _check_size(statements) -> None:
    """Refuse a training step too large to print: the gradient of each factor of a long
    product holds all the others, so a chain of n factors derives about n² terms."""
    left = MAX_DERIVED_NODES
    for s in statements:
        value = getattr(s, "value", None)
        if value is None:
            continue
        left -= size(value, left)      # as printed: a shared sub-tree counts each time
        if left < 0:
            raise NotationTranslationError(
                f"the derived training step would hold more than {MAX_DERIVED_NODES:,} terms",
                s.span if isinstance(s, Update) else None,
                hint="give the intermediate products of a long chain names of their own "
                     "(h1 = l0W0W1, then l2 = h1W2W3)")


