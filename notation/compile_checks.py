"""The fast shape check of a compiled function (``compile.py``): the lines of Python that
unpack each input's shape and compare integers, so that a call whose shapes are the plan's
runs straight on, and any other call goes to the slow path (``_slow``), which converts the
inputs, raises the shape error, or runs code compiled for the shapes passed.
"""

from __future__ import annotations

from .emit.numpy_program import string_literal
from .shapes import find


# Steps whose plan-style code is right for integer arrays too: a product allocates its
# result, and a binding names it. A call is right when its function's record says so
# (``Function.integer_safe``: relu multiplies by its mask in place, an int times a bool is an
# int).
_INTEGER_SAFE_STEPS = frozenset({"matmul", "bind"})


def writes_floats_in_place(plan) -> bool:
    """Could the plan's code be asked to write floats into an integer array (a sigmoid, an
    update, a sum with a float operand)? Only then are inputs tested for their float type:
    the test costs the book's 3 → 4 → 1 network 3% of a call, and with relu and products
    alone integers give the book style's numbers as they are.

    >>> from notation import parse
    >>> from notation.plan import build
    >>> writes_floats_in_place(build(parse("l1 = relu(l0W0)"), None))
    False
    >>> writes_floats_in_place(build(parse("l1 = sigmoid(l0W0)"), None))
    True
    """
    from . import functions
    for step in plan.steps:
        if step.op in _INTEGER_SAFE_STEPS:
            continue
        fn = functions.lookup(step.func) if step.op == "call" else None
        if fn is None or not fn.integer_safe:
            return True
    return False


def shape_checks(shapes, inputs, *, floats: bool = False) -> list[str]:
    """The fast shape check: unpack each array's shape, then compare integers; with
    ``floats``, each array's dtype is the plan's too. ``inputs`` are (keyword, identifier,
    name) for each input, in order.

    >>> from notation import parse
    >>> from notation.plan import build
    >>> plan = build(parse("l1 = relu(l0W0)"), None)
    >>> for line in shape_checks(plan.shapes, [(n.letter + n.sub, "", n) for n in plan.inputs]):
    ...     print(line)
    try:
        _d1, _d2 = l0.shape
        _d3, _d4 = W0.shape
    except (AttributeError, TypeError, ValueError):
        return _slow(l0=l0, W0=W0)
    if not (l0.__class__ is _ARRAY and W0.__class__ is _ARRAY and _d3 == _d2):
        return _slow(l0=l0, W0=W0)
    """
    call = _slow_call(inputs)
    unpack, conditions = _unpack_and_compare(shapes, inputs, floats)
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


def _slow_call(inputs) -> str:
    """The line that hands every input to the slow path."""
    if len(inputs) <= 255:
        return "return _slow(" + ", ".join(f"{k}={k}" for k, _, _ in inputs) + ")"
    # Python's compiler checks a call's keywords for duplicates pair by pair: 10,000
    # keywords took 1.3 s to compile. A dict display of them compiles in linear time.
    return "return _slow(**{" + ", ".join(f"{string_literal(k)}: {k}" for k, _, _ in inputs) + "})"


def _unpack_and_compare(shapes, inputs, floats: bool) -> tuple[list[str], list[str]]:
    """The statements that unpack the shapes of arrays with a symbolic dimension, and the
    conditions of the one fast test, in input order."""
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
    return unpack, conditions
