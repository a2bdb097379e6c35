"""The NumPy view (SPEC §4, §8): the book's code, its matmul spelling, plain names, modules.

Printed text is checked against exact expectations; emitted code is also run, on random
arrays, against notation.evaluate (an independent walk of the tree).
"""

import copy
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from notation import NotationTranslationError, parse
from notation.emit.numpy import STYLES, interface, register_style, style_names
from notation.evaluate import evaluate
from notation.functions import FUNCTIONS, register
from notation.kinds import is_scalar_name
from notation.nodes import Assign, Call, MatMul, Name, Number, Program

from . import golden_files
from .strategies import square_programs
from .tools import examples

# ---------------------------------------------------------------------------- SPEC §8

def test_spec_forward_book():
    assert parse("l2 = relu(l0W0)W1").numpy() == \
        "layer_2 = relu(layer_0.dot(weights_0_1)).dot(weights_1_2)"


def test_spec_forward_matmul():
    assert parse("l2 = relu(l0W0)W1").numpy(style="matmul") == \
        "layer_2 = relu(layer_0 @ weights_0_1) @ weights_1_2"


def test_spec_two_statements():
    assert parse("l1 = relu(l0W0); l2 = l1W1").numpy() == (
        "layer_1 = relu(layer_0.dot(weights_0_1))\n"
        "layer_2 = layer_1.dot(weights_1_2)")


def test_spec_delta():
    assert parse("δ1 = δ2W1ᵀ ⊙ relu'(l1)").numpy() == \
        "layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1)"


def test_spec_update():
    assert parse("W1 -= αl1ᵀδ2").numpy() == "weights_1_2 -= alpha * layer_1.T.dot(layer_2_delta)"


# ---------------------------------------------------------------------------- one table

# (algebra, book style, matmul style)
CASES = [
    ("y = xW", "y = x.dot(W)", "y = x @ W"),
    ("y = xWV", "y = x.dot(W).dot(V)", "y = x @ W @ V"),
    ("y = x(WV)", "y = x.dot(W.dot(V))", "y = x @ (W @ V)"),
    ("y = (x + z)W", "y = (x + z).dot(W)", "y = (x + z) @ W"),
    ("y = -xW", "y = -x.dot(W)", "y = -(x @ W)"),
    ("y = (-x)W", "y = (-x).dot(W)", "y = -x @ W"),
    ("y = xᵀW", "y = x.T.dot(W)", "y = x.T @ W"),
    ("y = (xW)ᵀ", "y = x.dot(W).T", "y = (x @ W).T"),
    ("y = xᵀᵀ", "y = x.T.T", "y = x.T.T"),
    # scalar factors: first in the book's chains; a group on the right keeps its brackets
    ("W1 -= αl1ᵀδ2", "weights_1_2 -= alpha * layer_1.T.dot(layer_2_delta)",
     "weights_1_2 -= alpha * layer_1.T @ layer_2_delta"),
    ("W1 -= α(l1ᵀδ2)", "weights_1_2 -= alpha * (layer_1.T.dot(layer_2_delta))",
     "weights_1_2 -= alpha * (layer_1.T @ layer_2_delta)"),
    ("y = αβxW", "y = alpha * beta * x.dot(W)", "y = alpha * beta * x @ W"),
    ("y = αxβW", "y = alpha * (x * beta).dot(W)", "y = alpha * x * beta @ W"),
    ("y = αxWβ", "y = alpha * x.dot(W) * beta", "y = alpha * x @ W * beta"),
    ("y = α(xβ)W", "y = (alpha * (x * beta)).dot(W)", "y = alpha * (x * beta) @ W"),
    ("y = (α + β)xW", "y = (alpha + beta) * x.dot(W)", "y = (alpha + beta) * x @ W"),
    ("y = 2x", "y = 2 * x", "y = 2 * x"),
    ("y = xW 2", "y = x.dot(W) * 2", "y = x @ W * 2"),
    ("y = -αx", "y = -(alpha * x)", "y = -(alpha * x)"),
    ("y = (-α)x", "y = -alpha * x", "y = -alpha * x"),
    ("y = αᵀx", "y = np.transpose(alpha) * x", "y = np.transpose(alpha) * x"),
    # elementwise: ⊙ of arrays is *, with a scalar np.multiply (alpha * x is the scaling αx)
    ("y = x ⊙ z", "y = x * z", "y = x * z"),
    ("y = x ⊙ (z ⊙ a)", "y = x * (z * a)", "y = x * (z * a)"),
    ("y = α ⊙ x", "y = np.multiply(alpha, x)", "y = np.multiply(alpha, x)"),
    ("y = x ⊙ γ + β", "y = np.multiply(x, gamma) + beta", "y = np.multiply(x, gamma) + beta"),
    ("y = xW ⊙ z", "y = x.dot(W) * z", "y = x @ W * z"),
    ("y = x ⊙ zW", "y = x * z.dot(W)", "y = x * (z @ W)"),
    ("y = x / (z + a)", "y = x / (z + a)", "y = x / (z + a)"),
    ("y = x / zW", "y = x / z.dot(W)", "y = x / (z @ W)"),
    ("y = (x / z)W", "y = (x / z).dot(W)", "y = x / z @ W"),
    ("y = a - (c - d) + e", "y = a - (c - d) + e", "y = a - (c - d) + e"),
    ("y = --x", "y = --x", "y = --x"),
    # functions: helpers, np calls, derivatives
    ("y = σ(x) + tanh(z)", "y = sigmoid(x) + tanh(z)", "y = sigmoid(x) + tanh(z)"),
    ("y = softmax(xW)", "y = softmax(x.dot(W))", "y = softmax(x @ W)"),
    ("y = exp(x) - log(z)", "y = np.exp(x) - np.log(z)", "y = np.exp(x) - np.log(z)"),
    ("y = σ'(x) ⊙ tanh'(z)", "y = sigmoid2deriv(x) * tanh2deriv(z)",
     "y = sigmoid2deriv(x) * tanh2deriv(z)"),
    ("b1 -= αbatchsum(δ2)", "b_1 -= alpha * np.sum(layer_2_delta, axis=0, keepdims=True)",
     "b_1 -= alpha * np.sum(layer_2_delta, axis=0, keepdims=True)"),
    ("l1 = 1 / (1 + exp(-l0W0))", "layer_1 = 1 / (1 + np.exp(-layer_0.dot(weights_0_1)))",
     "layer_1 = 1 / (1 + np.exp(-(layer_0 @ weights_0_1)))"),
    # numbers are Python literals; other statements
    ("y = 0.5x + 1e-3", "y = 0.5 * x + 1e-3", "y = 0.5 * x + 1e-3"),
    ("y = 007x", "y = 7 * x", "y = 7 * x"),
    ("relu(l0W0)W1", "relu(layer_0.dot(weights_0_1)).dot(weights_1_2)",
     "relu(layer_0 @ weights_0_1) @ weights_1_2"),
    ("W0 += αl0ᵀδ1", "weights_0_1 += alpha * layer_0.T.dot(layer_1_delta)",
     "weights_0_1 += alpha * layer_0.T @ layer_1_delta"),
    ("W0 ∈ ℝ^{3×4}", "# weights_0_1 : 3×4", "# weights_0_1 : 3×4"),
    ("l0 : b×n_{in}", "# layer_0 : b×n_{in}", "# layer_0 : b×n_{in}"),
    ("α : scalar", "# alpha : scalar", "# alpha : scalar"),
    # a declared scalar scales; a declared array multiplies matrices
    ("M : scalar; y = Mx", "# M : scalar\ny = M * x", "# M : scalar\ny = M * x"),
    ("κ : 3×3; y = κx", "# kappa : 3×3\ny = kappa.dot(x)", "# kappa : 3×3\ny = kappa @ x"),
    # names: the book's scheme
    ("δ_{out} = l_{out} - y", "layer_out_delta = layer_out - y", "layer_out_delta = layer_out - y"),
    ("h = xW_{in} + b", "h = x.dot(W_in) + b", "h = x @ W_in + b"),
    ("y = λ1x + Δ", "y = lambda_1 * x + Delta", "y = lambda_1 * x + Delta"),
    ("W12 -= αl12ᵀδ13", "weights_12_13 -= alpha * layer_12.T.dot(layer_13_delta)",
     "weights_12_13 -= alpha * layer_12.T @ layer_13_delta"),
]


@pytest.mark.parametrize("algebra, book, matmul", CASES)
def test_book_and_matmul_styles(algebra, book, matmul):
    program = parse(algebra)
    assert program.numpy() == book
    assert program.numpy(style="matmul") == matmul


PLAIN = [
    ("l2 = relu(l0W0)W1", "l2 = relu(l0.dot(W0)).dot(W1)"),
    ("δ1 = δ2W1ᵀ ⊙ relu'(l1)", "delta_1 = delta_2.dot(W1.T) * relu2deriv(l1)"),
    ("W1 -= αl1ᵀδ2", "W1 -= alpha * l1.T.dot(delta_2)"),
    ("y = hW_{out} + b_{out}", "y = h.dot(W_out) + b_out"),
    ("y = λ1 x", "y = lambda_1 * x"),
]


@pytest.mark.parametrize("algebra, plain", PLAIN)
def test_plain_naming(algebra, plain):
    assert parse(algebra).numpy(naming="plain") == plain


# ---------------------------------------------------------------------------- modules

def test_module_of_the_book_network():
    assert parse("l1 = relu(l0W0); l2 = l1W1").numpy(module=True) == '''\
"""l1 = relu(l0W0)
l2 = l1W1

Written by notation (book style, book naming)."""


def relu(x):
    return (x > 0) * x


def run(*, layer_0, weights_0_1, weights_1_2):
    """Inputs, by keyword: l0 as layer_0, W0 as weights_0_1, W1 as weights_1_2.

    Returns {notation name: value} for l1, l2.
    """
    layer_1 = relu(layer_0.dot(weights_0_1))
    layer_2 = layer_1.dot(weights_1_2)
    return {"l1": layer_1, "l2": layer_2}
'''


def test_module_has_exactly_the_helpers_and_imports_it_uses():
    text = parse("δ1 = δ2W1ᵀ ⊙ σ'(l1); y = exp(x)").numpy(module=True)
    assert "import numpy as np" in text                 # np.exp
    assert "def sigmoid2deriv(output):\n    return output * (1 - output)" in text
    for absent in ("def relu", "def sigmoid(", "def tanh", "def softmax", "def exp"):
        assert absent not in text
    relu_only = parse("l1 = relu(l0W0)").numpy(module=True)
    assert "import" not in relu_only                    # (x > 0) * x needs no NumPy


def test_module_binds_bare_expressions_to_underscore():
    text = parse("relu(l0W0)W1").numpy(module=True)
    assert "    _ = relu(layer_0.dot(weights_0_1)).dot(weights_1_2)\n" in text
    assert '    return {"_": _}\n' in text


def test_module_inputs_are_keyword_only_and_names_are_returned_by_notation_name():
    namespace = {}
    exec(parse("δ2 = l2 - y; W1 -= αl1ᵀδ2").numpy(module=True), namespace)
    run = namespace["run"]
    with pytest.raises(TypeError):
        run(np.zeros((1, 1)), np.zeros((1, 1)), np.zeros((1, 1)), np.zeros((1, 1)), 0.1)
    l1, l2, y, w1 = np.ones((2, 3)), np.full((2, 1), 3.0), np.ones((2, 1)), np.zeros((3, 1))
    out = run(layer_2=l2, y=y, weights_1_2=w1, alpha=0.5, layer_1=l1)
    assert set(out) == {"δ2", "W1"}
    np.testing.assert_array_equal(out["δ2"], [[2.0], [2.0]])
    np.testing.assert_array_equal(out["W1"], -0.5 * l1.T.dot(l2 - y))
    assert out["W1"] is w1                               # updated in place, as in the book


def test_module_with_only_declarations():
    text = parse("W0 : 3×4").numpy(module=True)
    namespace = {}
    exec(text, namespace)
    assert namespace["run"]() == {}
    assert "    # weights_0_1 : 3×4\n" in text


def test_module_function_name():
    text = parse("l1 = l0W0").numpy(module=True, function="forward")
    assert "def forward(*, layer_0, weights_0_1):" in text
    for bad in ("class", "relu", "layer_0", "np", "no name"):
        with pytest.raises(NotationTranslationError):
            parse("l1 = relu(l0W0)").numpy(module=True, function=bad)


def test_interface():
    info = interface(parse("W1 -= αl1ᵀδ2; l1 = l0W0; l2 = l1W1; l2"))
    assert [i for _, i in info.inputs] == ["weights_1_2", "alpha", "layer_1", "layer_2_delta",
                                           "layer_0", "weights_0_1"]
    assert info.outputs == (("W1", "weights_1_2"), ("l1", "layer_1"), ("l2", "layer_2"),
                            ("_", "_"))


def test_a_long_return_is_written_one_item_a_line():
    text = parse("l1 = relu(l0W0); l2 = l1W1; δ2 = l2 - y; δ1 = δ2W1ᵀ ⊙ relu'(l1); "
                 "W1 -= αl1ᵀδ2; W0 -= αl0ᵀδ1").numpy(module=True)
    assert text.endswith('    return {\n        "l1": layer_1,\n        "l2": layer_2,\n'
                         '        "δ2": layer_2_delta,\n        "δ1": layer_1_delta,\n'
                         '        "W1": weights_1_2,\n        "W0": weights_0_1,\n    }\n')


def test_an_assignment_that_an_update_would_alias_copies():
    # In NumPy `a = c` binds one array to two names and `c -= a` changes both; the
    # notation changes c alone, so the view copies (and .copy() reads back as c).
    program = parse("a = c; W_{old} = Wᵀ; c -= a; W -= αW_{old}; relu(c); c += x")
    assert program.numpy() == ("a = c.copy()\nW_old = W.T.copy()\nc -= a\n"
                               "W -= alpha * W_old\nrelu(c)\nc += x")
    assert "    _ = relu(c)\n" in program.numpy(module=True)
    assert parse("a = c; b = a").numpy() == "a = c\nb = a"          # nothing updated: no copy
    assert parse("α2 = α; α -= 1").numpy() == "alpha_2 = alpha\nalpha -= 1"  # numbers are values
    rng = np.random.default_rng(5)
    inputs = {Name("c"): rng.standard_normal((2, 2)), Name("W"): rng.standard_normal((2, 2)),
              Name("α"): 0.5, Name("x"): rng.standard_normal((2, 2))}
    _assert_same(evaluate(program, inputs), _run_module(program, inputs, "book", "book"), 1e-12)
    with_expression = parse("d = c; c; c -= d")
    inputs = {Name("c"): rng.standard_normal((2, 2))}
    _assert_same(evaluate(with_expression, inputs),
                 _run_module(with_expression, inputs, "matmul", "plain"), 1e-12)


@pytest.mark.slow
def test_long_chains_print_in_linear_time():
    import time
    n = 20000
    for source in ("y = " + "x " * n, "y = α" + " + x" * n, "y = αx" + "βW" * (n // 2)):
        program = parse(source)
        start = time.perf_counter()
        book, matmul = program.numpy(), program.numpy(style="matmul")
        assert time.perf_counter() - start < 20
    assert book.startswith("y = alpha * ((((") and book.endswith(" * beta).dot(W)")
    assert matmul.startswith("y = alpha * x * beta @ W * beta @ W")


@pytest.mark.parametrize("eager", [0, 10**9])
def test_the_code_does_not_depend_on_where_its_text_is_joined(monkeypatch, eager):
    """Short pieces are joined at once and long ones referred to (emit.numpy_code._EAGER): with
    every piece referred to (0) or every one joined (10**9) each golden program, a long
    chain and a long sum print the same code in both styles."""
    import notation.emit.numpy_code as emitter
    programs = [golden_files.program(case) for case in golden_files.cases()]
    programs += [parse("y = αx" + "βW" * 300), parse("y = -(α + x)ᵀ" + " - relu(x)W" * 200),
                 parse("l2 = softmax(relu(l1W1 + b1)(W2 ⊙ W3ᵀ))α / 2")]
    expected = [(p.numpy(), p.numpy(style="matmul", naming="plain")) for p in programs]
    monkeypatch.setattr(emitter, "_EAGER", eager)
    assert [(p.numpy(), p.numpy(style="matmul", naming="plain")) for p in programs] == expected


def test_names_are_checked_before_the_code_is_written(eta_function):
    """The names' check runs on what the statements record; an error while writing them
    still reports a name that takes a helper's identifier first, as the check did when it
    ran before them."""
    program = Program((Assign(Name("z"), Name("η")), Assign(Name("y"), Call("frobnicate", Name("x"))),
                       Assign(Name("w"), Call("eta", Name("x")))))
    with pytest.raises(NotationTranslationError) as caught:
        program.numpy()
    assert caught.value.message == ("the name η would be 'eta', which the emitted code uses for "
                                    "itself")
    program = Program((Assign(Name("y"), Call("frobnicate", Name("x"))),
                       Assign(Name("z"), MatMul(Name("x", "1"), Name("x1")))))
    with pytest.raises(NotationTranslationError) as caught:
        program.numpy(naming="plain")
    assert caught.value.message == "x1 and x1 would both be 'x1' under the plain naming scheme"
    program = Program((Assign(Name("z"), Name("η")), Assign(Name("w"), Call("eta", Name("x")))))
    with pytest.raises(NotationTranslationError, match="the name η would be 'eta'"):
        program.numpy()                      # written out whole, then refused


def test_a_tree_too_deep_to_print_is_an_error():
    from notation.nodes import Negate
    node = Name("x")
    for _ in range(5000):
        node = Negate(node)
    with pytest.raises(NotationTranslationError, match="nests too deeply"):
        Program((Assign(Name("y"), node),)).numpy()
    with pytest.raises(NotationTranslationError, match="nests too deeply"):
        Program((Assign(Name("y"), node),)).latex()


# ---------------------------------------------------------------------------- errors

def test_a_name_that_is_no_identifier_is_refused():
    program = Program((Assign(Name("y"), MatMul(Name("x;import os"), Name("W"))),))
    with pytest.raises(NotationTranslationError) as caught:
        program.numpy()
    assert "has no Python identifier" in caught.value.message


def test_a_number_that_is_no_literal_is_refused():
    for text in ("1+1", "0x10", "1_000", ""):
        program = Program((Assign(Name("y"), MatMul(Number(text), Name("x"))),))
        with pytest.raises(NotationTranslationError):
            program.numpy()


def test_an_integer_python_cannot_read_is_refused_with_a_hint():
    with pytest.raises(NotationTranslationError) as caught:
        parse("y = " + "9" * 5000 + "x").numpy()
    assert caught.value.message == "an integer of 5000 digits cannot be a Python literal"
    assert parse("y = " + "9" * 400 + "x").numpy() == "y = " + "9" * 400 + " * x"


def test_an_unknown_function_is_refused():
    program = Program((Assign(Name("y"), Call("frobnicate", Name("x"))),))
    with pytest.raises(NotationTranslationError) as caught:
        program.numpy()
    assert caught.value.message == "the function 'frobnicate' is not in the function table"


@pytest.fixture
def eta_function():
    register("eta", "x / 2")
    yield
    del FUNCTIONS["eta"]


def test_a_name_may_not_take_a_helpers_identifier(eta_function):
    with pytest.raises(NotationTranslationError) as caught:
        parse("y = eta(x) + η").numpy()
    assert caught.value.message == ("the name η would be 'eta', which the emitted code uses for "
                                    "itself")
    assert caught.value.render().splitlines()[1:5] == [
        "  --> line 1, column 14", "   |", " 1 | y = eta(x) + η", "   |              ^"]


def test_two_names_may_not_share_an_identifier():
    # x₁ and the Latin word-less x_1 are one name; a collision needs two spellings of one
    # identifier, which the book scheme only allows through hand-built trees.
    program = Program((Assign(Name("y"), MatMul(Name("W", "1"), Name("W", "01"))),))
    # W01 is not W1: only W_k written as k usually is becomes weights_k_{k+1}, so the
    # code reads back to the same names.
    assert program.numpy() == "y = weights_1_2.dot(W_01)"
    from notation import from_numpy
    assert from_numpy(program.numpy()) == program
    program = Program((Assign(Name("x", "1"), Name("x", "1")),))
    assert program.numpy(naming="plain") == "x1 = x1"


def test_unknown_style_and_naming():
    with pytest.raises(ValueError, match="unknown NumPy style 'fast'"):
        parse("y = x").numpy(style="fast")
    with pytest.raises(ValueError, match="unknown naming scheme 'short'"):
        parse("y = x").numpy(naming="short")


def test_a_style_can_be_registered_from_outside():
    from notation.emit.numpy import BookStyle

    class Shouting(BookStyle):
        style = "shouting"

        def code_Name(self, node):
            code = super().code_Name(node)
            code.text = code.text.upper()
            return code

    register_style("shouting", Shouting)
    try:
        assert parse("y = xW").numpy(style="shouting") == "y = X.dot(W)"
    finally:
        del STYLES["shouting"]


# ---------------------------------------------------------------------------- executed

def _value(name: Name, shape, rng):
    if shape == ():
        return float(rng.uniform(0.1, 1.0))
    if len(shape) == 1:
        shape = (1, shape[0])
    return rng.standard_normal(shape)


def _inputs_for(program, shapes: dict, rng) -> dict:
    """Random values for every input of the program (by the module's interface)."""
    values = {}
    for name, _ in interface(program).inputs:
        assert name in shapes, f"no shape for {name} in shapes.txt"
        values[name] = _value(name, shapes[name], rng)
    return values


def _run_module(program, inputs: dict, style: str, naming: str) -> dict:
    from notation.naming import SCHEMES
    text = program.numpy(style=style, naming=naming, module=True)
    namespace = {}
    exec(compile(text, f"<{style}/{naming} module>", "exec"), namespace)
    scheme = SCHEMES[naming]
    return namespace["run"](**{scheme.python(n): copy.deepcopy(v) for n, v in inputs.items()})


def _assert_same(expected: dict, actual: dict, tolerance: float):
    assert set(actual) == set(expected)
    for key in expected:
        a, b = np.asarray(expected[key], dtype=float), np.asarray(actual[key], dtype=float)
        assert a.shape == b.shape, key
        np.testing.assert_allclose(b, a, rtol=tolerance, atol=tolerance, equal_nan=True,
                                   err_msg=key)


CASES_GOLDEN = golden_files.cases()


def test_there_are_at_least_40_golden_programs():
    assert len(CASES_GOLDEN) >= 40


@pytest.mark.parametrize("case", CASES_GOLDEN)
def test_golden_numpy(case):
    program = golden_files.program(case)
    golden_files.check(case, "numpy.py", program.numpy())
    golden_files.check(case, "numpy_matmul.py", program.numpy(style="matmul"))
    golden_files.check(case, "numpy_plain.py", program.numpy(naming="plain"))
    golden_files.check(case, "module.py", program.numpy(module=True))


@pytest.mark.parametrize("case", CASES_GOLDEN)
def test_golden_code_runs_and_equals_the_evaluator(case):
    program = golden_files.program(case)
    shapes = golden_files.shapes(case)
    rng = np.random.default_rng(sum(map(ord, case)))
    for trial in range(2):
        inputs = _inputs_for(program, shapes, rng)
        if "log" in golden_files.source(case):
            inputs = {n: np.abs(v) if not isinstance(v, float) else v for n, v in inputs.items()}
        expected = evaluate(program, copy.deepcopy(inputs))
        assert expected, case
        for style in ("book", "matmul"):
            for naming in ("book", "plain"):
                _assert_same(expected, _run_module(program, inputs, style, naming), 1e-12)


def test_the_golden_module_file_itself_runs():
    # The file on disk (not only the string) is a module Python imports.
    import importlib.util
    path = golden_files.GOLDEN / "14_book_training_step" / "module.py"
    spec = importlib.util.spec_from_file_location("training_step", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rng = np.random.default_rng(1)
    out = module.run(layer_0=rng.standard_normal((2, 3)), weights_0_1=rng.standard_normal((3, 4)),
                     weights_1_2=rng.standard_normal((4, 1)), y=rng.standard_normal((2, 1)),
                     alpha=0.1)
    assert list(out) == ["l1", "l2", "δ2", "δ1", "W1", "W0"]


@settings(max_examples=examples(150), deadline=None, suppress_health_check=list(HealthCheck))
@given(square_programs)
def test_emitted_code_equals_the_evaluator_on_generated_programs(program):
    rng = np.random.default_rng(0)
    inputs = {n: float(rng.uniform(0.2, 1.2)) if is_scalar_name(n) else rng.standard_normal((3, 3))
              for n, _ in interface(program).inputs}
    expected = evaluate(program, copy.deepcopy(inputs))
    with np.errstate(all="ignore"):
        for style in ("book", "matmul"):
            _assert_same(expected, _run_module(program, inputs, style, "book"), 1e-9)


def test_relu_derivative_is_the_books_mask_and_works_as_the_book_uses_it():
    program = parse("δ1 = δ2W1ᵀ ⊙ relu'(l1)")
    rng = np.random.default_rng(3)
    inputs = {Name("δ", "2"): rng.standard_normal((2, 1)), Name("W", "1"): rng.standard_normal((4, 1)),
              Name("l", "1"): rng.standard_normal((2, 4))}
    _assert_same(evaluate(program, inputs), _run_module(program, inputs, "book", "book"), 1e-12)


# SPEC §3 defines relu2deriv(output) as `output > 0`, a boolean mask, which NumPy adds as a
# logical or; the helper is `(output > 0) * 1.0`, the same numbers in every use.
def test_relu_derivative_in_a_sum():
    program = parse("y = relu'(a) + relu'(c)")
    inputs = {Name("a"): np.ones((2, 2)), Name("c"): np.ones((2, 2))}
    _assert_same(evaluate(program, inputs), _run_module(program, inputs, "book", "book"), 1e-12)


# ---------------------------------------------------------------------------- the command

def run_cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "notation", *args], input=stdin,
                          capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, NO_COLOR="1"))


def test_cli_numpy_styles_and_naming():
    r = run_cli("numpy", "l2 = relu(l0W0)W1")
    assert (r.returncode, r.stdout, r.stderr) == (
        0, "layer_2 = relu(layer_0.dot(weights_0_1)).dot(weights_1_2)\n", "")
    r = run_cli("numpy", "--style", "matmul", "--naming", "plain", "l2 = relu(l0W0)W1")
    assert (r.returncode, r.stdout) == (0, "l2 = relu(l0 @ W0) @ W1\n")


def test_cli_numpy_module_to_a_file(tmp_path):
    out = tmp_path / "net.py"
    r = run_cli("numpy", "--module", "-o", str(out), "l1 = relu(l0W0); l2 = l1W1")
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    assert out.read_text(encoding="utf-8") == parse("l1 = relu(l0W0); l2 = l1W1").numpy(module=True)


def test_cli_numpy_bad_usage_and_bad_input():
    r = run_cli("numpy", "--style", "fast", "y = x")
    assert r.returncode == 2
    first, *usage = r.stderr.splitlines()
    assert first == "notation numpy: error: unknown NumPy style 'fast': choose one of " \
        + ", ".join(style_names())
    assert usage[0].startswith("usage: notation numpy ")       # the subcommand's (issue 17)
    r = run_cli("numpy", "l2 = relu(l0W0")
    assert r.returncode == 1 and r.stderr.startswith("error: unclosed parenthesis") and not r.stdout


def test_cli_show_includes_numpy_and_latex():
    r = run_cli("show", "l2 = relu(l0W0)W1")
    assert r.returncode == 0
    lines = [line.strip() for line in r.stdout.splitlines()]
    assert "layer_2 = relu(layer_0.dot(weights_0_1)).dot(weights_1_2)" in lines
    assert "l_{2} = \\operatorname{relu}(l_{0} W_{0}) W_{1}" in lines


@pytest.mark.parametrize("command", [["numpy"], ["numpy", "--module"], ["latex"],
                                     ["latex", "--document"], ["algebra"]])
def test_text_views_load_neither_numpy_nor_sympy(command):
    code = ("import sys\nfrom notation.cli import main\n"
            f"status = main({command!r} + ['W1 -= αl1ᵀδ2'])\n"
            "heavy = [m for m in ('numpy', 'sympy') if m in sys.modules]\n"
            "print(status, heavy)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stdout.splitlines()[-1] == "0 []", r.stdout + r.stderr


def _aliasing_by_definition(program):
    """aliasing_assignments as its docstring defines it, one statement at a time: an
    assignment of a name (or its transpose) copies when a later update changes either."""
    from notation.kinds import is_scalar
    from notation.nodes import Assign, ExprStatement, Name, Transpose, Update
    out = set()
    statements = program.statements
    for i, s in enumerate(statements):
        if not isinstance(s, (Assign, ExprStatement)):
            continue
        base = s.value if isinstance(s, Assign) else s.expr
        while isinstance(base, Transpose):
            base = base.operand
        if not isinstance(base, Name) or is_scalar(base, None):
            continue
        later = {u.target for u in statements[i + 1:] if isinstance(u, Update)}
        if getattr(s, "target", None) in later or base in later:
            out.add(id(s))
    return out


def test_the_assignments_that_copy_are_those_of_the_definition():
    import random

    from notation.aliasing import aliasing_assignments
    rng = random.Random(3)
    letters = ["a", "c", "l0", "l1", "W0"]
    checked = copying = 0
    for _ in range(400):
        lines = []
        for _ in range(rng.randrange(1, 9)):
            x, y = rng.choice(letters), rng.choice(letters)
            lines.append(rng.choice([f"{x} = {y}", f"{x} = {y}ᵀ", f"{x} -= α{y}",
                                     f"{x} += {y}", f"{y}", f"{x} = relu({y})"]))
        program = parse("\n".join(lines))
        found = aliasing_assignments(program)
        assert found == _aliasing_by_definition(program), lines
        checked += 1
        copying += bool(found)
    assert checked == 400 and copying > 50


def test_a_long_program_of_assignments_of_names_prints_in_linear_time():
    # 100,000 lines of l1 = l0 (800,000 characters) took over two minutes: the updates
    # after each assignment were gathered afresh for each one.
    import time
    program = parse("l1 = l0\n" * 20_000 + "l0 -= αl1")
    start = time.process_time()          # (CPU time: the test machine is shared)
    code = program.numpy()
    assert time.process_time() - start < 2      # 0.2 s measured (16 s before)
    lines = code.splitlines()
    assert len(lines) == 20_001 and set(lines[:-1]) == {"layer_1 = layer_0.copy()"}
