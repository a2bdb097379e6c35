"""The tree's classes behave as the frozen, slotted dataclasses they were (notation/nodes.py
writes their methods out instead of generating them at import, for the cold start).

Each class is compared with a reference made here by ``@dataclass(frozen=True, slots=True)``
from the declarations nodes.py had before (95d0ce7 .. 36c3720): the constructor's
signature, the fields and what each takes part in, equality, hashes, ``repr``, frozen
fields, pickling and copying, ``__match_args__``, ``__slots__`` and ``dataclasses.replace``.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import os
import pickle
from dataclasses import dataclass, field

import pytest

from notation import nodes
from notation.errors import Label


def _span():
    return field(default=None, compare=False, repr=False)


class Ref:
    """The declarations as they were, made into dataclasses (the composite nodes' eq, hash
    and repr are nodes.py's stack-based ones in both: only the generated parts differ)."""

    @dataclass(frozen=True, slots=True)
    class Span:
        start: int
        end: int

    @dataclass(frozen=True, slots=True)
    class Name:
        letter: str
        sub: str = ""
        span: Span | None = _span()

    @dataclass(frozen=True, slots=True)
    class Number:
        text: str
        span: Span | None = _span()

    @dataclass(frozen=True, slots=True)
    class Call:
        func: str
        arg: Expr
        derivative: bool = False
        span: Span | None = _span()

    @dataclass(frozen=True, slots=True)
    class Transpose:
        operand: Expr
        span: Span | None = _span()

    @dataclass(frozen=True, slots=True)
    class Negate:
        operand: Expr
        span: Span | None = _span()

    @dataclass(frozen=True, slots=True)
    class MatMul:
        left: Expr
        right: Expr
        span: Span | None = _span()

    Hadamard = Divide = Add = Subtract = MatMul

    @dataclass(frozen=True, slots=True)
    class Assign:
        target: Name
        value: Expr
        span: Span | None = _span()

    @dataclass(frozen=True, slots=True)
    class Update:
        target: Name
        op: str
        value: Expr
        span: Span | None = _span()

    @dataclass(frozen=True, slots=True)
    class Declare:
        target: Name
        dims: tuple[Dim, ...]
        span: Span | None = _span()

    @dataclass(frozen=True, slots=True)
    class ExprStatement:
        expr: Expr
        span: Span | None = _span()

    @dataclass(frozen=True, slots=True)
    class Program:
        statements: tuple[Statement, ...]
        source: str = field(default="", compare=False, repr=False)
        warnings: tuple = field(default=(), compare=False, repr=False)
        strict: bool = field(default=False, compare=False, repr=False)

    @dataclass(frozen=True, slots=True)
    class Label:
        span: Span
        text: str = ""


CLASSES = ["Span", "Name", "Number", "Call", "Transpose", "Negate", "MatMul", "Hadamard",
           "Divide", "Add", "Subtract", "Assign", "Update", "Declare", "ExprStatement",
           "Program", "Label"]


def _ours(name):
    return Label if name == "Label" else getattr(nodes, name)


def _field_facts(cls):
    return [(f.name, f.type, f.default, f.default_factory, f.init, f.repr, f.compare, f.hash,
             f.kw_only, f.metadata) for f in dataclasses.fields(cls)]


def _params(cls):
    return [(p.name, p.kind, p.default, p.annotation)
            for p in inspect.signature(cls).parameters.values()]


@pytest.mark.parametrize("name", CLASSES)
def test_the_class_is_declared_as_the_dataclass_was(name):
    ours, ref = _ours(name), getattr(Ref, name)
    assert _field_facts(ours) == _field_facts(ref)
    assert _params(ours) == _params(ref)
    assert ours.__match_args__ == ref.__match_args__
    assert ours.__slots__ == ref.__slots__
    assert dataclasses.is_dataclass(ours) and not hasattr(ours(*_args(name, 1)), "__dict__")


def _args(name, seed):
    """Constructor arguments for a sample of the class: leaves, then composites of leaves."""
    span = nodes.Span(seed, seed + 4)
    leaf = nodes.Name("W", str(seed))
    return {
        "Span": (seed, seed + 2), "Name": ("l", str(seed), span), "Number": (f"{seed}.5", span),
        "Call": ("relu", leaf, bool(seed % 2), span), "Transpose": (leaf, span),
        "Negate": (leaf, span), "Assign": (nodes.Name("l"), leaf, span),
        "Update": (nodes.Name("W"), "-=", leaf, span),
        "Declare": (leaf, (3, nodes.Name("b")), span), "ExprStatement": (leaf, span),
        "Program": ((nodes.ExprStatement(leaf),), "src", ("w",), True), "Label": (span, "here"),
    }.get(name, (leaf, nodes.Name("x", str(seed)), span))


@pytest.mark.parametrize("name", CLASSES)
def test_a_node_behaves_as_the_dataclass_did(name):
    ours, ref = _ours(name), getattr(Ref, name)
    a, b, a2 = ours(*_args(name, 1)), ours(*_args(name, 2)), ours(*_args(name, 1))
    ra = ref(*_args(name, 1))
    assert a == a2 and a != b and hash(a) == hash(a2)
    assert (a == 1) is False and a.__eq__(1) is NotImplemented
    if name in ("Span", "Name", "Number", "Label"):      # the leaves: the generated methods
        assert repr(a) == repr(ra).replace("Ref.", "").replace(f"{ref.__qualname__}(", f"{name}(")
        assert hash(a) == hash(ra)
    # the hidden fields (spans, the program's source) are out of equality and repr
    hidden = {f.name for f in dataclasses.fields(ours) if not f.compare}
    if hidden:
        other = dataclasses.replace(a, **{n: ours(*_args(name, 2)).__getattribute__(n)
                                          for n in hidden})
        assert other == a and hash(other) == hash(a) and repr(other) == repr(a)
        assert all(f"{n}=" not in repr(a) for n in hidden)
    field_name = ours.__slots__[0]
    for act in (lambda node: setattr(node, field_name, 1), lambda node: delattr(node, field_name)):
        with pytest.raises(dataclasses.FrozenInstanceError) as ours_error:
            act(a)
        with pytest.raises(dataclasses.FrozenInstanceError) as ref_error:
            act(ra)
        assert str(ours_error.value) == str(ref_error.value)
    # another name: the dataclass raised TypeError there (its __setattr__ refers to the class
    # from before slots were added, a CPython 3.11 slip); frozen is the error meant
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.elsewhere = 1
    assert getattr(a, field_name) == getattr(a2, field_name)
    for copied in (pickle.loads(pickle.dumps(a)), copy.copy(a), copy.deepcopy(a)):
        assert type(copied) is ours and copied == a
        assert [getattr(copied, n) for n in ours.__slots__] == \
            [getattr(a, n) for n in ours.__slots__]
    assert dataclasses.asdict(a).keys() == dataclasses.asdict(ra).keys()
    changed = dataclasses.replace(a, **{field_name: _args(name, 2)[0]})
    assert type(changed) is ours and getattr(changed, field_name) == _args(name, 2)[0]
    with pytest.raises(TypeError):
        ours()                                        # the required fields are required


@dataclass(frozen=True)
class Mystery(nodes.Expr):
    """A node of a user's own (tests/test_walk.py's stranger)."""

    operand: nodes.Expr
    span: nodes.Span | None = None


def test_the_bases_are_no_records_and_a_dataclass_may_extend_them():
    assert not any(dataclasses.is_dataclass(c) for c in (nodes.Node, nodes.Expr, nodes.Record))
    m = Mystery(nodes.Name("x"))
    assert [f.name for f in dataclasses.fields(m)] == ["operand", "span"]
    assert pickle.loads(pickle.dumps(m)) == m is not None


def test_no_method_of_a_node_is_generated_at_import():
    # the reason the methods are written out: generating them (as @dataclass does, with
    # exec) cost each command ~15 ms of its start (docs/performance.md, "Cold start")
    for name in CLASSES:
        cls = _ours(name)
        for method in ("__init__", "__eq__", "__hash__", "__repr__", "__setattr__"):
            code = getattr(cls, method).__code__
            assert code.co_filename.startswith(os.path.dirname(nodes.__file__)), \
                (name, method, code.co_filename)        # not "<string>": a file of notation
    assert "dataclass" not in nodes.__dict__
