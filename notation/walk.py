"""Walking expression trees without recursion.

A product of 100,000 factors is a left-deep chain 100,000 nodes deep, far past Python's
recursion limit, so every walk over an expression keeps its own stack. These are the
pieces more than one module needs.
"""

from __future__ import annotations

from operator import attrgetter

from .errors import NotationTranslationError
from .nodes import BINARY, Call, Expr, Name, Negate, Number, Transpose

# The operand fields of each expression node, left to right: the one table of the tree's
# shape that every walk below uses. A node type missing here fails loudly, in `fields`.
FIELDS: dict[type, tuple[str, ...]] = {
    Name: (), Number: (),
    Call: ("arg",), Transpose: ("operand",), Negate: ("operand",),
    **{cls: ("left", "right") for cls in BINARY},
}


def fields(node: Expr) -> tuple[str, ...]:
    """The operand fields of a node; an unknown node is a located error, here and only here.

    >>> fields(Transpose(Name("W")))
    ('operand',)
    """
    try:
        return FIELDS[type(node)]
    except KeyError:
        raise NotationTranslationError(
            f"{type(node).__name__} is not a node of an expression",
            getattr(node, "span", None), hint="build trees from notation.nodes") from None


def _getter(names: tuple[str, ...]):
    """A function of a node that gives its operands as a tuple (FIELDS, made fast)."""
    if not names:
        return lambda node: ()
    if len(names) == 1:
        get = attrgetter(names[0])
        return lambda node: (get(node),)
    return attrgetter(*names)


# type -> its operands as a tuple: one dict lookup a node, for the walks that visit millions
_OPERANDS = {cls: _getter(names) for cls, names in FIELDS.items()}


def children(node: Expr) -> tuple[Expr, ...]:
    """The operands of an expression node, left to right; an unknown node raises (as
    :func:`fields` does): no walk skips a node it does not know.

    >>> children(Transpose(Name("W")))
    (Name(letter='W', sub=''),)
    """
    get = _OPERANDS.get(type(node))
    if get is None:
        fields(node)                 # raises
    return get(node)


def pre_order(root: Expr):
    """Every node, each before its operands, left to right, without recursion.

    >>> from notation import parse
    >>> [type(n).__name__ for n in pre_order(parse("relu(xW)").statements[0].expr)]
    ['Call', 'MatMul', 'Name', 'Name']
    """
    operands = _OPERANDS
    stack = [root]
    pop, push = stack.pop, stack.append
    while stack:
        node = pop()
        yield node
        get = operands.get(type(node))
        if get is None:
            fields(node)             # raises
        kids = get(node)
        if kids:
            if len(kids) == 2:
                push(kids[1])
                push(kids[0])
            else:
                push(kids[0])


def names(root: Expr):
    """The names of an expression, left to right, each time it is written.

    >>> [n.letter for n in names(Transpose(Name("W")))]
    ['W']
    """
    return (node for node in pre_order(root) if type(node) is Name)


def size(root: Expr, limit: int) -> int:
    """The number of nodes, counting to at most ``limit + 1`` (a large tree is not walked
    to its end).

    >>> size(Transpose(Name("W")), 10)
    2
    """
    count = 0
    for _ in pre_order(root):
        count += 1
        if count > limit:
            break
    return count


def post_order(root: Expr):
    """Every node, operands before the node itself, without recursion.

    >>> [type(n).__name__ for n in post_order(Transpose(Name("W")))]
    ['Name', 'Transpose']
    """
    stack = [(root, False)]
    while stack:
        node, ready = stack.pop()
        kids = children(node)
        if ready or not kids:
            yield node
        else:
            stack.append((node, True))
            stack.extend((k, False) for k in reversed(kids))


def fold(root: Expr, combine):
    """``combine(node, [values of its operands])`` bottom up, without recursion; a shared
    sub-tree is folded once.

    >>> fold(Transpose(Name("W")), lambda n, kids: 1 + sum(kids))
    2
    """
    memo: dict[int, object] = {}
    for node in post_order(root):
        if id(node) not in memo:
            memo[id(node)] = combine(node, [memo[id(k)] for k in children(node)])
    return memo[id(root)]


def map_up(root: Expr, combine, enter=None):
    """``combine(node, operands)`` for every node as written, operands first, left to right,
    without recursion: ``operands`` are what ``combine`` gave the node's operands (``()`` for
    a leaf), and the result is what it gives the root. ``enter(node)``, if given, is called
    on each node before its operands (pre-order), so a walk can refuse a node from the top.

    Unlike :func:`fold`, a sub-tree shared by two parents is combined at each place it is
    written, as a recursive rewrite would do it: a rewrite that gives names (a layer split
    off, a product named) names each occurrence. An unknown node raises, as in
    :func:`children`.

    >>> from notation import parse
    >>> map_up(parse("relu(xW)").statements[0].expr,
    ...        lambda node, parts: f"{type(node).__name__}({', '.join(parts)})")
    'Call(MatMul(Name(), Name()))'
    """
    operands = _OPERANDS
    done: list = []
    # (node, 0) is to be entered; (node, n) has its n operands' results on `done`
    stack: list = [(root, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        node, count = pop()
        if count:                    # its operands are combined: the last `count` results
            parts = done[-count:]
            del done[-count:]
            done.append(combine(node, parts))
            continue
        get = operands.get(type(node))
        if get is None:
            fields(node)             # raises
        if enter is not None:
            enter(node)
        kids = get(node)
        if not kids:
            done.append(combine(node, ()))
            continue
        push((node, len(kids)))
        for kid in reversed(kids):
            push((kid, 0))
    return done[0]


def substitute(root: Expr, mapping: dict) -> Expr:
    """``root`` with every name in ``mapping`` replaced by its value there (a tree), without
    recursion; a node none of whose operands changed is kept as it is (the same object).

    >>> substitute(Transpose(Name("W")), {Name("W"): Name("V")})
    Transpose(operand=Name(letter='V', sub=''))
    """
    if not mapping:
        return root
    get = mapping.get

    def combine(node, parts):
        if not parts:
            return get(node, node) if isinstance(node, Name) else node
        return rebuild(node, parts)
    return map_up(root, combine)


def rebuild(node: Expr, operands) -> Expr:
    """The node with new operands (in the order of :func:`children`), other fields kept.

    >>> rebuild(Transpose(Name("W")), [Name("V")])
    Transpose(operand=Name(letter='V', sub=''))
    """
    names = fields(node)
    operands = tuple(operands)
    if len(operands) != len(names):
        raise ValueError(f"{type(node).__name__} takes {len(names)} operands, not {len(operands)}")
    if all(getattr(node, f) is o for f, o in zip(names, operands)):
        return node
    return _replace(node, **dict(zip(names, operands)))


def _replace(node, **changes):
    """``dataclasses.replace``, imported on the first rebuild (a command that rebuilds no
    tree does not import ``dataclasses``: ~7 ms of the start), then called directly."""
    global _replace
    from dataclasses import replace
    _replace = replace
    return replace(node, **changes)


def printed_size(root: Expr, limit: int, memo: dict[int, int] | None = None) -> int:
    """Nodes in the tree as printed (a shared sub-tree counts each time it appears), stopping
    at ``limit + 1``: a derivation can share sub-trees whose printed text is quadratic.

    ``memo`` (``{id(node): size}``, kept by the caller for trees it holds alive, with the
    same ``limit``) lets trees that share sub-trees be measured in one linear pass in all."""
    memo = {} if memo is None else memo
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
