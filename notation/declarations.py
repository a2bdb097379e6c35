"""Shapes given outside the program: ``--sizes 3,4,1``, ``--dims l0=3,l1=4``, ``--batch b``.

They say the same thing as declarations written in the program (SPEC §2), so they become
:class:`~notation.nodes.Declare` statements: ``--sizes 3,4,1`` is ``l0 : 1×3``, ``l1 : 1×4``,
``l2 : 1×1``. A layer is ``batch × units``; the batch is 1 (one example, as in the book's
pictures) unless ``--batch`` names it.
"""

from __future__ import annotations

import re

from .errors import NotationOptionError
from .nodes import Declare, Name

_SYMBOL = re.compile(r"[A-Za-z](?:_?[A-Za-z0-9]+)?\Z")


class OptionError(NotationOptionError):
    """A malformed --sizes, --dims or --batch value (bad usage, exit status 2)."""


def _dim(text: str, what: str):
    text = text.strip()
    if text.isdigit() and len(text) <= 18:
        if int(text) == 0:
            raise OptionError(f"{what}: a dimension must be at least 1, not 0")
        return int(text)
    if _SYMBOL.match(text):
        from .parser import name_parts
        letter, sub = name_parts(text if "_" in text or len(text) == 1 else text[0] + "_" + text[1:])
        return Name(letter, sub)
    raise OptionError(f"{what}: {text!r} is neither a whole number nor a symbol such as b or n_in")


def _layer_name(text: str, what: str) -> Name:
    from .parser import name_parts
    text = text.strip()
    from .greek import GREEK
    greek = "".join(g for g, _, _ in GREEK)
    # A letter is Latin or one of the notation's Greek letters (δ2, α), as in a program.
    if not re.fullmatch(rf"(?:[A-Za-z]|[{greek}])(?:_\{{?[A-Za-z0-9]+\}}?|[0-9]+)?", text):
        raise OptionError(f"{what}: {text!r} is not a name such as l0, W1 or δ2")
    letter, sub = name_parts(text)
    return Name(letter, sub)


def from_options(sizes: str | None = None, dims: str | None = None,
                 batch: str | None = None) -> tuple[Declare, ...]:
    """Declarations for the CLI's shape options.

    >>> [str(d.dims) for d in from_options(sizes="3,4")]
    ['(1, 3)', '(1, 4)']
    """
    rows = _dim(batch, "--batch") if batch else 1
    out: dict[Name, Declare] = {}
    if sizes:
        for k, units in enumerate(size_units(sizes)):
            name = Name("l", str(k))
            out[name] = Declare(name, (rows, units))
    if dims:
        for part in dims.split(","):
            key, eq, value = part.partition("=")
            if not eq:
                raise OptionError(f"--dims: {part!r} is not NAME=UNITS (write --dims l0=3,l1=4)")
            name = _layer_name(key, "--dims")
            values = value.split("x") if "x" in value else value.split("×")
            if len(values) == 2:
                shape = tuple(_dim(v, "--dims") for v in values)
            elif len(values) == 1:
                shape = (rows, _dim(values[0], "--dims"))
            else:
                raise OptionError(f"--dims: {part!r} has more than two dimensions")
            out[name] = Declare(name, shape)
    return tuple(out.values())


def size_units(sizes: str, batch: str | None = None) -> tuple:
    """The units ``--sizes`` gives, in order (``batch``, when given, is checked first, as
    :func:`from_options` checks it): what the options need of ``--sizes`` before the
    program's chain of layers names them.

    >>> size_units("3, 4,b")
    (3, 4, Name(letter='b', sub=''))
    """
    if batch:
        _dim(batch, "--batch")
    out = []
    for k, part in enumerate(sizes.split(",")):
        if not part.strip():
            raise OptionError(f"--sizes: entry {k + 1} is empty (write --sizes 3,4,1)")
        out.append(_dim(part, "--sizes"))
    return tuple(out)
