"""The cheapest order of a chain of matrix products, by dynamic programming (SPEC §4).

A chain is a run of three or more array factors multiplied together with nothing but
products between them: ``l0W0W1W2``. A function or an elementwise operation ends a chain
(``relu(l0W0)W1`` has two chains of two factors, and nothing to reorder), because moving a
product across ``relu`` or ``⊙`` changes the value. Scalar factors are not part of the
order: they scale the result.

The classic O(n³) table (Cormen et al., §15.2; the same as ``np.linalg.multi_dot``):
``cost[i][j]`` is the fewest multiply-adds that compute factors i…j, and the split that
achieves it. Costs here are in FLOPs, 2·m·k·n for an m×k by k×n product.
"""

from __future__ import annotations

from typing import Union

# A product tree over factor indices: an int is a factor, a pair multiplies two subtrees.
Tree = Union[int, tuple]

MAX_FACTORS = 64     # the table is O(n³): beyond this the written order is kept


def best_order(dims: list[int]) -> tuple[int, Tree]:
    """The fewest FLOPs for factors of shapes dims[i] × dims[i+1], and the tree that gets them.

    >>> best_order([10, 100, 5, 50])      # (AB)C: 2·(10·100·5 + 10·5·50)
    (15000, ((0, 1), 2))
    """
    rows = _table(dims)
    return 2 * rows[0][-1], _tree(rows, dims)


def _table(dims: list[int]) -> list[list[int]]:
    """rows[i][j] = the fewest multiply-adds that compute factors i…j (for i ≤ j)."""
    n = len(dims) - 1
    if n < 1:
        raise ValueError("a chain needs at least one factor")
    rows = [[0] * n for _ in range(n)]
    # after[j][k] = rows[k + 1][j]: the table kept by columns too, shifted by one, so that
    # each read of the inner loop is one subscript. Rows from the last up, and each row left
    # to right, find both of them filled.
    after = [[0] * n for _ in range(n)]
    inner = dims[1:]                 # inner[k]: the dimension a split after factor k removes
    for i in range(n - 2, -1, -1):
        row_i, di = rows[i], dims[i]
        for j in range(i + 1, n):
            after_j = after[j]
            dij = di * dims[j + 1]
            best = after_j[i] + dij * inner[i]               # row_i[i] is 0
            for k in range(i + 1, j):
                c = row_i[k] + after_j[k] + dij * inner[k]
                if c < best:
                    best = c
            row_i[j] = best
            after_j[i - 1] = best        # (for i = 0, after_j[-1]: a cell no split reads)
    return rows


def best_cost(dims: list[int]):
    """The fewest FLOPs, and a function that gives the tree achieving them (made on demand:
    a plan that only reports the saving never needs it)."""
    if len(dims) == 4:                   # three factors (most chains): two orders, no table
        a, b, c, d = dims
        left, right = a * c * (b + d), b * d * (a + c)       # (01)2 and 0(12)
        # on a tie, the table's first split: after factor 0, the tree 0(12)
        tree = (0, (1, 2)) if right <= left else ((0, 1), 2)
        return 2 * min(left, right), lambda: tree
    rows = _table(dims)
    return 2 * rows[0][-1], lambda: _tree(rows, dims)


def _split(rows, dims: list[int], i: int, j: int) -> int:
    """The first k at which splitting factors i…j into i…k and k+1…j costs the fewest: the
    split the classic table records (found again from the costs, when a tree is asked for)."""
    dij = dims[i] * dims[j + 1]
    best = rows[i][j]
    for k in range(i, j):
        if rows[i][k] + rows[k + 1][j] + dij * dims[k + 1] == best:
            return k
    raise AssertionError("no split achieves the table's cost")


def _tree(rows, dims: list[int]) -> Tree:
    # Iterative: a chain of MAX_FACTORS is shallow, but nothing here should recurse on input.
    i, j = 0, len(dims) - 2
    out: dict = {}
    stack = [(i, j, None)]
    while stack:
        a, b, k = stack.pop()
        if a == b:
            out[(a, b)] = a
        elif k is not None:
            out[(a, b)] = (out[(a, k)], out[(k + 1, b)])
        else:
            k = _split(rows, dims, a, b)
            stack += [(a, b, k), (k + 1, b, None), (a, k, None)]
    return out[(i, j)]


def cost(tree: Tree, dims: list[int]) -> int:
    """FLOPs of computing a product tree: ``cost(((0, 1), 2), [10, 100, 5, 50]) == 15000``."""
    if is_left_to_right(tree):
        first = dims[0]
        return 2 * sum(first * dims[k] * dims[k + 1] for k in range(1, len(dims) - 1))
    total = 0
    spans: list[tuple[int, int]] = []          # (first, last) factor of each finished subtree
    for node in postorder(tree):
        if isinstance(node, int):
            spans.append((node, node))
            continue
        (_, c), (a, k) = spans.pop(), spans.pop()
        total += 2 * dims[a] * dims[k + 1] * dims[c + 1]
        spans.append((a, c))
    return total


def postorder(tree: Tree):
    """The subtrees of a product tree, children before parents."""
    stack = [(tree, False)]
    while stack:
        node, ready = stack.pop()
        if isinstance(node, int) or ready:
            yield node
        else:
            stack += [(node, True), (node[1], False), (node[0], False)]


def text(tree: Tree, factors: list[str]) -> str:
    """``l0(W0W1)`` for the tree (0, (1, 2)): parentheses only where the order needs them
    (products associate to the left)."""
    from .emit.algebra import needs_space
    out: list[str] = []
    for node in postorder(tree):
        if isinstance(node, int):
            out.append(factors[node])
            continue
        rt, lt = out.pop(), out.pop()
        if not isinstance(node[1], int):
            rt = f"({rt})"
        out.append(lt + (" " if needs_space(lt, rt) else "") + rt)
    return out[0]


def is_left_to_right(tree: Tree) -> bool:
    """Is the tree ((0·1)·2)·…, the order of a chain written without parentheses?"""
    n = 0
    while not isinstance(tree, int):
        if not isinstance(tree[1], int):
            return False
        tree = tree[0]
        n += 1
    return tree == 0


def left_to_right(n: int) -> Tree:
    """The written order of a chain without parentheses: ((0·1)·2)·…"""
    tree: Tree = 0
    for i in range(1, n):
        tree = (tree, i)
    return tree
