"""A Jupyter notebook (nbformat JSON) -> one code cell, with what the cells before it define.

Jupyter runs a notebook's cells top to bottom, so a cell may call a helper an earlier cell
defined (chapter 5's ``ele_mul``) or use a constant set there (``alpha = 0.01``). A cell is
read with, from the code cells before it, in notebook order (a later definition replaces an
earlier one, as in Jupyter):

- the ``def`` and ``lambda`` definitions, and the ``import numpy as …`` lines;
- the constants: a name bound to a number at the top level of a cell (``alpha = 0.2``).

Only what the cell uses is taken (a function the cell calls, and the functions that one
calls). Definitions come without their positions, so that what they put in the cell is
located at the call, in the cell's own text; ``Prelude.origin`` says where each came from.
Lines that are IPython's and not Python (``%matplotlib inline``, ``!pip install …``) are
blank lines to the reader. nbformat is plain JSON: the standard library reads it.

Cells are chosen by ``cell``: a number counts the code cells from 1 (markdown cells are not
counted); a text is a cell's tag (``metadata.tags``) or is found in its first non-blank line
(``"# training loop"``). Without ``cell``, a notebook of one code cell reads that cell.

>>> nb = notebook_json(["def double(x):\\n    return x * 2", "layer_1 = double(layer_0)"])
>>> chosen = choose(nb, 2)
>>> chosen.number, [p.origin for p in chosen.prelude]
(2, ['code cell 1, line 1'])
"""

from __future__ import annotations

import ast
import copy
import json
import re
from dataclasses import dataclass

from ...errors import NotationOptionError, NotationTranslationError
from .syntax import number

_MAGIC = re.compile(r"^[ \t]*[%!]")
_POSITIONS = ("lineno", "col_offset", "end_lineno", "end_col_offset")


@dataclass(frozen=True)
class Definition:
    """A definition of an earlier cell: the ast node (without positions) and where it was."""

    node: ast.stmt
    name: str
    origin: str                 # "code cell 2, line 5"


@dataclass(frozen=True)
class Chosen:
    """The cell to read: its number among the code cells, its source, and the prelude."""

    number: int
    source: str
    prelude: tuple[Definition, ...]
    magics: tuple[tuple[int, str], ...] = ()    # (line, text) blanked as IPython's


def is_notebook(source) -> bool:
    """Is this nbformat JSON (text or an already parsed dict)?

    >>> is_notebook('{"cells": [], "nbformat": 4}'), is_notebook("layer_1 = layer_0")
    (True, False)
    """
    if isinstance(source, str):
        if not source.lstrip().startswith("{"):
            return False
        try:
            source = json.loads(source)
        except (ValueError, RecursionError):
            return False
    return isinstance(source, dict) and (isinstance(source.get("cells"), list)
                                         or isinstance(source.get("worksheets"), list))


def notebook_json(cells: list[str]) -> str:
    """A minimal nbformat 4 notebook of these code cells (for tests and examples)."""
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": text.splitlines(True)} for text in cells]})


def code_cells(source) -> list[tuple[str, tuple[str, ...]]]:
    """(source, tags) of each code cell, in order."""
    data = source if isinstance(source, dict) else json.loads(source)
    cells = data.get("cells")
    if not isinstance(cells, list):       # nbformat 3: cells in worksheets, code as "input"
        cells = [c for w in data.get("worksheets") or [] if isinstance(w, dict)
                 for c in (w.get("cells") if isinstance(w.get("cells"), list) else [])]
    out = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        text = cell.get("source", cell.get("input", ""))
        if isinstance(text, list):
            text = "".join(t for t in text if isinstance(t, str))
        if not isinstance(text, str):
            text = ""
        meta = cell.get("metadata")
        tags = meta.get("tags") if isinstance(meta, dict) else None
        out.append((text, tuple(t for t in tags if isinstance(t, str))
                    if isinstance(tags, list) else ()))
    return out


def choose(source, cell=None) -> Chosen:
    """The code cell ``cell`` names (see the module's doc), with its prelude."""
    cells = code_cells(source)
    index = _index(cells, cell)
    text, magics = _python(cells[index][0])
    return Chosen(index + 1, text, tuple(_prelude(cells[:index], text)), magics)


def _index(cells, cell) -> int:
    listing = "; ".join(f"{i}: {_first_line(t)[:40]}" for i, (t, _) in enumerate(cells, 1))
    if not cells:
        raise NotationTranslationError("the notebook has no code cell")
    if cell is None:
        if len(cells) == 1:
            return 0
        raise NotationTranslationError(
            f"the notebook has {len(cells)} code cells: say which to read",
            hint=f"--cell N (cell=N) counts the code cells from 1, or give a tag or text of "
                 f"its first line; the cells: {listing}")
    if isinstance(cell, bool) or not isinstance(cell, (int, str)):
        raise NotationOptionError(f"cell is a number or a str, not {type(cell).__name__}")
    if isinstance(cell, str) and cell.strip().isdigit():
        cell = int(cell.strip())
    if isinstance(cell, int):
        if not 1 <= cell <= len(cells):
            raise NotationTranslationError(
                f"there is no code cell {cell}: the notebook has {len(cells)}, counted from 1",
                hint=f"the cells: {listing}")
        return cell - 1
    wanted = cell.strip()
    found = [i for i, (_, tags) in enumerate(cells) if wanted in tags] or [
        i for i, (t, _) in enumerate(cells) if wanted and wanted in _first_line(t)]
    if len(found) != 1:
        which = ("no code cell has" if not found else
                 f"code cells {', '.join(str(i + 1) for i in found)} have")
        raise NotationTranslationError(
            f"{which} the tag or first line {wanted!r}",
            hint=f"give the cell's number (counted from 1) or a text only its first line has; "
                 f"the cells: {listing}")
    return found[0]


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _python(text: str) -> tuple[str, tuple[tuple[int, str], ...]]:
    """The cell with IPython's own lines blanked (line numbers kept), and those lines."""
    lines = text.split("\n")
    magics = tuple((i + 1, line.strip()) for i, line in enumerate(lines) if _MAGIC.match(line))
    for i, _ in magics:
        lines[i - 1] = ""
    return "\n".join(lines), magics


def _prelude(cells, text: str) -> list[Definition]:
    """The definitions of earlier cells that the cell uses, the last of each name."""
    found: dict[str, Definition] = {}
    for number, (source, _) in enumerate(cells, 1):
        try:
            body = ast.parse(_python(source)[0]).body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue                     # a cell that does not run defines nothing
        for node in body:
            name = _defines(node)
            if name is not None:
                found.pop(name, None)    # re-inserted: notebook order of the last definition
                found[name] = Definition(_unplaced(node), name,
                                         f"code cell {number}, line {node.lineno}")
    try:
        cell = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []                        # the reader says what is wrong with the cell
    own = {_defines(n) for n in cell.body} - {None}
    used, todo = set(), [cell]
    while todo:
        for n in ast.walk(todo.pop()):
            ident = n.id if isinstance(n, ast.Name) else None
            if ident in found and ident not in own and ident not in used:
                used.add(ident)
                todo.append(found[ident].node)
    return [d for d in found.values() if d.name in used or isinstance(d.node, ast.Import)]


def _defines(node) -> str | None:
    """The name a top-level statement defines for later cells, if it is one we take."""
    if isinstance(node, ast.FunctionDef):
        return node.name
    if isinstance(node, ast.Import):
        numpy = [a for a in node.names if a.name == "numpy"]
        return f"import {numpy[0].asname or 'numpy'}" if numpy else None
    if isinstance(node, ast.Assign) and len(node.targets) == 1 \
            and isinstance(node.targets[0], ast.Name) \
            and (isinstance(node.value, ast.Lambda) or number(node.value)):
        return node.targets[0].id
    return None


def _unplaced(node):
    """A copy without positions: whatever it puts in the cell is located where it is used."""
    node = copy.deepcopy(node)
    for n in ast.walk(node):
        for attr in _POSITIONS:
            if hasattr(n, attr):
                setattr(n, attr, None)
    return node
