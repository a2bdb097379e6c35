"""A forward program as the book draws it: a stack of named layers (SPEC §5, §4 Diagram).

A chained expression is split so that every activation has a name: by the book's
convention ``relu(l0W0)`` is layer 1 (``W_k`` joins layer k to layer k+1); any other
intermediate gets a fresh name ``h1``, ``h2``, … that the program does not use.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import NotationTranslationError
from .kinds import declared_scalars, is_scalar
from .nodes import (Add, Assign, Call, Declare, Divide, Expr, Hadamard, MatMul, Name, Number,
                    Program, Span, Subtract, Transpose, Update)
from .walk import children, names, rebuild


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


def all_names(program: Program) -> set[Name]:
    names: set[Name] = set()
    for s in program.statements:
        names.add(s.target) if hasattr(s, "target") else None
        for part in ("value", "expr"):
            if hasattr(s, part):
                names.update(names_in(getattr(s, part)))
    return names


def _weight_index(expr: Expr) -> int | None:
    """k if ``expr`` is the book's ``… W_k`` (possibly ``+ b``): the layer it makes is k+1."""
    while isinstance(expr, (Add, Subtract)):
        expr = expr.left
    if isinstance(expr, MatMul) and isinstance(expr.right, Name) and expr.right.letter == "W" \
            and expr.right.sub.isdigit():
        return int(expr.right.sub)
    return None


class _Splitter:
    """Names every function call that is not a whole statement, so each has an output."""

    def __init__(self, taken: set[Name], declared: dict[Name, bool] | None = None):
        self.taken = set(taken)
        self.declared = declared or {}    # the program's declarations of scalars and arrays
        self.fresh = 0
        self.statements: list[Assign] = []

    def name_for(self, call: Call) -> Name:
        k = _weight_index(call.arg)
        if k is not None:
            # The book's convention: relu(l0W0) is layer 1.
            candidate = Name("l", str(k + 1))
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
        while True:
            self.fresh += 1
            candidate = Name("h", str(self.fresh))
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate

    def split(self, expr: Expr) -> Expr:
        """``expr`` with every call below the top replaced by a fresh name, assigned first.

        Left to right, innermost first, as a recursive walk would do it, but with an explicit
        stack: a product of 100,000 factors is as deep as it is long.
        """
        done: list[Expr] = []
        stack: list = [(expr, False)]
        while stack:
            node, ready = stack.pop()
            kids = children(node)
            if not kids:
                done.append(node)
                continue
            if not ready:
                if isinstance(node, Call) and node.derivative:
                    raise NotationTranslationError(
                        f"the forward pass uses the derivative {node.func}'", node.span,
                        hint="backward derives the derivatives itself: give it the forward "
                             "pass only")
                stack.append((node, True))
                stack.extend((k, False) for k in reversed(kids))
                continue
            parts = done[len(done) - len(kids):]
            del done[len(done) - len(kids):]
            if isinstance(node, Call):
                inner = Call(node.func, parts[0], False, node.span)
                # A function of a scalar (relu(α)) is a number, not a layer: it stays inline.
                if node is expr or is_scalar(inner, self.declared):
                    done.append(inner)
                else:
                    name = self.name_for(inner)
                    self.statements.append(Assign(name, inner, node.span))
                    done.append(name)
            else:
                done.append(rebuild(node, parts))
        return done[0]


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


# ---------------------------------------------------------------------------- every value a name

def _rebuild(node: Expr, parts: list[Expr]) -> Expr:
    """``node`` with its operands replaced by ``parts`` (the same node if none changed)."""
    return rebuild(node, parts)


def _map_names(expr: Expr, mapping: dict[Name, Name]) -> Expr:
    """``expr`` with every name in ``mapping`` replaced (without recursion)."""
    if not mapping:
        return expr
    done: list[Expr] = []
    stack: list = [(expr, False)]
    while stack:
        node, ready = stack.pop()
        kids = children(node)
        if not kids:
            done.append(mapping.get(node, node) if isinstance(node, Name) else node)
        elif not ready:
            stack.append((node, True))
            stack.extend((k, False) for k in reversed(kids))
        else:
            parts = done[len(done) - len(kids):]
            del done[len(done) - len(kids):]
            done.append(_rebuild(node, parts))
    return done[0]


class Fresh:
    """Names the program does not use: ``l_{k+1}`` for the book's ``…W_k`` if free, else
    ``h1``, ``h2``, …"""

    def __init__(self, taken: set[Name]):
        self.taken = set(taken)
        self.count = 0

    def name(self, value: Expr | None = None) -> Name:
        k = _weight_index(value) if value is not None else None
        if k is not None:
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
        value = _map_names(s.value, current)
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
        holds: dict[int, bool] = {}           # id(node) -> holds a trained parameter
        stack = [(s.value, False)]
        while stack:
            node, ready = stack.pop()
            kids = children(node)
            if not kids:
                holds[id(node)] = isinstance(node, Name) and node in trained
            elif not ready:
                stack.append((node, True))
                stack.extend((k, False) for k in kids)
            else:
                holds[id(node)] = any(holds[id(k)] for k in kids)
        marked: set[int] = set()
        stack = [s.value]
        while stack:
            node = stack.pop()
            kids = children(node)
            for child in kids:
                if not holds[id(child)]:
                    continue
                read = [r for r in _reads(node, child, scalar) if holds[id(r)] and id(r) not in marked]
                if read:
                    # A scalar value gets no name (it would be a scalar layer, which has no
                    # delta); an update that would read one after a parameter in it changed
                    # is computed before the updates instead (backward's stash).
                    if not _is_alias(child) and not scalar(child):
                        marked.add(id(child))
                    else:
                        marked.update(id(r) for r in read if not _is_alias(r) and not scalar(r))
            stack.extend(k for k in kids if holds[id(k)])
        if not marked:
            out.append(s)
            continue
        # Replace the marked nodes, innermost first, by names assigned before the statement.
        done: list[Expr] = []
        stack = [(s.value, False)]
        while stack:
            node, ready = stack.pop()
            kids = children(node)
            if not kids:
                done.append(node)
                continue
            if not ready:
                stack.append((node, True))
                stack.extend((k, False) for k in reversed(kids))
                continue
            parts = done[len(done) - len(kids):]
            del done[len(done) - len(kids):]
            value = _rebuild(node, parts)
            if id(node) in marked and node is not s.value:
                name = fresh.name(value)
                out.append(Assign(name, value, node.span))
                value = name
            done.append(value)
        out.append(Assign(s.target, done[0], s.span))
    return out
