"""The book's picture of a network (SPEC §4 Diagram): as text for a terminal, and as SVG.

Layers are strips of units, layer 0 at the bottom; the weight matrices are boxes between
them; each is labelled with its name in both spellings (``l1`` / ``layer_1``), its shape and
the activation applied to it. A strip grows with the units and is capped, the number
printed beside it, as the book draws a 784-unit input as a row that trails off.

    ○ ○ ○ ○            l2 · layer_2 · 1×1
    ┌──┴──┐
    │ W1  │            4×1 · weights_1_2
    └──┬──┘
    ○ ○ ○ ○            l1 · layer_1 · 1×4 · relu
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..collector import paused as collector_paused
from ..kinds import Kind, kind_by_letter
from ..layers import layers_of, names_in, split_layers
from ..naming import BOOK
from ..nodes import Name, Program
from .algebra import algebra
from .base import escape_text

MAX_UNITS_DRAWN = 12   # a wider layer is drawn as 12 units with "…" and its count


@dataclass
class Strip:
    """One layer: its name, shape, the activation on it, and how many units to draw."""

    name: Name
    shape: str | None
    units: int | None
    activation: str | None = None


@dataclass
class Box:
    """What joins a layer to the ones below: the parameters and the algebra that uses them."""

    matrices: list[tuple[Name, str | None]]
    expression: str


@dataclass
class Picture:
    """Bottom to top: strips[0] is the input; boxes[i] joins strips[i] to strips[i + 1]."""

    strips: list[Strip] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    # The layers of the whole network when only the first len(strips) are drawn (picture's
    # ``limit``), else None.
    total: int | None = None


ShapeLookup = Callable[[Name], "tuple[str, int | None] | None"]


def _label(name: Name) -> str:
    return algebra(name)


def picture(program: Program | None, shape_of: ShapeLookup | None = None, *,
            split: tuple | None = None, limit: int | None = None) -> Picture:
    """The layers and boxes of a forward program, from the input up.

    ``shape_of(name)`` gives ``(shape text, units or None)`` when shapes are known;
    ``split`` is ``split_layers(program)`` when the caller has it already (then ``program``
    is not read). With ``limit`` (at least 2), a network of more layers is drawn as its
    first ``limit`` layers, the same as the whole picture's, and ``total`` counts them all.
    """
    def shape(name: Name):
        found = shape_of(name) if shape_of else None
        return found if found else (None, None)

    _, forward = split if split is not None else split_layers(program)
    layers = layers_of(forward)
    assigned = {layer.name for layer in layers}
    pic = Picture()
    # Inputs: layers read before they are written (l0), drawn at the bottom in order.
    read = [names_in(layer.pre) for layer in layers]      # each layer's names, walked once
    inputs = [n for names in read for n in names
              if n not in assigned and kind_by_letter(n) in (Kind.LAYER, Kind.DELTA)]
    for name in dict.fromkeys(inputs):
        text, units = shape(name)
        pic.strips.append(Strip(name, text, units))
    if not pic.strips:
        pic.strips.append(Strip(Name("x"), None, None))
    extra = None                       # layers past the limit, counted, not drawn
    for at, (layer, names) in enumerate(zip(layers, read)):
        if limit is not None and len(pic.strips) > limit:
            # The strips below the last are final (a dropout mask merges into the last).
            extra = _count_strips(layers[at:], pic.strips[-1].name)
            break
        below = pic.strips[-1]
        mask = _dropout_mask(layer.pre, below.name)
        if mask is not None and len(pic.strips) > 1:
            # l1 = relu(…) ⊙ M1 was split into h1 = relu(…); l1 = h1 ⊙ M1. The book draws
            # one layer with its dropout mask: merge them back.
            text_, units = shape(layer.name)
            pic.strips[-1] = Strip(layer.name, text_, units,
                                   f"{below.activation or ''} ⊙ {_label(mask)}".strip())
            continue
        params = [n for n in dict.fromkeys(names)
                  if n not in assigned and kind_by_letter(n) in (Kind.MATRIX, Kind.BIAS)]
        pic.boxes.append(Box([(n, shape(n)[0]) for n in params], algebra(layer.pre)))
        text, units = shape(layer.name)
        pic.strips.append(Strip(layer.name, text, units, layer.activation))
    # Several inputs stack at the bottom with nothing between them but the first box.
    while len(pic.boxes) < len(pic.strips) - 1:
        pic.boxes.insert(0, Box([], ""))
    if limit is not None and len(pic.strips) > limit:
        pic.total = len(pic.strips) + (extra or 0)
        del pic.strips[limit:], pic.boxes[limit - 1:]
    return pic


def _count_strips(layers, below: Name) -> int:
    """The strips these layers add on top of ``below`` (a dropout mask adds none)."""
    count = 0
    for layer in layers:
        count += _dropout_mask(layer.pre, below) is None
        below = layer.name
    return count


def _dropout_mask(pre, below: Name) -> Name | None:
    """M if ``pre`` is ``below ⊙ M`` (or ``M ⊙ below``) with M an input mask, else None."""
    from ..nodes import Hadamard
    if not isinstance(pre, Hadamard):
        return None
    for a, b in ((pre.left, pre.right), (pre.right, pre.left)):
        if a == below and isinstance(b, Name) and kind_by_letter(b) is Kind.MATRIX \
                and b.letter != "W":
            return b
    return None


# ---------------------------------------------------------------------------- text

def _units_row(units: int | None) -> str:
    if units is None:
        return "○ ○ ○ ?"
    if units <= MAX_UNITS_DRAWN:
        return " ".join("○" * units)
    return " ".join("○" * (MAX_UNITS_DRAWN - 1)) + " … ○"


def _strip_label(strip: Strip) -> str:
    parts = [_label(strip.name), BOOK.python(strip.name)]
    if strip.shape:
        parts.append(strip.shape)
    if strip.units is not None and strip.units > MAX_UNITS_DRAWN:
        parts.append(f"{strip.units} units")
    if strip.activation:
        parts.append(strip.activation)
    return " · ".join(parts)


@collector_paused
def text(pic: Picture) -> str:
    """The picture for a terminal, layer 0 at the bottom."""
    rows: list[tuple[str, str]] = []          # (drawing, label), top to bottom
    for i in range(len(pic.strips) - 1, -1, -1):
        strip = pic.strips[i]
        rows.append((_units_row(strip.units), _strip_label(strip)))
        if i > 0:
            box = pic.boxes[i - 1]
            inner = f" {_box_names(box)} "
            rows.append(("┌" + "─" * (len(inner) // 2) + "┴" + "─" * (len(inner) - len(inner) // 2 - 1) + "┐", ""))
            rows.append(("│" + inner + "│", _box_detail(box)))
            rows.append(("└" + "─" * (len(inner) // 2) + "┬" + "─" * (len(inner) - len(inner) // 2 - 1) + "┘", ""))
    width = max(len(d) for d, _ in rows)
    lines = []
    for drawing, label in rows:
        pad = (width - len(drawing)) // 2
        line = " " * pad + drawing
        if label:
            line = line.ljust(width + 3) + label
        lines.append(line.rstrip())
    return "\n".join(lines)


# ---------------------------------------------------------------------------- SVG

_STRIP_H, _BOX_H, _GAP, _UNIT = 34, 34, 22, 22
_FONT = "font-family='DejaVu Sans, Arial, sans-serif'"


# Average advance of a character of DejaVu Sans / Arial, in ems (wider than most: a label
# drawn is at most this long, so the picture's width never cuts one).
_EM_ADVANCE = 0.62


def text_width(text: str, size: float) -> float:
    """An upper estimate of the width of ``text`` at ``size`` px in the diagram's font."""
    return len(text) * size * _EM_ADVANCE


# A box names at most this many of its matrices and its expression is cut at this many
# characters: one layer of a 158,728-factor chain drew a box 55 million pixels wide (8 MB
# of SVG) naming every factor; the whole expression is the algebra view's.
MAX_BOX_NAMES = 8
MAX_BOX_EXPRESSION = 200


def _more(box: Box) -> str:
    extra = len(box.matrices) - MAX_BOX_NAMES
    return f" … {extra:,} more" if extra > 0 else ""


def _box_names(box: Box) -> str:
    return (" ".join(_label(n) for n, _ in box.matrices[:MAX_BOX_NAMES]) + _more(box)) or "·"


def _box_detail(box: Box) -> str:
    shapes = " · ".join(" ".join(p for p in (s, BOOK.python(n)) if p)
                        for n, s in box.matrices[:MAX_BOX_NAMES]) + _more(box)
    expression = box.expression
    if len(expression) > MAX_BOX_EXPRESSION:
        expression = expression[:MAX_BOX_EXPRESSION - 1] + "…"
    return (shapes + "  " if shapes else "") + f"= {expression}"


@collector_paused
def svg(pic: Picture) -> str:
    """The picture as a standalone SVG document (well-formed XML, no external resources)."""
    widest = max(min(s.units or 4, MAX_UNITS_DRAWN) for s in pic.strips)
    draw_w = max(widest * _UNIT + 40, 160)
    label_x = draw_w + 30
    total_h = len(pic.strips) * _STRIP_H + (len(pic.strips) - 1) * (_BOX_H + 2 * _GAP) + 40
    # Each label is written once, for the width and for its text.
    strip_labels = [_strip_label(s) for s in pic.strips]
    box_details = [_box_detail(b) for b in pic.boxes]
    labels = [(t, 14) for t in strip_labels] + [(t, 13) for t in box_details]
    width = int(label_x + max(text_width(t, size) for t, size in labels) + 20)
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{total_h}' "
             f"viewBox='0 0 {width} {total_h}' role='img'>",
             f"<title>{escape_text(' · '.join(_label(s.name) for s in pic.strips))}</title>",
             "<rect width='100%' height='100%' fill='white'/>"]
    y = total_h - 20 - _STRIP_H
    cx = draw_w / 2
    for i, strip in enumerate(pic.strips):
        n = min(strip.units or 4, MAX_UNITS_DRAWN)
        w = n * _UNIT + 16
        x0 = cx - w / 2
        parts.append(f"<rect class='layer' x='{x0:.1f}' y='{y}' width='{w}' height='{_STRIP_H}' "
                     f"rx='10' fill='#eef4fb' stroke='#3a6ea5'/>")
        for u in range(n):
            ux = x0 + 8 + _UNIT / 2 + u * _UNIT
            cy = y + _STRIP_H / 2
            if strip.units and strip.units > MAX_UNITS_DRAWN and u == n - 2:
                # The units left out: an ellipsis, three dots, not a unit of its own.
                parts.extend(f"<circle class='ellipsis' cx='{ux + dx:.1f}' cy='{cy}' r='1.8' "
                             f"fill='#3a6ea5'/>" for dx in (-5, 0, 5))
                continue
            parts.append(f"<circle cx='{ux:.1f}' cy='{cy}' r='7' fill='#3a6ea5' "
                         f"stroke='#3a6ea5'/>")
        parts.append(f"<text x='{label_x}' y='{y + _STRIP_H / 2 + 5}' font-size='14' {_FONT}>"
                     f"{escape_text(strip_labels[i])}</text>")
        if i + 1 < len(pic.strips):
            box = pic.boxes[i]
            by = y - _GAP - _BOX_H
            names = _box_names(box)
            bw = max(60, 14 * len(names) + 24)
            parts.append(f"<line x1='{cx}' y1='{y}' x2='{cx}' y2='{by + _BOX_H}' stroke='#555'/>")
            parts.append(f"<rect class='matrix' x='{cx - bw / 2}' y='{by}' width='{bw}' "
                         f"height='{_BOX_H}' fill='#fff6e0' stroke='#a5743a'/>")
            parts.append(f"<text x='{cx}' y='{by + _BOX_H / 2 + 5}' font-size='15' "
                         f"text-anchor='middle' {_FONT}>{escape_text(names)}</text>")
            detail = box_details[i]
            parts.append(f"<text x='{label_x}' y='{by + _BOX_H / 2 + 5}' font-size='13' "
                         f"fill='#555' {_FONT}>{escape_text(detail)}</text>")
            parts.append(f"<line x1='{cx}' y1='{by}' x2='{cx}' y2='{by - _GAP}' stroke='#555'/>")
            y = by - _GAP - _STRIP_H
    parts.append("</svg>")
    return "\n".join(parts)
