"""NumPy -> notation (SPEC §5): spellings, idioms, naming inverted, errors, round trips."""

import string

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from notation import NotationError, NotationSyntaxError, NotationTranslationError, from_numpy, parse

from .strategies import contains_idiom
from .trees import programs
from .tools import examples


def test_spec_from_numpy():
    assert from_numpy("layer_2 = relu(layer_0.dot(weights_0_1)).dot(weights_1_2)").algebra() == \
        "l2 = relu(l0W0)W1"


# (Python source, the algebra it reads as)
READ = [
    # products and transposes, every spelling
    ("y = x.dot(W)", "y = xW"),
    ("y = np.dot(x, W)", "y = xW"),
    ("y = x @ W", "y = xW"),
    ("y = np.matmul(x, W)", "y = xW"),
    ("y = numpy.dot(x, W)", "y = xW"),
    ("import numpy as xp\ny = xp.matmul(x, W)", "y = xW"),
    ("y = x.dot(W).dot(V)", "y = xWV"),
    ("y = x.dot(W.dot(V))", "y = x·(WV)"),
    ("y = x @ (W @ V)", "y = x·(WV)"),
    ("y = x.T", "y = xᵀ"),
    ("y = np.transpose(x)", "y = xᵀ"),
    ("y = x.transpose()", "y = xᵀ"),
    ("y = x.T.T", "y = xᵀᵀ"),
    # * is ⊙ of arrays, and the scaling αx when a side is a scalar
    ("y = x * z", "y = x ⊙ z"),
    ("y = alpha * x", "y = αx"),
    ("y = x * 2", "y = x 2"),
    ("y = 2 * x", "y = 2x"),
    ("weights_1_2 -= alpha * layer_1.T.dot(layer_2_delta)", "W1 -= αl1ᵀδ2"),
    ("weights_1_2 -= alpha * (layer_1.T.dot(layer_2_delta))", "W1 -= α(l1ᵀδ2)"),
    ("weights_1_2 -= alpha * layer_1.T @ layer_2_delta", "W1 -= αl1ᵀδ2"),
    ("weights_1_2 -= alpha * np.dot(layer_1.T, layer_2_delta)", "W1 -= αl1ᵀδ2"),
    ("y = alpha * (x * beta).dot(W)", "y = αxβW"),
    ("y = np.multiply(alpha, x)", "y = α ⊙ x"),
    ("y = np.multiply(x, z)", "y = x ⊙ z"),
    ("y = x / z", "y = x / z"),
    ("y = np.divide(x, z)", "y = x / z"),
    ("y = np.add(x, z) - np.subtract(x, z)", "y = x + z - (x - z)"),
    ("y = -x", "y = -x"),
    ("y = np.negative(x)", "y = -x"),
    ("y = -alpha * x", "y = (-α)x"),
    ("y = -(alpha * x)", "y = -αx"),
    # helpers and idioms
    ("y = relu(x)", "y = relu(x)"),
    ("y = np.maximum(0, x)", "y = relu(x)"),
    ("y = np.maximum(x, 0)", "y = relu(x)"),
    ("y = np.maximum(0.0, x.dot(W))", "y = relu(xW)"),
    ("y = (x > 0) * x", "y = relu(x)"),
    ("y = x * (x > 0)", "y = relu(x)"),
    ("y = (x.dot(W) > 0) * x.dot(W)", "y = relu(xW)"),
    ("y = x > 0", "y = relu'(x)"),
    ("y = 0 < x", "y = relu'(x)"),
    ("y = relu2deriv(x)", "y = relu'(x)"),
    ("y = 1 / (1 + np.exp(-x))", "y = sigmoid(x)"),
    ("y = 1 / (np.exp(-x) + 1)", "y = sigmoid(x)"),
    ("y = 1.0 / (1.0 + np.exp(-x.dot(W)))", "y = sigmoid(xW)"),
    ("y = sigmoid(x) * sigmoid2deriv(z)", "y = sigmoid(x) ⊙ sigmoid'(z)"),
    ("y = np.tanh(x) + tanh(z)", "y = tanh(x) + tanh(z)"),
    ("y = 1 - x ** 2", "y = tanh'(x)"),
    ("y = tanh2deriv(x)", "y = tanh'(x)"),
    ("y = softmax(x)", "y = softmax(x)"),
    ("y = np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)", "y = softmax(x)"),
    ("y = np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)", "y = softmax(x)"),
    ("y = np.exp(x) - np.log(x)", "y = exp(x) - log(x)"),
    ("b_1 -= alpha * np.sum(layer_2_delta, axis=0, keepdims=True)", "b1 -= αbatchsum(δ2)"),
    # names, both schemes
    ("layer_2_delta = layer_2 - y", "δ2 = l2 - y"),
    ("layer_out_delta = layer_out - y", "δ_{out} = l_{out} - y"),
    ("delta_2 = l2 - y", "δ2 = l2 - y"),
    ("h = x.dot(W_in) + b_in", "h = xW_{in} + b_{in}"),
    ("y = lambda_ * x + lambda_1 * z", "y = λx + λ1z"),
    ("y = Gamma.dot(x) + Omega_2", "y = Γx + Ω2"),
    # statements
    ("weights_0_1 += alpha * layer_0.T.dot(layer_1_delta)", "W0 += αl0ᵀδ1"),
    ("layer_1 *= dropout_mask * 2", None),
    ("layer_1 *= M * 2", "l1 = l1 ⊙ M 2"),
    ("layer_1 /= 2", "l1 = l1 / 2"),
    ("x @= W", "x = xW"),
    ("_ = relu(x)", "relu(x)"),
    ("relu(x)", "relu(x)"),
    ('"""The forward pass."""\npass\nlayer_1 = x', "l1 = x"),
    # numbers keep their spelling, as Python literals allow
    ("y = 1e-3 * x", "y = 1e-3x"),
    ("y = 1E3 * x", "y = 1e3x"),
    ("y = 0.5 * x", "y = 0.5x"),
    ("y = .5 * x", "y = 0.5x"),
    ("y = 5. * x", "y = 5.0x"),
    ("y = 1_000 * x", "y = 1000x"),
    ("y = 0x10 * x", "y = 16x"),
    # declarations are whole-line comments
    ("# weights_0_1 : 3×4\n# alpha : scalar\nlayer_1 = layer_0.dot(weights_0_1)",
     "W0 : 3×4\nα : scalar\nl1 = l0W0"),
    ("# layer_0 ∈ ℝ^{b×784}\nlayer_1 = layer_0", "l0 : b×784\nl1 = l0"),
    ("# M : scalar\ny = M * x", "M : scalar\ny = Mx"),
    ("y = M * x", "y = M ⊙ x"),
    ("layer_1 = x  # layer_1 : 1×3 (a trailing comment is only a comment)", "l1 = x"),
    ("# Note: the forward pass\n# x : this is not a shape\nlayer_1 = x", "l1 = x"),
]


@pytest.mark.parametrize("source, algebra", [c for c in READ if c[1] is not None])
def test_reading(source, algebra):
    assert from_numpy(source).algebra() == algebra


def test_the_books_dropout_line():
    # Any identifier is read (issue 14): the mask gets a name by its role, in the legend.
    assert from_numpy("layer_1 *= dropout_mask * 2").algebra() == "l1 = l1 ⊙ M0 2"


def test_plain_naming_reads_only_plain_names():
    assert from_numpy("l2 = relu(l0.dot(W0)).dot(W1)", naming="plain").algebra() == \
        "l2 = relu(l0W0)W1"
    # a book identifier under the plain scheme is still read, by its role (issue 14)
    assert from_numpy("layer_2 = layer_1", naming="plain").algebra() == "l0 = v"


def test_the_books_training_step():
    source = '''
import numpy as np

def relu(x):
    return (x > 0) * x  # returns x if x > 0, return 0 otherwise

def relu2deriv(output):
    return output > 0  # returns 1 for input > 0, return 0 otherwise

alpha = 0.2
layer_0 = streetlights
layer_1 = relu(np.dot(layer_0, weights_0_1))
layer_2 = np.dot(layer_1, weights_1_2)
layer_2_delta = walk_vs_stop - layer_2
layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1)
weights_1_2 += alpha * layer_1.T.dot(layer_2_delta)
weights_0_1 += alpha * layer_0.T.dot(layer_1_delta)
'''
    # with no loop, alpha = 0.2 is read; streetlights is read as an input (by its role)
    assert from_numpy(source).algebra() == "\n".join([
        "α = 0.2", "l0 = s", "l1 = relu(l0W0)", "l2 = l1W1", "δ2 = y - l2",
        "δ1 = δ2W1ᵀ ⊙ relu'(l1)", "W1 += αl1ᵀδ2", "W0 += αl0ᵀδ1"])
    renamed = source.replace("streetlights", "x").replace("walk_vs_stop", "y")
    assert from_numpy(renamed).algebra() == "\n".join([
        "α = 0.2", "l0 = x", "l1 = relu(l0W0)", "l2 = l1W1", "δ2 = y - l2",
        "δ1 = δ2W1ᵀ ⊙ relu'(l1)", "W1 += αl1ᵀδ2", "W0 += αl0ᵀδ1"])


def test_a_module_reads_back():
    program = parse("W0 : 3×4\nl1 = relu(l0W0)\nl2 = σ(l1W1)\nδ2 = l2 - y\nrelu(l2)")
    for style in ("book", "matmul"):
        assert from_numpy(program.numpy(style=style, module=True)) == program


def test_a_function_body_is_read_and_its_return_dropped():
    source = '''
def forward(layer_0, weights_0_1, weights_1_2):
    """The book's network."""
    layer_1 = relu(layer_0.dot(weights_0_1))
    layer_2 = layer_1.dot(weights_1_2)
    return layer_2
'''
    assert from_numpy(source).algebra() == "l1 = relu(l0W0)\nl2 = l1W1"
    assert from_numpy("def f(x):\n    return relu(x)\n").algebra() == "relu(x)"


def test_spans_point_into_the_python_source():
    program = from_numpy("# a comment\nlayer_1 = relu(layer_0.dot(weights_0_1))")
    value = program.statements[0].value
    assert program.source[value.span.start:value.span.end] == "relu(layer_0.dot(weights_0_1))"
    product = value.arg
    assert program.source[product.right.span.start:product.right.span.end] == "weights_0_1"


def test_columns_count_characters_not_bytes():
    with pytest.raises(NotationTranslationError) as caught:
        from_numpy("y = 'αβγ' + layer_0[0][1]")
    assert caught.value.column == 5
    with pytest.raises(NotationTranslationError) as caught:
        from_numpy("# α β γ δ\nlayer_1 = layer_0[0][1]")
    assert (caught.value.line, caught.value.column) == (2, 11)


# ---------------------------------------------------------------------------- errors

ERRORS = [
    ('if x:\n    weights_0_1 -= alpha * x', """\
error: an update inside an if statement changes the computation: the notation reads one step
  --> line 1, column 1
   |
 1 | if x:
   | ^^^^^ updates under control flow
   = read the step without the condition or loop"""),
    ('layer_1 = relu(layer_0[0][1].dot(weights_0_1))', """\
error: indexing cannot be read into the notation
  --> line 1, column 16
   |
 1 | layer_1 = relu(layer_0[0][1].dot(weights_0_1))
   |                ^^^^^^^^^^^^^ indexing has no notation
   = a batch of rows of a data array (images[a:b], labels[i:i+1]) is read as an input; name other values before using them"""),
    ('layer_1 = relu(layer_0.dot(weights_0_1)', """\
error: the Python source does not parse: '(' was never closed
  --> line 1, column 15
   |
 1 | layer_1 = relu(layer_0.dot(weights_0_1)
   |               ^ Python stops here"""),
    ('x = y ** 3', """\
error: the power operator ** cannot be read into the notation
  --> line 1, column 5
   |
 1 | x = y ** 3
   |     ^^^^^^ the power operator ** has no notation
   = x ** 2 is x ⊙ x; other powers have no notation"""),
    ('x = np.sum(y, axis=1)', """\
error: np.sum() over these axes cannot be read into the notation
  --> line 1, column 5
   |
 1 | x = np.sum(y, axis=1)
   |     ^^^^^^^^^^^^^^^^^ no notation for this reduction
   = np.sum(x, axis=1, keepdims=True) is sum(x), the sum over each example's units; np.sum(x, axis=0, keepdims=True) is batchsum(x), the sum over the batch; a mean over the batch is batchsum(x) / n; a total error is bookkeeping, outside the step"""),
    ('layer_2 = np.dot(layer_1)', """\
error: this call takes two arguments, not 1
  --> line 1, column 11
   |
 1 | layer_2 = np.dot(layer_1)
   |           ^^^^^^^^^^^^^^^ 1 argument"""),
    ('layer_1 = relu(\n    layer_0.dot(weights_0_1)\n    + bias[1:])', """\
error: indexing cannot be read into the notation
  --> line 3, column 7
   |
 3 |     + bias[1:])
   |       ^^^^^^^^ indexing has no notation
   = a batch of rows of a data array (images[a:b], labels[i:i+1]) is read as an input; name other values before using them"""),
]


@pytest.mark.parametrize("source, rendered", ERRORS)
def test_errors_are_rendered_in_full(source, rendered):
    with pytest.raises(NotationError) as caught:
        from_numpy(source)
    assert str(caught.value) == rendered


@pytest.mark.parametrize("source, construct", [
    # loops, ifs, classes, lambdas and data are read or skipped now (issue 14); a source with
    # nothing else to read names what it skipped
    ("while x:\n    pass", "a while loop"), ("if x:\n    y = x", "an if statement"),
    ("with f:\n    pass", "a with block"), ("class A:\n    pass", "a class definition"),
    ("y = lambda x: (x, x)\nz = y(x)", "a tuple"), ("y = [x]", "an assignment at line 1 is skipped"),
    ("y = x if z else w", "a conditional"),
    ("y = x and z", "and/or"), ("y = f'{x}'", "an f-string"), ("y = x % 2", "the remainder %"),
    ("y = x.shape", "the attribute .shape"), ("y = 'text'", "a string"), ("y = True", "a boolean"),
    ("y = 1j * x", "a complex number"), ("y = +x", "unary +"), ("y = ~x", "the operator ~"),
    ("import torch", "an import at line 1 is skipped"), ("from numpy import dot", "a from-import"),
    ("y = np.clip(x, 0, 1)", "np.clip()"), ("y = leaky(x)", "leaky()"),
    ("y = x.sum()", "this call"), ("y = x < 3", "a comparison"), ("y = x = z", "a chained assignment"),
    ("x[1:] = z", "assignment to indexing"), ("x %= 2", "the in-place the remainder %"),
    ("y = relu(x, z)", "this call takes one argument"), ("y = relu(*x)", "*arguments"),
    ("def f():\n    return 1\n    y = 2", "a return before the end"),
    ("def f(): pass\ndef g(): pass", "a second function"),
    ("@dec\ndef f(): pass", "a decorated function"), ("np", "the module np"),
    ("", "there is no statement"), ("\x00", "null bytes"), ("y = '\ud800'", "cannot be read"),
])
def test_unsupported_constructs_are_named(source, construct):
    with pytest.raises(NotationError) as caught:
        from_numpy(source)
    assert construct in caught.value.message
    assert caught.value.span is not None and caught.value.line is not None


def test_syntax_errors_are_notation_errors():
    with pytest.raises(NotationSyntaxError) as caught:
        from_numpy("é = 1 +")
    assert (caught.value.line, caught.value.column) == (1, 8)


def test_deep_python_is_an_error_not_a_crash():
    with pytest.raises(NotationError) as caught:
        from_numpy("y = " + "+".join(["x"] * 5000))
    assert "nests too deeply" in caught.value.message
    # what Python itself can parse, the reader reads without recursion
    assert len(from_numpy("y = " + " + ".join(["x"] * 800)).algebra()) == 4 + 800 + 3 * 799


def test_reading_never_runs_the_source(tmp_path):
    marker = tmp_path / "ran"
    with pytest.raises(NotationError):
        from_numpy(f"import os\nos.system('touch {marker}')")
    with pytest.raises(NotationError):
        from_numpy(f"y = __import__('os').system('touch {marker}')")
    assert not marker.exists()


PYTHON_TOKENS = ["layer_0", "layer_1", "weights_0_1", "alpha", "x", "W", ".dot(", ".T", "np.",
                 "dot", "exp", "maximum(", "relu(", "sigmoid(", "(", ")", " * ", " @ ", " / ",
                 " + ", " - ", " = ", " -= ", " *= ", ", ", "0", "1", "2.5", "**", ">", "\n",
                 "    ", "def f(", "):", "return ", "# x : 3×4", "import numpy as np", "[", "]",
                 "lambda", ":", "'", '"', "\\", "axis=0", "keepdims=True", "_"]


def _check(source):
    try:
        program = from_numpy(source)
    except NotationError as e:
        assert e.span is not None
        assert 0 <= e.span.start <= e.span.end <= len(source)
        assert str(e).startswith("error: ")
        return
    # what reads, prints, and reads back the same
    assert from_numpy(program.numpy()) == program


@settings(max_examples=examples(400), deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(PYTHON_TOKENS), max_size=20))
def test_python_token_soup_never_raises_anything_else(parts):
    _check("".join(parts))


@settings(max_examples=examples(300), deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=string.printable + "αβδ⊙ᵀ\x00", max_size=40))
def test_random_text_never_raises_anything_else(text):
    _check(text)


# ---------------------------------------------------------------------------- round trips

@settings(max_examples=examples(200), deadline=None, suppress_health_check=list(HealthCheck))
@given(programs)
def test_numpy_round_trip(program):
    # 1 / (1 + exp(-x)) prints as the idiom that reads back as sigmoid(x) (SPEC §5)
    assume(not contains_idiom(program))
    for style in ("book", "matmul"):
        for naming in ("book", "plain"):
            text = program.numpy(style=style, naming=naming)
            assert from_numpy(text, naming=naming) == program, text
    assert from_numpy(program.numpy(module=True)) == program


def test_the_sigmoid_formula_reads_as_sigmoid():
    program = parse("l1 = 1 / (1 + exp(-l0W0))")
    assert from_numpy(program.numpy()).algebra() == "l1 = sigmoid(l0W0)"
