"""The derived step read from its own text without a parse (notation/step_tree.py) is the
program the parser reads from that text: the same nodes, the same spans, no warnings.

The programs: the backward tests' architectures, the issue's and the scalar programs, the
options that change the step's text (--mean, y-l, --columns, a learning rate and a target
of one's own), and the generated cases of tests/test_backward_autodiff.py.
"""

import pytest
from hypothesis import HealthCheck, given, settings

from notation import NotationError, NotationShapeError, parse
from notation.backward import backward
from notation.nodes import Assign, Declare, ExprStatement, MatMul, Name, Number, Transpose, Update
from notation.parser import parse_derived
from notation.step_tree import read_back
from notation.walk import children

from .test_backward import ARCHITECTURES
from .test_backward_autodiff import (ISSUE_PROGRAMS, NO_SHRINK, PARAM_LETTERS, QUICK,
                                     SCALAR_PROGRAMS, cases)


def difference(ours, parsed) -> str | None:
    """Where two programs differ in a node or a span (None: nowhere)."""
    if len(ours.statements) != len(parsed.statements):
        return "the number of statements"
    if ours.source != parsed.source or ours.warnings != parsed.warnings:
        return "the text or the warnings"
    stack = list(zip(ours.statements, parsed.statements))
    while stack:
        a, b = stack.pop()
        if type(a) is not type(b) or a != b or a.span != b.span:
            return f"{a!r} at {a.span} is {b!r} at {b.span}"
        if type(a) in (Assign, Update, Declare):
            stack.append((a.target, b.target))
            if type(a) is Declare:
                stack += [(x, y) for x, y in zip(a.dims, b.dims) if type(x) is Name]
            else:
                stack.append((a.value, b.value))
        elif type(a) is ExprStatement:
            stack.append((a.expr, b.expr))
        else:
            stack += zip(children(a), children(b))
    return None


def same_as_parsed(derived) -> None:
    assert difference(derived, parse_derived(derived.source)) is None, derived.source


PROGRAMS = sorted({(text, loss) for text, loss, *_ in ARCHITECTURES}
                  | {(text, "mse") for text in ISSUE_PROGRAMS + SCALAR_PROGRAMS})


@pytest.mark.parametrize("text, loss", PROGRAMS)
def test_every_tested_program_reads_back_as_the_parser_reads_it(text, loss):
    try:
        derived = backward(parse(text), loss=loss, params=PARAM_LETTERS)
    except NotationError as e:           # refused: what is refused has no step to read
        assert "backward" in e.message or e.span is not None
        return
    same_as_parsed(derived)


@pytest.mark.parametrize("options", [
    dict(mean=True), dict(delta="y-l"), dict(lr="0.01"), dict(lr="η/2"), dict(target="ŷ"),
    dict(loss="cross_entropy"), dict(params=["W", "b", "γ"])])
def test_the_options_read_back_as_the_parser_reads_them(options):
    text = "l0 : b×784\nγ0 : scalar\nl1 = relu(γ0 l0W_{in} + b0)\nl2 = -(l1ᵀ)ᵀ ⊙ 2\n" \
           "l3 = sigmoid(l2(W1W2) - l2/(3 + l2))"
    same_as_parsed(backward(parse(text), **options))


def test_columns_read_back_as_the_parser_reads_them():
    from notation.shapes import options
    same_as_parsed(backward(parse("l1 = relu(W0l0 + b0)\nl2 = W1l1"),
                            opts=options(columns=True)))


@settings(max_examples=QUICK, deadline=None, derandomize=True, phases=NO_SHRINK,
          suppress_health_check=list(HealthCheck))
@given(cases())
def test_generated_steps_read_back_as_the_parser_reads_them(case):
    try:
        derived = backward(parse(case.text()), loss=case.loss, params=PARAM_LETTERS,
                           delta=case.delta, mean=case.mean)
    except NotationShapeError:
        return
    same_as_parsed(derived)


def test_a_statement_the_walk_does_not_know_is_parsed_from_the_text(monkeypatch):
    # an expression statement is no part of a derived step: read_back hands the text to the
    # parser, whose answer is right in any case
    import notation.parser
    parsed = []
    monkeypatch.setattr(notation.parser, "parse_derived",
                        lambda text: parsed.append(text) or parse_derived(text))
    step = [Assign(Name("l", "1"), MatMul(Transpose(Transpose(Name("l", "0"))), Number("2")))]
    assert read_back(step).source == "l1 = l0ᵀᵀ 2" and parsed == []
    program = read_back([*step, ExprStatement(Name("l", "1"))])
    assert parsed == ["l1 = l0ᵀᵀ 2\nl1"]
    assert difference(program, parse_derived(program.source)) is None


def test_a_broken_step_is_refused_with_an_error_in_its_own_text(monkeypatch):
    # A view printing a step the parser cannot read back (here: a stray ')' in the last
    # update) is refused, not read past: the walk does not find the text it expects, the
    # parser reads the text instead, and its located error points into the step's text.
    import notation.parser
    import notation.step_tree
    real = notation.step_tree._EMITTER

    class Broken:
        def emit(self, node):
            text = real.emit(node)
            return text.replace("αl0ᵀ", "αl0ᵀ)") if type(node) is Update else text

        def emit_Name(self, node):
            return real.emit_Name(node)

    parsed = []                            # (backward parses the rate α and target y too)
    monkeypatch.setattr(notation.step_tree, "_EMITTER", Broken())
    monkeypatch.setattr(notation.parser, "parse_derived",
                        lambda text, *more: parsed.append(text) or parse_derived(text, *more))
    with pytest.raises(NotationError) as caught:
        backward(parse("l2 = relu(l0W0)W1"))
    e = caught.value
    step = "l1 = relu(l0W0)\nl2 = l1W1\nδ2 = l2 - y\nδ1 = δ2W1ᵀ ⊙ relu'(l1)\nW1 -= αl1ᵀδ2\n" \
           "W0 -= αl0ᵀ)δ1"
    assert parsed[-1] == step and e.source == step
    assert e.source[e.span.start:e.span.end] == ")" and e.span.start == step.index(")δ1")
    assert str(e) == ("error: unmatched ')'\n"
                      "  --> line 6, column 11\n"
                      "   |\n"
                      " 6 | W0 -= αl0ᵀ)δ1\n"
                      "   |           ^ nothing here to close\n"
                      "   = remove it, or add the opening bracket it closes")
