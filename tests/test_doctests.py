"""The examples in the docstrings run: every module of notation/, and tools/build_tables.py."""

import doctest
import importlib
import importlib.util
import pkgutil
from pathlib import Path

import pytest

import notation

ROOT = Path(__file__).resolve().parent.parent
# __main__ runs the command line when imported.
MODULES = ["notation"] + sorted(m.name for m in pkgutil.walk_packages(notation.__path__, "notation.")
                                if m.name != "notation.__main__")


def _check(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in " \
        f"{module.__name__} (run python -m doctest -v on it)"
    return result.attempted


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_of_each_module_run(name):
    _check(importlib.import_module(name))


def test_the_table_builders_examples_run():
    spec = importlib.util.spec_from_file_location("build_tables", ROOT / "tools" / "build_tables.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert _check(module) >= 1


def test_there_are_examples_to_run():
    # the public entry points carry examples (STYLE.md): a sweep that found none is broken
    counted = sum(_check(importlib.import_module(name)) for name in
                  ["notation", "notation.parser", "notation.api", "notation.plan"])
    assert counted >= 5
