"""Errors are tested by their full rendered text (SPEC §6)."""

import pytest

import notation
from notation import NotationNameError, NotationSyntaxError

CASES = [
    ('l2 = relu(l0W0', NotationSyntaxError, "error: unclosed parenthesis\n  --> line 1, column 10\n   |\n 1 | l2 = relu(l0W0\n   |          ^ this ( is never closed\n   |               ^ the statement ends here\n   = add ')' to close it"),
    ('l2 = relu(l0W0)W1 +', NotationSyntaxError, "error: dangling '+': it has nothing on its right\n  --> line 1, column 19\n   |\n 1 | l2 = relu(l0W0)W1 +\n   |                   ^ needs a value after it\n   |                    ^ the statement ends here\n   = finish the expression after '+', or remove the '+'"),
    ('l1 = l0 ⊙', NotationSyntaxError, "error: dangling '⊙': it has nothing on its right\n  --> line 1, column 9\n   |\n 1 | l1 = l0 ⊙\n   |         ^ needs a value after it\n   |          ^ the statement ends here\n   = finish the expression after '⊙', or remove the '⊙'"),
    ('l2 = relu l0', NotationSyntaxError, 'error: relu is a function: it needs parentheses\n  --> line 1, column 6\n   |\n 1 | l2 = relu l0\n   |      ^^^^ no ( after the function name\n   = write relu(…), as in relu(l0W0)'),
    ('l2 = \\operatorname{relu} l0', NotationSyntaxError, 'error: a function needs parentheses\n  --> line 1, column 6\n   |\n 1 | l2 = \\operatorname{relu} l0\n   |      ^^^^^^^^^^^^^^^^^^^ no ( after the function name\n   = write \\operatorname{relu}(…) around its argument'),
    ('l2 = layer', NotationNameError, "error: 'layer' is a word, not a product of letters\n  --> line 1, column 6\n   |\n 1 | l2 = layer\n   |      ^^^^^ a run of lowercase letters is a word\n   = for the product of its letters write 'l a y e r'; for a function call write layer(…) with a known function (relu, step, sigmoid, tanh, softmax, exp, log, sum, batchsum, softplus, leaky_relu, gelu)"),
    ('l2 = rleu(l0W0)', NotationNameError, "error: unknown function 'rleu'\n  --> line 1, column 6\n   |\n 1 | l2 = rleu(l0W0)\n   |      ^^^^ not a known function\n   = did you mean relu? the known functions are relu, step, sigmoid, tanh, softmax, exp, log, sum, batchsum, softplus, leaky_relu, gelu; others can be registered with notation.functions.register"),
    ('', NotationSyntaxError, 'error: empty input: there is no statement to read\n  --> line 1, column 1\n   |\n 1 | \n   | ^\n   = write a statement such as l2 = relu(l0W0)W1'),
    ('   \n  # only a comment\n', NotationSyntaxError, 'error: empty input: there is no statement to read\n  --> line 2, column 19\n   |\n 2 |   # only a comment\n   |                   ^\n   = write a statement such as l2 = relu(l0W0)W1'),
    ('l_ = x', NotationSyntaxError, 'error: malformed subscript\n  --> line 1, column 2\n   |\n 1 | l_ = x\n   |  ^ a subscript needs letters or digits after _\n   = write l_0, l_{12} or W_{out}'),
    ('l_{} = x', NotationSyntaxError, 'error: malformed subscript\n  --> line 1, column 2\n   |\n 1 | l_{} = x\n   |  ^ a subscript needs letters or digits after _\n   = write l_0, l_{12} or W_{out}'),
    ('\\left( l0W0 )', NotationSyntaxError, 'error: unbalanced \\left( … \\right)\n  --> line 1, column 13\n   |\n 1 | \\left( l0W0 )\n   |             ^ a \\left( must be closed by \\right)\n   = write \\right) here, or ( instead of \\left('),
    ('( l0W0 \\right)', NotationSyntaxError, 'error: unbalanced \\left( … \\right)\n  --> line 1, column 8\n   |\n 1 | ( l0W0 \\right)\n   |        ^^^^^^^ this \\right) closes a plain (\n   = write ) here, or \\left( where it opens'),
    ('\\left( l0W0', NotationSyntaxError, 'error: unbalanced \\left( … \\right)\n  --> line 1, column 1\n   |\n 1 | \\left( l0W0\n   | ^^^^^^ this \\left( is never closed\n   |            ^ the statement ends here\n   = add \\right) to close it'),
    ('l1 = l0W0)', NotationSyntaxError, "error: unmatched ')'\n  --> line 1, column 10\n   |\n 1 | l1 = l0W0)\n   |          ^ nothing here to close\n   = remove it, or add the opening bracket it closes"),
    ('l1 = l0 ! W0', NotationSyntaxError, "error: unexpected character '!'\n  --> line 1, column 9\n   |\n 1 | l1 = l0 ! W0\n   |         ^ the notation has no such symbol\n   = names are letters with a subscript (l0, W1, δ2); operators are juxtaposition, @, ·, ⊙, *, /, +, -, ᵀ"),
    ('l1 = l0 \\times W0', NotationSyntaxError, "error: '\\times' belongs in a shape, not in an expression\n  --> line 1, column 9\n   |\n 1 | l1 = l0 \\times W0\n   |         ^^^^^^ only declarations use this\n   = declare shapes as l0 : 1×3 or W0 ∈ ℝ^{3×4}; a product is written side by side, with @, · or \\cdot"),
    ('l1 = l0 \\foo W0', NotationSyntaxError, 'error: unknown command \\foo\n  --> line 1, column 9\n   |\n 1 | l1 = l0 \\foo W0\n   |         ^^^^ not part of the notation\n   = the LaTeX the notation reads: Greek letters, \\cdot, \\odot, ^{\\top}, \\operatorname{…}, \\left( \\right), \\frac{…}{…}, \\in \\mathbb{R}^{…}'),
    ('l0W0 = l1', NotationSyntaxError, "error: only a single name can stand left of '='\n  --> line 1, column 6\n   |\n 1 | l0W0 = l1\n   |      ^ the left side must be one name, such as l1 or W0\n   = write the target as one name: l2 = relu(l0W0)W1"),
    ('= l1', NotationSyntaxError, "error: '=' has nothing on its left\n  --> line 1, column 1\n   |\n 1 | = l1\n   | ^ needs a name before it\n   = write the name it defines first: l1 = …"),
    ('l0 :', NotationSyntaxError, "error: a declaration needs a shape after ':'\n  --> line 1, column 4\n   |\n 1 | l0 :\n   |    ^ no shape after it\n   |     ^ the statement ends here\n   = write a shape, as in l0 : 1×3, W0 ∈ ℝ^{3×4} or α : scalar"),
    ("softmax'(l2)", NotationNameError, "error: softmax has no derivative in the notation\n  --> line 1, column 1\n   |\n 1 | softmax'(l2)\n   | ^^^^^^^^ no derivative helper for this function\n   = softmax is used with cross-entropy, whose delta is output - y"),
    ('l0 : 1×3×4', NotationSyntaxError, 'error: a shape has at most two dimensions, and this one has 3\n  --> line 1, column 6\n   |\n 1 | l0 : 1×3×4\n   |      ^^^^^ 3 dimensions\n   = every value is a scalar or a 2-D array: batch × units, or inputs × outputs'),
    ('relu(a, b)', NotationSyntaxError, 'error: a function takes one argument\n  --> line 1, column 7\n   |\n 1 | relu(a, b)\n   |       ^ a second argument starts here\n   = functions apply to one value, as relu(l0W0); a comma only separates dimensions in a shape such as (b, 3)'),
    ("x'", NotationSyntaxError, "error: ' marks the derivative of a function\n  --> line 1, column 2\n   |\n 1 | x'\n   |  ^ no function before it\n   = write it after a function name, as in relu'(l1)"),
    ('l1 = relu(l0W0)\nl2 = l1W1 +\n', NotationSyntaxError, "error: dangling '+': it has nothing on its right\n  --> line 2, column 11\n   |\n 2 | l2 = l1W1 +\n   |           ^ needs a value after it\n   |            ^ the statement ends here\n   = finish the expression after '+', or remove the '+'"),
    ('l1 = relu(l0W0)\nl2 = l1W1 ⊙ (M1\nl3 = l2', NotationSyntaxError, "error: unclosed parenthesis\n  --> line 2, column 13\n   |\n 2 | l2 = l1W1 ⊙ (M1\n   |             ^ this ( is never closed\n   |                ^ the statement ends here\n   = add ')' to close it"),
    ('l2 = {x', NotationSyntaxError, "error: unexpected end of input\n  --> line 1, column 8\n   |\n 1 | l2 = {x\n   |        ^ not expected here\n   = expected '}'"),
    ('l1 = + l0', NotationSyntaxError, "error: '+' has nothing on its left\n  --> line 1, column 6\n   |\n 1 | l1 = + l0\n   |      ^ needs a value before it\n   = put a value before it, or remove it"),
]

@pytest.mark.parametrize("source, kind, rendered", CASES)
def test_error_is_rendered_in_full(source, kind, rendered):
    with pytest.raises(kind) as caught:
        notation.parse(source)
    assert str(caught.value) == rendered


@pytest.mark.parametrize("source, kind, rendered", CASES)
def test_error_carries_line_and_column(source, kind, rendered):
    with pytest.raises(notation.NotationError) as caught:
        notation.parse(source)
    e = caught.value
    header = rendered.splitlines()[1]
    assert header.strip() == f"--> line {e.line}, column {e.column}"
    assert e.source == source


def test_end_of_input_caret_sits_at_the_end_of_the_text():
    with pytest.raises(NotationSyntaxError) as caught:
        notation.parse("l2 = l1W1 +   \n\n")
    e = caught.value
    # the caret of "the statement ends here" is one past the last character written
    assert str(e).splitlines()[4] == "   |           ^ needs a value after it"
    assert str(e).splitlines()[5] == "   |            ^ the statement ends here"


def test_errors_are_raised_without_a_chained_traceback():
    with pytest.raises(NotationSyntaxError) as caught:
        notation.parse("l2 = relu(l0W0")
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


@pytest.mark.parametrize("source", ["(" * 10_000 + "x" + ")" * 10_000, "-" * 10_000 + "x",
                                    "relu(" * 5_000 + "x" + ")" * 5_000])
def test_deep_nesting_is_a_clear_error(source):
    with pytest.raises(NotationSyntaxError, match="nests too deeply"):
        notation.parse(source)


def test_long_lines_are_shown_as_a_window_around_the_caret():
    with pytest.raises(NotationSyntaxError) as caught:
        notation.parse("x " * 5000 + "+")
    lines = str(caught.value).splitlines()
    assert lines[3].startswith(" 1 | …") and lines[3].endswith("x +")
    assert len(lines[3]) < 100
    assert lines[4].index("^") == lines[3].index("+")


def test_every_kind_is_a_notation_error():
    for kind in (notation.NotationSyntaxError, notation.NotationNameError,
                 notation.NotationShapeError, notation.NotationTranslationError):
        assert issubclass(kind, notation.NotationError)


def test_non_string_input_is_a_type_error():
    with pytest.raises(TypeError):
        notation.parse(b"l2 = l1W1")
