"""Frozen, slotted records whose methods are written once, not generated at import.

``@dataclass(frozen=True, slots=True)`` compiles the source of six methods for each class
when its module is imported, ~1 ms a class: the tree's ~17 classes cost every command ~15 ms
of its start. :class:`Record` gives the same behaviour (frozen fields, pickling,
``dataclasses.fields``/``replace``/``asdict``) with each class writing its ``__init__``, and
:func:`tree_methods` gives a class of the tree the equality, hash and ``repr`` of a
dataclass, written with an explicit stack: the generated ones recurse through the fields, so
a product of 100,000 factors (a left-deep chain of MatMul) would end in RecursionError.
``tests/test_nodes.py`` checks each class against the dataclass it replaces.
"""

from __future__ import annotations

# Sets a field of a frozen record (in its __init__), as a dataclass's __init__ does.
set_field = object.__setattr__


class _FieldsTable:
    """A record class's ``__dataclass_fields__``, made on first use (and then kept on the
    class), so that ``dataclasses.fields``, ``replace`` and ``asdict`` work on records and a
    start-up that never asks does not import ``dataclasses``.

    A record's fields are its ``__slots__``, in the order of its ``__init__``; those named
    in ``_HIDDEN`` are left out of equality and ``repr``.
    """

    def __get__(self, node, cls):
        if not cls.__slots__:                    # Node, Expr, Statement: not records
            raise AttributeError("__dataclass_fields__")
        import dataclasses
        init = cls.__init__
        defaults = init.__defaults__ or ()
        names = cls.__slots__
        first_default = len(names) - len(defaults)
        given = cls.__dict__.get("_DEFAULTS")       # a @frozen record's (its __init__ is generic)
        table = {}
        for i, name in enumerate(names):
            shown = name not in cls._HIDDEN
            if given is not None:
                default = given.get(name, dataclasses.MISSING)
            else:
                default = defaults[i - first_default] if i >= first_default else dataclasses.MISSING
            f = dataclasses.field(default=default, compare=shown, repr=shown)
            f.name, f.type = name, init.__annotations__.get(name)
            f.kw_only, f._field_type = False, dataclasses._FIELD   # _FIELD: what fields() selects
            table[name] = f
        cls.__dataclass_fields__ = table
        return table


class Record:
    """The base of a frozen, slotted record (the tree's nodes, ``errors.Label``).

    >>> from notation.nodes import Span
    >>> Span(0, 3).start = 1
    Traceback (most recent call last):
    dataclasses.FrozenInstanceError: cannot assign to field 'start'
    """

    __slots__ = ()
    _HIDDEN: tuple[str, ...] = ()
    __dataclass_fields__ = _FieldsTable()

    def __setattr__(self, name, value):
        from dataclasses import FrozenInstanceError
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        from dataclasses import FrozenInstanceError
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __getstate__(self):
        return [getattr(self, name) for name in self.__dataclass_fields__]

    def __setstate__(self, state):
        for name, value in zip(self.__dataclass_fields__, state):
            set_field(self, name, value)


# ---------------------------------------------------------------------------- deep trees

# class -> the fields its equality, hash and repr use, for the classes given tree_methods
_COMPARED: dict[type, tuple[str, ...]] = {}


def tree_methods(cls):
    """Give a record class a dataclass's ``__eq__``, ``__hash__`` and ``__repr__`` over its
    fields but those in ``_HIDDEN``, written without recursion (a class decorator).

    >>> from notation.nodes import Name, Transpose
    >>> Transpose(Name("W")) == Transpose(Name("W")), repr(Transpose(Name("W")))
    (True, "Transpose(operand=Name(letter='W', sub=''))")
    """
    _COMPARED[cls] = tuple(name for name in cls.__slots__ if name not in cls._HIDDEN)
    cls.__eq__, cls.__hash__, cls.__repr__ = _tree_eq, _tree_hash, _tree_repr
    return cls


def _parts(value, names):
    if isinstance(value, tuple):
        return value
    return [getattr(value, n) for n in names[type(value)]]


def _is_composite(value, names) -> bool:
    return type(value) in names or type(value) is tuple


def _tree_eq(self, other):
    if other.__class__ is not self.__class__:
        return NotImplemented
    stack = [(self, other)]
    while stack:
        a, b = stack.pop()
        if a is b:
            continue
        if a.__class__ is not b.__class__:
            return False
        if _is_composite(a, _COMPARED):
            pa, pb = _parts(a, _COMPARED), _parts(b, _COMPARED)
            if len(pa) != len(pb):
                return False
            stack.extend(zip(pa, pb))
        elif a != b:
            return False
    return True


def _fold(root, names, leaf, combine):
    """Post-order fold over composite nodes and tuples, without recursion."""
    out: list = []
    stack = [(root, False)]
    while stack:
        value, ready = stack.pop()
        if not _is_composite(value, names):
            out.append(leaf(value))
        elif not ready:
            stack.append((value, True))
            stack.extend((p, False) for p in reversed(_parts(value, names)))
        else:
            n = len(_parts(value, names))
            kids = out[len(out) - n:]
            del out[len(out) - n:]
            out.append(combine(value, kids))
    return out[0]


def _tree_hash(self):
    return _fold(self, _COMPARED, hash, lambda v, kids: hash((type(v).__name__, *kids)))


class _Text(str):
    """Punctuation on the repr's stack, told apart from a field that holds a string."""


def _tree_repr(self):
    # Written front to back as fragments and joined once: building each node's text from
    # its children's would copy a deep chain's text once per level.
    out: list[str] = []
    stack: list = [self]
    while stack:
        item = stack.pop()
        if type(item) is _Text:
            out.append(item)
        elif type(item) is tuple:
            stack.append(_Text(",)" if len(item) == 1 else ")"))
            for i, part in reversed(list(enumerate(item))):
                stack.append(part)
                if i:
                    stack.append(_Text(", "))
            stack.append(_Text("("))
        elif type(item) in _COMPARED:
            stack.append(_Text(")"))
            names = _COMPARED[type(item)]       # the hidden fields are not shown either
            for i, n in reversed(list(enumerate(names))):
                stack.append(getattr(item, n))
                stack.append(_Text(("" if i == 0 else ", ") + n + "="))
            stack.append(_Text(type(item).__qualname__ + "("))
        else:
            out.append(repr(item))
    return "".join(out)


# ---------------------------------------------------------------------------- flat records

class _Default:
    """A field's default that takes no part in equality and hash (``compare=False``)."""

    __slots__ = ("default",)

    def __init__(self, default):
        self.default = default


def uncompared(default=None):
    """The default of a field left out of equality and hash, as ``dataclasses.field(
    default=…, compare=False)`` (a function held by a record, which compares by identity)."""
    return _Default(default)


def frozen(cls):
    """A class with annotated fields made a frozen, slotted record, as
    ``@dataclass(frozen=True, slots=True)`` makes it (keyword or positional ``__init__``
    with the class's defaults, equality and hash over the compared fields, the ``repr`` of
    every field, frozen, ``dataclasses.fields``/``replace``), without importing
    ``dataclasses`` or compiling methods: for the registry's small records (a function, a
    recipe, an operator), which every command builds at start. Its ``__init__`` is one
    loop over the fields, for records made a few dozen times, not the tree's nodes.

    >>> @frozen
    ... class Point:
    ...     x: int
    ...     y: int = 0
    ...     note: str = uncompared("")
    >>> Point(1) == Point(1, 0, note="other"), Point(1, y=2)
    (True, Point(x=1, y=2, note=''))
    """
    names = tuple(cls.__dict__.get("__annotations__", {}))
    defaults, hidden = {}, []
    for name in names:
        if name in cls.__dict__:
            value = cls.__dict__[name]
            if isinstance(value, _Default):
                hidden.append(name)
                value = value.default
            defaults[name] = value
    compared = tuple(n for n in names if n not in hidden)
    body = {k: v for k, v in cls.__dict__.items()
            if k not in names and k not in ("__dict__", "__weakref__")}

    def __init__(self, *args, **kwargs):
        if len(args) > len(names):
            raise TypeError(f"{cls.__name__}() takes {len(names)} arguments, "
                            f"not {len(args)}")
        for name, value in zip(names, args):
            set_field(self, name, value)
        for name in names[len(args):]:
            if name in kwargs:
                value = kwargs.pop(name)
            elif name in defaults:
                value = defaults[name]
            else:
                raise TypeError(f"{cls.__name__}() is missing the argument {name!r}")
            set_field(self, name, value)
        if kwargs:
            raise TypeError(f"{cls.__name__}() got an unexpected argument {next(iter(kwargs))!r}")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (tuple(getattr(self, n) for n in compared)
                    == tuple(getattr(other, n) for n in compared))
        return NotImplemented

    def __hash__(self):
        return hash(tuple(getattr(self, n) for n in compared))

    def __repr__(self):
        return (f"{type(self).__qualname__}("
                + ", ".join(f"{n}={getattr(self, n)!r}" for n in names) + ")")

    body.update(__slots__=names, __match_args__=names, _HIDDEN=tuple(hidden),
                _DEFAULTS=defaults, __init__=__init__, __eq__=__eq__, __hash__=__hash__,
                __repr__=__repr__)
    return type(cls.__name__, (Record,), body)
