"""`sum` is the sum over each example's units, `batchsum` the sum over the batch (issue 17).

A reader of ``exp(z) / sum(exp(z))`` means a softmax of each example: ``sum(e)`` sums the
units of each row (b × n -> b × 1), and its column broadcasts back over the units it summed.
The sum over the batch, which the derived bias updates print, is spelled ``batchsum``.
The oracles are NumPy's own softmax, central differences, and the old spelling's error.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from notation import NotationError, compare, parse
from notation.emit.mathml import mathml
from notation.evaluate import evaluate
from notation.read.latex import from_latex
from notation.read.numpy import from_numpy

SOFTMAX = "l1 = exp(l0) / sum(exp(l0))"


def notation(*args, cwd=None):
    """The installed console script (beside the interpreter), else ``python -m notation``."""
    beside = Path(sys.executable).with_name("notation")
    exe = str(beside) if beside.exists() else shutil.which("notation")
    command = [exe] if exe else [sys.executable, "-m", "notation"]
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([*command, *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=120)


def softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------------------- every view

VIEWS = [
    ("algebra", lambda p: p.algebra(), "l1 = exp(l0) / sum(exp(l0))"),
    ("latex", lambda p: p.latex(),
     r"l_{1} = \frac{\exp(l_{0})}{\operatorname{sum}(\exp(l_{0}))}"),
    ("numpy book", lambda p: p.numpy(),
     "layer_1 = np.exp(layer_0) / np.sum(np.exp(layer_0), axis=1, keepdims=True)"),
    ("numpy matmul", lambda p: p.numpy(style="matmul"),
     "layer_1 = np.exp(layer_0) / np.sum(np.exp(layer_0), axis=1, keepdims=True)"),
    ("numpy plain", lambda p: p.numpy(naming="plain"),
     "l1 = np.exp(l0) / np.sum(np.exp(l0), axis=1, keepdims=True)"),
    ("numpy plan", lambda p: p.numpy(style="plan"),
     "layer_1 = np.exp(layer_0)\nt2 = np.exp(layer_0)\nt3 = t2.sum(axis=1, keepdims=True)\n"
     "layer_1 /= t3"),
]


@pytest.mark.parametrize("view, emit, expected", VIEWS, ids=[v[0] for v in VIEWS])
def test_every_view_of_the_softmax_written_out(view, emit, expected):
    assert emit(parse(SOFTMAX)).strip() == expected


def test_its_latex_and_algebra_read_back_and_mathml_names_sum():
    p = parse(SOFTMAX)
    assert from_latex(p.latex()) == p and parse(p.algebra()) == p
    assert "<mi mathvariant='normal'>sum</mi>" in mathml(p)


def test_the_plan_shapes_and_counts_the_sum_per_example():
    plan = parse(SOFTMAX).plan(sizes="3", batch=4)
    (step,) = [s for s in plan.steps if s.func == "sum"]
    assert plan.shapes.text(step.shape) == "4×1"
    assert step.flops == 4 * 3 and step.allocates == 4 * 8        # each element added once
    assert plan.shapes.text(plan.shapes.names[parse("l1").statements[0].expr]) == "4×3"


@pytest.mark.parametrize("style", ["book", "matmul", "plan"])
def test_compiled_code_evaluator_and_sympy_give_numpys_softmax(style):
    import sympy
    x = np.random.default_rng(0).normal(size=(4, 3))
    p = parse(SOFTMAX)
    np.testing.assert_allclose(p.compile(style=style)(l0=x)["l1"], softmax(x), rtol=1e-12)
    np.testing.assert_allclose(evaluate(p, {"l0": x})["l1"], softmax(x), rtol=1e-12)
    expr = p.to_sympy(sizes="3", batch=4)["l1"]
    got = sympy.lambdify([sympy.MatrixSymbol("l0", 4, 3)], expr.as_explicit(), "numpy")(x)
    np.testing.assert_allclose(got, softmax(x), rtol=1e-9)


def test_run_through_the_installed_cli_is_a_softmax_per_example(tmp_path):
    x = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 4.0]])
    np.savez(tmp_path / "in.npz", l0=x)
    r = notation("run", SOFTMAX, "--inputs", str(tmp_path / "in.npz"))
    assert r.returncode == 0, r.stderr
    rows = [line.strip(" []") for line in r.stdout.splitlines()[1:]]
    printed = np.array([[float(v) for v in row.split()] for row in rows])
    np.testing.assert_allclose(printed, softmax(x), rtol=1e-6, atol=1e-8)   # as printed
    assert r.stdout.startswith("l1 : 2×3\n")
    # one example: a softmax too, no longer the [[1. 1. 1.]] of a batch sum
    np.savez(tmp_path / "one.npz", l0=x[:1])
    r = notation("run", SOFTMAX, "--inputs", str(tmp_path / "one.npz"))
    assert r.returncode == 0 and "[[1. 1. 1.]]" not in r.stdout, r.stdout


def test_compare_says_the_softmax_written_out_is_softmax():
    result = compare("l1 = exp(z)/sum(exp(z))", "l1 = softmax(z)")
    assert result and result.pairs[0].method == "numeric"
    assert not compare("l1 = exp(z)/sum(exp(z))", "l1 = exp(z)/batchsum(exp(z))")
    r = notation("compare", "l1 = exp(z)/sum(exp(z))", "l1 = softmax(z)")
    assert r.returncode == 0 and r.stdout.startswith("equivalent"), r.stdout + r.stderr


# ---------------------------------------------------------------------------- shapes

def test_the_column_of_a_sum_broadcasts_over_the_units_and_nothing_else_does():
    plan = parse("s = sum(l0W0)\nl1 = l0W0 - s").plan(sizes="3,5", batch=2)
    assert plan.shapes.text(plan.shapes.names[parse("s").statements[0].expr]) == "2×1"
    # a declared b × 1 column still does not broadcast (SPEC §2): only a sum's column does
    with pytest.raises(NotationError, match="shape mismatch in the difference"):
        parse("c : 2×1\nl1 = l0W0 - c").plan(sizes="3,5", batch=2)


def test_batchsum_is_one_row_and_sum_one_column():
    shapes = parse("g = batchsum(l0W0)\ns = sum(l0W0)").plan(sizes="3,5", batch=7).shapes
    text = {n.letter: shapes.text(v) for n, v in shapes.names.items()}
    assert text["g"] == "1×5" and text["s"] == "7×1"


def test_the_old_spelling_of_a_bias_gradient_is_refused_with_batchsum_in_the_hint():
    program = "l1 = relu(l0W0 + b0)\nδ1 = l1 - y\nb0 -= αsum(δ1)"
    for sizes in (dict(sizes="3,4", batch=8), {}):      # known sizes, or none at all
        with pytest.raises(NotationError) as caught:
            parse(program).plan(**sizes)
        text = str(caught.value)
        assert "sum(…) is the sum over each example's units" in text, text
        assert "b0 -= αbatchsum(δ1)" in text and "--> line 3, column 7" in text
    assert parse(program.replace("αsum", "αbatchsum")).plan(sizes="3,4", batch=8)


# ---------------------------------------------------------------------------- --columns

def test_under_columns_sum_is_refused_and_its_transposed_form_sums_each_column():
    with pytest.raises(NotationError, match=r"write sum\(eᵀ\)ᵀ"):
        parse("l1 = exp(z) / sum(exp(z))").plan(columns=True)
    p = parse("l1 = exp(z) / sum(exp(z)ᵀ)ᵀ")
    plan = p.plan(columns=True, sizes="3", batch=2)
    assert "columns" in plan.text().splitlines()[0]
    z = np.random.default_rng(1).normal(size=(3, 2))      # units × batch
    got = p.compile(columns=True)(z=z)["l1"]
    np.testing.assert_allclose(got, softmax(z.T).T, rtol=1e-12)


# ---------------------------------------------------------------------------- backward

def test_the_derived_bias_updates_print_batchsum():
    step = parse("l1 = sigmoid(l0W0 + b0)\nl2 = l1W1 + b1").backward()
    assert "b1 -= αbatchsum(δ2)" in step.algebra() and "b0 -= αbatchsum(δ1)" in step.algebra()
    assert "sum(" not in step.algebra().replace("batchsum(", "")
    assert r"\operatorname{batchsum}(\delta_{2})" in step.latex()
    assert "np.sum(layer_2_delta, axis=0, keepdims=True)" in step.numpy()
    r = notation("backward", "l1 = sigmoid(l0W0 + b0)")
    assert r.returncode == 0 and "b0 -= αbatchsum(δ1)" in r.stdout, r.stdout + r.stderr


def test_backward_constants_name_both_sums():
    from notation import gradients  # backward's rules (gradients.py since the split)
    assert gradients.BATCH_SUM == "batchsum" and gradients.EXAMPLE_SUM == "sum"


def _gradient_descent_holds(forward, shapes, params, seed=0):
    """The derived step changes each parameter by -α·∂L/∂P (central differences)."""
    rng = np.random.default_rng(seed)
    given = {k: rng.uniform(0.2, 1.0, s) for k, s in shapes.items()}
    derived = parse(forward).backward(loss="mse")
    after = evaluate(derived, {**{k: v.copy() for k, v in given.items()}, "α": 1.0})

    def loss(values):
        return 0.5 * np.sum((evaluate(parse(forward), values)["l2"] - values["y"]) ** 2)

    eps = 1e-6
    for key in params:
        numeric = np.zeros_like(given[key])
        for idx in np.ndindex(*given[key].shape):
            plus = {k: v.copy() for k, v in given.items()}
            minus = {k: v.copy() for k, v in given.items()}
            plus[key][idx] += eps
            minus[key][idx] -= eps
            numeric[idx] = (loss(plus) - loss(minus)) / (2 * eps)
        np.testing.assert_allclose(given[key] - after[key], numeric, rtol=1e-5, atol=1e-8,
                                   err_msg=f"{key}\n{derived.algebra()}")
    return derived


def test_backward_through_a_sum_per_example_and_its_broadcast_column():
    derived = _gradient_descent_holds(
        "s = sum(l0W0)\nl2 = l0W1 / s",
        {"l0": (4, 3), "W0": (3, 5), "W1": (3, 2), "y": (4, 2)}, ["W0", "W1"])
    text = derived.algebra()
    # the column s was broadcast over the units of l0W1: its gradient is summed over them
    assert "δ_{s} = sum(" in text and "+ 0(l0W0)" in text, text


def test_backward_through_a_batch_sum():
    derived = _gradient_descent_holds(
        "g = batchsum(l0W0)\nl2 = l0W1 - g",
        {"l0": (4, 3), "W0": (3, 2), "W1": (3, 2), "y": (4, 2)}, ["W0", "W1"])
    assert "batchsum(" in derived.algebra()


# ---------------------------------------------------------------------------- NumPy back

@pytest.mark.parametrize("code, algebra", [
    ("s = np.sum(x, axis=1, keepdims=True)", "s = sum(x)"),
    ("s = np.sum(x, axis=-1, keepdims=True)", "s = sum(x)"),
    ("g = np.sum(x, axis=0, keepdims=True)", "g = batchsum(x)"),
    ("g = np.sum(x, axis=0)", "g = batchsum(x)"),       # a (n,) row broadcasts as 1 × n does
    ("y = np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)", "y = softmax(x)"),
    ("s = x.sum(axis=1, keepdims=True)", "s = sum(x)"),      # the method, as the plan writes
    ("s = x.sum(axis=-1, keepdims=True)", "s = sum(x)"),
    ("g = (a + b).sum(axis=0, keepdims=True)", "g = batchsum(a + b)"),
])
def test_both_numpy_sums_read_back(code, algebra):
    assert from_numpy(code).algebra() == algebra


@pytest.mark.parametrize("code", ["s = np.sum(x)", "s = np.sum(x, axis=1)"])
def test_a_total_and_a_sum_without_keepdims_are_not_read(code):
    with pytest.raises(NotationError) as caught:
        from_numpy(code)
    assert "np.sum(x, axis=1, keepdims=True) is sum(x)" in str(caught.value)
    assert "np.sum(x, axis=0, keepdims=True) is batchsum(x)" in str(caught.value)


def test_the_plan_style_reads_back_step_by_step():
    code = parse(SOFTMAX).numpy(style="plan")
    assert from_numpy(code).algebra().splitlines()[2] == "t3 = sum(t2)"
    code = parse("b0 -= αbatchsum(δ1)").numpy(style="plan")
    assert from_numpy(code).algebra().splitlines()[0] == "t1 = batchsum(δ1)"


def test_backward_through_the_softmax_written_out_is_gradient_descent():
    # exp(z) / sum(exp(z)) split into layers: the sum's chain rule (G + 0x) spreads its
    # delta over the units, and the column's own gradient is summed over them, sum(…)
    derived = _gradient_descent_holds(
        "l1 = sigmoid(l0W0)\nl2 = exp(l1W1) / sum(exp(l1W1))",
        {"l0": (4, 3), "W0": (3, 5), "W1": (5, 2), "y": (4, 2)}, ["W0", "W1"], seed=2)
    assert "h3 = sum(h2)" in derived.algebra() and "sum(exp(" not in derived.algebra(), derived.algebra()


def test_backward_under_columns_through_the_sum_of_each_column():
    # sum((W0x)ᵀ)ᵀ is 1 × b, broadcast over the rows (the units): its gradient is sum(Gᵀ)ᵀ
    forward = "s = sum((W0x)ᵀ)ᵀ\nh = W1x / s"
    derived = parse(forward).backward(target="t", columns=True)
    assert "δ_{s} = sum((" in derived.algebra() and ")ᵀ)ᵀ" in derived.algebra()
    rng = np.random.default_rng(0)
    given = {"x": rng.uniform(0.2, 1, (3, 4)), "W0": rng.uniform(0.2, 1, (2, 3)),
             "W1": rng.uniform(0.2, 1, (2, 3)), "t": rng.uniform(0.2, 1, (2, 4))}
    after = evaluate(derived, {**{k: v.copy() for k, v in given.items()}, "α": 1.0})

    def loss(values):
        return 0.5 * np.sum((evaluate(parse(forward), values)["h"] - values["t"]) ** 2)

    for key in ("W0", "W1"):
        numeric = np.zeros_like(given[key])
        for idx in np.ndindex(*given[key].shape):
            plus = {k: v.copy() for k, v in given.items()}
            minus = {k: v.copy() for k, v in given.items()}
            plus[key][idx] += 1e-6
            minus[key][idx] -= 1e-6
            numeric[idx] = (loss(plus) - loss(minus)) / 2e-6
        np.testing.assert_allclose(given[key] - after[key], numeric, rtol=1e-5, atol=1e-8)
