"""Walking expression trees without recursion.

A product of 100,000 factors is a left-deep chain 100,000 nodes deep, far past Python's
recursion limit, so every walk over an expression keeps its own stack. These are the
pieces more than one module needs.
"""

from __future__ import annotations

from .nodes import BINARY, Call, Expr, Negate, Transpose


def children(node: Expr) -> tuple[Expr, ...]:
    """The operands of an expression node, left to right."""
    if isinstance(node, BINARY):
        return node.left, node.right
    if isinstance(node, (Transpose, Negate)):
        return (node.operand,)
    if isinstance(node, Call):
        return (node.arg,)
    return ()


def printed_size(root: Expr, limit: int) -> int:
    """Nodes in the tree as printed (a shared sub-tree counts each time it appears), stopping
    at ``limit + 1``: a derivation can share sub-trees whose printed text is quadratic."""
    memo: dict[int, int] = {}
    stack = [(root, False)]
    while stack:
        node, ready = stack.pop()
        if id(node) in memo:
            continue
        kids = children(node)
        if ready or not kids:
            memo[id(node)] = min(limit + 1, 1 + sum(memo[id(k)] for k in kids))
        else:
            stack.append((node, True))
            stack.extend((k, False) for k in kids if id(k) not in memo)
    return memo[id(root)]
