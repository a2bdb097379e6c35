"""Every registered function through every consumer (issue 12).

A function is one record in notation/functions.py. Each test below takes one consumer —
parse, algebra, the NumPy styles and modules, LaTeX, MathML, the plan's FLOPs and memory,
compile, compare's reference, to_sympy, reading the NumPy back, backward — and runs every
function of the registry through it; a failure names the function and the fact it lacks.
The oracles are NumPy (the helper's own code against the record's independent reference),
SymPy (its form evaluated numerically), tracemalloc, and central differences.
"""

import ast
import gc
import re
import tracemalloc

import numpy as np
import pytest

from notation import NotationError, builtin_functions, compare, function_idioms, functions, parse
from notation.emit.mathml import mathml
from notation.evaluate import evaluate, reference
from notation.read.latex import from_latex
from notation.read.numpy import from_numpy

BUILTIN = [fn.name for fn in builtin_functions.builtin()]
WITH_DERIVATIVE = [n for n in BUILTIN if functions.FUNCTIONS[n].derivative is not None]


def sizes(name):
    """The sizes of l2 = f(l0W0)W1: a batch of 5, or none for a batch sum (its 1 × 4 row);
    for a sum over the units (a 5 × 1 column, so W1 is 1 × 2), the shapes of the inputs,
    without the book's convention (which would make l0W0, layer 1, one unit wide)."""
    rule = functions.FUNCTIONS[name].shape
    if rule == "batch-sum":
        return dict(sizes="3,4,2")
    if rule == "example-sum":
        return dict(convention=False)
    return dict(sizes="3,4,2", batch=5)


def record(name):
    fn = functions.lookup(name)
    assert fn is not None, f"{name} is not in the registry"
    return fn


def values(name, rng, shape=(5, 3)):
    """Random values in the function's domain (log: positive ones)."""
    low = 0.1 if name == "log" else -3.0
    return rng.uniform(low, 3.0, size=shape)


def program(name, derivative=False):
    prime = "'" if derivative else ""
    return parse(f"l2 = {name}{prime}(l0W0)W1")


def inputs(name, seed=0):
    rng = np.random.default_rng(seed)
    low = 0.1 if name == "log" else -1.0
    rule = functions.FUNCTIONS[name].shape
    rows = 1 if rule == "batch-sum" else 5
    return {"l0": rng.uniform(low, 1.0, (rows, 3)), "W0": rng.uniform(low, 1.0, (3, 4)),
            "W1": rng.uniform(-1.0, 1.0, (1 if rule == "example-sum" else 4, 2))}


def helper_code(fn, derivative):
    """The helper's own NumPy code, run as the book style writes it."""
    source = (fn.derivative_setup + "\n" if derivative and fn.derivative_setup else "") + \
        (fn.numpy_setup + "\n" if not derivative and fn.numpy_setup else "")
    body = fn.derivative if derivative else fn.numpy
    parameter = fn.derivative_parameter if derivative else "x"
    scope = {"np": np}
    exec(f"def f({parameter}):\n" + "".join(f"    {line}\n" for line in source.splitlines())
         + f"    return {body}\n", scope)
    return scope["f"]


CASES = [(n, False) for n in BUILTIN] + [(n, True) for n in WITH_DERIVATIVE]
IDS = [n + ("'" if d else "") for n, d in CASES]


@pytest.mark.parametrize("name", BUILTIN)
def test_every_fact_is_there(name):
    fn = record(name)
    missing = [fact for fact in ("numpy", "latex", "reference", "sympy", "recipe")
               if getattr(fn, fact) in (None, "")]
    missing += [fact for fact in ("idioms",) if not getattr(fn, fact)]
    if fn.derivative is not None:
        missing += [fact for fact in ("derivative_name", "reference_derivative",
                                      "sympy_derivative", "derivative_recipe")
                    if getattr(fn, fact) is None]
    assert fn.shape in functions.SHAPE_RULES, f"{name}: shape rule {fn.shape!r}"
    assert isinstance(fn.flops, int) and fn.flops >= 1, f"{name}: FLOPs per element"
    assert not missing, f"{name} lacks the facts {missing}"


@pytest.mark.parametrize("name, derivative", CASES, ids=IDS)
def test_parse_algebra_and_latex_read_back(name, derivative):
    p = program(name, derivative)
    assert parse(p.algebra()) == p, f"{name}: algebra does not parse back"
    assert from_latex(p.latex()) == p, f"{name}: its LaTeX ({record(name).latex}) does not read back"
    prime = "'" if derivative else ""
    for spelling in record(name).spellings:
        # a word of letters is read in LaTeX's \operatorname{…}; plain text lexes the
        # spellings the grammar knows (other cases of a name: issue 15)
        written = rf"\operatorname{{{spelling}}}" if spelling.isascii() and spelling.isalpha() \
            and spelling != "ReLU" else spelling
        assert parse(f"l2 = {written}{prime}(l0W0)W1") == p, f"{name}: the spelling {spelling}"


@pytest.mark.parametrize("name, derivative", CASES, ids=IDS)
def test_mathml_shows_the_function(name, derivative):
    text = mathml(program(name, derivative))
    assert f"<mi mathvariant='normal'>{record(name).shown()}</mi>" in text, name
    if derivative:
        assert "′" in text


@pytest.mark.parametrize("name, derivative", CASES, ids=IDS)
def test_reference_is_independent_and_agrees_with_the_helper(name, derivative):
    fn = record(name)
    own = fn.reference_derivative if derivative else fn.reference
    assert callable(own), f"{name}: no reference{'_derivative' if derivative else ''}"
    assert reference(name, derivative) is own
    x = values(name, np.random.default_rng(1))
    if derivative and fn.derivative_of == "output":
        x = np.asarray(fn.reference(x))              # a derivative of the output takes f(x)
    with np.errstate(all="ignore"):
        expected = helper_code(fn, derivative)(x)
    np.testing.assert_allclose(own(x), expected, rtol=1e-12, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("name, derivative", CASES, ids=IDS)
@pytest.mark.parametrize("style", ["book", "matmul", "plan"])
def test_numpy_styles_and_modules_compute_the_reference(name, derivative, style):
    p = program(name, derivative)
    given = inputs(name)
    expected = evaluate(p, given)["l2"]
    run = p.compile(style=style, **sizes(name))
    got = run(**given)["l2"]
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12, err_msg=f"{name} {style}")
    namespace: dict = {}
    exec(compile(p.numpy(style=style, module=True), "<module>", "exec"), namespace)
    keywords = {"layer_0": given["l0"], "weights_0_1": given["W0"], "weights_1_2": given["W1"]}
    np.testing.assert_allclose(namespace["run"](**keywords)["l2"], expected, rtol=1e-12,
                               atol=1e-12, err_msg=f"{name} {style} --module")
    assert compare(p, p.numpy(style="book"))


@pytest.mark.parametrize("name, derivative", CASES, ids=IDS)
def test_plan_style_is_the_recipe_and_gives_the_books_bits(name, derivative):
    fn = record(name)
    p = program(name, derivative)
    plan_code = p.numpy(style="plan")
    helper = fn.derivative_name if derivative else fn.name
    assert not re.search(rf"(?<![.\w]){helper}\(", plan_code), f"{name}: the plan style calls the helper (no recipe)"
    for dtype in (np.float64, np.float32):
        given = {k: v.astype(dtype) for k, v in inputs(name).items()}
        book = p.compile(style="book", **sizes(name))(**given)["l2"]
        planned = p.compile(style="plan", **sizes(name))(**given)["l2"]
        assert planned.dtype == book.dtype and planned.tobytes() == book.tobytes(), \
            f"{name}: the recipe's bits differ from the helper's ({dtype.__name__})"


@pytest.mark.parametrize("name", BUILTIN)
def test_integer_safe_says_whether_the_plan_style_needs_floats(name):
    """``Function.integer_safe``: the plan style runs integer arrays unconverted exactly when
    every call's record says its code keeps them right (compile.py); then the numbers and
    the dtype are the book style's on the same integer arrays."""
    fn = record(name)
    p = parse(f"l2 = {name}(l0W0)")
    opts = dict(sizes="3,4", batch=1 if fn.shape == "batch-sum" else 5) \
        if fn.shape != "example-sum" else dict(convention=False)
    run = p.compile(style="plan", **opts)
    converts = "_FLOAT" in run.source
    assert converts is not fn.integer_safe, f"{name}: integer_safe={fn.integer_safe} but " \
        f"the compiled code {'converts' if converts else 'does not convert'} integer arrays"
    rng = np.random.default_rng(3)
    rows = 1 if fn.shape == "batch-sum" else 5
    low = 1 if name == "log" else -3
    given = {"l0": rng.integers(low, 4, (rows, 3)), "W0": rng.integers(low, 4, (3, 4))}
    with np.errstate(all="ignore"):
        book = p.compile(style="book", **opts)(**given)["l2"]
        planned = run(**given)["l2"]
    if fn.integer_safe:
        assert planned.dtype == book.dtype and planned.tobytes() == book.tobytes(), name
    else:
        np.testing.assert_allclose(planned, book, rtol=1e-12, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("name, derivative", CASES, ids=IDS)
def test_plan_flops_and_memory(name, derivative):
    fn = record(name)
    # a layer keeps its shape; a sum's g is one row (batchsum) or one column (sum)
    target = "g" if fn.shape in ("batch-sum", "example-sum") else "l1"
    p = parse(f"{target} = {name}{chr(39) if derivative else ''}(l0W0)")
    dims = dict(sizes="256,300", batch=200)
    plan = p.plan(**dims)
    (step,) = [s for s in plan.steps if s.op in ("call", "derivative")]
    counted = 200 * 300        # the argument's elements (a sum adds each once too)
    assert step.flops == fn.flops * counted, f"{name}: FLOPs per element"
    rng = np.random.default_rng(0)
    low = 0.1 if name == "log" else -1.0
    given = {"l0": rng.uniform(low, 1.0, (200, 256)), "W0": rng.uniform(low, 1.0, (256, 300))}
    run = p.compile(style="plan", **dims)
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        with np.errstate(all="ignore"):
            result = run(**given)
        measured = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    del result
    (predicted,) = plan.peaks
    assert predicted <= measured <= predicted + 4096, \
        f"{name}: the recipe's scratch {step.scratch} does not match ({predicted}, {measured})"


@pytest.mark.parametrize("name, derivative", CASES, ids=IDS)
def test_to_sympy_is_the_function(name, derivative):
    import sympy
    from sympy.core.function import AppliedUndef
    p = parse(f"l1 = {name}{chr(39) if derivative else ''}(x) ; x : 2×3")
    expr = p.to_sympy()["l1"]
    assert not expr.atoms(AppliedUndef), f"{name}: SymPy gets an undefined function"
    x = values(name, np.random.default_rng(2), (2, 3))
    matrix = sympy.MatrixSymbol("x", 2, 3)
    got = sympy.lambdify([matrix], expr.as_explicit(), "numpy")(x)
    expected = evaluate(p, {"x": x})["l1"]
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("name, derivative", CASES, ids=IDS)
def test_its_numpy_reads_back(name, derivative):
    p = program(name, derivative)
    for style in ("book", "matmul"):
        assert from_numpy(p.numpy(style=style)) == p, f"{name}: {style} style does not read back"
    fn = record(name)
    for source in (fn.derivative_idioms if derivative else fn.idioms):
        template = ast.parse(source, mode="eval")
        if isinstance(template.body, ast.Compare):
            continue                             # a bare mask (relu'): read in its own place
        argument = ast.parse("layer_0.dot(weights_0_1)", mode="eval").body
        for node in ast.walk(template):
            for field, value in ast.iter_fields(node):
                if isinstance(value, ast.Name) and value.id in ("x", "output"):
                    setattr(node, field, argument)
                elif isinstance(value, list):
                    value[:] = [argument if isinstance(v, ast.Name) and v.id in ("x", "output")
                                else v for v in value]
        text = f"layer_2 = ({ast.unparse(template)}).dot(weights_1_2)"
        assert from_numpy(text) == p, f"{name}: the idiom {source!r} does not read back"


BACKWARD = [n for n in BUILTIN if functions.FUNCTIONS[n].shape == "elementwise"]


@pytest.mark.parametrize("name", BACKWARD)
def test_backward_matches_central_differences(name):
    forward = f"l2 = {name}(l0W0)W1"
    given = inputs(name, seed=3)
    given["y"] = np.random.default_rng(4).uniform(-1, 1, (5, 2))
    given["α"] = 1.0
    derived = parse(forward).backward(loss="mse")
    after = evaluate(derived, {k: (v.copy() if isinstance(v, np.ndarray) else v)
                               for k, v in given.items()})

    def loss(vals):
        return 0.5 * np.sum((evaluate(parse(forward), vals)["l2"] - vals["y"]) ** 2)

    eps = 1e-6
    for key in ("W0", "W1"):
        claimed = given[key] - after[key]
        numeric = np.zeros_like(given[key])
        for idx in np.ndindex(*given[key].shape):
            plus = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in given.items()}
            minus = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in given.items()}
            plus[key][idx] += eps
            minus[key][idx] -= eps
            numeric[idx] = (loss(plus) - loss(minus)) / (2 * eps)
        scale = max(np.max(np.abs(numeric)), 1e-3)
        assert np.max(np.abs(claimed - numeric)) / scale < 1e-6, (name, key, derived.algebra())


def test_an_idiom_matches_one_expression_in_every_place():
    node = ast.parse("(a > 0) * b").body[0].value
    assert function_idioms.match_idiom(node) is None           # x must be the same expression
    node = ast.parse("(a > 0) * a").body[0].value
    fn, derivative, arg = function_idioms.match_idiom(node)
    assert (fn.name, derivative, ast.unparse(arg)) == ("relu", False, "a")


def test_a_registered_function_without_a_reference_runs_its_own_code():
    functions.register("cube", "x * x * x")
    try:
        out = evaluate(parse("y = cube(x)"), {"x": np.full((1, 2), 2.0)})["y"]
        assert out.tolist() == [[8.0, 8.0]]
        assert functions.lookup("cube").recipe is None       # the plan style calls cube()
        assert "cube(" in parse("y = cube(xW)").numpy(style="plan")
    finally:
        del functions.FUNCTIONS["cube"]


# ---------------------------------------------------------------------------- one figure, every view

MNIST = "l1 = relu(l0W0 + b0); l2 = relu(l1W1 + b1); l3 = softmax(l2W2 + b2)"


@pytest.mark.parametrize("dims", [dict(sizes="784,128,64,10", batch=32), {}],
                         ids=["concrete", "symbolic"])
def test_every_view_prints_the_plans_figures_under_one_label(dims):
    """Issue 12: the text plan said 1.1 MiB (inputs included) where the HTML page said
    69632 B; a symbolic HTML page printed a Python list."""
    from notation.emit.html import plan_table
    from notation.emit.plan import figures
    plan = parse(MNIST).plan(**dims)
    shown = figures(plan)
    text, summary, data = plan.text(), plan.summary(), plan.to_dict()
    html = plan_table(data)
    assert data["figures"] == [list(f) for f in shown]
    for label, value in shown:
        assert any(line.startswith(label) and line.endswith(value)
                   for line in text.splitlines()), (label, value)
        assert any(line.startswith(label) and line.endswith(value)
                   for line in summary.splitlines()), (label, value)
        assert f"{label} {value}" in html.replace("&lt;", "<").replace("&gt;", ">")
    totals = html.split("<div class='totals'>")[1]
    assert "[" not in totals and "'" not in totals, totals
    peak = dict(shown)["peak memory"]
    if dims:
        assert data["totals"]["peak_bytes"] == 69632 == plan.peaks[0]
        assert data["totals"]["peak_bytes_with_inputs"] == plan.input_bytes + 69632
        assert peak == "1.1 MiB (inputs 1.0 MiB + at most 68.0 KiB made by the run)"
    else:
        assert str(data["totals"]["peak_bytes"]).startswith("max(9·b·n1 + 65536, ")


def test_a_numpy_call_idiom_reads_back_as_the_function_with_its_arity_and_hint():
    # np.<name>(x) among a record's idioms is all the NumPy reader needs (no table of its own)
    functions.register("hsine", "np.sinh(x)", idioms=("np.sinh(x)",))
    try:
        assert from_numpy("y = np.sinh(a)") == parse("y = hsine(a)")
        with pytest.raises(NotationError, match="takes one argument, not 2"):
            from_numpy("y = np.sinh(a, b)")
        with pytest.raises(NotationError) as unknown:
            from_numpy("y = np.cosh(a)")
        assert "np.sinh" in unknown.value.hint and "np.tanh" in unknown.value.hint
    finally:
        functions.FUNCTIONS.pop("hsine")
    with pytest.raises(NotationError, match="cannot be read into the notation"):
        from_numpy("y = np.sinh(a)")


def _hint_with_cube(call, **facts):
    """The hint of the NotationError that `call()` raises while `cube` is registered with `facts`."""
    functions.register("cube", "x * x * x", **facts)
    try:
        with pytest.raises(NotationError) as error:
            call()
        return error.value.hint
    finally:
        functions.FUNCTIONS.pop("cube")


def test_the_hint_for_a_missing_derivative_is_the_records():
    with pytest.raises(NotationError) as softmax:
        parse("y = softmax'(x)")
    assert softmax.value.hint == record("softmax").no_derivative_hint
    assert "cross-entropy" in softmax.value.hint
    derive = lambda: parse("y = cube'(x)")
    assert _hint_with_cube(derive, no_derivative_hint="cube' is 3x², written out") == (
        "cube' is 3x², written out")
    assert _hint_with_cube(derive).startswith("the derivatives known are those of relu, sigmoid")


def test_the_hint_where_backward_cannot_carry_a_delta_is_the_records():
    text = "h = {f}(xW1 + b1)\np = relu(hW2 + b2)\n"
    with pytest.raises(NotationError) as softmax:
        parse(text.format(f="softmax")).backward()
    assert softmax.value.hint == record("softmax").backward_hint
    assert "--loss cross_entropy" in softmax.value.hint
    train = lambda: parse(text.format(f="cube")).backward()
    assert _hint_with_cube(train, backward_hint="cube is for the output layer only") == (
        "cube is for the output layer only")
    assert _hint_with_cube(train).startswith("register cube with a derivative")
