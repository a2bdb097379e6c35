"""The shape system (SPEC §2): kinds, declarations, the book's convention, inference by
unification with provenance, broadcasting, symbolic dimensions."""

import pytest

from notation import NotationShapeError, parse
from notation.declarations import OptionError
from notation.nodes import Name
from notation.inference import _mentioned_names
from notation.shapes import infer, options, shape_options


def shapes_of(text, opts=None, convention=True):
    s = infer(parse(text), opts, convention=convention)
    return s, {_name(n): s.text(shape) for n, shape in s.names.items()}


def _name(n: Name) -> str:
    from notation.emit.algebra import algebra
    return algebra(n)


def error_of(text, opts=None, convention=True) -> NotationShapeError:
    with pytest.raises(NotationShapeError) as info:
        infer(parse(text), opts, convention=convention)
    return info.value


# ---------------------------------------------------------------------------- the golden case

def test_golden_sizes_fix_every_shape():
    s, table = shapes_of("l2 = relu(l0W0)W1", options(sizes="3,4,1"))
    assert table == {"l0": "1×3", "W0": "3×4", "W1": "4×1", "l2": "1×1"}
    assert not s.is_declared(Name("W", "0")) and not s.is_declared(Name("W", "1"))
    assert s.is_declared(Name("l", "0"))


def test_golden_provenance_of_inferred_matrices():
    s, _ = shapes_of("l2 = relu(l0W0)W1", options(sizes="3,4,1"))
    w0 = s.names[Name("W", "0")]
    assert s.explain(w0[0]) == "the units of l0 (from --sizes), by the book's convention W0 : n0×n1"
    assert s.explain(w0[1]) == "the units of l1 (from --sizes), by the book's convention W0 : n0×n1"
    assert s.origin_of(w0[1]) == "from --sizes"


def test_relu_of_the_first_product_is_layer_one():
    program = parse("l2 = relu(l0W0)W1")
    s = infer(program, options(sizes="3,4,1"))
    outer = program.statements[0].value
    assert s.layers[id(outer.left)] == 1
    assert s.text(s.of(outer.left)) == "1×4"


# ---------------------------------------------------------------------------- kinds

def test_kinds_by_letter():
    s, table = shapes_of("y = αl0W0 + b0")
    assert table["α"] == "scalar"
    rows, _ = s.names[Name("b", "0")]
    assert s.value(rows) == 1 and s.origin_of(rows) == "a bias is one row"
    assert table["y"] == table["l0"].split("×")[0] + "×n1"


def test_declaration_overrides_the_letter():
    _, table = shapes_of("γ : 1×4\nM : scalar\nx = γ ⊙ l1\nz = Ml1")
    assert table["γ"] == "1×4" and table["M"] == "scalar"
    assert table["x"] == table["l1"]


def test_delta_has_the_shape_of_its_layer_by_convention():
    _, table = shapes_of("δ2 = l2 - y", options(sizes="3,4,1"))
    assert table["δ2"] == "1×1" and table["y"] == "1×1"


def test_declarations_are_hoisted():
    _, table = shapes_of("l1 = l0W0\nl0 : 1×3\nW0 : 3×4")
    assert table["l1"] == "1×4"


def test_one_dimension_is_the_units():
    _, table = shapes_of("x : R^3\nb1 : 4\ny = xW + b1")
    assert table["x"] == "1×3" and table["b1"] == "1×4" and table["W"] == "3×4"
    _, table = shapes_of("x : R^3\ny = xW", options(batch="b"))
    assert table["x"] == "b×3"


def test_a_matrix_needs_two_dimensions():
    e = error_of("W : R^3\ny = xW")
    assert e.message == "W is a matrix and needs two dimensions, rows × columns"
    assert e.hint.startswith("write W : m×3")


def test_two_different_declarations_of_one_name():
    e = error_of("l0 : 1×3\nl0 : 1×4")
    assert str(e) == (
        "error: l0 is declared twice, as 1×3 and as 1×4\n"
        "  --> line 2, column 1\n"
        "   |\n"
        " 1 | l0 : 1×3\n"
        "   | ^^^^^^^^ and 1×3 here\n"
        " 2 | l0 : 1×4\n"
        "   | ^^^^^^^^ declared 1×4 here\n"
        "   = keep one declaration")
    infer(parse("l0 : 1×3\nl0 : 1x3"))       # the same shape twice is fine


# ---------------------------------------------------------------------------- options

def test_options_remember_which_option_gave_a_dimension():
    s, table = shapes_of("l1 = relu(l0W0 + b0)", options(sizes="3,4", batch="b", dims="b0=4"))
    assert table == {"l0": "b×3", "W0": "3×4", "b0": "1×4", "l1": "b×4"}
    l0 = s.names[Name("l", "0")]
    assert [s.origin_of(v) for v in l0] == ["from --batch", "from --sizes"]
    assert [s.origin_of(v) for v in s.names[Name("b", "0")]] == ["from --dims", "from --dims"]


def test_dims_override_sizes_and_name_full_shapes():
    _, table = shapes_of("l2 = l0W0W1", options(sizes="3,4,1", dims="l2=7,W1=4x7"))
    assert table["l2"] == "1×7" and table["W1"] == "4×7"


def test_one_name_given_two_shapes_by_dims_is_refused():
    with pytest.raises(OptionError) as caught:
        options(dims="l0=3,W0=3x4,l0=4")
    assert caught.value.message == "--dims gives l0 twice, as 'l0=3' and 'l0=4'"
    # the same shape twice says nothing new, and is no conflict
    assert [d.dims for d, _ in options(dims="l0=3,l0=3").declarations] == [(1, 3)]


def test_a_matrix_option_needs_both_dimensions():
    with pytest.raises(OptionError, match="W0 is a matrix"):
        options(dims="W0=4")


def test_the_programs_batch_serves_the_options():
    _, table = shapes_of("l0 : b×784\nl1 = relu(l0W0)", options(dims="l1=h"))
    assert table == {"l0": "b×784", "W0": "784×h", "l1": "b×h"}


def test_a_declaration_that_disagrees_with_an_option():
    e = error_of("l0 : 1×5\nl1 = l0W0", options(sizes="3,4"))
    assert e.message == "l0 is 1×5 (declared at line 1), but it is 1×3 (from --sizes)"
    e = error_of("l0 : b×3\nl1 = l0W0\nl2 : c×4", options(sizes="3,4"))
    assert e.hint == "make them agree; pass --batch b to give the batch"


def test_shape_options_from_python_values():
    # The sizes are given to the program's layers when inference meets the program.
    opts = shape_options(sizes=(3, 4), W1=(4, 2), l2=("b", 2))
    assert opts.sizes == (3, 4)
    assert [(d.target, d.dims) for d, _ in opts.declarations] == [
        (Name("W", "1"), (4, 2)), (Name("l", "2"), (Name("b"), 2))]
    program = parse("l2 = relu(l0W0)W1")
    resolved = opts.resolve(program, _mentioned_names(program), {}, True)
    assert [(d.target, d.dims) for d, _ in resolved.declarations] == [
        (Name("l", "0"), (1, 3)), (Name("l", "1"), (1, 4)), (Name("W", "1"), (4, 2)),
        (Name("l", "2"), (Name("b"), 2))]


# ---------------------------------------------------------------------------- convention

def test_without_the_convention_matrices_are_inferred_from_operations_alone():
    s, table = shapes_of("l0 : 1×3\nl1 = relu(l0W0)", convention=False)
    assert table["W0"] == "3×n1"
    assert s.explain(s.names[Name("W", "0")][0]) == \
        "the units of l0 (declared at line 1), by the product l0W0 at line 2"


def test_the_convention_ties_consecutive_matrices():
    _, on = shapes_of("l0 : 1×3\np = l0W0\nq = l1W1")
    _, off = shapes_of("l0 : 1×3\np = l0W0\nq = l1W1", convention=False)
    assert on["W0"] == "3×n1" and on["W1"] == "n1×n2"
    assert off["W1"] != "n1×n2"


def test_a_declared_matrix_is_not_bent_by_the_convention():
    # W1 says 5×1 while --sizes says layer 1 has 4 units: the product reports it (SPEC §6).
    e = error_of("l2 = relu(l0W0)W1\nW1 : 5×1", options(sizes="3,4,1"))
    assert e.message == "shape mismatch in the product l1W1"


def test_unknown_dimensions_get_names():
    s, table = shapes_of("l2 = relu(l0W0)W1")
    assert table == {"l0": "b×n0", "W0": "n0×n1", "W1": "n1×n2", "l2": "b×n2"}
    assert dict(s.unknowns()) == {"b": "the batch (the rows of l0)", "n0": "the units of l0",
                                  "n1": "the units of l1", "n2": "the units of l2"}


def test_generated_names_never_take_a_declared_symbol():
    _, table = shapes_of("l0 : n1×3\nl1 = l0W0\nl2 = l1W1", convention=True)
    assert table["l0"] == "n1×3"
    assert table["W0"] == "3×n1′"


# ---------------------------------------------------------------------------- broadcasting

@pytest.mark.parametrize("text", [
    "l0 : b×3\nb0 : 1×4\nl1 = l0W0 + b0",          # a bias row over the batch
    "l0 : b×4\nr : 1×4\nl1 = r ⊙ l0",              # any 1×n row, on either side
    "l0 : b×4\nl1 = l0 / 2 + α",                   # scalars over anything
    "l0 : 1×4\nr : 1×4\nl1 = l0 - r",              # equal shapes
])
def test_broadcasting_that_is_allowed(text):
    infer(parse(text))


@pytest.mark.parametrize("text, hint", [
    ("l0 : b×4\nc : b×1\nl1 = l0 ⊙ c",
     "the columns of both sides must be equal (4 and 1); only a 1×n row or a scalar broadcasts"),
    ("l0 : b×4\nx : 1×1\nl1 = l0 + x",
     "the columns of both sides must be equal (4 and 1); only a 1×n row or a scalar broadcasts"),
    ("l0 : 2×4\nx : 3×4\nl1 = l0 - x",
     "the rows of both sides must be equal (2 and 3), or one side must be a single row (1×n) "
     "that broadcasts over the other"),
])
def test_broadcasting_that_is_not(text, hint):
    assert error_of(text).hint == hint


def test_an_update_broadcasts_into_its_target_and_never_changes_it():
    infer(parse("W : 4×3\nr : 1×3\nW -= r\nW += α"))
    e = error_of("b0 : 1×4\nd : 8×4\nb0 -= d")
    assert e.message == "shape mismatch in the update of b0"


def test_sum_over_the_batch_is_one_row():
    s, table = shapes_of("l1 = relu(l0W0 + b0)\nδ1 = l1 - y\nb0 -= αbatchsum(δ1)",
                         options(sizes="3,4", batch="b"))
    assert table["b0"] == "1×4" and table["δ1"] == "b×4"


def test_transpose_swaps():
    _, table = shapes_of("l0 : 1×3\nW : 4×3\nh = l0Wᵀ\ng = hᵀᵀ")
    assert table["h"] == "1×4" and table["g"] == "1×4"


def test_scalar_and_array_targets():
    e = error_of("l0 : 1×3\nα = l0W0")
    assert e.message.startswith("α is a scalar, but the value is 1×")
    e = error_of("l1 = 2α")
    assert e.message == "l1 is an array, but the value is a scalar"


# ---------------------------------------------------------------------------- symbols

def test_symbols_are_rigid():
    e = error_of("l0 : b×3\ny : h×4\nd = l0W0 - y")
    assert e.hint.startswith("the rows of both sides must be equal (b and h)")
    e = error_of("l0 : b×3\ny : 100×4\nd = l0W0 - y")
    assert "(b and 100)" in e.hint


def test_symbols_flow_through_inference():
    _, table = shapes_of("l0 : b×784\nl1 = relu(l0W0)\nl2 = softmax(l1W1)",
                         options(dims="l1=h,l2=10"))
    assert table == {"l0": "b×784", "W0": "784×h", "l1": "b×h", "W1": "h×10", "l2": "b×10"}


# ---------------------------------------------------------------------------- no recursion

@pytest.mark.slow
def test_a_100000_factor_product_is_checked_without_recursion():
    n = 100_000
    program = parse("l1 = l0" + "W" * n + "\nW : 4×4\nl0 : 1×4")
    s = infer(program)
    assert s.text(s.names[Name("l", "1")]) == "1×4"
    bad = parse("l1 = l0" + "W" * n + "\nW : 4×5\nl0 : 1×4")
    with pytest.raises(NotationShapeError) as info:
        infer(bad)
    expected = bad.statements[0].value
    while type(expected.left.left).__name__ == "MatMul":       # down to (l0W)W: 5 vs 4
        expected = expected.left
    assert info.value.node is expected, "reported at the second product"
    assert len(str(info.value).splitlines()[3]) < 300                # the caret window is cut


def test_a_square_value_ties_its_rows_to_its_columns():
    # aa makes a square: assigning it to the 1×2 bias b fails at the second dimension
    e = error_of("b : 2\nb = a a")
    assert e.message == "shape mismatch in the assignment to b"
