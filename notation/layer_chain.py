"""The program's own chain of layers, which ``--sizes`` follows (SPEC §2, docs/shapes.md
"Sizes follow the program's own chain"): the book's ``l0 … lK``, or the input and then each
assigned layer; and the texts that list the layers and names when an option names none of
them (``shape_options.ShapeOptions.resolve``'s errors).
"""

from __future__ import annotations

from .kinds import Kind, kind_by_letter
from .nodes import Assign, Declare, ExprStatement, MatMul, Name, Program


def layer_chain(program: Program, mentioned: dict, declared: dict,
                convention: bool) -> tuple[list[Name], str]:
    """The program's layers in order, and how they were found ("book" or "chain").

    A program that names its layers as the book does (``l0``, ``l1``…, or their deltas
    ``δ1``…) has the layers ``l0 … lK``, K the largest index it mentions (with the
    convention, also the layer ``W_k`` leads to), in index order, whether or not each is
    written. Any other program: the input (the layer read but never assigned; of several,
    the first one multiplied by a matrix, else the first) and then each assigned layer, in
    the order of the assignments.

    >>> from notation import parse
    >>> from notation.emit.algebra import algebra
    >>> from notation.inference import _mentioned_names
    >>> p = parse("h1 = relu(xW1 + b1); h2 = relu(h1W2 + b2); p = softmax(h2W3 + b3)")
    >>> [algebra(n) for n in layer_chain(p, _mentioned_names(p), {}, True)[0]]
    ['x', 'h1', 'h2', 'p']
    """
    book = [int(n.sub) for n in mentioned.values() if n.letter in ("l", "δ") and n.sub.isdigit()]
    if book:
        top = max(book)
        if convention:
            for n in mentioned.values():
                if n.sub.isdigit() and n.letter == "W":
                    top = max(top, int(n.sub) + 1)
        return [Name("l", str(k)) for k in range(top + 1)], "book"
    scalar = {key for key, (_, _, dims) in declared.items() if not dims}

    def layer(name: Name) -> bool:
        return kind_by_letter(name) is Kind.LAYER and (name.letter, name.sub) not in scalar

    assigned: dict[tuple, Name] = {}
    for s in program.statements:
        if type(s) is Assign and layer(s.target):
            assigned.setdefault((s.target.letter, s.target.sub), s.target)
    inputs = [n for key, n in mentioned.items() if key not in assigned and layer(n)]
    if len(inputs) > 1:
        multiplied = _multiplied(program, {(n.letter, n.sub) for n in inputs})
        inputs.sort(key=lambda n: (n.letter, n.sub) not in multiplied)   # (stable)
    return inputs[:1] + list(assigned.values()), "chain"


def _multiplied(program: Program, keys: set) -> set:
    """The keys among ``keys`` of names that are an operand of a product with a matrix."""
    from .walk import pre_order
    found = set()
    for s in program.statements:
        if type(s) is not Declare:
            for node in pre_order(s.expr if type(s) is ExprStatement else s.value):
                if type(node) is not MatMul:
                    continue
                for a, b in ((node.left, node.right), (node.right, node.left)):
                    if type(a) is Name and (a.letter, a.sub) in keys and type(b) is Name \
                            and kind_by_letter(b) is Kind.MATRIX:
                        found.add((a.letter, a.sub))
    return found


def layers_text(chain: list[Name], how: str) -> str:
    from .emit.algebra import algebra                  # (an error's text: loaded when needed)
    if not chain:
        return "it has no layers (a lowercase name read or assigned, such as x or h1)"
    names = ", ".join(algebra(n) for n in chain)
    if how == "book":
        return f"its layers are {names} (the book's l0, l1, … in order)"
    if len(chain) == 1:
        return f"its layers are {names}"
    return (f"its layers are {names} (the input {algebra(chain[0])}, read but never assigned, "
            f"then each assigned layer in order)")


def names_text(mentioned: dict, declared: dict, most: int = 12) -> str:
    from .emit.algebra import algebra
    names = list(mentioned.values()) + [n for key, (n, _, _) in declared.items()
                                        if key not in mentioned]
    text = ", ".join(algebra(n) for n in names[:most])
    return text + (", …" if len(names) > most else "")
