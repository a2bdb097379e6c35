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
