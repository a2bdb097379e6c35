"""The column-vector convention, --columns (SPEC §2, docs/shapes.md "Column vectors"): a layer
is units × batch, W is outputs × inputs, a bias is a column; inference, the plan, compile,
to_sympy and the diagram follow. NumPy (``W @ x``) is the oracle for the values."""

import sys

import numpy as np
import pytest

from notation import NotationShapeError, parse
from tests.test_cli import run

COLUMN_MLP = "h1 = σ(W1 x + b1); h2 = σ(W2 h1 + b2); y = W3 h2 + b3"
ROW_MLP = "l1 = σ(l0W0 + b0); l2 = σ(l1W1 + b1); l3 = l2W2 + b2"
SIZES = "784,128,64,10"


def shapes(plan) -> dict[str, str]:
    from notation.emit.algebra import algebra
    return {algebra(n): plan.shapes.text(s) for n, s in plan.shapes.names.items()}


def test_a_declared_column_vector_gives_a_column_bias():
    plan = parse("y = Wx + b; W : 4×3; x : 3×1").plan(columns=True)
    assert shapes(plan)["b"] == "4×1" and shapes(plan)["y"] == "4×1"
    assert plan.parameters == 16
    assert "a bias is one column" in plan.text()


def test_the_column_mnist_mlp_plans_with_the_mnist_figures():
    plan = parse(COLUMN_MLP).plan(sizes=SIZES, columns=True)
    assert plan.parameters == 109_386
    table = shapes(plan)
    assert (table["x"], table["h1"], table["h2"], table["y"]) == ("784×1", "128×1", "64×1", "10×1")
    assert (table["W1"], table["W2"], table["W3"]) == ("128×784", "64×128", "10×64")
    assert (table["b1"], table["b2"], table["b3"]) == ("128×1", "64×1", "10×1")
    rows = parse(ROW_MLP).plan(sizes=SIZES)
    assert (plan.flops, plan.multiply_adds) == (rows.flops, rows.multiply_adds)


def test_batch_is_the_columns_of_every_layer():
    plan = parse(COLUMN_MLP).plan(sizes=SIZES, batch=32, columns=True)
    table = shapes(plan)
    assert (table["x"], table["h1"], table["y"]) == ("784×32", "128×32", "10×32")
    assert table["b1"] == "128×1"
    assert parse(COLUMN_MLP).plan(sizes=SIZES, batch=32, columns=True).parameters == 109_386


def test_the_book_letters_under_columns_have_w_k_outputs_by_inputs():
    plan = parse("l2 = relu(W1 relu(W0 l0))").plan(sizes="3,4,1", columns=True)
    assert shapes(plan)["W0"] == "4×3" and shapes(plan)["W1"] == "1×4"
    assert "the book's convention W0 : n1×n0 (columns)" in plan.text()
    assert shapes(parse("l1 = W0 l0").plan(columns=True))["W0"] == "n1×n0"
    assert shapes(parse("l1 = W0 l0 + b1").plan(columns=True, dims="l0=3,b1=2"))["W0"] == "2×3"


def test_compile_under_columns_computes_what_numpy_does():
    f = parse(COLUMN_MLP).compile(sizes="5,4,3,2", batch=6, columns=True)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((5, 6))
    W1, W2, W3 = (rng.standard_normal(s) for s in ((4, 5), (3, 4), (2, 3)))
    b1, b2, b3 = (rng.standard_normal((n, 1)) for n in (4, 3, 2))
    out = f(x=x, W1=W1, b1=b1, W2=W2, b2=b2, W3=W3, b3=b3)
    sigmoid = lambda z: 1 / (1 + np.exp(-z))
    h1 = sigmoid(W1 @ x + b1)
    h2 = sigmoid(W2 @ h1 + b2)
    np.testing.assert_allclose(out["y"], W3 @ h2 + b3, rtol=1e-12)
    for style in ("book", "matmul"):
        g = parse(COLUMN_MLP).compile(style=style, columns=True)
        np.testing.assert_allclose(g(x=x, W1=W1, b1=b1, W2=W2, b2=b2, W3=W3, b3=b3)["y"],
                                   W3 @ h2 + b3, rtol=1e-12)
    with pytest.raises(NotationShapeError):
        f(x=x.T, W1=W1, b1=b1, W2=W2, b2=b2, W3=W3, b3=b3)


def test_the_views_print_the_tree_in_the_order_written():
    program = parse("h = σ(W x + b)")
    assert program.numpy(naming="plain", style="matmul") == "h = sigmoid(W @ x + b)"
    assert "W.dot(x)" in program.numpy(naming="plain")


def test_a_column_bias_broadcasts_and_a_row_does_not():
    assert shapes(parse("y = h + c; h : 4×9; c : 4×1").plan(columns=True))["y"] == "4×9"
    with pytest.raises(NotationShapeError) as e:
        parse("y = h + c; h : 4×9; c : 1×9").plan(columns=True)
    assert "n×1" in e.value.hint


def test_softmax_is_refused_on_a_column_layer_and_taken_on_a_transposed_one():
    with pytest.raises(NotationShapeError) as e:
        parse("p = softmax(W x)").plan(columns=True)
    assert "softmax(eᵀ)ᵀ" in e.value.hint and e.value.span is not None
    f = parse("p = softmax((W x)ᵀ)ᵀ").compile(columns=True)
    rng = np.random.default_rng(2)
    W, x = rng.standard_normal((3, 4)), rng.standard_normal((4, 5))
    z = W @ x
    expected = np.exp(z) / np.exp(z).sum(axis=0, keepdims=True)
    np.testing.assert_allclose(f(W=W, x=x)["p"], expected, rtol=1e-12)


def test_a_column_program_read_as_rows_names_the_flag():
    with pytest.raises(NotationShapeError) as e:
        parse("h = σ(W x + b)").plan(sizes="3,4")
    assert e.value.hint.startswith("this program reads as column vectors: W is applied from "
                                   "the left of x")
    assert "pass --columns" in e.value.hint
    with pytest.raises(NotationShapeError) as e:
        parse(COLUMN_MLP).plan(sizes=SIZES)
    assert "pass --columns" in e.value.hint
    # and the other way round
    with pytest.raises(NotationShapeError) as e:
        parse("h = relu(xW + b)").plan(sizes="3,4", columns=True)
    assert "drop --columns" in e.value.hint
    # a mismatch in both conventions names neither
    with pytest.raises(NotationShapeError) as e:
        parse("y = A B; A : 2×3; B : 4×5").plan()
    assert "--columns" not in e.value.hint


def test_to_sympy_under_columns():
    sympy = pytest.importorskip("sympy")
    (y,) = [v for k, v in parse("y = W x + b").to_sympy(columns=True, W=(4, 3), x=(3, 2)).items()]
    assert y.shape == (4, 2)
    assert sympy.srepr(y).count("MatrixSymbol") >= 3


def test_the_cli_takes_columns():
    r = run("plan", COLUMN_MLP, "--columns", "--sizes", SIZES)
    assert r.returncode == 0, r.stderr
    assert "parameters     109,386" in r.stdout and "; columns)" in r.stdout
    r = run("check", "y = Wx + b; W : 4×3; x : 3×1", "--columns")
    assert r.returncode == 0 and "  b : 4×1  (inferred)" in r.stdout
    r = run("plan", "h = σ(W x + b)", "--sizes", "3,4")
    assert r.returncode == 1 and "pass --columns" in r.stderr and "Traceback" not in r.stderr
    r = run("plan", COLUMN_MLP, "--columns", "--sizes", SIZES, "--json")
    assert r.returncode == 0 and '"columns": true' in r.stdout
    r = run("diagram", COLUMN_MLP, "--columns", "--sizes", "4,3,2,1")
    assert r.returncode == 0 and " ○ ○ ○ ○    x · x · 4×1" in r.stdout
    r = run("show", COLUMN_MLP, "--columns", "--sizes", SIZES)
    assert r.returncode == 0 and "109,386" in r.stdout


def test_the_option_is_checked():
    with pytest.raises(Exception) as e:
        parse("y = Wx").plan(columns="yes")
    assert "columns must be True or False" in str(e.value)


# ---------------------------------------------------------------------------- backward

def _column_mlp_oracle(values, trained):
    """The column MLP's loss, written here with autograd.numpy: ½·Σ(y − t)²."""
    import autograd.numpy as anp

    def loss(*params):
        p = dict(values, **dict(zip(trained, params)))
        sig = lambda z: 1 / (1 + anp.exp(-z))
        h1 = sig(anp.dot(p["W1"], p["x"]) + p["b1"])
        h2 = sig(anp.dot(p["W2"], h1) + p["b2"])
        y = anp.dot(p["W3"], h2) + p["b3"]
        return 0.5 * anp.sum((y - p["t"]) ** 2)
    return loss


@pytest.mark.parametrize("batch", [1, 5])
def test_backward_under_columns_is_exactly_gradient_descent(batch):
    autograd = pytest.importorskip("autograd")
    derived = parse(COLUMN_MLP).backward(target="t", columns=True, sizes="4,3,2,2", batch=batch)
    text = derived.algebra()
    assert "W1 -= αδ_{h1}xᵀ" in text
    # the sum over the batch columns, decided by the shapes: none for one example
    assert ("b1 -= αbatchsum(δ_{h1}ᵀ)ᵀ" if batch > 1 else "b1 -= αδ_{h1}\n") in text + "\n"
    rng = np.random.default_rng(batch)
    shapes = {"x": (4, batch), "t": (2, batch), "W1": (3, 4), "b1": (3, 1), "W2": (2, 3),
              "b2": (2, 1), "W3": (2, 2), "b3": (2, 1)}
    values = {k: rng.uniform(-1, 1, size=s) for k, s in shapes.items()}
    trained = ["W1", "b1", "W2", "b2", "W3", "b3"]
    grads = autograd.grad(lambda ps: _column_mlp_oracle(values, trained)(*ps))(
        [values[k] for k in trained])
    scope: dict = {}
    exec(derived.numpy(module=True, naming="plain"), scope)     # noqa: S102 (our own output)
    alpha = 0.1
    after = scope["run"](**{k: v.copy() for k, v in values.items()}, alpha=alpha)
    for name, g in zip(trained, grads):
        np.testing.assert_allclose(after[name] - values[name], -alpha * g, rtol=1e-9, atol=1e-12)
    # the derived step plans under the same options, with the MNIST figures
    plan = derived.plan(sizes=SIZES, batch=batch, columns=True)
    assert plan.shapes.text(plan.shapes.names[__import__("notation").nodes.Name("b", "1")]) == "128×1"


def test_backward_on_the_command_line_under_columns():
    r = run("backward", COLUMN_MLP, "--columns", "--target", "t", "--sizes", SIZES, "--to", "plan")
    assert r.returncode == 0, r.stderr
    assert "parameters     109,386" in r.stdout


# -- a program written as column vectors, read without --columns (issue 15: never silently)

PAPER_LINE = "y = Wx + b; W : 4×3; x : 3×1"


def test_a_column_program_read_as_rows_warns_and_keeps_the_rows_reading():
    from notation import NotationWarning
    with pytest.warns(NotationWarning) as found:
        plan = parse(PAPER_LINE).plan()
    (w,) = [w.message for w in found if isinstance(w.message, NotationWarning)]
    assert w.code == "column-vectors"
    assert w.message.startswith("Wx applies W from the left of x, as column vectors are written")
    assert "pass --columns (columns=True)" in w.hint and "write xW" in w.hint
    assert (w.line, w.column) == (1, 5) and w.span.end - w.span.start == 2
    # the reading it took is the one it says: x is a batch of 3 with one unit, b one row
    assert shapes(plan)["b"] == "1×1" and plan.parameters == 13


def test_the_column_warning_points_at_the_callers_line():
    from notation import NotationWarning
    program = parse(PAPER_LINE)
    for call in (program.plan, program.compile, program.to_sympy, program.init):
        with pytest.warns(NotationWarning) as found:
            line = sys._getframe().f_lineno + 1
            call()
        (w,) = [w for w in found if isinstance(w.message, NotationWarning)]
        assert (w.filename, w.lineno) == (__file__, line), call.__name__


@pytest.mark.parametrize("text", [
    "y = W1x1 + b1; W1 : 4×3; x1 : 3×5",                    # subscripts, a batch of 5
    "h = W x",                                              # no declarations at all
    "y = Wx; y = Wy",                                       # a name assigned twice
    "l1 = relu(l0W0); l2 = W1l1",                           # the book's letters, W1 on the left
])
def test_the_column_warning_beyond_the_first_example(text):
    from notation import NotationWarning
    with pytest.warns(NotationWarning, match="from the left of"):
        parse(text).plan()


def test_strict_refuses_a_column_program_read_as_rows():
    from notation import NotationError
    with pytest.raises(NotationError) as e:
        parse(PAPER_LINE, strict=True).plan()
    assert "applies W from the left of x" in e.value.message
    assert parse(PAPER_LINE, strict=True).plan(columns=True).parameters == 16


@pytest.mark.parametrize("text, options", [
    (PAPER_LINE, {"columns": True}),                       # read as written: nothing to say
    ("l2 = relu(l0W0)W1", {"sizes": "3,4,1"}),             # the book's rows
    (ROW_MLP, {"sizes": SIZES}),
    ("γ : 1×4\nM : scalar\nx = γ ⊙ l1\nz = Ml1", {}),      # M is declared a scalar
    ("Y = W X", {}),                                       # two matrices: no layer is mixed
    ("o = softmax(QKᵀ)V", {}),
])
def test_no_column_warning_where_there_is_one_reading(text, options):
    import warnings

    from notation import NotationWarning
    with warnings.catch_warnings():
        warnings.simplefilter("error", NotationWarning)
        parse(text).plan(**options)


def test_the_cli_says_the_column_warning_once():
    r = run("show", PAPER_LINE)
    assert r.returncode == 0, r.stderr
    assert r.stderr.count("warning: Wx applies W from the left of x") == 1
    assert "^^ read as rows" in r.stderr and "Traceback" not in r.stderr
    assert "(W 4×3, b 1×1)" in r.stdout
    r = run("plan", PAPER_LINE, "--strict")
    assert r.returncode == 1 and r.stderr.startswith("error: Wx applies W")
    r = run("check", PAPER_LINE, "--json")
    import json
    (found,) = json.loads(r.stdout)
    assert r.returncode == 0 and found["kind"] == "warning" and found["column"] == 5
    assert "pass --columns" in found["hint"]
