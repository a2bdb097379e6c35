"""Every analysis walks the tree through notation/walk.py: a node type that walk.FIELDS does
not know fails in one place, with one located error, whichever stage meets it first."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from notation import NotationError, parse
from notation.errors import NotationTranslationError
from notation.nodes import Assign, Call, Expr, MatMul, Name, Program, Span
from notation.walk import children, fields, names, pre_order, rebuild, size


@dataclass(frozen=True)
class Mystery(Expr):
    """A node no stage knows (a user's experiment, or a type added to nodes.py alone)."""

    operand: Expr
    span: Span | None = None


STRANGER = Mystery(Name("x"), Span(5, 13))
# l1 = relu(mystery(x) W0): the stranger sits under a call and a product
PROGRAM = Program((Assign(Name("l", "1"), Call("relu", MatMul(STRANGER, Name("W", "0")))),))
MESSAGE = "Mystery is not a node of an expression"


def _analyses():
    from notation.emit.numpy_program import names_in
    from notation.evaluate import evaluate
    from notation.layers import split_layers
    from notation.plan import build
    from notation.random_inputs import random_inputs
    from notation.shapes import infer
    from notation.sympy_export import to_sympy
    return {
        "shapes.infer": lambda: infer(PROGRAM, convention=False),
        "plan.build": lambda: build(PROGRAM, convention=False),
        "evaluate": lambda: evaluate(PROGRAM, {"x": np.ones((1, 2)), "W0": np.ones((2, 2))}),
        "to_sympy": lambda: to_sympy(PROGRAM, convention=False),
        "random_inputs": lambda: random_inputs([PROGRAM]),
        "layers.split_layers": lambda: split_layers(PROGRAM),
        "numpy names": lambda: list(names_in(PROGRAM)),
    }


@pytest.mark.parametrize("analysis", sorted(_analyses()))
def test_an_unknown_node_fails_loudly_in_walk(analysis):
    with pytest.raises(NotationTranslationError) as caught:
        _analyses()[analysis]()
    assert caught.value.message == MESSAGE
    assert caught.value.span == Span(5, 13)          # located at the stranger


def test_the_walk_functions_refuse_it_too():
    for walk in (fields, children, lambda n: list(pre_order(n)), lambda n: list(names(n)),
                 lambda n: size(n, 10), lambda n: rebuild(n, [Name("y")])):
        with pytest.raises(NotationError, match=MESSAGE):
            walk(STRANGER)


def test_pre_order_and_names_go_left_to_right():
    expr = parse("relu(aB + cᵀ)D").statements[0].expr
    assert [n.letter for n in names(expr)] == ["a", "B", "c", "D"]
    kinds = [type(n).__name__ for n in pre_order(expr)]
    assert kinds == ["MatMul", "Call", "Add", "MatMul", "Name", "Name", "Transpose", "Name",
                     "Name"]
    assert size(expr, 100) == 9 and size(expr, 3) == 4


def test_a_deep_tree_is_walked_without_recursion():
    text = "y = " + "".join(f"W{i % 10}" for i in range(20_000))
    expr = parse(text).statements[0].value
    assert sum(1 for _ in names(expr)) == 20_000
    assert size(expr, 10**6) == 2 * 20_000 - 1        # 20,000 names, 19,999 products


def test_map_up_combines_operands_first_left_to_right_and_each_occurrence():
    from notation.walk import fold, map_up
    shared = parse("relu(aB)").statements[0].expr
    expr = MatMul(shared, shared)                 # one sub-tree written twice
    met = []
    map_up(expr, lambda node, parts: met.append(type(node).__name__) or node,
           lambda node: met.append("enter " + type(node).__name__))
    assert met == ["enter MatMul", "enter Call", "enter MatMul", "enter Name", "Name",
                   "enter Name", "Name", "MatMul", "Call",
                   "enter Call", "enter MatMul", "enter Name", "Name", "enter Name", "Name",
                   "MatMul", "Call", "MatMul"]
    # a rewrite is asked about the call at both places; fold, which memoizes shared
    # sub-trees, asks once
    for walk, times in ((map_up, 2), (fold, 1)):
        asked = []
        walk(expr, lambda node, parts: asked.append(node) if type(node) is Call else None)
        assert len(asked) == times


def test_map_up_and_substitute_refuse_an_unknown_node_and_keep_unchanged_nodes():
    from notation.walk import map_up, substitute
    with pytest.raises(NotationError, match=MESSAGE):
        map_up(MatMul(Name("a"), STRANGER), lambda node, parts: node)
    with pytest.raises(NotationError, match=MESSAGE):
        substitute(MatMul(Name("a"), STRANGER), {Name("a"): Name("b")})
    expr = parse("relu(aB) + c").statements[0].expr
    same = substitute(expr, {Name("z"): Name("b")})
    assert same is expr                            # nothing replaced: the same tree
    changed = substitute(expr, {Name("c"): Name("d")})
    assert changed == parse("relu(aB) + d").statements[0].expr
    assert changed.left is expr.left               # the untouched operand is kept


def test_map_up_walks_a_deep_tree_without_recursion():
    from notation.walk import map_up, substitute
    expr = parse("y = " + "".join(f"W{i % 10}" for i in range(20_000))).statements[0].value
    assert map_up(expr, lambda node, parts: 1 + sum(parts)) == 2 * 20_000 - 1
    renamed = substitute(expr, {Name("W", "3"): Name("V", "3")})
    assert sum(1 for n in names(renamed) if n.letter == "V") == 2_000


def test_split_layers_splits_a_call_written_twice_twice_and_refuses_a_derivative_from_the_top():
    from notation.layers import split_layers
    call = Call("relu", MatMul(Name("l", "0"), Name("W", "0")))
    program = Program((Assign(Name("l", "2"), MatMul(MatMul(call, Name("W", "1")), call)),))
    _, forward = split_layers(program)
    assert [s.target for s in forward] == [Name("l", "1"), Name("h", "1"), Name("l", "2")]
    assert forward[0].value is call and forward[1].value is call     # kept, not rebuilt
    # the outer derivative is the one refused (met first from the top), as before
    inner = Call("tanh", Name("x"), True, Span(12, 20))
    outer = Call("relu", MatMul(inner, Name("W")), True, Span(5, 30))
    with pytest.raises(NotationTranslationError, match="derivative relu'") as caught:
        split_layers(Program((Assign(Name("h"), MatMul(outer, Name("V"))),)))
    assert caught.value.span == Span(5, 30)
