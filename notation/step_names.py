"""Names and options of the derived step: the names of deltas and stashed gradients, the
parsing of --params, --lr and --target, and the statement a refusal points at.

>>> from notation.nodes import Name
>>> delta_name(Name("l", "2"), set())
Name(letter='δ', sub='2')
"""

from __future__ import annotations

from .errors import NotationTranslationError
from .layers import names_in
from .nodes import Expr, Name


def delta_name(layer: Name, taken: set[Name], span=None) -> Name:
    """δ2 for l2, as the book names layer_2_delta; δ_{h1} for other layers."""
    if not layer.letter.isascii():
        # δ_{δ2} would be no name of the notation (a subscript is Latin letters and digits).
        raise NotationTranslationError(
            f"backward cannot name the delta of {layer.letter}{layer.sub}: a delta is δ with "
            f"the layer's name as subscript, and {layer.letter} is no Latin letter", span,
            label="this layer", hint="name the layers with Latin letters, such as l1 or h1")
    name = Name("δ", layer.sub if layer.letter == "l" and layer.sub else layer.letter + layer.sub)
    if name in taken:
        raise NotationTranslationError(
            f"the forward pass already uses {name.letter}{name.sub}, the name of a delta",
            hint="rename it: backward names the delta of layer l_k δ_k")
    return name


def stash_name(param: Name, taken: set[Name]) -> Name:
    """The name of a parameter's gradient computed before the updates: δ_{W1}; for a Greek
    scalar parameter its English name, δ_{gamma1} (a subscript is Latin letters and digits)."""
    if param.letter.isascii():
        return delta_name(param, taken)
    from .greek import ENGLISH_BY_UNICODE
    name = Name("δ", ENGLISH_BY_UNICODE.get(param.letter, "p") + param.sub)
    if name in taken:
        raise NotationTranslationError(
            f"the forward pass already uses δ_{{{name.sub}}}, the name of a gradient",
            hint=f"rename it: backward names the gradient of {param.letter}{param.sub} so")
    return name


def simple_name(text: str) -> Name | None:
    """``W1``, ``α``, ``y``: a letter and digits, read without the parser (it is asked often)."""
    text = text.strip()
    if text[:1].isalpha() and text[1:].isdigit() and text[:1] not in "Tx":
        from .greek import is_greek
        if text[0].isascii() or is_greek(text[0]):
            return Name(text[0], text[1:])
    return None


def parse_params(params) -> tuple[set[str], set[Name]]:
    """--params E,W1: letters (every E…) and whole names (W1)."""
    letters: set[str] = set()
    names: set[Name] = set()
    for item in params or ():
        if isinstance(item, Name):
            names.add(item)
            continue
        from .parser import parse
        target = simple_name(item)
        if target is None:
            expr = parse(item).statements[0]
            target = getattr(expr, "expr", None)
        if not isinstance(target, Name):
            raise NotationTranslationError(f"--params: {item!r} is not a name such as E or W1")
        (letters.add(target.letter) if not target.sub else names.add(target))
    return letters, names


def option_text(value, what: str):
    """An option given as a number (``lr=0.1``) is the number's text; anything but text, a
    number or a tree is refused."""
    import math
    import numbers
    if isinstance(value, (str, Expr)):
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and what == "lr":
        if math.isfinite(value) and value >= 0:
            return repr(value if isinstance(value, numbers.Integral) else float(value))
    from .errors import NotationOptionError
    raise NotationOptionError(f"{what}={value!r}: give {what} as text"
                              + (", a name such as α or a number such as 0.1" if what == "lr"
                                 else ", a name such as y"))


def statement_reading(statements, name: Name):
    """The first statement that reads ``name``, for a caret."""
    for s in statements:
        value = getattr(s, "value", None)
        if value is not None and name in names_in(value):
            return s
    return None


