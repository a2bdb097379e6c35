"""NumPy as people write it (issue 14): the idioms of the book's chapters 3–9, whole training
loops as printed, other names, helpers defined in the source, and steps compared by what
they do. The corpus is written here in the notebooks' idioms (not copied from them); NumPy
itself is the oracle: each case is run as Python and as the program read, on the same
random arrays."""

import warnings

import numpy as np
import pytest

from notation import NotationError, compare, parse
from notation.emit.algebra import algebra
from notation.evaluate import evaluate
from notation.random_inputs import random_inputs
from notation.read.numpy import from_numpy, read_numpy

BOOK_HELPERS = '''
def relu(x):
    return (x > 0) * x
def relu2deriv(output):
    return output > 0
def tanh(x):
    return np.tanh(x)
def tanh2deriv(output):
    return 1 - output ** 2
def sigmoid(x):
    return 1 / (1 + np.exp(-x))
def softmax(x):
    e = np.exp(x)
    return e / np.sum(e, axis=1, keepdims=True)
'''

# (source in the notebooks' idioms, the algebra it reads as)
CORPUS = [
    # chapter 3: predictions
    ("pred = input * weight", "l1 = l0 ⊙ W0"),
    ("prediction = signal.dot(weights)", "l1 = l0W0"),
    ("hidden = signal.dot(weights[0])\nprediction = hidden.dot(weights[1])",
     "l1 = l0W0\nl2 = l1W1"),
    ("out = np.dot(signal, wgt)", "l1 = l0W0"),
    # chapter 4: error, delta, update of a scalar weight
    ("weight = 0.5\nalpha = 0.1\ninput = 0.8\ngoal_pred = 0.3\npred = input * weight\nerror = (pred - goal_pred) ** 2\n"
     "delta = pred - goal_pred\nweight_delta = delta * input\nweight -= weight_delta * alpha",
     "W0 : scalar\nl0 : scalar\ny : scalar\nW0 = 0.5\nα = 0.1\nl0 = 0.8\ny = 0.3\nl1 = l0W0\n"
     "e = (l1 - y) ⊙ (l1 - y)\nδ = l1 - y\nG0 = δl0\n"
     "W0 -= G0α"),
    ("direction = (pred - goal_pred) * input\nweight = weight - direction",
     "z0 = (p - y) ⊙ l0\nW0 = W0 - z0"),
    # chapter 5: many weights
    ("# delta : 1×2\n# input : 1×3\nweight_deltas = np.outer(delta, input)",
     "δ : 1×2\nl0 : 1×3\nG0 = δᵀl0"),
    ("weights = weights - alpha * weight_deltas", "W0 = W0 - αG0"),
    # chapter 6
    ("layer_1 = relu(np.dot(layer_0, weights_0_1))", "l1 = relu(l0W0)"),
    ("# layer_2 : 1×1\nlayer_2_delta = layer_2 - walk_vs_stop[i:i+1]", "l2 : 1×1\nδ2 = l2 - y"),
    ("# layer_2 : 1×1\nlayer_2_delta = (walk_vs_stop[i:i+1] - layer_2)", "l2 : 1×1\nδ2 = y - l2"),
    ("layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1)",
     "δ1 = δ2W1ᵀ ⊙ relu'(l1)"),
    ("weights_1_2 += alpha * layer_1.T.dot(layer_2_delta)", "W1 += αl1ᵀδ2"),
    ("layer_1_delta = layer_2_delta.dot(weights_1_2.transpose())", "δ1 = δ2W1ᵀ"),
    ("layer_1_delta *= relu2deriv(layer_1)", "δ1 = δ1 ⊙ relu'(l1)"),
    # chapters 8 and 9
    ("layer_1 = (layer_0.dot(weights_0_1) >= 0) * layer_0.dot(weights_0_1)", "l1 = relu(l0W0)"),
    ("layer_2 = np.exp(layer_1.dot(weights_1_2)) / np.sum(np.exp(layer_1.dot(weights_1_2)), "
     "axis=1, keepdims=True)", "l2 = softmax(l1W1)"),
    ("batch_size = 10\nlayer_2_delta = (labels[batch_start:batch_end] - layer_2) / batch_size",
     "β = 10\nδ2 = (y - l2) / β"),
    ("layer_2_delta = (labels[a:b] - layer_2) / (batch_size * layer_2.shape[0])",
     "δ2 = (y - l2) / βν"),
    ("layer_1 = tanh(np.dot(layer_0, weights_0_1))\nlayer_1_delta = layer_2_delta.dot("
     "weights_1_2.T) * tanh2deriv(layer_1)", "l1 = tanh(l0W0)\nδ1 = δ2W1ᵀ ⊙ tanh'(l1)"),
    ("layer_1 *= dropout_mask * 2", "l1 = l1 ⊙ M0 2"),
    ("bias_delta = np.sum(layer_2_delta, axis=0, keepdims=True)", "g = batchsum(δ2)"),
    # the same idioms with names of our own (not the notebooks')
    ("guess = signal * knob\nmiss = (guess - aim) ** 2", "l0 = s ⊙ k\nz0 = (l0 - y) ⊙ (l0 - y)"),
    ("slope = signal * (guess - aim)\nknob = knob - (rate * slope)", "l0 = s ⊙ (g - a)\nW0 = W0 - αl0"),
    ("guess_up = signal * (knob + nudge)\nmiss_up = (aim - guess_up) ** 2",
     "l0 = s ⊙ (k + n)\nz0 = (y - l0) ⊙ (y - l0)"),
    # np.outer flattens: it is aᵀb for single rows, as the book's vectors are
    ("# features : 1×3\nscores = np.dot(features, weights)\ngap = scores - expected\n"
     "change = np.outer(gap, features)", "l0 : 1×3\nl1 = l0W0\nz1 = l1 - y\na1 = z1ᵀl0"),
    ("# gap : 1×2\n# features : 1×3\nweights -= rate * np.outer(gap, features)",
     "g : 1×2\nl0 : 1×3\nW0 -= αgᵀl0"),
    ("hidden = (features.dot(w_in) >= 0) * features.dot(w_in)\nout = hidden.dot(w_out)",
     "l1 = relu(l0w_{in})\nl2 = l1w_{out}"),
    ("probs = np.exp(logits) / np.sum(np.exp(logits), axis=1, keepdims=True)", "l0 = softmax(v)"),
    ("hidden *= keep * 2\nhidden_delta *= keep", "l0 = l0 ⊙ k 2\nδ0 = δ0 ⊙ k"),
]


@pytest.mark.parametrize("source, expected", CORPUS)
def test_the_corpus_reads(source, expected):
    assert read_numpy(source).program.algebra() == expected


def _namespace(reading, inputs):
    """The source's variables for the inputs, keyed back by the legend; the inputs adjusted
    where a slice takes one row (``labels[i:i+1]`` is the first row of labels). None when an
    identifier cannot be given its value."""
    import ast
    namespace = {"np": np}
    exec(compile(BOOK_HELPERS, "<helpers>", "exec"), namespace)
    keys = {name: k for k, name in reading.legend.by_key.items()}
    inputs = dict(inputs)
    for name, value in list(inputs.items()):
        ident = keys.get(name)
        if ident is None:
            continue
        value = np.array(value, dtype=float) if np.ndim(value) else float(value)
        if ident.isidentifier():
            namespace[ident] = value
        elif "[" in ident and ":" in ident:       # rows of a data array
            base, _, bounds = ident.partition("[")
            low, _, high = bounds.rstrip("]").partition(":")
            namespace[base] = value
            for var in {t for t in (low + " " + high).replace("+", " ").split() if t.isidentifier()}:
                namespace[var] = 0
            if high.replace(" ", "") == "i+1":
                inputs[name] = value = value[0:1]
            else:
                namespace[high.strip()] = value.shape[0]
        elif ident.endswith("]") and "[" in ident:     # weights[0], model['W1']
            base, _, index = ident[:-1].partition("[")
            namespace.setdefault(base, {})[ast.literal_eval(index)] = value
        else:
            return None, inputs
    return namespace, inputs


# every case but those whose scalar inputs stand for a size of an array
NUMERIC = [c for c in CORPUS if "shape[0]" not in c[0] and "batch_start" not in c[0]]


@pytest.mark.parametrize("source, expected", NUMERIC)
def test_the_corpus_computes_what_the_source_computes(source, expected):
    reading = read_numpy(source)
    checked = 0
    for inputs in random_inputs([reading.program]):
        namespace, inputs = _namespace(reading, inputs)
        assert namespace is not None
        with np.errstate(all="ignore"):
            ours = evaluate(reading.program, inputs)
            exec(compile(reading.program.source, "<source>", "exec"), namespace)
        for k, name in reading.legend.by_key.items():
            key = algebra(name)
            if k.isidentifier() and k in namespace and key in ours:
                np.testing.assert_allclose(np.asarray(namespace[k], dtype=float),
                                           np.asarray(ours[key], dtype=float),
                                           rtol=1e-9, atol=1e-12)
                checked += 1
    assert checked


# ---------------------------------------------------------------------------- names

def test_the_legend_names_identifiers_by_role():
    reading = read_numpy("pred = input.dot(weights)\ndelta = pred - goal_pred")
    assert reading.program.algebra() == "l1 = l0W0\nδ = l1 - y"
    assert [(k, n) for k, n, _ in reading.legend.entries()] == [
        ("input", "l0"), ("weights", "W0"), ("pred", "l1"), ("goal_pred", "y")]
    assert reading.numpy() == "pred = input.dot(weights)\ndelta = pred - goal_pred"


def test_names_can_be_chosen_and_never_collide():
    reading = read_numpy("pred = input.dot(weights)", names="input=x,weights=V")
    assert reading.program.algebra() == "l1 = xV"
    assert read_numpy("pred = input.dot(weights)", names={"pred": "p"}).program.algebra() \
        == "p = l0W0"
    with pytest.raises(NotationError, match="both"):
        read_numpy("layer_1 = input.dot(weights)", names="input=l1")
    with pytest.raises(NotationError, match="both"):
        read_numpy("y = x_1 + x1")
    with pytest.raises(NotationError, match="identifier=name"):
        read_numpy("y = x", names="input")


def test_parameters_as_attributes_dicts_and_lists():
    source = "h = relu(self.x.dot(self.W1))\nout = h.dot(self.W2)"
    # self.x and self.h keep their attributes' names; out is the next layer
    assert read_numpy(source).program.algebra() == "h = relu(xW1)\nl1 = hW2"
    assert read_numpy("out = x.dot(model['W1'])").program.algebra() == "l1 = xW1"
    assert read_numpy("h = x.dot(weights[0])\no = h.dot(weights[1])").program.algebra() == \
        "h = xW0\no = hW1"


def test_a_network_written_as_a_class():
    source = '''
class Net:
    def __init__(self):
        self.W1 = np.random.randn(3, 4)
    def forward(self, X):
        self.h = sigmoid(X.dot(self.W1))
        return self.h
'''
    assert read_numpy(source).program.algebra() == "h = sigmoid(XW1)"


def test_column_vectors():
    assert read_numpy("h = np.dot(w, a) + b", columns=True).program.algebra() == "h = w a + b"
    reading = read_numpy("out = np.dot(weights, inputs)", columns=True)
    assert [(k, n) for k, n, _ in reading.legend.entries()] == [
        ("weights", "W0"), ("inputs", "l0"), ("out", "l1")]


# ---------------------------------------------------------------------------- helpers

def test_a_helper_is_read_as_its_body_never_as_the_books():
    ge = "def relu2deriv(output):\n    return output >= 0\nd = relu2deriv(layer_1)"
    assert read_numpy(ge).program.algebra() == "d = step(l1)"
    seven = "def tanh2deriv(output):\n    return output * 7\nd = tanh2deriv(layer_1)"
    assert read_numpy(seven).program.algebra() == "d = l1 7"
    book = "def relu2deriv(output):\n    return output > 0\nd = relu2deriv(layer_1)"
    assert read_numpy(book).program.algebra() == "d = relu'(l1)"
    lam = "relu2deriv = lambda x: x >= 0\nd = relu2deriv(layer_1)"
    assert read_numpy(lam).program.algebra() == "d = step(l1)"


def test_step_is_not_relu_prime_at_zero():
    program = read_numpy("d = layer_1 >= 0").program
    values = evaluate(program, {"l1": np.array([[0.0, -1.0, 2.0]])})["d"]
    assert values.tolist() == [[1.0, 0.0, 1.0]]
    prime = evaluate(parse("d = relu'(l1)"), {"l1": np.array([[0.0, -1.0, 2.0]])})["d"]
    assert prime.tolist() == [[0.0, 0.0, 1.0]]


def test_a_helper_with_a_flag_and_a_two_line_softmax():
    source = '''
def nonlin(x, deriv=False):
    if deriv:
        return x * (1 - x)
    return 1 / (1 + np.exp(-x))

def softmax(x):
    temp = np.exp(x)
    return temp / np.sum(temp, axis=1, keepdims=True)

l1 = nonlin(np.dot(l0, syn0))
l2 = softmax(l1.dot(syn1))
l1_delta = l2_delta.dot(syn1.T) * nonlin(l1, deriv=True)
'''
    assert read_numpy(source).program.algebra() == \
        "l1 = sigmoid(l0W0)\nl2 = softmax(l1W1)\nδ1 = δ2W1ᵀ ⊙ sigmoid'(l1)"


def test_an_unreadable_helper_is_refused_with_its_line():
    source = "def f(x):\n    return np.abs(x)\n\ny = f(x)"
    with pytest.raises(NotationError) as caught:
        read_numpy(source)
    assert "the helper f (defined at line 1)" in caught.value.message
    assert caught.value.line == 4


# ---------------------------------------------------------------------------- loops

LOOP = '''
import numpy as np
np.random.seed(0)

def relu(x):
    return (x > 0) * x

def relu2deriv(output):
    return output > 0

signals = np.array([[1, 0, 1], [0, 1, 1], [0, 0, 1], [1, 1, 1]])
targets = np.array([[1, 1, 0, 0]]).T
alpha, hidden_size = (0.2, 4)
weights_0_1 = 2 * np.random.random((3, hidden_size)) - 1
weights_1_2 = 2 * np.random.random((hidden_size, 1)) - 1

for epoch in range(60):
    total_error = 0
    for row in range(len(signals)):
        layer_0 = signals[row:row+1]
        layer_1 = relu(np.dot(layer_0, weights_0_1))
        layer_2 = np.dot(layer_1, weights_1_2)
        total_error += np.sum((layer_2 - targets[row:row+1]) ** 2)
        layer_2_delta = SIGN
        layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1)
        weights_1_2 OP alpha * layer_1.T.dot(layer_2_delta)
        weights_0_1 OP alpha * layer_0.T.dot(layer_1_delta)
    if epoch % 10 == 9:
        print("Error:" + str(total_error))
'''
MINUS = LOOP.replace("SIGN", "layer_2 - targets[row:row+1]").replace("OP", "-=")
PLUS = LOOP.replace("SIGN", "targets[row:row+1] - layer_2").replace("OP", "+=")
FORWARD = parse("l1 = relu(l0W0)\nl2 = l1W1")


def test_a_training_loop_reads_as_printed():
    reading = read_numpy(MINUS)
    assert reading.program.algebra() == "\n".join([
        "l1 = relu(l0W0)", "l2 = l1W1", "δ2 = l2 - y", "δ1 = δ2W1ᵀ ⊙ relu'(l1)",
        "W1 -= αl1ᵀδ2", "W0 -= αl0ᵀδ1"])
    whys = {s.text.split()[0]: s.why for s in reading.skipped}
    assert whys["total_error"] == "bookkeeping: an error or accuracy sum"
    assert whys["if"].startswith("bookkeeping")
    assert whys["layer_0"] == "layer_0 is an input: rows of signals"
    assert whys["weights_0_1"] == "setup, outside the step"
    assert compare(FORWARD.backward(), reading.program).equivalent


def test_the_other_sign_convention_is_described_in_words():
    report = compare(FORWARD.backward(), read_numpy(PLUS).program).report()
    assert "W1: the same update" in report and "W0: the same update" in report
    assert "δ2: view 2's delta is the negative of view 1's" in report


def test_the_books_dropout_is_half_the_gradient_in_words():
    source = MINUS.replace(
        "        layer_2 = np.dot(layer_1, weights_1_2)",
        "        mask = np.random.randint(2, size=layer_1.shape)\n        layer_1 *= mask * 2\n"
        "        layer_2 = np.dot(layer_1, weights_1_2)").replace(
        "* relu2deriv(layer_1)", "* relu2deriv(layer_1)\n        layer_1_delta *= mask")
    reading = read_numpy(source)
    assert "l1 = l1 ⊙ M1 2" in reading.program.algebra()
    forward = parse("l1 = relu(l0W0)\nl1 = l1 ⊙ M1 2\nl2 = l1W1")
    report = compare(forward.backward(), reading.program).report()
    assert "W1: the same update" in report
    assert "W0: view 2's update is half of view 1's" in report


TANH_BATCH = """
def squash(x):
    return np.tanh(x)

def squash_slope(out):
    return 1 - out ** 2

def probabilities(x):
    e = np.exp(x)
    return e / np.sum(e, axis=1, keepdims=True)

rate, n = 0.5, 16
for epoch in range(20):
    for b in range(len(pics) // n):
        lo, hi = b * n, (b + 1) * n
        inp = pics[lo:hi]
        hid = squash(np.dot(inp, w_in))
        keep = np.random.randint(2, size=hid.shape)
        hid *= keep * 2
        out = probabilities(np.dot(hid, w_out))
        out_delta = (tags[lo:hi] - out) / (n * out.shape[0])
        hid_delta = out_delta.dot(w_out.T) * squash_slope(hid)
        hid_delta *= keep
        w_out += rate * hid.T.dot(out_delta)
        w_in += rate * inp.T.dot(hid_delta)
"""


TANH_NAMES = "inp=l0,w_in=W0,w_out=W1,hid=l1,out=l2,keep=M1"


def test_chapter_9s_step_against_backward_names_the_real_differences():
    # the derivative of the dropped-out, doubled layer, the mask without its 2, and the
    # batch size divided by twice (n and out.shape[0]): each said in words
    reading = read_numpy(TANH_BATCH, names=TANH_NAMES)
    forward = parse("l1 = tanh(l0W0)\nl1 = l1 ⊙ M1 2\nl2 = softmax(l1W1)")
    report = compare(forward.backward(loss="cross_entropy", delta="y-l"),
                     reading.program).report()
    assert "W1: view 2's update is the same as view 1's, divided by n·ν" in report
    assert ("W0: view 2 takes tanh' of the dropped-out, doubled layer (l1 = l1 ⊙ M1 2), where "
            "view 1 takes it of the layer before dropout; with tanh' of the layer before "
            "dropout, its update is half of view 1's, divided by n·ν (view 2 multiplies the "
            "delta by the dropout mask alone, without the factor 2 the layer was multiplied "
            "by)") in report
    assert "no multiple" not in report.split("W0:")[1].split("\n")[0]


def test_the_derivative_of_the_layer_before_dropout_is_not_reported_as_a_difference():
    # taking tanh' of the layer before dropout (and the mask with its 2) is backward's step
    source = TANH_BATCH.replace("        hid *= keep * 2\n", "        pre = hid\n        hid = pre * keep * 2\n")
    source = source.replace("squash_slope(hid)", "squash_slope(pre) * keep * 2").replace(
        "        hid_delta *= keep\n", "").replace(" / (n * out.shape[0])", "")
    reading = read_numpy(source, names=TANH_NAMES + ",pre=h1")
    forward = parse("l1 = tanh(l0W0)\nl1 = l1 ⊙ M1 2\nl2 = softmax(l1W1)")
    result = compare(forward.backward(loss="cross_entropy", delta="y-l"), reading.program)
    assert result.equivalent, result.report()


def test_an_update_repeated_by_an_inner_loop_is_reported():
    source = MINUS.replace(
        "        layer_2_delta = ", "        for k in range(4):\n            layer_2_delta = ").replace(
        "\n        layer_1_delta", "\n            layer_1_delta").replace(
        "\n        weights_", "\n            weights_")
    from notation import from_numpy
    from notation.errors import NotationWarning
    with pytest.warns(NotationWarning, match="repeats the updates") as caught:
        program = from_numpy(source)
    assert "W0 -= αl0ᵀδ1" in program.algebra()
    found = [w.message for w in caught if isinstance(w.message, NotationWarning)]
    assert found[0].line == source.splitlines().index("        for k in range(4):") + 1
    assert found[0].column == 9


def test_an_update_under_a_condition_is_an_error():
    source = MINUS.replace("        weights_0_1 -=", "        if row:\n            weights_0_1 -=")
    with pytest.raises(NotationError, match="an update inside an if statement"):
        read_numpy(source)


def test_reading_finds_the_line_starts_once(monkeypatch):
    # issue 16, H4: each number was found by re-splitting the source with
    # ast.get_source_segment (23 s for 4,000 lines, quadratic). Checked by counting the work,
    # not by timing it: a ratio of times was flaky on a loaded machine, and the benchmark
    # (benchmarks/growth.py --only from_numpy) is where the time is measured.
    import ast
    from notation.read.numpy import positions

    built = []
    original = positions.Positions.__init__

    def counting(self, text):
        built.append(len(text))
        original(self, text)

    def refuse(*args, **kwargs):
        raise AssertionError("ast.get_source_segment splits the whole source on every call")

    monkeypatch.setattr(positions.Positions, "__init__", counting)
    monkeypatch.setattr(ast, "get_source_segment", refuse)
    source = "\n".join("x = 1" for _ in range(4000))
    reading = read_numpy(source)
    assert reading.program.statements          # it read (the last x = 1)
    assert built == [len(source)]              # one index of the line starts, for the whole source


# ------------------------------------------------- plain Python: chapters 3–5 (issue 14)
# Lists and loops over their elements, in the notebooks' idioms with names of our own.

PLAIN = '''
def dot_rows(u, v):
    total = 0
    for k in range(len(u)):
        total += u[k] * v[k]
    return total

def scale(s, vec):
    res = [0, 0, 0, 0]
    for k in range(len(vec)):
        res[k] = vec[k] * s
    return res

def predict(signal, w):
    guess = dot_rows(signal, w)
    return guess

lr = 0.05
w = [0.3, -0.2, 0.1, 0.4]
signal = [1.0, 0.5, 0.2, 0.9]
answer = 0.7
for epoch in range(1):
    guess = predict(signal, w)
    miss = guess - answer
    changes = scale(miss, signal)
    for k in range(len(w)):
        w[k] -= lr * changes[k]
'''


def test_functions_and_element_loops_of_plain_python_read():
    reading = read_numpy(PLAIN)
    assert reading.program.algebra() == "\n".join([
        "y : scalar", "l1 = l0wᵀ", "z1 = l1 - y", "a1 = z1l0", "w -= αa1"])
    # z1, used whole in the element loop, is a number: the scaling z1·l0, which the notation's
    # shapes accept for the 1 × 1 that w_sum's row times row gives (l0 ⊙ z1 would not fit)
    assert list(random_inputs([reading.program]))
    assert "dot_rows() (line 2) is put in place where it is called" in reading.helpers
    # the same numbers as the Python, run once on the lists
    namespace: dict = {}
    exec(PLAIN, namespace)
    inputs = {"l0": np.array([[1.0, 0.5, 0.2, 0.9]]), "w": np.array([[0.3, -0.2, 0.1, 0.4]]),
              "y": 0.7, "α": 0.05}
    ours = evaluate(reading.program, inputs)
    np.testing.assert_allclose(ours["w"].ravel(), namespace["w"], rtol=1e-12)


def test_an_outer_product_and_a_nested_element_loop():
    source = '''
import numpy as np
def outer(a, b):
    grid = np.zeros((len(a), len(b)))
    for r in range(len(a)):
        for c in range(len(b)):
            grid[r][c] = a[r] * b[c]
    return grid
change = outer(miss, signal)
for r in range(len(W)):
    for c in range(len(W[0])):
        W[r][c] -= rate * change[r][c]
'''
    reading = read_numpy(source)
    assert reading.program.algebra() == "l0 = mᵀs\nW -= αl0"
    miss, signal, weights = np.array([0.5, -1.0]), np.array([1.0, 2.0, 3.0]), np.ones((2, 3))
    ours = evaluate(reading.program, {"m": miss[None], "s": signal[None], "W": weights, "α": 0.1})
    np.testing.assert_allclose(ours["W"], weights - 0.1 * np.outer(miss, signal))


def test_a_loop_that_is_not_elementwise_is_not_made_one_statement():
    # running sums along the list: not one element per element
    source = "for k in range(len(v)):\n    acc[k] = v[k] + v[k - 1]\n"
    with pytest.raises(NotationError):
        read_numpy(source)


def test_a_call_of_the_network_function_is_read_with_its_arguments():
    source = '''
def net(inp, wt):
    out = inp * wt
    return out
readings = [0.4, 0.9]
x0 = readings[0]
w0 = 0.3
step = 0.01
p = net(x0, w0 + step)
'''
    reading = read_numpy(source)
    # x0 is item 0 of a list of numbers, a number only read: declared a scalar (the scaling)
    assert reading.program.algebra().splitlines()[0] == "x0 : scalar"
    assert reading.program.algebra().splitlines()[-1] == "p = x0(w0 + ν)"
    whys = [s.why for s in reading.skipped]
    assert "x0 is an input: item 0 of the data readings" in whys
    assert len(whys) == len(set(whys))          # each skipped line listed once


def test_setting_one_element_is_refused_not_dropped():
    source = PLAIN.replace("    changes = scale(miss, signal)\n",
                           "    changes = scale(miss, signal)\n    changes[0] = 0\n")
    with pytest.raises(NotationError, match="setting one element") as caught:
        read_numpy(source)
    assert caught.value.line == 26


FROZEN = """
alpha = 0.3
for iteration in range(3):
    prediction = inputs.dot(weights)
    delta = prediction - goal
    weight_deltas = inputs.T.dot(delta)
    weight_deltas[0] = 0
    weights -= alpha * weight_deltas
"""


def test_a_delta_with_one_element_set_to_0_is_a_product_with_a_constant_mask():
    # chapter 5's frozen weight: the same computation as Δ ⊙ m, m a constant 0/1 mask
    reading = read_numpy(FROZEN)
    lines = reading.program.algebra().splitlines()
    assert "G0 = G0 ⊙ M0" in lines and lines[-1] == "W0 -= αG0"
    assert ("weight_deltas[0] = 0", "M0", "a constant mask: 1s, with 0 at [0]: weight_deltas[0] "
            "= 0 is weight_deltas ⊙ it") in reading.legend.entries()
    rng = np.random.default_rng(5)
    x, w, y = rng.normal(size=(2, 3)), rng.normal(size=(3, 4)), rng.normal(size=(2, 4))
    mask = np.ones((3, 4))
    mask[0] = 0                        # [0] of a 2-D array is its first row, as in NumPy
    given = {"inputs": x, "weights": w, "goal": y, "weight_deltas[0] = 0": mask, "alpha": 0.3}
    ours = evaluate(reading.program, {name: given[k] for k, name in
                                      reading.legend.by_key.items() if k in given})
    namespace = {"inputs": x, "weights": w.copy(), "goal": y}
    exec(FROZEN.replace("range(3)", "range(1)"), namespace)
    np.testing.assert_allclose(ours["W0"], namespace["weights"], rtol=1e-12)
    np.testing.assert_array_equal(ours["W0"][0], w[0])     # the frozen weights did not move


@pytest.mark.parametrize("line, why", [
    ("    weight_deltas[1:] = 0\n", "assignment to indexing cannot be read"),   # a slice
    ("    weight_deltas[iteration] = 0\n", "setting one element"),   # not a constant
    ("    weight_deltas[0] = 1\n", "setting one element"),         # not a 0
    ("    weights[0] = 0\n", "weights is W0, not a delta"),        # not a delta
    ("    prediction[-1] = 0\n", r"prediction is \w+, not a delta"),
])
def test_setting_an_element_otherwise_stays_refused(line, why):
    source = FROZEN.replace("    weight_deltas[0] = 0\n", line)
    with pytest.raises(NotationError, match=why) as caught:
        read_numpy(source)
    assert caught.value.line == 7


OUTER_STEP = """
for i in range(10):
    layer_0 = images[i:i+1]
    layer_1 = relu(layer_0.dot(weights_0_1))
    delta = labels[i:i+1] - layer_1
    weights_0_1 += np.outer(layer_0, delta)
"""


def test_np_outer_of_single_rows_reads_without_a_warning():
    # rows i:i+1, and what is computed from them elementwise or by x.dot(W), are one row
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        program = from_numpy(OUTER_STEP)
        assert program.algebra().splitlines()[-1] == "W0 += l0ᵀδ"
        from_numpy("# delta : 1×2\n# input : 1×3\nweight_deltas = np.outer(delta, input)")
        # the book's element loops build np.outer of lists: single rows by construction
        from_numpy("def outer(a, b):\n    out = np.zeros((len(a), len(b)))\n"
                   "    for i in range(len(a)):\n        for j in range(len(b)):\n"
                   "            out[i][j] = a[i] * b[j]\n    return out\n"
                   "weight_deltas = outer(delta, signal)\n")


def test_np_outer_where_the_rows_are_unknown_is_a_located_warning():
    from notation import NotationWarning
    source = OUTER_STEP.replace("i:i+1", "i:i+2")        # two rows: NumPy's outer flattens
    with pytest.warns(NotationWarning, match="np.outer.layer_0, delta. at line 6 is read as "
                      "aᵀb, which is the same only for single rows") as caught:
        from_numpy(source)
    warning = caught[0].message
    assert warning.code == "outer-of-rows" and (warning.line, warning.column) == (6, 20)
    assert "declare one row" in str(warning)
    # the difference is real: aᵀb sums the rows' outer products, np.outer flattens them
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2, 3)), rng.normal(size=(2, 4))
    assert np.outer(a, b).shape == (6, 8) and (a.T @ b).shape == (3, 4)


@pytest.mark.parametrize("declaration, rows", [("b×3", "b"), ("4×3", "4")])
def test_np_outer_of_a_declared_batch_is_refused(declaration, rows):
    source = f"# delta : {declaration}\nweight_deltas = np.outer(delta, inputs)"
    with pytest.raises(NotationError, match=f"flattens delta, declared with {rows} rows") as e:
        from_numpy(source)
    assert (e.value.line, e.value.column) == (2, 26)
    assert "delta.T.dot(inputs)" in e.value.hint


ACCUMULATED = """
for epoch in range(5):
    grad_acc = 0
    for i in range(len(x)):
        layer_1 = x[i:i+1].dot(weights)
        delta = layer_1 - y[i:i+1]
        grad_acc += x[i:i+1].T.dot(delta)
        total_error += np.sum(delta ** 2)
    weights -= alpha * grad_acc
"""


def test_an_accumulated_gradient_is_read_whatever_its_name():
    # acc, total, count in a name made a line bookkeeping; a product in it is arithmetic
    from notation import NotationWarning
    with pytest.warns(NotationWarning, match="accumulates grad_acc over its turns"):
        from_numpy(ACCUMULATED)
    reading = read_numpy(ACCUMULATED)
    assert "one turn's share of what the source adds up" in reading.warnings[0]
    assert reading.program.algebra().splitlines()[-2:] == ["G0 += l0ᵀδ", "W0 -= αG0"]
    assert ("grad_acc", "G0", "the change to W0") in reading.legend.entries()
    whys = {s.text: s.why for s in reading.skipped}
    assert whys["total_error += np.sum(delta ** 2)"] == "bookkeeping: an error or accuracy sum"
    # before, grad_acc's line was skipped and W0 -= αγ read a scalar for the gradient
    assert "γ" not in reading.program.algebra()


def test_column_vector_code_from_the_cli(tmp_path, capsys):
    # `np.dot(w, a) + b` with --columns, for algebra -f x.py and for compare (issue 14)
    from notation.cli import main
    path = tmp_path / "net.py"
    path.write_text("h = relu(np.dot(w, a) + b)\nout = np.dot(v, h)\n")
    assert main(["algebra", "-f", str(path), "--columns"]) == 0
    assert capsys.readouterr().out.strip() == "h = relu(w a + b)\nl1 = v h"
    status = main(["compare", "--columns", str(path), "h = relu(W0 l0 + b)\nl1 = W1 h",
                   "--names", "w=W0,a=l0,v=W1,out=l1"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert out.startswith("equivalent")
    assert main(["compare", str(path), "h = relu(W0 l0 + b)\nl1 = W1 h", "--names",
                 "w=W0,a=l0,v=W1,out=l1"]) == 0     # the same product either way here
    capsys.readouterr()


def test_an_update_under_a_comparison_of_numbers_is_gated():
    # chapter 4's hot and cold learning, in our own words: try both ways, keep the better
    source = '''
for attempt in range(50):
    guess = signal * knob
    higher = signal * (knob + nudge)
    lower = signal * (knob - nudge)
    miss_higher = (aim - higher) ** 2
    miss_lower = (aim - lower) ** 2
    if miss_lower < miss_higher:
        knob = knob - nudge
    if miss_lower > miss_higher:
        knob = knob + nudge
'''
    reading = read_numpy(source)
    algebra_lines = reading.program.algebra().splitlines()
    assert algebra_lines[-2:] == ["W0 = W0 - n ⊙ relu'(h1 - o1)", "W0 = W0 + n ⊙ relu'(o1 - h1)"]
    assert any("the update is gated" in n for n in reading.notes())
    for signal, knob, nudge, aim in [(0.5, 0.5, 0.001, 0.8), (1.0, 0.9, 0.01, 0.2),
                                     (2.0, 0.3, 0.1, 0.6)]:
        namespace = {"signal": signal, "knob": knob, "nudge": nudge, "aim": aim}
        exec(source.replace("range(50)", "range(1)"), namespace)
        names = {k: algebra(n) for k, n in reading.legend.by_key.items()}
        inputs = {names[k]: v for k, v in (("signal", signal), ("knob", knob),
                                           ("nudge", nudge), ("aim", aim))}
        assert float(evaluate(reading.program, inputs)[names["knob"]]) == namespace["knob"]


def test_a_condition_that_is_not_a_comparison_still_refuses_the_update():
    with pytest.raises(NotationError, match="an update inside an if statement"):
        read_numpy("for t in range(3):\n    h = x.dot(w)\n    if ready:\n        w -= h\n")


def test_chapter_8s_step_is_named_as_the_difference_from_relu_prime():
    # relu2deriv written as output >= 0 (chapter 8), with the dropout that omits the 2
    source = MINUS.replace("return output > 0", "return output >= 0").replace(
        "        layer_2 = np.dot(layer_1, weights_1_2)",
        "        mask = np.random.randint(2, size=layer_1.shape)\n        layer_1 *= mask * 2\n"
        "        layer_2 = np.dot(layer_1, weights_1_2)").replace(
        "* relu2deriv(layer_1)", "* relu2deriv(layer_1)\n        layer_1_delta *= mask")
    reading = read_numpy(source)
    assert "step(l1)" in reading.program.algebra()
    forward = parse("l1 = relu(l0W0)\nl1 = l1 ⊙ M1 2\nl2 = l1W1")
    result = compare(forward.backward(), reading.program)
    assert not result.equivalent
    report = result.report()
    assert "W1: the same update" in report
    assert ("W0: view 2 uses step (x >= 0), which is 1 where relu's output is 0 and relu' is "
            "0; with relu' for step, its update is half of view 1's") in report


# ------------------------------------------------- beyond the book: other authors' styles

UNPACKED = '''
def train_step(model, X, y, lr):
    W1, b1, W2, b2 = model['W1'], model['b1'], model['W2'], model['b2']
    h = np.tanh(X.dot(W1) + b1)
    out = h.dot(W2) + b2
    d_out = out - y
    d_h = d_out.dot(W2.T) * (1 - h ** 2)
    W2 -= lr * h.T.dot(d_out)
    W1 -= lr * X.T.dot(d_h)
'''


def test_parameters_unpacked_from_a_dict_read_and_compute_what_python_does():
    reading = read_numpy(UNPACKED)
    assert reading.program.algebra() == "\n".join([
        "h = tanh(XW1 + b1)", "l1 = hW2 + b2", "d_{out} = l1 - y",
        "d_{h} = d_{out}W2ᵀ ⊙ tanh'(h)", "W2 -= αhᵀd_{out}", "W1 -= αXᵀd_{h}"])
    assert any(s.why.startswith("unpacks the parameters: W1, b1, W2, b2 stand for model['W1']")
               for s in reading.skipped)
    rng = np.random.default_rng(3)
    model = {"W1": rng.normal(size=(3, 5)), "b1": rng.normal(size=(1, 5)),
             "W2": rng.normal(size=(5, 2)), "b2": rng.normal(size=(1, 2))}
    X, y = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    inputs = {"X": X, "y": y, "α": 0.1, **{k: v.copy() for k, v in model.items()}}
    ours = evaluate(reading.program, inputs)
    namespace = {"np": np}
    exec(UNPACKED, namespace)
    namespace["train_step"](model, X, y, 0.1)
    for k in ("W1", "W2"):
        np.testing.assert_allclose(ours[k], model[k], rtol=1e-12)


def test_parameters_unpacked_from_a_list():
    reading = read_numpy("W1, b1, W2, b2 = params\nh = np.tanh(X.dot(W1) + b1)\n"
                         "out = h.dot(W2) + b2\n")
    assert reading.program.algebra() == "h = tanh(XW1 + b1)\nl1 = hW2 + b2"
    assert "stand for the items of params" in reading.skipped[0].why


def test_a_swap_is_not_taken_for_unpacked_parameters():
    with pytest.raises(NotationError):
        read_numpy("h = x.dot(W1)\nW1, W2 = W2, h\n")


def test_a_network_as_a_class_with_forward_and_backward_methods():
    source = '''
class MLP:
    def __init__(self, n_in, n_hidden):
        self.W1 = np.random.randn(n_in, n_hidden)
        self.W2 = np.random.randn(n_hidden, 1)
    def forward(self, X):
        self.z1 = X.dot(self.W1)
        self.a1 = relu(self.z1)
        self.out = self.a1.dot(self.W2)
        return self.out
    def backward(self, X, y, lr):
        d_out = self.out - y
        d_a1 = d_out.dot(self.W2.T) * (self.z1 > 0)
        self.W2 -= lr * self.a1.T.dot(d_out)
        self.W1 -= lr * X.T.dot(d_a1)
'''
    reading = read_numpy(source)
    assert reading.program.algebra() == "\n".join([
        "z1 = XW1", "a1 = relu(z1)", "l2 = a1W2", "d_{out} = l2 - y",
        "d_{a1} = d_{out}W2ᵀ ⊙ relu'(z1)", "W2 -= αa1ᵀd_{out}", "W1 -= αXᵀd_{a1}"])
    forward = parse("z1 = XW1\na1 = relu(z1)\nl2 = a1W2")
    assert compare(forward.backward(), reading.program).equivalent


def test_a_loop_file_against_backward_from_the_cli(tmp_path, capsys):
    # Done-when of issue 14: compare of a loop as printed with `notation backward` of its
    # forward pass, with the matching option (the book's δ = y - l with +=)
    from notation.cli import main
    path = tmp_path / "loop.py"
    path.write_text(PLUS)
    assert main(["backward", "l1 = relu(l0W0)\nl2 = l1W1", "--delta", "y-l"]) == 0
    step = capsys.readouterr().out
    assert main(["compare", str(path), step]) == 0
    assert capsys.readouterr().out.startswith("equivalent")
    assert main(["compare", str(path), FORWARD.backward().algebra()]) == 1
    assert "δ2: view 2's delta is the negative of view 1's" in capsys.readouterr().out


def test_a_sum_of_products_adds_to_what_was_there_unless_it_was_zero():
    started = read_numpy("out = 5\nfor i in range(len(a)):\n    out += a[i] * b[i]\n")
    assert started.program.algebra().splitlines()[-1] == "W0 += a bᵀ"
    a, b = np.array([[1.0, 2.0, 3.0]]), np.array([[0.5, -1.0, 2.0]])
    ours = evaluate(started.program, {"a": a, "b": b})
    assert float(np.ravel(ours["W0"])[0]) == 5 + float((a @ b.T)[0, 0])
    zeroed = read_numpy("out = 0\nfor i in range(len(a)):\n    out += a[i] * b[i]\n")
    assert zeroed.program.algebra() == "l1 = a bᵀ"


def test_a_loop_over_some_elements_is_not_made_one_statement():
    # range(2) of longer lists changes only two elements: not the whole-array update
    reading = read_numpy("for i in range(2):\n    w[i] -= g[i]\n")
    assert "range(2)" in " ".join(s.text for s in reading.skipped)   # the loop repeats it
    assert not reading.notes_ and all("put in place" not in h for h in reading.helpers)
