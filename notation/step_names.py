"""Names and options of the derived step: the names of deltas and stashed gradients, the
parsing of --loss, --params, --lr and --target (the loss's record, the learning rate and
the target as trees, the parameters trained), and the statement a refusal points at.

>>> from notation.nodes import Name
>>> delta_name(Name("l", "2"), set())
Name(letter='δ', sub='2')
"""

from __future__ import annotations

from . import losses
from .errors import NotationTranslationError
from .gradients import one_expression
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


def loss_record(loss, delta: str, mean: bool) -> losses.Loss:
    """The loss's record, with the conventions asked checked against it."""
    record = losses.lookup(loss) if isinstance(loss, str) else None
    if record is None:
        raise NotationTranslationError(f"unknown loss {loss!r}",
                                       hint=f"the losses are {', '.join(losses.names())}")
    if delta not in record.deltas:
        raise NotationTranslationError(f"unknown delta convention {delta!r}",
                                       hint=f"the conventions are {', '.join(record.deltas)}")
    if mean and not record.mean:
        raise NotationTranslationError(f"the loss {record.name} is not taken as a mean",
                                       hint="train without --mean")
    return record


def lr_and_target(lr, target) -> tuple[Expr, Name]:
    from .parser import parse
    lr, target = option_text(lr, "lr"), option_text(target, "target")
    lr_expr = lr if isinstance(lr, Expr) else \
        simple_name(lr) or one_expression(parse(lr), "the learning rate")
    target_expr = simple_name(target) or one_expression(parse(target), "the target")
    if not isinstance(target_expr, Name):
        raise NotationTranslationError(f"the target must be a name, not {target!r}")
    return lr_expr, target_expr


def trained_parameters(forward, target: Name, params) -> set[Name]:
    """The parameters the step trains: the inputs whose letter or name --params gives (W…
    and b… by default); refused when a parameter or the target is assigned, or the target
    is a parameter, with the caret at the statement."""
    for s in forward:
        if s.target == target:
            raise NotationTranslationError(
                f"the target {target.letter}{target.sub} is assigned by the forward pass",
                s.span, hint="the target is an input the output is compared with: name "
                             "another with --target")
    letters, extra = parse_params(params)
    letters |= {"W", "b"} if params is None else set()
    read_first: list[Name] = []      # names read before any assignment: the inputs
    seen: set[Name] = set()
    for s in forward:
        read_first += [n for n in names_in(s.value) if n not in seen]
        seen.add(s.target)
    trained = {n for n in read_first if n != target and (n.letter in letters or n in extra)}
    for s in forward:
        if s.target in trained:
            raise NotationTranslationError(
                f"the forward pass assigns {s.target.letter}{s.target.sub}, which it also "
                "reads as a parameter to train", s.span,
                hint="give the new value a name of its own")
    if target in read_first and (target.letter in letters or target in extra):
        s = statement_reading(forward, target)
        raise NotationTranslationError(
            f"the target {target.letter}{target.sub} is a parameter the step trains",
            s.span if s else None,
            hint="the target is the data the output is compared with: name another with "
                 "--target, or leave it out of --params")
    if not trained:
        raise NotationTranslationError(
            "the forward pass has nothing to train", forward[-1].span,
            hint="weights are W…, biases b…; name others with --params")
    return trained
