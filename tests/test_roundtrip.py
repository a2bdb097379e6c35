"""Properties: any tree -> algebra -> tree is the same tree (SPEC §1, §4)."""

from hypothesis import given, settings

from notation import parse

from .trees import expressions, programs
from .tools import examples


@settings(max_examples=examples(400), deadline=None)
@given(programs)
def test_algebra_round_trip(program):
    text = program.algebra()
    assert parse(text) == program, text


@settings(max_examples=examples(400), deadline=None)
@given(programs)
def test_ascii_algebra_round_trip(program):
    text = program.algebra(ascii=True)
    assert text.isascii()
    assert parse(text) == program, text


@settings(max_examples=examples(200), deadline=None)
@given(expressions)
def test_algebra_is_a_fixed_point(expr):
    # Printing the parse of printed text gives the same text: one canonical spelling.
    from notation.emit.algebra import algebra
    text = algebra(expr)
    assert parse(text).algebra() == text
