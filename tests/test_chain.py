"""The cheapest order of a chain of products (SPEC §4): the dynamic programme finds the
optimum, agrees with NumPy's own ``multi_dot``, and never reaches across a function or an
elementwise operation."""

import itertools
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notation import parse
from notation.chain import (MAX_FACTORS, best_cost, best_order, cost, is_left_to_right,
                            left_to_right, postorder, text)
from .tools import examples


def numpy_chain_order(dims):
    """The order ``np.linalg.multi_dot`` would use, as a product tree."""
    try:
        from numpy.linalg._linalg import _multi_dot_matrix_chain_order
    except ImportError:                                  # NumPy 1.x
        from numpy.linalg.linalg import _multi_dot_matrix_chain_order
    arrays = [np.empty((dims[i], dims[i + 1])) for i in range(len(dims) - 1)]
    split = _multi_dot_matrix_chain_order(arrays)

    def tree(i, j):
        if i == j:
            return i
        k = int(split[i, j])
        return (tree(i, k), tree(k + 1, j))
    return tree(0, len(arrays) - 1)


def all_trees(i, j):
    if i == j:
        yield i
        return
    for k in range(i, j):
        for left in all_trees(i, k):
            for right in all_trees(k + 1, j):
                yield (left, right)


def random_dims(rng, n):
    return [rng.randint(1, 60) for _ in range(n + 1)]


# ---------------------------------------------------------------------------- the optimum

def test_the_textbook_example():
    # CLRS 15.2: 30×35, 35×15, 15×5, 5×10, 10×20, 20×25 costs 15,125 multiplications
    flops, tree = best_order([30, 35, 15, 5, 10, 20, 25])
    assert flops == 2 * 15125
    assert text(tree, list("ABCDEF")) == "A(BC)(DEF)"       # ((A(BC))((DE)F)) in CLRS


@pytest.mark.parametrize("seed", range(40))
def test_the_dynamic_programme_finds_the_optimum(seed):
    rng = random.Random(seed)
    dims = random_dims(rng, rng.randint(1, 7))
    flops, tree = best_order(dims)
    assert cost(tree, dims) == flops
    assert flops == min(cost(t, dims) for t in all_trees(0, len(dims) - 2))


@pytest.mark.parametrize("seed", range(40))
def test_it_agrees_with_numpys_multi_dot(seed):
    rng = random.Random(1000 + seed)
    dims = random_dims(rng, rng.randint(3, 12))
    flops, tree = best_order(dims)
    assert cost(numpy_chain_order(dims), dims) == flops
    # and the order computes the same product
    gen = np.random.default_rng(seed)
    arrays = [gen.standard_normal((dims[i], dims[i + 1])) for i in range(len(dims) - 1)]
    values = []
    for node in postorder(tree):
        if isinstance(node, int):
            values.append(arrays[node])
        else:
            right, left = values.pop(), values.pop()
            values.append(left @ right)
    assert np.allclose(values[0], np.linalg.multi_dot(arrays))


def classic_order(dims):
    """CLRS 15.2 as written, the split kept in its own table: the first cheapest split wins."""
    n = len(dims) - 1
    m = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            m[i][j] = None
            for k in range(i, j):
                c = m[i][k] + m[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if m[i][j] is None or c < m[i][j]:
                    m[i][j], split[i][j] = c, k

    def tree(i, j):
        return i if i == j else (tree(i, split[i][j]), tree(split[i][j] + 1, j))
    return 2 * m[0][n - 1], tree(0, n - 1)


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(st.integers(1, 4), min_size=2, max_size=14) | st.lists(st.integers(1, 900), min_size=2, max_size=14))
def test_the_table_and_its_splits_found_again_agree_with_the_classic_table(dims):
    # small dimensions make many ties: the tree found again from the costs must be the one
    # the classic table records (its first cheapest split), not another as cheap
    assert best_order(dims) == classic_order(dims)
    flops, tree = best_cost(dims)
    assert (flops, tree()) == classic_order(dims)


def test_three_factors_without_the_table_agree_with_the_classic_table():
    # best_cost weighs a chain of three by its two orders alone: every shape of small
    # dimensions (ties among them) gives the classic table's cost and tree
    for dims in itertools.product((1, 2, 3, 5), repeat=4):
        flops, tree = best_cost(list(dims))
        assert (flops, tree()) == classic_order(list(dims)), dims


def test_tree_helpers():
    assert left_to_right(4) == (((0, 1), 2), 3)
    assert is_left_to_right(left_to_right(5)) and not is_left_to_right((0, (1, 2)))
    assert text((0, (1, (2, 3))), ["l0", "W0", "W1", "W2"]) == "l0(W0(W1W2))"
    assert text(((0, 1), (2, 3)), list("ABCD")) == "AB(CD)"
    assert cost(((0, 1), 2), [10, 100, 5, 50]) == 15000
    assert cost((0, (1, 2)), [10, 100, 5, 50]) == 150000
    with pytest.raises(ValueError):
        best_order([3])


# ---------------------------------------------------------------------------- in the plan

CHAIN = "A : 10×100\nB : 100×5\nC : 5×50\nD : 50×1\nY = ABCD"


def test_advice_names_the_cheapest_order_and_its_saving():
    plan = parse(CHAIN).plan()
    (advice,) = plan.chains
    assert advice.written_text == "ABCD" and advice.best_text == "A(B(CD))"
    assert (advice.written_flops, advice.best_flops, advice.saving) == (16000, 3500, 12500)
    assert not advice.adopted
    assert "  ABCD (at line 5): as written ABCD costs 16,000 FLOPs; A(B(CD)) costs 3500, " \
           "saving 12,500 (78%): --optimize adopts it" in plan.text()
    assert plan.flops == 16000


def test_optimize_adopts_the_cheapest_order():
    plan = parse(CHAIN).plan(optimize=True)
    assert plan.flops == 3500 and plan.chains[0].adopted
    assert [s.op for s in plan.steps] == ["matmul"] * 3
    gen = np.random.default_rng(0)
    A, B, C, D = (gen.standard_normal(s) for s in [(10, 100), (100, 5), (5, 50), (50, 1)])
    fast = parse(CHAIN).compile(optimize=True)(A=A, B=B, C=C, D=D)["Y"]
    assert np.allclose(fast, A @ B @ C @ D)
    assert parse(CHAIN).compile(optimize=True).source.count(".dot(") == 3


def test_written_parentheses_are_the_written_order():
    plan = parse("A : 10×100\nB : 100×5\nC : 5×50\nD : 50×1\nY = A(BC)D").plan()
    (advice,) = plan.chains
    assert advice.written == ((0, (1, 2)), 3) and advice.written_text == "A(BC)D"
    assert advice.written_flops == 2 * (100 * 5 * 50 + 10 * 100 * 50 + 10 * 50 * 1)


def test_a_chain_never_reaches_across_a_function_or_an_elementwise_operation():
    plan = parse("l4 = relu(l0W0W1)W2W3 ⊙ M").plan(sizes="64,8,64,8,64", batch=32)
    factors = [c.factors for c in plan.chains]
    assert factors == [["l0", "W0", "W1"], ["relu(l0W0W1)", "W2", "W3"]]
    assert [s.op for s in plan.steps].index("call") == 2   # relu after its own chain
    optimized = parse("l4 = relu(l0W0W1)W2W3 ⊙ M").plan(sizes="64,8,64,8,64", batch=32,
                                                         optimize=True)
    ops = [(s.op, s.func) for s in optimized.steps]
    assert ops.index(("call", "relu")) == 2 and ops[-1] == ("hadamard", None)


def test_scalars_are_not_factors_of_the_order():
    plan = parse(CHAIN.replace("Y = ABCD", "Y = 2AαBCD")).plan(optimize=True)
    (advice,) = plan.chains
    assert advice.factors == ["A", "B", "C", "D"]
    assert [s.op for s in plan.steps] == ["matmul"] * 3 + ["scale"]


def test_two_factors_are_no_chain():
    assert parse("y = xA ⊙ xB").plan(x=3, A=(3, 4), B=(3, 4)).chains == []


def test_symbolic_and_overlong_chains_are_noted_not_searched():
    (advice,) = parse("l3 = l0W0W1W2").plan().chains
    assert advice.best is None and advice.reason.startswith("symbolic dimensions")
    n = MAX_FACTORS + 1
    (advice,) = parse("y = x" + "W" * n).plan(x=(1, 3), W=(3, 3)).chains
    assert advice.best is None and advice.written_flops == 2 * 9 * n
    assert advice.reason == f"longer than {MAX_FACTORS} factors: not searched"


def test_every_tree_of_five_factors_is_costed_correctly():
    dims = [3, 7, 2, 9, 4, 5]
    for tree in all_trees(0, 4):
        gen = np.random.default_rng(1)
        arrays = [gen.standard_normal((dims[i], dims[i + 1])) for i in range(5)]
        count = 0
        values = []
        for node in postorder(tree):
            if isinstance(node, int):
                values.append(arrays[node])
            else:
                right, left = values.pop(), values.pop()
                count += 2 * left.shape[0] * left.shape[1] * right.shape[1]
                values.append(left @ right)
        assert cost(tree, dims) == count
    assert len(list(itertools.islice(all_trees(0, 4), 100))) == 14
