"""The trees that ``compare`` puts side by side: each view's values with earlier statements
inlined into later ones (``l1 = relu(l0W0); l2 = l1W1`` gives ``l2 = relu(l0W0)W1``), and
the first place where two such trees differ.
"""

from __future__ import annotations

from .emit.numpy_program import EXPRESSION_KEY
from .nodes import BINARY, Add, Assign, Call, Expr, ExprStatement, Name, Number, Program, Subtract, Update
from .walk import children as _children


def inline(program: Program) -> dict[str, Expr]:
    """``{notation name: value}`` with earlier statements substituted into later ones.

    >>> from notation import parse
    >>> from notation.emit.algebra import algebra
    >>> algebra(inline(parse("l1 = relu(l0W0); l2 = l1W1"))["l2"])
    'relu(l0W0)W1'
    """
    from .evaluate import key
    env: dict[Name, Expr] = {}
    out: dict[str, Expr] = {}
    for s in program.statements:
        if isinstance(s, Assign):
            env[s.target] = _substitute(s.value, env)
            out[key(s.target)] = env[s.target]
        elif isinstance(s, Update):
            change = _substitute(s.value, env)
            old = env.get(s.target, s.target)
            env[s.target] = (Subtract if s.op == "-=" else Add)(old, change)
            out[key(s.target)] = env[s.target]
        elif isinstance(s, ExprStatement):
            out[EXPRESSION_KEY] = _substitute(s.expr, env)
    return out


def _substitute(root: Expr, env: dict[Name, Expr]) -> Expr:
    if not env:
        return root
    results: list[Expr] = []
    stack: list = [(root, False)]
    while stack:
        node, ready = stack.pop()
        if isinstance(node, Name):
            results.append(env.get(node, node))
        elif isinstance(node, Number):
            results.append(node)
        elif not ready:
            stack.append((node, True))
            stack.extend((c, False) for c in reversed(_children(node)))
        else:
            count = len(_children(node))
            kids = results[len(results) - count:]
            del results[len(results) - count:]
            results.append(_rebuild(node, kids))
    return results[0]


def _rebuild(node: Expr, kids: list[Expr]) -> Expr:
    if all(a is b for a, b in zip(kids, _children(node))):
        return node
    if isinstance(node, BINARY):
        return type(node)(kids[0], kids[1])
    if isinstance(node, Call):
        return Call(node.func, kids[0], node.derivative)
    return type(node)(kids[0])


def first_difference(a: Expr, b: Expr, seen: set[tuple[int, int]] | None = None
                     ) -> tuple[Expr, Expr] | None:
    """The outermost, leftmost pair of sub-expressions that differ, or None if equal.

    ``seen`` holds the pairs ``(id(x), id(y))`` already found equal by earlier calls that
    returned None (for trees the caller keeps alive): the inlined values of a network share
    each earlier layer's tree, and comparing every layer is then linear, not quadratic.

    >>> from notation import parse
    >>> from notation.emit.algebra import algebra
    >>> a, b = parse("y = relu(AB)").statements[0].value, parse("y = relu(AC)").statements[0].value
    >>> [algebra(node) for node in first_difference(a, b)]
    ['B', 'C']
    """
    stack = [(a, b)]
    seen = set() if seen is None else seen
    while stack:
        x, y = stack.pop()
        if x is y or (id(x), id(y)) in seen:
            continue
        seen.add((id(x), id(y)))
        if type(x) is not type(y) or node_label(x) != node_label(y):
            return x, y
        stack.extend(reversed(list(zip(_children(x), _children(y)))))
    return None


def node_label(node: Expr):
    """What, besides its type and operands, makes a node itself: a name's letter and
    subscript, a number's text, a call's function and derivative; None for an operator.

    >>> from notation import parse
    >>> node_label(parse("y = relu(x)").statements[0].value)
    ('relu', False)
    """
    if isinstance(node, Name):
        return node.letter, node.sub
    if isinstance(node, Number):
        return node.text
    if isinstance(node, Call):
        return node.func, node.derivative
    return None
