"""The golden cases: one folder per program under tests/golden/.

Each folder holds ``input.nn`` (the program), ``shapes.txt`` (declarations giving every
input a concrete shape, for the tests that run the emitted code) and one file per view
(``numpy.py``, ``numpy_matmul.py``, ``numpy_plain.py``, ``module.py``, ``latex.tex``).
``NOTATION_UPDATE_GOLDEN=1 pytest`` rewrites the view files from the current code; the
diff is then reviewed by a person before it is committed.
"""

import os
from pathlib import Path

import pytest

from notation import parse
from notation.nodes import Declare, Name

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("NOTATION_UPDATE_GOLDEN") == "1"


def cases() -> list[str]:
    return sorted(p.name for p in GOLDEN.iterdir() if (p / "input.nn").is_file())


def source(case: str) -> str:
    return (GOLDEN / case / "input.nn").read_text(encoding="utf-8")


def program(case: str):
    return parse(source(case))


def shapes(case: str) -> dict[Name, tuple]:
    """Name -> concrete shape (``()`` for a scalar), from the case's shapes.txt."""
    text = (GOLDEN / case / "shapes.txt").read_text(encoding="utf-8")
    out = {}
    for statement in parse(text).statements:
        assert isinstance(statement, Declare), f"{case}/shapes.txt holds only declarations"
        assert all(isinstance(d, int) for d in statement.dims), f"{case}: concrete sizes only"
        out[statement.target] = statement.dims
    return out


def check(case: str, filename: str, actual: str) -> None:
    """The view file equals ``actual`` (or is rewritten under NOTATION_UPDATE_GOLDEN=1)."""
    path = GOLDEN / case / filename
    if not actual.endswith("\n"):
        actual += "\n"
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
        return
    if not path.is_file():
        pytest.fail(f"{path} is missing: run NOTATION_UPDATE_GOLDEN=1 pytest and review it")
    assert actual == path.read_text(encoding="utf-8"), f"{case}/{filename} differs"
