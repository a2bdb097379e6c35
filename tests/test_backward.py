"""The backward pass (SPEC §5): exact book output, and gradients checked by finite differences.

For each architecture the derived program is run once on random arrays; since every update
is ``P -= α·grad``, ``(P_before - P_after) / α`` is the gradient the derivation claims.
It must match central differences of the loss to 1e-6 relative:

- mse: L = ½ Σ (l_out - y)², whose derivative at the output is l_out - y;
- cross-entropy with softmax: L = -Σ y log softmax(z), rows of y summing to one;
- cross-entropy with sigmoid: L = -Σ [y log σ(z) + (1 - y) log(1 - σ(z))].
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notation import NotationError, parse
from notation.evaluate import evaluate
from notation.layers import all_names
from notation.nodes import Name
from .tools import examples

# --------------------------------------------------------------------------- the book's output

BOOK_NUMPY = [
    "layer_1 = relu(layer_0.dot(weights_0_1))",
    "layer_2 = layer_1.dot(weights_1_2)",
    "layer_2_delta = layer_2 - y",
    "layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1)",
    "weights_1_2 -= alpha * layer_1.T.dot(layer_2_delta)",
    "weights_0_1 -= alpha * layer_0.T.dot(layer_1_delta)",
]


def test_book_algebra():
    assert parse("l2 = relu(l0W0)W1").backward(loss="mse").algebra().splitlines() == [
        "l1 = relu(l0W0)", "l2 = l1W1", "δ2 = l2 - y", "δ1 = δ2W1ᵀ ⊙ relu'(l1)",
        "W1 -= αl1ᵀδ2", "W0 -= αl0ᵀδ1"]


def test_book_numpy():
    derived = parse("l2 = relu(l0W0)W1").backward(loss="mse")
    assert derived.numpy().splitlines() == BOOK_NUMPY


def test_the_derived_program_is_an_ordinary_program():
    derived = parse("l2 = relu(l0W0)W1").backward()
    assert parse(derived.algebra()) == derived
    assert parse(derived.latex()) == derived
    text = derived.source
    for stmt in derived.statements:
        assert text[stmt.span.start:stmt.span.end]  # spans point into its own text


# --------------------------------------------------------------------------- architectures

# (forward program, loss, {name: shape}, params or None); b = batch
B = 3
ARCHITECTURES = [
    ("l2 = relu(l0W0)W1", "mse", {"l0": (1, 3), "W0": (3, 4), "W1": (4, 1), "y": (1, 1)}, None),
    ("l2 = relu(l0W0)W1", "mse", {"l0": (B, 3), "W0": (3, 4), "W1": (4, 1), "y": (B, 1)}, None),
    ("l1 = l0W0", "mse", {"l0": (B, 5), "W0": (5, 2), "y": (B, 2)}, None),
    ("l1 = σ(l0W0)", "mse", {"l0": (B, 3), "W0": (3, 2), "y": (B, 2)}, None),
    ("l1 = tanh(l0W0)", "mse", {"l0": (B, 3), "W0": (3, 2), "y": (B, 2)}, None),
    ("l2 = σ(l0W0)W1", "mse", {"l0": (B, 3), "W0": (3, 4), "W1": (4, 2), "y": (B, 2)}, None),
    ("l2 = tanh(l0W0)W1", "mse", {"l0": (B, 3), "W0": (3, 4), "W1": (4, 2), "y": (B, 2)}, None),
    ("l3 = relu(tanh(l0W0)W1)W2", "mse",
     {"l0": (B, 3), "W0": (3, 5), "W1": (5, 4), "W2": (4, 2), "y": (B, 2)}, None),
    ("l4 = σ(relu(tanh(l0W0)W1)W2)W3", "mse",
     {"l0": (B, 3), "W0": (3, 5), "W1": (5, 4), "W2": (4, 3), "W3": (3, 2), "y": (B, 2)}, None),
    ("l1 = relu(l0W0 + b0); l2 = l1W1 + b1", "mse",
     {"l0": (B, 3), "W0": (3, 4), "b0": (1, 4), "W1": (4, 2), "b1": (1, 2), "y": (B, 2)}, None),
    ("l1 = relu(l0W0 + b0); l2 = l1W1 + b1", "mse",
     {"l0": (1, 3), "W0": (3, 4), "b0": (1, 4), "W1": (4, 2), "b1": (1, 2), "y": (1, 2)}, None),
    ("l2 = softmax(tanh(l0W0)W1)", "cross_entropy",
     {"l0": (B, 4), "W0": (4, 5), "W1": (5, 3), "y": ("onehot", 3)}, None),
    ("l1 = relu(l0W0 + b0); l2 = softmax(l1W1 + b1)", "cross_entropy",
     {"l0": (B, 4), "W0": (4, 5), "b0": (1, 5), "W1": (5, 3), "b1": (1, 3), "y": ("onehot", 3)}, None),
    ("l2 = σ(relu(l0W0)W1)", "cross_entropy",
     {"l0": (B, 3), "W0": (3, 4), "W1": (4, 1), "y": ("binary", 1)}, None),
    ("l1 = relu(l0W0) ⊙ M1; l2 = l1W1", "mse",
     {"l0": (B, 3), "W0": (3, 4), "M1": ("mask", 4), "W1": (4, 2), "y": (B, 2)}, None),
    ("l1 = tanh(l0W0) ⊙ M1; l2 = softmax(l1W1)", "cross_entropy",
     {"l0": (B, 3), "W0": (3, 6), "M1": ("mask", 6), "W1": (6, 3), "y": ("onehot", 3)}, None),
    ("l2 = relu(l0W0)W1 + l0V", "mse",
     {"l0": (B, 3), "W0": (3, 4), "W1": (4, 2), "V": (3, 2), "y": (B, 2)}, ["W", "V"]),
    ("l1 = l0E; l2 = relu(l1W1)", "mse",
     {"l0": (B, 6), "E": (6, 4), "W1": (4, 2), "y": (B, 2)}, ["E", "W"]),
    ("l2 = 0.5 relu(l0W0)W1", "mse", {"l0": (B, 3), "W0": (3, 4), "W1": (4, 2), "y": (B, 2)}, None),
    ("l1 = relu(l0W0); l2 = l1W1 - l1W2", "mse",
     {"l0": (B, 3), "W0": (3, 4), "W1": (4, 2), "W2": (4, 2), "y": (B, 2)}, None),
    ("l1 = relu(l0W0); l2 = (l1 ⊙ l1)W1", "mse",
     {"l0": (B, 3), "W0": (3, 4), "W1": (4, 2), "y": (B, 2)}, None),
    ("l2 = (relu(l0W0) / 2)W1ᵀ", "mse",
     {"l0": (B, 3), "W0": (3, 4), "W1": (2, 4), "y": (B, 2)}, None),
    ("l2 = exp(-(l0W0))W1", "mse", {"l0": (B, 3), "W0": (3, 4), "W1": (4, 2), "y": (B, 2)}, None),
]


def _inputs(shapes, rng):
    """Random arrays of the given shapes; targets and masks of the kinds the losses expect."""
    rows = shapes["l0"][0]
    values = {}
    for name, shape in shapes.items():
        kind, size = shape
        if kind == "onehot":
            values[name] = np.eye(size)[rng.integers(0, size, size=rows)]
        elif kind == "binary":
            values[name] = rng.integers(0, 2, size=(rows, size)).astype(float)
        elif kind == "mask":
            values[name] = rng.integers(0, 2, size=(rows, size)) * 2.0   # the book's mask * 2
        else:
            values[name] = rng.uniform(-1, 1, size=shape)
    return values


def _loss(program_text, loss, values):
    out = evaluate(parse(program_text), values)
    last = parse(program_text).statements[-1].target
    l_out = out[_key(last)]
    y = values["y"]
    if loss == "mse":
        return 0.5 * np.sum((l_out - y) ** 2)
    if parse(program_text).statements[-1].value.func == "softmax":
        return -np.sum(y * np.log(l_out))
    return -np.sum(y * np.log(l_out) + (1 - y) * np.log(1 - l_out))


def _key(name: Name) -> str:
    from notation.emit.algebra import algebra
    return algebra(name)


@pytest.mark.parametrize("forward, loss, shapes, params", ARCHITECTURES)
def test_gradients_match_central_differences(forward, loss, shapes, params):
    rng = np.random.default_rng(abs(hash(forward)) % 2**32)
    values = _inputs(shapes, rng)
    values["α"] = 1.0
    derived = parse(forward).backward(loss=loss, params=params)
    before = {k: v.copy() for k, v in values.items() if isinstance(v, np.ndarray)}
    after = evaluate(derived, {k: (v.copy() if isinstance(v, np.ndarray) else v)
                               for k, v in values.items()})
    trained = [s.target for s in derived.statements if type(s).__name__ == "Update"]
    assert trained, derived.algebra()
    eps = 1e-6
    for name in trained:
        key = _key(name)
        claimed = before[key] - after[key]      # α = 1
        numeric = np.zeros_like(before[key])
        for idx in np.ndindex(*before[key].shape):
            plus = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in before.items()}
            minus = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in before.items()}
            plus[key][idx] += eps
            minus[key][idx] -= eps
            numeric[idx] = (_loss(forward, loss, plus) - _loss(forward, loss, minus)) / (2 * eps)
        scale = max(np.max(np.abs(numeric)), 1e-3)
        assert np.max(np.abs(claimed - numeric)) / scale < 1e-6, (key, derived.algebra())


def test_there_are_at_least_twenty_architectures():
    assert len(ARCHITECTURES) >= 20


@pytest.mark.parametrize("forward, loss, hint", [
    ("l2 = softmax(l1W1)", "mse", "cross_entropy"),
    ("l2 = relu(l1W1)", "cross_entropy", "softmax or sigmoid"),
    ("l2 = relu(l0W0)W1; W0 -= x", "mse", "forward pass"),
    ("l2 = l1 l0", "mse", "nothing to train"),
    ("l1 = softmax(l0W0); l2 = l1W1", "mse", "softmax"),
    ("l2 = relu'(l0W0)", "mse", "derivative"),
    ("y = l0W0", "mse", "target"),
])
def test_what_backward_refuses(forward, loss, hint):
    with pytest.raises(NotationError) as caught:
        parse(forward).backward(loss=loss)
    assert hint in str(caught.value)


@st.composite
def networks(draw):
    """A random chain l0 -> … -> l_n with activations, biases and one loss."""
    depth = draw(st.integers(1, 4))
    rows = draw(st.integers(1, 3))
    units = draw(st.lists(st.integers(1, 4), min_size=depth + 1, max_size=depth + 1))
    loss = draw(st.sampled_from(["mse", "cross_entropy"]))
    shapes = {"l0": (rows, units[0])}
    lines = []
    for k in range(depth):
        shapes[f"W{k}"] = (units[k], units[k + 1])
        pre = f"l{k}W{k}"
        if draw(st.booleans()):
            shapes[f"b{k}"] = (1, units[k + 1])
            pre += f" + b{k}"
        last = k == depth - 1
        if last and loss == "cross_entropy":
            act = draw(st.sampled_from(["softmax", "sigmoid"]))
        else:
            act = draw(st.sampled_from(["relu", "sigmoid", "tanh", None]))
        lines.append(f"l{k + 1} = {act}({pre})" if act else f"l{k + 1} = {pre}")
    out = units[-1]
    if loss == "mse":
        shapes["y"] = (rows, out)
    elif lines[-1].split("= ")[1].startswith("softmax"):
        shapes["y"] = ("onehot", out)
    else:
        shapes["y"] = ("binary", out)
    return "; ".join(lines), loss, shapes


@settings(max_examples=examples(25), deadline=None, suppress_health_check=list(HealthCheck))
@given(networks())
def test_generated_networks_match_central_differences(network):
    forward, loss, shapes = network
    test_gradients_match_central_differences(forward, loss, shapes, None)


@pytest.mark.parametrize("forward, target, line, message", [
    ("l1 = relu(l0W0)\nl2 = l1W1", "W1", 2, "the target W1 is a parameter the step trains"),
    ("l1 = relu(l0W0)\ny = l1W1", "y", 2, "the target y is assigned by the forward pass"),
    ("l1 = relu(l0W0)\nl2 = l1W1", "l1", 1, "the target l1 is assigned by the forward pass"),
])
def test_a_target_that_is_a_parameter_or_assigned_is_refused_at_its_statement(
        forward, target, line, message):
    with pytest.raises(NotationError) as caught:
        parse(forward).backward(target=target)
    text = str(caught.value)
    assert message in text and f"--> line {line}, column 1" in text


@pytest.mark.parametrize("forward, shown, hint", [
    # rows and units that differ from the output's
    ("l0 : 8×3\nl1 = relu(l0W0)\nW0 : 3×4\ny : 8×5", "y : 8×5", "l1 is 8×4 in the forward pass"),
    ("l0 : 8×3\nl1 = relu(l0W0)\nW0 : 3×4\ny : 5×4", "y : 5×4", "l1 is 8×4 in the forward pass"),
    # fuzz seed 1, input 401,029: the output is square (h2ᵀ), so y's n×… cannot fit it
    ("h = -W1 - δ1 − (l2 * l1) / (\\exp(\\exp(δ1)))^{\\top}; A : 4×784; y ∈ ℝ^{784×n}",
     "y ∈ ℝ^{784×n}", "declare y with that shape"),
])
def test_a_target_of_another_shape_is_refused_at_its_declaration(forward, shown, hint):
    # The derived step's shape check found these at δ = l - y, in a text the user never
    # wrote ("--> line 6 … δ_{h} = h - y", "h is n×n (declared at line 2)").
    with pytest.raises(NotationError) as caught:
        parse(forward).backward(loss="mse")
    e = caught.value
    assert e.message.startswith("the target y cannot have the shape of the output")
    assert e.source == forward and forward[e.span.start:e.span.end] == shown
    assert hint in e.hint


def test_a_parameter_the_forward_pass_reassigns_is_refused():
    with pytest.raises(NotationError, match="assigns W0, which it also reads"):
        parse("l1 = l0W0\nW0 = 2W0\nl2 = l1W0").backward()


@pytest.mark.parametrize("forward, update", [
    # sums over the batch decided by the shapes, whatever the letter
    ("l0 : 8×3\nl1 = relu(l0W0 + 2b0)", "b0 -= α 2batchsum(δ1)"),
    ("l0 : 8×3\ng0 : 1×4\nl1 = relu(l0W0 + g0)", "g0 -= αbatchsum(δ1)"),
    ("l0 : 8×3\nb0 : 8×4\nl1 = relu(l0W0 + b0)", "b0 -= αδ1"),
])
def test_batch_sums_follow_the_shapes(forward, update):
    step = parse(forward).backward(params=["W", "b", "g"])
    assert step.algebra().splitlines()[-1] == update


def test_a_reassigned_name_is_derived_per_assignment_and_prints_readably():
    step = parse("l1 = σ(l0W0)\nl1 = l1 ⊙ M1 2\nl2 = l1W1").backward()
    assert step.algebra().splitlines()[:3] == ["h1 = sigmoid(l0W0)", "l1 = h1 ⊙ M1 2",
                                               "l2 = l1W1"]
    assert "δ_{h1} = δ1 ⊙ M1 2 ⊙ sigmoid'(h1)" in step.algebra()


def test_mean_divides_the_output_delta_by_the_batch_size():
    step = parse("l2 = relu(l0W0)W1").backward(mean=True, delta="y-l")
    assert step.algebra().splitlines()[:4] == ["n : scalar", "l1 = relu(l0W0)", "l2 = l1W1",
                                               "δ2 = (y - l2) / n"]
