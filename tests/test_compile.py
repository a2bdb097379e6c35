"""Program.compile(), notation run, Program.to_sympy() (SPEC §7)."""

import subprocess
import sys

import numpy as np
import pytest

import notation.plan
import notation.shapes
from notation import NotationShapeError, parse
from notation.errors import NotationRunError
from .tools import examples

BOOK = "l2 = relu(l0W0)W1"
TRAIN = """l1 = relu(l0W0)
l2 = l1W1
δ2 = l2 - y
δ1 = δ2W1ᵀ ⊙ relu'(l1)
W1 -= αl1ᵀδ2
W0 -= αl0ᵀδ1"""


def book_relu(x):
    return (x > 0) * x


def streetlights():
    np.random.seed(1)
    x = np.array([[1.0, 0.0, 1.0]])
    W0 = 2 * np.random.random((3, 4)) - 1
    W1 = 2 * np.random.random((4, 1)) - 1
    return x, W0, W1


# ---------------------------------------------------------------------------- results

@pytest.mark.parametrize("style", ["plan", "book", "matmul"])
def test_the_book_network_gives_the_books_prediction(style):
    x, W0, W1 = streetlights()
    out = parse(BOOK).compile(style=style)(l0=x, W0=W0, W1=W1)
    assert list(out) == ["l2"]
    expected = book_relu(x.dot(W0)).dot(W1)
    assert out["l2"].tobytes() == expected.tobytes()


def test_a_training_step_updates_the_weights_in_place_and_returns_everything():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((4, 3)), rng.standard_normal((4, 1))
    W0, W1 = rng.standard_normal((3, 5)), rng.standard_normal((5, 1))
    W0_before, W1_before = W0.copy(), W1.copy()
    out = parse(TRAIN).compile()(l0=x, W0=W0, W1=W1, y=y, α=0.1)
    assert list(out) == ["l1", "l2", "δ2", "δ1", "W1", "W0"]
    assert out["W1"] is W1 and out["W0"] is W0                  # as the book's loop does
    # the book's own code, line by line
    l1 = book_relu(x.dot(W0_before))
    l2 = l1.dot(W1_before)
    d2 = l2 - y
    d1 = d2.dot(W1_before.T) * (l1 > 0)
    W1_before -= 0.1 * l1.T.dot(d2)
    W0_before -= 0.1 * x.T.dot(d1)
    for key, value in [("l1", l1), ("l2", l2), ("δ2", d2), ("δ1", d1), ("W1", W1_before),
                       ("W0", W0_before)]:
        assert out[key].tobytes() == value.tobytes(), key


def test_activations_in_place_give_the_books_bits_on_awkward_values():
    values = np.array([[-2.0, -0.0, 0.0, 3.0, np.inf, -np.inf, np.nan, 1e-310, -1e-310, 800.0]])
    eye = np.eye(values.shape[1])
    with np.errstate(all="ignore"):
        for f in ["relu", "sigmoid", "tanh", "exp", "softmax"]:
            program = parse(f"y = {f}(xI)")
            got = program.compile(style="plan")(x=values, I=eye)["y"]
            want = program.compile(style="book")(x=values, I=eye)["y"]
            assert got.tobytes() == want.tobytes(), f
        for f in ["relu", "sigmoid", "tanh"]:
            program = parse(f"y = {f}'(xI) ⊙ x")
            got = program.compile(style="plan")(x=values, I=eye)["y"]
            want = program.compile(style="book")(x=values, I=eye)["y"]
            assert got.tobytes() == want.tobytes(), f + "'"


def test_float32_stays_float32():
    x, W0, W1 = (a.astype(np.float32) for a in streetlights())
    out = parse(BOOK).compile()(l0=x, W0=W0, W1=W1)["l2"]
    assert out.dtype == np.float32
    assert out.tobytes() == book_relu(x.dot(W0)).dot(W1).tobytes()


def test_inputs_of_another_type_take_the_slow_path_and_its_conversion():
    # With the checks on, "every array is of the plan's float type" is part of the one fast
    # test; anything else goes to the slow path, whose code converts. Both keep their type
    # where NumPy would: float32 stays float32, integers become the plan's float64.
    f = parse("l2 = sigmoid(l0W0)W1").compile(sizes=(3, 4, 1))
    assert "l0.dtype is _FLOAT" in f.source and "_real" not in f.source
    rng = np.random.default_rng(1)
    x, A, B = rng.random((1, 3)), rng.random((3, 4)) - 0.5, rng.random((4, 1))
    expected = 1 / (1 + np.exp(-(x @ A))) @ B
    assert np.allclose(f(l0=x, W0=A, W1=B)["l2"], expected, rtol=1e-15)
    as32 = f(l0=x.astype(np.float32), W0=A.astype(np.float32), W1=B.astype(np.float32))["l2"]
    assert as32.dtype == np.float32 and np.allclose(as32, expected, rtol=1e-5)
    ints = f(l0=np.array([[1, 0, 1]]), W0=A.round(), W1=B.round())["l2"]
    assert ints.dtype == np.float64
    assert np.allclose(ints, 1 / (1 + np.exp(-(np.array([[1.0, 0, 1]]) @ A.round()))) @ B.round(),
                       rtol=1e-15)


def test_with_products_and_relu_alone_integers_stay_integers_as_in_the_book_style():
    # Nothing in place can need a float: no dtype test is paid, and the book's own code
    # gives the same integers.
    program = parse("l2 = relu(l0W0)W1")
    f = program.compile(sizes=(3, 4, 1))
    assert "dtype" not in f.source
    arrays = {"l0": np.array([[1, 0, 1]]), "W0": np.array([[1, -2, 3, 0], [0, 1, 0, 1],
                                                           [-4, 1, 1, 2]]),
              "W1": np.array([[1], [2], [-1], [3]])}
    got = f(**arrays)["l2"]
    assert got.dtype.kind == "i"
    assert np.array_equal(got, program.compile(style="book")(**arrays)["l2"])
    assert got.tolist() == (np.maximum(arrays["l0"] @ arrays["W0"], 0) @ arrays["W1"]).tolist()


def test_integer_and_boolean_inputs_give_the_book_styles_numbers():
    # The plan style computes in place: an integer array used to be asked to hold the
    # sigmoid's floats ("Cannot cast ufunc 'exp' output"). Inputs that are not floats are
    # converted to the plan's dtype at the call, and give the numbers the book's code gives.
    x = np.array([[1, 0, 1]])
    program = parse("y = sigmoid(x)")
    got = program.compile()(x=x)["y"]
    assert got.dtype == np.float64
    assert got.tobytes() == program.compile(style="book")(x=x)["y"].tobytes()
    assert program.compile()(x=x.astype(bool))["y"].tobytes() == got.tobytes()
    assert program.compile()(x=x.astype(np.uint8))["y"].tobytes() == got.tobytes()
    assert x.dtype.kind == "i"                            # the caller's array is left alone
    rng = np.random.default_rng(0)
    arrays = {"l0": rng.integers(-3, 4, (4, 3)), "W0": rng.integers(-3, 4, (3, 5)),
              "W1": rng.integers(-3, 4, (5, 1)), "y": rng.integers(0, 2, (4, 1))}
    forward = "l1 = relu(l0W0)\nl2 = l1W1\nδ2 = l2 - y\nδ1 = δ2W1ᵀ ⊙ relu'(l1)"
    planned = parse(forward).compile()(**arrays)
    booked = parse(forward).compile(style="book")(**arrays)
    for key in booked:
        assert np.array_equal(planned[key], booked[key]), key
    # An update writes floats: the book style cannot run it on integer weights; the plan style
    # updates a float copy and returns it.
    out = parse(TRAIN).compile()(**arrays, α=0.5)
    floats = parse(TRAIN).compile()(**{k: v.astype(float) for k, v in arrays.items()}, α=0.5)
    for key in floats:
        assert out[key].tobytes() == floats[key].tobytes(), key
    # A plan of float32 computes integers as float32, as it would compute float32 data.
    plan = parse("y = sigmoid(x)").plan(dtype="float32")
    assert plan(x=x)["y"].dtype == np.float32
    # A broadcasting row runs code compiled for its shapes, which converts as well.
    f = parse("l1 = l0W0 + c").compile()
    l1 = f(l0=arrays["l0"], W0=arrays["W0"], c=np.ones((1, 5), dtype=int))["l1"]
    assert np.array_equal(l1, arrays["l0"].dot(arrays["W0"]) + 1) and l1.dtype == np.float64


def test_complex_inputs_are_refused_by_the_plan_style():
    f = parse("y = sigmoid(x)").compile()
    with pytest.raises(NotationShapeError) as info:
        f(x=np.ones((1, 3), dtype=complex))
    assert str(info.value) == (
        "error: x must be an array of real numbers, but it holds complex128 values\n"
        "  --> line 1, column 13\n"
        "   |\n"
        " 1 | y = sigmoid(x)\n"
        "   |             ^ x is an array of real numbers here\n"
        "   = pass x as floats, integers or booleans (integers and booleans are converted to "
        "float64)")


def test_bare_expressions_and_greek_names():
    f = parse("δ1 = δ2 ⊙ relu'(l1)\n2α\nl1W").compile()
    assert f.inputs == ("δ2", "l1", "α", "W")
    out = f(δ2=np.ones((1, 2)), l1=np.array([[1.0, -1.0]]), α=3.0, W=np.ones((2, 1)))
    assert out["δ1"].tolist() == [[1.0, 0.0]] and out["_"].tolist() == [[0.0]]


def test_the_function_is_made_once_and_walks_no_tree(monkeypatch):
    f = parse(TRAIN).compile(sizes="3,5,1", batch=4)

    def refuse(*args, **kwargs):
        raise AssertionError("the tree was walked during a call")
    import notation.compile
    import notation.inference
    import notation.lowering
    monkeypatch.setattr(notation.shapes, "infer", refuse)
    monkeypatch.setattr(notation.compile, "infer", refuse)
    monkeypatch.setattr(notation.compile, "compile_program", refuse)
    monkeypatch.setattr(notation.plan, "build", refuse)
    monkeypatch.setattr(notation.inference.Inference, "run", refuse)
    monkeypatch.setattr(notation.lowering.Lowering, "statement", refuse)
    rng = np.random.default_rng(0)
    out = f(l0=rng.standard_normal((4, 3)), W0=rng.standard_normal((3, 5)),
            W1=rng.standard_normal((5, 1)), y=rng.standard_normal((4, 1)), α=0.1)
    assert out["δ1"].shape == (4, 5)
    assert "def run(*, l0, W0, W1, y, α):" in f.source


# ---------------------------------------------------------------------------- checks

def test_a_wrong_shape_is_reported_at_the_operator_with_where_it_came_from():
    x, W0, W1 = streetlights()
    f = parse(BOOK).compile()
    with pytest.raises(NotationShapeError) as info:
        f(l0=x, W0=W0, W1=np.ones((5, 1)))
    assert str(info.value) == (
        "error: shape mismatch in the product l1W1\n"
        "  --> line 1, column 16\n"
        "   |\n"
        " 1 | l2 = relu(l0W0)W1\n"
        "   |      ^^^^^^^^^^ this is 1×4 (layer 1; 1: passed as l0; 4: passed as W0)\n"
        "   |                ^^ W1 is 5×1 (passed as W1)\n"
        "   = the columns of the left side (4) must equal the rows of the right side (5)")


def test_sizes_given_at_compile_time_are_checked_at_call_time():
    f = parse(BOOK).compile(sizes="3,4,1")
    assert "l0.shape == (1, 3)" in f.source
    with pytest.raises(NotationShapeError) as info:
        f(l0=np.ones((1, 5)), W0=np.ones((5, 4)), W1=np.ones((4, 1)))
    assert info.value.message == "l0 is 1×3 (from --sizes), but it is 1×5 (passed as l0)"


def test_arguments_that_are_not_arrays_of_two_dimensions():
    f = parse("y = αxW").compile()
    with pytest.raises(NotationShapeError) as info:
        f(x=np.ones(3), W=np.ones((3, 2)), α=0.5)
    assert info.value.message == "x must be a 2-D array, but it is an array of shape (3,)"
    with pytest.raises(NotationShapeError) as info:
        f(x=np.ones((1, 3)), W=np.ones((3, 2)), α=np.ones((1, 1)))
    assert info.value.message == "α must be a scalar (a number), but it is an array of shape (1, 1)"
    with pytest.raises(NotationShapeError):
        f(x=[1.0, 2.0, 3.0], W=np.ones((3, 2)), α=0.5)      # a list is converted: still 1-D
    out = f(x=np.ones((1, 3)), W=np.ones((3, 2)), α=np.float64(0.5))
    assert out["y"].tolist() == [[1.5, 1.5]]


def test_a_row_that_broadcasts_where_equal_shapes_were_assumed():
    f = parse("l1 = l0W0 + c").compile()        # c is a layer: assumed batch × units
    rng = np.random.default_rng(0)
    x, W, c = rng.standard_normal((5, 3)), rng.standard_normal((3, 4)), rng.standard_normal((1, 4))
    assert np.array_equal(f(l0=x, W0=W, c=c)["l1"], x.dot(W) + c)
    assert np.array_equal(f(l0=x, W0=W, c=c)["l1"], x.dot(W) + c)       # compiled once, kept
    with pytest.raises(NotationShapeError):
        f(l0=x, W0=W, c=rng.standard_normal((2, 4)))


def test_checks_can_be_left_out():
    f = parse(BOOK).compile(check=False)
    assert ".shape" not in f.source
    with pytest.raises(NotationRunError, match="NumPy cannot compute this: shapes"):
        f(l0=np.ones((1, 5)), W0=np.ones((3, 4)), W1=np.ones((4, 1)))


def test_a_plan_runs_its_own_code():
    plan = parse(BOOK).plan(sizes="3,4,1")
    x, W0, W1 = streetlights()
    assert plan(l0=x, W0=W0, W1=W1)["l2"].tobytes() == book_relu(x.dot(W0)).dot(W1).tobytes()


# y's 8 bytes an element, then relu's scratch: its mask, a byte an element, and the buffer that
# casts it (the whole array, or NumPy's 64 KiB chunks of a large one).
@pytest.mark.parametrize("units, fixed, winner", [(1000, 8000 + 1000 + 8000, 1),
                                                  (10 ** 7, 8 * 10 ** 7 + 10 ** 7 + 65536, 0)])
def test_the_peak_of_a_plan_whose_candidates_mix_numbers_and_polynomials(units, fixed, winner):
    # The relu of a fixed-size x holds its scratch only during its step; the product after it
    # is symbolic. Neither peak dominates the other, and peak_bytes, weighing them at 1,000
    # for every symbol, used to call .evaluate on the number (an AttributeError).
    from notation.polynomial import Poly, add, mul
    plan = parse(f"x : 1×{units}; y = relu(x); l1 = l0W0").plan(batch="b")
    b, n1 = Poly.symbol("b"), Poly.symbol("n1")
    assert plan.peaks == [fixed, add(mul(8, b, n1), 8 * units)]
    assert plan.peak_bytes == plan.peaks[winner]


# ---------------------------------------------------------------------------- notation run

def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "notation", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd)


def test_notation_run_prints_the_assigned_values(tmp_path):
    x, W0, W1 = streetlights()
    path = tmp_path / "in.npz"
    np.savez(path, layer_0=x, W0=W0, weights_1_2=W1)
    r = run_cli("run", BOOK, "--inputs", str(path))
    assert r.returncode == 0, r.stderr
    value = book_relu(x.dot(W0)).dot(W1)[0, 0]
    assert r.stdout == f"l2 : 1×1\n  [[{value:.8f}]]\n"


@pytest.mark.parametrize("style", ["plan", "book"])
def test_notation_run_computes_integer_inputs_in_floats(tmp_path, style):
    # An .npz of integers used to end in a NumPy casting error's traceback.
    path = tmp_path / "in.npz"
    x = np.array([[1, 0, 1]])
    np.savez(path, x=x)
    r = run_cli("run", "y = sigmoid(x)", "--inputs", str(path), "--style", style)
    assert r.returncode == 0, r.stderr
    np.savez(path, x=x.astype(float))
    assert r.stdout == run_cli("run", "y = sigmoid(x)", "--inputs", str(path)).stdout
    x, W0, W1 = (np.round(4 * a).astype(int) for a in streetlights())
    np.savez(path, l0=x, W0=W0, W1=W1, y=np.array([[1]]), α=np.array(1))
    r = run_cli("run", TRAIN, "--inputs", str(path), "--style", style)
    assert r.returncode == 0, r.stderr
    np.savez(path, l0=x * 1.0, W0=W0 * 1.0, W1=W1 * 1.0, y=np.array([[1.0]]), α=np.array(1.0))
    assert r.stdout == run_cli("run", TRAIN, "--inputs", str(path)).stdout


def test_notation_run_reports_missing_inputs_and_bad_shapes(tmp_path):
    x, W0, W1 = streetlights()
    path = tmp_path / "in.npz"
    np.savez(path, l0=x, W0=W0)
    r = run_cli("run", BOOK, "--inputs", str(path))
    assert r.returncode == 2
    assert "has no array for W1 or weights_1_2" in r.stderr
    np.savez(path, l0=x, W0=W0, W1=np.ones((5, 1)))
    r = run_cli("run", BOOK, "--inputs", str(path))
    assert r.returncode == 1 and r.stderr.startswith("error: shape mismatch in the product l1W1")
    assert "Traceback" not in r.stderr
    r = run_cli("run", BOOK, "--inputs", str(tmp_path / "missing.npz"))
    assert r.returncode == 2


def test_notation_plan_and_check_on_the_command_line():
    r = run_cli("plan", BOOK, "--sizes", "3,4,1")
    assert r.returncode == 0 and "FLOPs          24 + 4 + 8 = 36" in r.stdout
    r = run_cli("plan", BOOK, "--sizes", "3,4,1", "--json")
    assert r.returncode == 0 and '"flops": 36' in r.stdout
    r = run_cli("check", BOOK + "\nW1 : 5×1", "--sizes", "3,4,1")
    assert r.returncode == 1 and "shape mismatch in the product l1W1" in r.stderr
    r = run_cli("check", BOOK, "--sizes", "3,4,1")
    assert r.returncode == 0 and "  W0 : 3×4  (inferred)" in r.stdout
    r = run_cli("check", "l2 = l0W0", "--sizes", "3,4,5")
    assert r.returncode == 1 and "shape mismatch in the assignment to l2" in r.stderr
    r = run_cli("check", "l2 = l0W0", "--sizes", "3,4,5", "--no-convention")
    assert r.returncode == 0, r.stderr
    r = run_cli("show", BOOK, "--sizes", "3,4,1")
    assert r.returncode == 0 and "FLOPs          24 + 4 + 8 = 36" in r.stdout
    r = run_cli("numpy", BOOK, "--style", "plan")
    assert r.stdout == "t1 = layer_0.dot(weights_0_1)\nt1 *= t1 > 0\nlayer_2 = t1.dot(weights_1_2)\n"


def test_the_cli_checks_shapes_without_numpy_or_sympy():
    code = ("import sys; from notation.cli import main; "
            "main(['plan', 'l2 = relu(l0W0)W1', '--sizes', '3,4,1']); "
            "main(['check', 'l0 : b×784', '--dims', 'l1=h']); "
            "print(sorted(m for m in ('numpy', 'sympy') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.stdout.strip().splitlines()[-1] == "[]"


# ---------------------------------------------------------------------------- to_sympy

def test_to_sympy_has_the_checked_shapes():
    import sympy
    exprs = parse(BOOK).to_sympy(sizes="3,4,1")
    assert list(exprs) == ["l2"] and exprs["l2"].shape == (1, 1)
    symbolic = parse("l0 : b×784\nl1 = relu(l0W0)").to_sympy(dims="l1=h")["l1"]
    b, h = sympy.Symbol("b", integer=True, positive=True), sympy.Symbol("h", integer=True, positive=True)
    assert symbolic.shape == (b, h)
    assert sympy.MatrixSymbol("W0", 784, h) in symbolic.atoms(sympy.MatrixSymbol)


def test_to_sympy_computes_what_numpy_computes():
    import sympy
    rng = np.random.default_rng(3)
    arrays = {"l0": rng.standard_normal((2, 3)), "W0": rng.standard_normal((3, 4)),
              "b0": rng.standard_normal((1, 4)), "W1": rng.standard_normal((4, 2)),
              "y": rng.standard_normal((2, 2))}
    program = parse("l1 = sigmoid(l0W0 + b0)\nl2 = softmax(l1W1)\nδ2 = l2 - y\n"
                    "δ1 = δ2W1ᵀ ⊙ sigmoid'(l1)\nW1 -= αl1ᵀδ2\nb0 -= αbatchsum(δ1)")
    exprs = program.to_sympy(sizes="3,4,2", batch=2)
    numeric = program.compile()(**{k: v.copy() for k, v in arrays.items()}, α=0.5)
    values = {sympy.Symbol("α"): sympy.Rational(1, 2)}
    for name, expr in exprs.items():
        for m in expr.atoms(sympy.MatrixSymbol):
            source = numeric[m.name] if m.name in numeric and m.name not in arrays else arrays[m.name]
            values[m] = sympy.Matrix(source)
        value = expr.xreplace(values).doit()
        got = np.array(value.as_explicit().evalf(), dtype=float)
        assert np.allclose(got, numeric[name]), name


def test_to_sympy_of_a_shape_error_raises_it():
    with pytest.raises(NotationShapeError):
        parse(BOOK + "\nW1 : 5×1").to_sympy(sizes="3,4,1")


def test_a_name_bound_to_another_is_a_copy_where_an_update_follows():
    program = parse("a = c\nc -= a\nd = cᵀ\nc += 1")
    assert "a = c.copy()" in program.numpy(style="plan")
    c = np.arange(6.0).reshape(2, 3)
    planned = program.compile()(c=c.copy())
    booked = program.compile(style="book")(c=c.copy())
    for key in booked:
        assert np.array_equal(planned[key], booked[key]), key
    assert planned["a"].tolist() == c.tolist()                  # a kept c's first value


from hypothesis import HealthCheck, given, settings  # noqa: E402

sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
import trees  # noqa: E402

from notation import NotationError  # noqa: E402


@settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees.programs)
def test_any_tree_compiles_or_is_refused_with_a_notation_error(program):
    for make in (program.compile, program.to_sympy):
        try:
            make()
        except NotationError as e:
            str(e)


def test_a_value_sympy_cannot_hold_is_a_translation_error():
    from notation import NotationTranslationError
    with pytest.raises(NotationTranslationError):
        parse("a : 1×2\na -= 0/0").to_sympy()


def test_float32_training_gives_the_books_bits_and_types():
    """relu' is float64 whatever the data (the function table's (output > 0) * 1.0): the
    plan style keeps every result's type as the book style's."""
    program = parse(TRAIN.replace("l2 = l1W1", "l2 = softmax(l1W1)") +
                    "\nz = relu'(l1) ⊙ relu'(l1) + l1")
    rng = np.random.default_rng(0)
    arrays = {k: rng.standard_normal(s).astype(np.float32)
              for k, s in [("l0", (4, 3)), ("W0", (3, 5)), ("W1", (5, 2)), ("y", (4, 2))]}
    planned = program.compile()(**{k: v.copy() for k, v in arrays.items()}, α=0.1)
    booked = program.compile(style="book")(**{k: v.copy() for k, v in arrays.items()}, α=0.1)
    for key in booked:
        assert planned[key].dtype == booked[key].dtype, key
        assert planned[key].tobytes() == booked[key].tobytes(), key
    assert planned["δ1"].dtype == np.float64 and planned["l1"].dtype == np.float32


def test_a_function_of_many_inputs_binds_them_as_python_would():
    # Past MANY_INPUTS the compiled function takes **given and unpacks it in one statement
    # (CPython binds n keywords to keyword-only parameters in n² steps: a 36,905-layer
    # network's call took 5.9 s). Its values are the keyword-only function's, and its call
    # errors are Python's own for a function of those keyword-only parameters.
    import inspect

    import notation.compile as compiled
    from notation.compile_inputs import MANY_INPUTS
    layers = 200                     # 400 inputs: x0…x199, W0…W199
    source = "\n".join(f"y{i} = relu(x{i}W{i})" for i in range(layers))
    rng = np.random.default_rng(0)
    given = {}
    for i in range(layers):
        given[f"x{i}"], given[f"W{i}"] = rng.normal(size=(2, 3)), rng.normal(size=(3, 4))
    assert len(given) > MANY_INPUTS
    for style in ("plan", "book"):
        f = parse(source).compile(style=style)
        assert any(p.kind is p.VAR_KEYWORD for p in inspect.signature(f).parameters.values())
        out = f(**given)
        for i in (0, 117, layers - 1):
            assert np.allclose(out[f"y{i}"], np.maximum(given[f"x{i}"] @ given[f"W{i}"], 0))
    names = ", ".join(f.inputs)
    python = {}
    exec(f"def run(*, {names}):\n    pass\n", python)      # the oracle: Python's own binding
    for call in ({k: v for k, v in given.items() if k != "W5"},
                 {k: v for k, v in given.items() if k not in ("W5", "x9")},
                 {k: v for k, v in given.items() if k not in ("W5", "x9", "x0")},
                 {**given, "z": 1}):
        with pytest.raises(TypeError) as ours:
            f(**call)
        with pytest.raises(TypeError) as theirs:
            python["run"](**call)
        assert str(ours.value) == str(theirs.value)
