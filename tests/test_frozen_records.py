"""records.frozen gives the registry's records (Function, Recipe, Operator, naming.Rule)
what @dataclass(frozen=True, slots=True) gave them: each class is checked against the
dataclass made from the same annotations and defaults."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from notation import functions, naming, operators, records
from notation.function_record import Function, Recipe

CLASSES = [Function, Recipe, operators.Operator, naming.Rule]


def twin(cls):
    """The dataclass the record replaces: same fields, defaults and compare flags."""
    specs = []
    for f in dataclasses.fields(cls):
        if f.default is dataclasses.MISSING:
            specs.append((f.name, object))
        else:
            specs.append((f.name, object, dataclasses.field(default=f.default, compare=f.compare)))
    return dataclasses.make_dataclass(cls.__name__, specs, frozen=True, slots=True)


def samples(cls):
    if cls is Function:
        return list(functions.FUNCTIONS.values())
    if cls is Recipe:
        return [fn.recipe for fn in functions.FUNCTIONS.values() if fn.recipe]
    if cls is operators.Operator:
        return list(operators.BINARY_OPERATORS.values())
    return list(naming.BOOK_RULES)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_a_frozen_record_behaves_as_its_dataclass(cls):
    ref = twin(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    assert names == list(cls.__slots__) == list(cls.__match_args__)
    assert [f.name for f in dataclasses.fields(ref)] == names
    assert [f.compare for f in dataclasses.fields(cls)] == [f.compare for f in dataclasses.fields(ref)]
    for a in samples(cls):
        values = [getattr(a, n) for n in names]
        r = ref(*values)
        assert repr(a) == repr(r).replace(ref.__qualname__, cls.__qualname__, 1)
        assert hash(a) == hash(r)
        assert a == cls(*values) and a == dataclasses.replace(a)
        assert not hasattr(a, "__dict__")
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(a, names[0], None)
        for i, n in enumerate(names):
            f = dataclasses.fields(ref)[i]
            changed = dataclasses.replace(a, **{n: "other"})
            assert (changed == a) == (dataclasses.replace(r, **{n: "other"}) == r), n
            assert (changed == a) is (not f.compare), n
    if cls is Recipe:
        a = Recipe(("x",))
        assert pickle.loads(pickle.dumps(a)) == a and copy.deepcopy(a) == a
        with pytest.raises(TypeError):
            Recipe()
        with pytest.raises(TypeError):
            Recipe(("x",), nonsense=1)


def test_uncompared_fields_are_left_out_of_equality():
    @records.frozen
    class Point:
        x: int
        note: str = records.uncompared("")

    assert Point(1, "a") == Point(1, "b") and hash(Point(1, "a")) == hash(Point(1, "b"))
    assert Point(1) != Point(2)
    assert repr(Point(1, "a")).endswith("Point(x=1, note='a')")
