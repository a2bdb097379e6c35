"""A forward pass rewritten for backward, so that every value a training step reads has a
name of its own: each assignment its own name (``rename_reassigned``, SSA), and each value
an update would otherwise recompute from parameters a layer (``name_products``:
``l2 = l0W0W1`` becomes ``l1 = l0W0; l2 = l1W1``, as the book's chapter 13 writes it).
The names are fresh (``Fresh``): ``l_{k+1}`` for ``…W_k`` if free, else ``h1``, ``h2``, …
"""

from __future__ import annotations

from .layers import Fresh, holding, names_in
from .layers import all_names, split_layers  # noqa: F401 (rename_reassigned's example)
from .nodes import Assign, Divide, Expr, Hadamard, MatMul, Name, Number, Transpose
from .walk import children, map_up, pre_order, rebuild, substitute


def rename_reassigned(forward: list[Assign], fresh: Fresh) -> list[Assign]:
    """Every assignment its own name, so that each value is derived on its own (SSA).

    The last assignment of a name keeps it; earlier ones get fresh names, and the statements
    between read the right one. A name the program reads before assigning it is an input:
    the input keeps the name, every assignment to it gets a fresh one.

    >>> from notation import parse
    >>> _, fw = split_layers(parse("l1 = tanh(l0W0); l1 = l1W1"))
    >>> [f"{s.target.letter}{s.target.sub}" for s in rename_reassigned(fw, Fresh(all_names(parse("l1 = tanh(l0W0); l1 = l1W1"))))]
    ['h1', 'l1']
    """
    count: dict[Name, int] = {}
    inputs: set[Name] = set()
    for s in forward:
        inputs.update(n for n in names_in(s.value) if n not in count)
        count[s.target] = count.get(s.target, 0) + 1
    if all(c == 1 for c in count.values()) and not (inputs & set(count)):
        return forward
    current: dict[Name, Name] = {}
    seen: dict[Name, int] = {}
    out = []
    for s in forward:
        value = substitute(s.value, current)
        seen[s.target] = seen.get(s.target, 0) + 1
        keeps = seen[s.target] == count[s.target] and s.target not in inputs
        target = s.target if keeps else fresh.name()
        current[s.target] = target
        if target == s.target:
            current.pop(s.target)
        out.append(Assign(target, value, s.span))
    return out


def _is_alias(expr: Expr) -> bool:
    """A name, possibly transposed: in NumPy a view of the array, not a value of its own."""
    while isinstance(expr, Transpose):
        expr = expr.operand
    return isinstance(expr, (Name, Number))


def _reads(node: Expr, child: Expr, scalar) -> list[Expr]:
    """The operands whose values the reverse-mode rule of ``node`` reads to carry a gradient
    to ``child`` (one of its operands)."""
    if isinstance(node, MatMul):
        # A scalar side reads the other too: γ's gradient is the full sum of G ⊙ x.
        return [node.right if child is node.left else node.left]
    if isinstance(node, Hadamard):
        return [node.right if child is node.left else node.left]
    if isinstance(node, Divide):
        return [node.right] if child is node.left else [node.left, node.right]
    return []


def name_products(forward: list[Assign], trained: set[Name], fresh: Fresh, scalar) -> list[Assign]:
    """Give a name of its own to every value a parameter's update would otherwise recompute
    from parameters: updates run one after another, and an earlier ``W -= …`` changes what
    a later update would read.

    At a node on the way from a layer to a parameter, where the rule reads an operand that
    holds a parameter, the operand on the parameter's side becomes a layer (its delta is
    computed before any update); if that operand is the parameter itself, the operand read
    becomes one. ``l2 = l0W0W1`` becomes ``l1 = l0W0; l2 = l1W1``, as the book's chapter 13
    writes it.
    """
    out: list[Assign] = []
    for s in forward:
        holds = holding(s.value, trained)
        marked = _to_name(s.value, holds, scalar)
        if not marked:
            out.append(s)
            continue
        out.extend(_named(s, marked, fresh))
    return out


def _to_name(value: Expr, holds: set[int], scalar) -> set[int]:
    """The ids of the nodes of ``value`` that must become layers of their own.

    Only a node that holds a parameter can have an operand to name (every node below one
    that holds none holds none either), and a node's operands are marked only at the node:
    in a tree, the order the nodes are met in does not change what is marked."""
    marked: set[int] = set()
    for node in pre_order(value):
        if id(node) not in holds:
            continue
        for child in children(node):
            if id(child) not in holds:
                continue
            read = [r for r in _reads(node, child, scalar) if id(r) in holds and id(r) not in marked]
            if read:
                # A scalar value gets no name (it would be a scalar layer, which has no
                # delta); an update that would read one after a parameter in it changed
                # is computed before the updates instead (backward's stash).
                if not _is_alias(child) and not scalar(child):
                    marked.add(id(child))
                else:
                    marked.update(id(r) for r in read if not _is_alias(r) and not scalar(r))
    return marked


def _named(s: Assign, marked: set[int], fresh: Fresh) -> list[Assign]:
    """``s`` with the marked nodes replaced, innermost first, by names assigned before it
    (walk.map_up: a value written twice is named twice, as a recursive rewrite would)."""
    out: list[Assign] = []

    def combine(node: Expr, parts) -> Expr:
        if not parts:
            return node
        value = rebuild(node, parts)
        if id(node) in marked and node is not s.value:
            name = fresh.name(value)
            out.append(Assign(name, value, node.span))
            return name
        return value
    out.append(Assign(s.target, map_up(s.value, combine), s.span))
    return out
