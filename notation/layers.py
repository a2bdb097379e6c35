"""A forward program as the book draws it: a stack of named layers (SPEC §5, §4 Diagram).

A chained expression is split so that every activation has a name: by the book's
convention ``relu(l0W0)`` is layer 1 (``W_k`` joins layer k to layer k+1); any other
intermediate gets a fresh name ``h1``, ``h2``, … that the program does not use.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import NotationTranslationError
from .kinds import declared_scalars, is_scalar
from .nodes import (Add, Assign, Call, Declare, Expr, MatMul, Name, Program, Span, Subtract,
                    Update)
from .walk import fold, map_up, names, rebuild


@dataclass
class Layer:
    """One assignment after splitting: ``name = activation(pre)`` or ``name = pre``."""

    name: Name
    pre: Expr
    activation: str | None
    statement: Assign


def names_in(expr: Expr) -> list[Name]:
    """The names of an expression, left to right (walk.names)."""
    return list(names(expr))


def holding(root: Expr, wanted) -> set[int]:
    """The ids of the nodes of ``root`` that hold a name of ``wanted`` (the name itself
    included): the nodes a gradient to those names goes through (walk.fold).

    >>> from notation import parse
    >>> e = parse("relu(xW) + b").statements[0].expr
    >>> sorted(type(n).__name__ for n in (e, e.left, e.left.arg, e.right)
    ...        if id(n) in holding(e, {Name("W")}))
    ['Add', 'Call', 'MatMul']
    """
    out: set[int] = set()

    def combine(node: Expr, kids: list) -> bool:
        held = any(kids) if kids else isinstance(node, Name) and node in wanted
        if held:
            out.add(id(node))
        return held
    fold(root, combine)
    return out


def all_names(program: Program) -> set[Name]:
    names: set[Name] = set()
    for s in program.statements:
        names.add(s.target) if hasattr(s, "target") else None
        for part in ("value", "expr"):
            if hasattr(s, part):
                names.update(names_in(getattr(s, part)))
    return names


def weight_index(expr: Expr) -> int | None:
    """k if ``expr`` is the book's ``… W_k`` (possibly ``+ b``): the layer it makes is k+1."""
    while isinstance(expr, (Add, Subtract)):
        expr = expr.left
    if isinstance(expr, MatMul) and isinstance(expr.right, Name) and expr.right.letter == "W" \
            and expr.right.sub.isdigit():
        return int(expr.right.sub)
    return None


class Fresh:
    """Names the program does not use: ``l_{k+1}`` for the book's ``…W_k`` if free, else
    ``h1``, ``h2``, … (one naming for the layers split off here and the values backward names).

    >>> from notation import parse
    >>> fresh = Fresh({Name("l", "1")})
    >>> [f"{n.letter}{n.sub}" for n in (fresh.name(parse("y = l1W1").statements[0].value),
    ...                                  fresh.name(parse("y = l0W0").statements[0].value))]
    ['l2', 'h1']
    """

    def __init__(self, taken: set[Name]):
        self.taken = set(taken)
        self.count = 0

    def name(self, value: Expr | None = None) -> Name:
        k = weight_index(value) if value is not None else None
        if k is not None:
            # The book's convention: relu(l0W0) is layer 1.
            candidate = Name("l", str(k + 1))
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
        while True:
            self.count += 1
            candidate = Name("h", str(self.count))
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate


class _Splitter:
    """Names every function call that is not a whole statement, so each has an output."""

    def __init__(self, taken: set[Name], declared: dict[Name, bool] | None = None):
        self.fresh = Fresh(taken)
        self.declared = declared or {}    # the program's declarations of scalars and arrays
        self.statements: list[Assign] = []

    def name_for(self, call: Call) -> Name:
        return self.fresh.name(call.arg)

    def split(self, expr: Expr) -> Expr:
        """``expr`` with every call below the top replaced by a fresh name, assigned first.

        Left to right, innermost first, as a recursive walk would do it (walk.map_up: a
        product of 100,000 factors is as deep as it is long, and a call written twice is
        split twice); a node none of whose operands changed is kept as it is.
        """
        def refuse(node: Expr) -> None:
            if isinstance(node, Call) and node.derivative:
                raise NotationTranslationError(
                    f"the forward pass uses the derivative {node.func}'", node.span,
                    hint="backward derives the derivatives itself: give it the forward "
                         "pass only")

        def combine(node: Expr, parts) -> Expr:
            value = rebuild(node, parts) if parts else node
            if not isinstance(node, Call):
                return value
            # A function of a scalar (relu(α)) is a number, not a layer: it stays inline.
            if node is expr or is_scalar(value, self.declared):
                return value
            name = self.name_for(value)
            self.statements.append(Assign(name, value, node.span))
            return name
        return map_up(expr, combine, refuse)


def split_layers(program: Program) -> tuple[list[Declare], list[Assign]]:
    """The forward program with every chained activation given a name of its own.

    >>> from notation import parse
    >>> [s for s in split_layers(parse("l2 = relu(l0W0)W1"))[1]] == \\
    ...     list(parse("l1 = relu(l0W0); l2 = l1W1").statements)
    True
    """
    splitter = _Splitter(all_names(program), declared_scalars(program))
    declarations: list[Declare] = []
    for s in program.statements:
        if isinstance(s, Declare):
            declarations.append(s)
        elif isinstance(s, Assign):
            value = splitter.split(s.value)
            splitter.statements.append(Assign(s.target, value, s.span))
        else:
            raise NotationTranslationError(
                f"backward needs a forward pass: this is {'an update' if isinstance(s, Update) else 'a bare expression'}",
                s.span, hint="give only the forward assignments, such as l2 = relu(l0W0)W1")
    if not splitter.statements:
        # Located at the program's end, where the forward pass would be written.
        end = len(program.source.rstrip())
        raise NotationTranslationError(
            "backward needs a forward pass, and the program assigns nothing",
            Span(end, end), label="a forward assignment belongs here",
            hint="write the forward pass, such as l2 = relu(l0W0)W1")
    return declarations, splitter.statements


def layers_of(forward: list[Assign]) -> list[Layer]:
    """Each split assignment as a layer: its activation and what the activation is applied to."""
    out = []
    for s in forward:
        value = s.value
        if isinstance(value, Call) and not value.derivative:
            out.append(Layer(s.target, value.arg, value.func, s))
        else:
            out.append(Layer(s.target, value, None, s))
    return out
