"""Program and Plan: records of the stages, with the methods of notation/api.py."""

import pickle

import pytest

import notation
from notation import api, parse
from notation.nodes import Assign, MatMul, Name, Program
from notation.plan import Plan


def test_parse_gives_the_one_program_class():
    program = parse("l2 = l1W1")
    assert type(program) is Program is notation.Program
    assert program == Program((Assign(Name("l", "2"), MatMul(Name("l", "1"), Name("W", "1"))),))
    assert pickle.loads(pickle.dumps(program)) == program


def test_the_methods_are_the_apis():
    for name, function in api.PROGRAM_METHODS.items():
        assert getattr(Program, name) is function
    for name, function in api.PLAN_METHODS.items():
        assert getattr(Plan, name) is function
    plan = parse("l2 = relu(l0W0)W1").plan(sizes="3,4,1")
    assert isinstance(plan, Plan) and str(plan) == plan.text()


def test_a_method_written_in_a_record_as_well_is_refused():
    class Record:
        def text(self):
            return "mine"

    with pytest.raises(RuntimeError, match="defined both in its class and in notation/api.py"):
        api._attach(Record, {"text": lambda self: "api's"})


def test_the_public_names_survive_importing_every_module():
    # `import notation.compare` used to bind the module notation/compare.py over the function
    # notation.compare (a submodule import sets the package's attribute): the module is
    # notation.comparing now. In a fresh interpreter, each public name is still itself after
    # every module of the package has been imported, in both orders.
    import subprocess
    import sys
    code = """
import importlib, pkgutil, types, sys
import notation
first = sys.argv[1] == "first"
if first:
    names = {n: getattr(notation, n) for n in notation.__all__}
for m in pkgutil.walk_packages(notation.__path__, "notation."):
    if m.name != "notation.__main__":          # that one runs the command line
        importlib.import_module(m.name)
for n in notation.__all__:
    value = getattr(notation, n)
    assert not isinstance(value, types.ModuleType), (n, value)
    assert not first or value is names[n], n
assert notation.compare("y = (AB)C", "y = A(BC)").equivalent
print("ok")
"""
    for order in ("first", "after"):
        r = subprocess.run([sys.executable, "-c", code, order], capture_output=True, text=True)
        assert r.stdout.strip() == "ok", r.stderr
