"""Shape errors (SPEC §6): reported once, at the operator that fails, naming both operands,
their shapes and where each came from, and the rule broken.

The mutation suite takes valid networks whose every input and layer is declared, perturbs
each declared dimension in turn, and checks that inference reports the perturbation at the
operator where an independent checker — a plain forward pass over concrete shapes, written
here from the rules of SPEC §2 — first finds shapes that do not fit.
"""

import re

import pytest

from notation import NotationShapeError, parse
from notation.nodes import (Assign, Call, Declare, ExprStatement, MatMul, Name, Negate, Number,
                            Transpose, Update)
from notation.shapes import infer, options

# ---------------------------------------------------------------------------- full texts

def test_the_spec_example():
    program = parse("l2 = relu(l0W0)W1\nW1 : 5×1")
    with pytest.raises(NotationShapeError) as info:
        infer(program, options(sizes="3,4,1"))
    assert str(info.value) == (
        "error: shape mismatch in the product l1W1\n"
        "  --> line 1, column 16\n"
        "   |\n"
        " 1 | l2 = relu(l0W0)W1\n"
        "   |      ^^^^^^^^^^ this is 1×4 (layer 1: from --sizes)\n"
        "   |                ^^ W1 is 5×1 (declared at line 2)\n"
        "   = the columns of the left side (4) must equal the rows of the right side (5)")
    assert info.value.node is program.statements[0].value


def test_an_elementwise_error_in_full():
    program = parse("l0 : 100×784\nM : 100×40\nl1 = relu(l0W0) ⊙ M", )
    with pytest.raises(NotationShapeError) as info:
        infer(program, options(dims="l1=100x41"))
    assert str(info.value) == (
        "error: shape mismatch in the elementwise product relu(l0W0) ⊙ M\n"
        "  --> line 3, column 19\n"
        "   |\n"
        " 3 | l1 = relu(l0W0) ⊙ M\n"
        "   |      ^^^^^^^^^^ this is 100×41 (100: declared at line 1; 41: from --dims)\n"
        "   |                   ^ M is 100×40 (declared at line 2)\n"
        "   = the columns of both sides must be equal (41 and 40); only a 1×n row or a scalar "
        "broadcasts")


def test_an_assignment_error_in_full():
    with pytest.raises(NotationShapeError) as info:
        infer(parse("l1 = l0W0"), options(sizes="3,4", dims="W0=3x5"))
    assert str(info.value) == (
        "error: shape mismatch in the assignment to l1\n"
        "  --> line 1, column 6\n"
        "   |\n"
        " 1 | l1 = l0W0\n"
        "   | ^^ l1 is 1×4 (from --sizes)\n"
        "   |      ^^^^ this is 1×5 (1: from --sizes; 5: from --dims)\n"
        "   = l1 has one shape in the whole program, so the value must be 1×4 or l1 must be 1×5")


def test_an_update_error_in_full():
    with pytest.raises(NotationShapeError) as info:
        infer(parse("W1 -= αl1ᵀδ2"), options(sizes="3,4,2", dims="W1=4x1"))
    assert str(info.value) == (
        "error: shape mismatch in the update of W1\n"
        "  --> line 1, column 7\n"
        "   |\n"
        " 1 | W1 -= αl1ᵀδ2\n"
        "   | ^^ W1 is 4×1 (from --dims)\n"
        "   |       ^^^^^^ this is 4×2 (from --sizes)\n"
        "   = the value must have the shape of W1, 4×1, or be a 1×n row or a scalar that "
        "broadcasts to it")


def test_errors_through_the_public_api_carry_the_source():
    with pytest.raises(NotationShapeError) as info:
        parse("l2 = relu(l0W0)W1\nW1 : 5×1").plan(sizes="3,4,1")
    assert info.value.line == 1 and info.value.column == 16


# ---------------------------------------------------------------------------- the networks

NETWORKS = {
    "book 3-4-1, chained": """
        l0 : 1×3
        W0 : 3×4
        W1 : 4×1
        l2 : 1×1
        l2 = relu(l0W0)W1""",
    "book 3-4-1, two layers": """
        l0 : 1×3
        W0 : 3×4
        W1 : 4×1
        l1 : 1×4
        l2 : 1×1
        l1 = relu(l0W0)
        l2 = l1W1""",
    "book training step": """
        l0 : 1×3
        y : 1×1
        W0 : 3×4
        W1 : 4×1
        l1 : 1×4
        l2 : 1×1
        l1 = relu(l0W0)
        l2 = l1W1
        δ2 = l2 - y
        δ1 = δ2W1ᵀ ⊙ relu'(l1)
        W1 -= αl1ᵀδ2
        W0 -= αl0ᵀδ1""",
    "mnist 784-40-10": """
        l0 : 1×784
        W0 : 784×40
        W1 : 40×10
        l1 : 1×40
        l2 : 1×10
        l1 = relu(l0W0)
        l2 = l1W1""",
    "mnist batch-100 dropout, forward": """
        l0 : 100×784
        W0 : 784×100
        W1 : 100×10
        M : 100×100
        l1 : 100×100
        l2 : 100×10
        l1 = relu(l0W0) ⊙ M ⊙ 2
        l2 = l1W1""",
    "mnist batch-100 dropout, training": """
        l0 : 100×784
        y : 100×10
        W0 : 784×100
        W1 : 100×10
        M : 100×100
        l1 : 100×100
        l2 : 100×10
        l1 = relu(l0W0) ⊙ M ⊙ 2
        l2 = l1W1
        δ2 = (y - l2) / 100
        δ1 = δ2W1ᵀ ⊙ relu'(l1) ⊙ M
        W1 += αl1ᵀδ2
        W0 += αl0ᵀδ1""",
    "softmax classifier, symbolic batch": """
        l0 : b×784
        W0 : 784×100
        W1 : 100×10
        l1 : b×100
        l2 : b×10
        l1 = tanh(l0W0)
        l2 = softmax(l1W1)""",
    "softmax classifier, tanh and dropout, training": """
        l0 : b×784
        y : b×10
        M : b×100
        W0 : 784×100
        W1 : 100×10
        l1 : b×100
        l2 : b×10
        l1 = tanh(l0W0) ⊙ M ⊙ 2
        l2 = softmax(l1W1)
        δ2 = y - l2
        δ1 = δ2W1ᵀ ⊙ tanh'(l1) ⊙ M
        W1 += αl1ᵀδ2
        W0 += αl0ᵀδ1""",
    "biases, forward": """
        l0 : 1×3
        W0 : 3×4
        b0 : 1×4
        W1 : 4×2
        b1 : 1×2
        l1 : 1×4
        l2 : 1×2
        l1 = relu(l0W0 + b0)
        l2 = sigmoid(l1W1 + b1)""",
    "biases, batch training": """
        l0 : 32×10
        y : 32×1
        W0 : 10×16
        b0 : 1×16
        W1 : 16×1
        b1 : 1×1
        l1 : 32×16
        l2 : 32×1
        l1 = relu(l0W0 + b0)
        l2 = l1W1 + b1
        δ2 = l2 - y
        δ1 = δ2W1ᵀ ⊙ relu'(l1)
        W1 -= αl1ᵀδ2
        b1 -= αbatchsum(δ2)
        W0 -= αl0ᵀδ1
        b0 -= αbatchsum(δ1)""",
    "three hidden layers": """
        l0 : 64×784
        W0 : 784×128
        W1 : 128×64
        W2 : 64×10
        l1 : 64×128
        l2 : 64×64
        l3 : 64×10
        l1 = relu(l0W0)
        l2 = relu(l1W1)
        l3 = softmax(l2W2)""",
    "a chain of linear maps": """
        l0 : 5×20
        W0 : 20×30
        W1 : 30×8
        W2 : 8×40
        l3 : 5×40
        l3 = l0W0W1W2""",
    "autoencoder": """
        l0 : 16×784
        W0 : 784×32
        W1 : 32×784
        l2 : 16×784
        l2 = sigmoid(relu(l0W0)W1)""",
    "transposed weights and a bias": """
        x : 8×3
        W : 4×3
        c : 1×4
        h : 8×4
        h = xWᵀ + c""",
    "elementwise mix": """
        l0 : 2×3
        W0 : 3×5
        M : 2×5
        l1 : 2×5
        l1 = (l0W0) / 2 + l0W0 ⊙ M""",
    "tanh training step": """
        l0 : 1×4
        y : 1×2
        W0 : 4×6
        W1 : 6×2
        l1 : 1×6
        l2 : 1×2
        l1 = tanh(l0W0)
        l2 = l1W1
        δ2 = l2 - y
        δ1 = δ2W1ᵀ ⊙ tanh'(l1)
        W1 -= αl1ᵀδ2
        W0 -= αl0ᵀδ1""",
    "residual": """
        l0 : 3×4
        W0 : 4×4
        W1 : 4×4
        l1 : 3×4
        l2 : 3×4
        l1 = relu(l0W0)
        l2 = relu(l1W1) + l1""",
    "embedding": """
        l0 : 1×1000
        E : 1000×32
        W1 : 32×1
        l1 : 1×32
        l2 : 1×1
        l1 = sigmoid(l0E)
        l2 = sigmoid(l1W1)""",
    "sigmoid training, symbolic": """
        l0 : b×n_in
        y : b×1
        W0 : n_in×h
        b0 : 1×h
        W1 : h×1
        l1 : b×h
        l2 : b×1
        l1 = sigmoid(l0W0 + b0)
        l2 = sigmoid(l1W1)
        δ2 = l2 - y
        δ1 = δ2W1ᵀ ⊙ sigmoid'(l1)
        W1 -= αl1ᵀδ2
        W0 -= αl0ᵀδ1
        b0 -= αbatchsum(δ1)""",
    "two heads": """
        l1 : 4×6
        A : 6×3
        B : 6×3
        p : 4×3
        q : 4×3
        s : 4×3
        p = l1A
        q = l1B
        s = p ⊙ q - (p + q) / 2""",
    "weight decay": """
        l0 : 1×3
        W0 : 3×2
        l1 : 1×2
        y : 1×2
        l1 = l0W0
        δ1 = l1 - y
        W0 -= α(l0ᵀδ1 + λW0)""",
    "softmax cross-entropy with biases, batch 100": """
        l0 : 100×784
        y : 100×10
        W0 : 784×40
        b0 : 1×40
        W1 : 40×10
        b1 : 1×10
        l1 : 100×40
        l2 : 100×10
        l1 = relu(l0W0 + b0)
        l2 = softmax(l1W1 + b1)
        δ2 = (l2 - y) / 100
        δ1 = δ2W1ᵀ ⊙ relu'(l1)
        W1 -= αl1ᵀδ2
        b1 -= αbatchsum(δ2)
        W0 -= αl0ᵀδ1
        b0 -= αbatchsum(δ1)""",
}


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.strip().splitlines()]


# ---------------------------------------------------------------------------- the checker

class Misfit(Exception):
    """Raised by the checker at the first operator whose operands do not fit."""

    def __init__(self, node, left, right):
        super().__init__()
        self.node, self.left, self.right = node, left, right


def forward_check(program, convention: bool = True):
    """Run the program over concrete shapes, in order; raise Misfit where shapes do not fit.

    Shapes are (rows, cols) of ints and symbol strings, or None for a scalar. Written from
    SPEC §2 alone: products need cols = rows; elementwise operations need equal columns and
    equal rows unless one side has one row; a scalar fits anything; an assignment fixes a
    name's shape; an update must fit its target; δk has the shape of lk (the convention).
    """
    env = {}
    for s in program.statements:
        if isinstance(s, Declare):
            env[s.target] = None if not s.dims else tuple(
                d if isinstance(d, int) else d.letter + (f"_{d.sub}" if d.sub else "")
                for d in s.dims)

    def shape_of_name(name):
        if name in env:
            return env[name]
        assert name.letter not in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", \
            f"{name} is read but not declared: the networks declare every input"
        return None                                        # Greek: a scalar

    def value(node):
        t = type(node)
        if t is Name:
            return shape_of_name(node)
        if t is Number:
            return None
        if t is Transpose:
            x = value(node.operand)
            return None if x is None else (x[1], x[0])
        if t is Negate:
            return value(node.operand)
        if t is Call:
            x = value(node.arg)
            if x is not None and node.func == "batchsum" and not node.derivative:
                return (1, x[1])
            if x is not None and node.func == "sum" and not node.derivative:
                return (x[0], 1)          # (the networks here never broadcast its column)
            return x
        left, right = value(node.left), value(node.right)
        if left is None or right is None:
            return right if left is None else left
        if t is MatMul:
            if left[1] != right[0]:
                raise Misfit(node, left, right)
            return (left[0], right[1])
        if left[1] != right[1]:
            raise Misfit(node, left, right)
        if left[0] == right[0] or right[0] == 1:
            return left
        if left[0] == 1:
            return right
        raise Misfit(node, left, right)

    for s in program.statements:
        if isinstance(s, Declare):
            continue
        if isinstance(s, ExprStatement):
            value(s.expr)
            continue
        v = value(s.value)
        target = s.target
        known = env.get(target, "unknown")
        if isinstance(s, Assign):
            if known == "unknown" and convention and target.letter == "δ" \
                    and Name("l", target.sub) in env:
                known = env[Name("l", target.sub)]
            if known != "unknown" and known != v:
                raise Misfit(s, known, v)
            env[target] = v
        else:
            if v is None:
                continue
            if known is None or known == "unknown" or known[1] != v[1] \
                    or (known[0] != v[0] and v[0] != 1):
                raise Misfit(s, known, v)


def shape_text(shape) -> str:
    return "×".join(str(d) for d in shape)


# ---------------------------------------------------------------------------- perturbations

def perturbations(name: str):
    """(label, program text) for every declared dimension, changed: n -> n + 1; a symbol -> q."""
    lines = lines_of(NETWORKS[name])
    for i, line in enumerate(lines):
        m = re.fullmatch(r"(\S+) : (\S+)×(\S+)", line)
        if not m:
            continue
        for axis in (0, 1):
            dims = [m.group(2), m.group(3)]
            d = dims[axis]
            dims[axis] = str(int(d) + 1) if d.isdigit() else "q"
            changed = lines[:i] + [f"{m.group(1)} : {dims[0]}×{dims[1]}"] + lines[i + 1:]
            yield f"{m.group(1)}[{axis}]={dims[axis]}", "\n".join(changed)


CASES = [(net, label, text) for net in NETWORKS for label, text in perturbations(net)]


def test_the_suite_is_large_enough():
    assert len(NETWORKS) >= 20
    assert len(CASES) >= 200


@pytest.mark.parametrize("convention", [True, False])
@pytest.mark.parametrize("name", list(NETWORKS))
def test_every_network_passes_unperturbed(name, convention):
    program = parse("\n".join(lines_of(NETWORKS[name])))
    forward_check(program, convention)
    infer(program, convention=convention)
    parse("\n".join(lines_of(NETWORKS[name]))).plan(convention=convention)


@pytest.mark.parametrize("convention", [True, False])
@pytest.mark.parametrize("name, label, text", CASES, ids=[f"{n}: {l}" for n, l, _ in CASES])
def test_every_perturbation_is_reported_at_the_operator_that_fails(name, label, text, convention):
    program = parse(text)
    with pytest.raises(Misfit) as expected:
        forward_check(program, convention)
    with pytest.raises(NotationShapeError) as info:
        infer(program, convention=convention)
    e, misfit = info.value, expected.value
    assert e.node is misfit.node, f"reported at {e.message!r}"
    # both operands are named, with the shapes they have there and where those came from
    node = misfit.node
    left, right = (node.target, node.value) if isinstance(node, (Assign, Update)) \
        else (node.left, node.right)
    assert e.span == right.span
    assert [label.span for label in e.labels] == [left.span]
    rendered = str(e)
    for shape in (misfit.left, misfit.right):
        if shape not in (None, "unknown"):
            assert f" is {shape_text(shape)} (" in rendered
    assert rendered.count("declared at line") >= 1
    assert e.hint
