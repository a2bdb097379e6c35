"""The plan (SPEC §4): steps with shapes, FLOPs, multiply-adds and bytes; totals; provenance;
the plan-style NumPy code it describes, and the memory that code really allocates."""

import gc
import json
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from notation import NotationShapeError, builtin_functions, parse
from notation.compile import keyword
from notation.emit.numpy_plan import numpy_plan
from notation.nodes import Declare, Name
from notation.polynomial import Poly, maximum, mul

sys.path.insert(0, str(Path(__file__).parent))
import golden_files  # noqa: E402
from .tools import examples

BOOK = "l2 = relu(l0W0)W1"


# ---------------------------------------------------------------------------- SPEC §8

def test_golden_plan_of_the_book_network():
    plan = parse(BOOK).plan(sizes="3,4,1")
    assert [plan.shapes.text(s.shape) for s in plan.steps] == ["1×4", "1×4", "1×1"]
    assert [s.flops for s in plan.steps] == [24, 4, 8] and plan.flops == 36
    assert plan.parameters == 16
    assert [s.multiply_adds for s in plan.steps] == [12, 0, 4]
    text = plan.text()
    assert "FLOPs          24 + 4 + 8 = 36" in text
    assert "parameters     16 (W0 3×4, W1 4×1)" in text
    assert "  W0  3×4  inferred: 3 = the units of l0 (from --sizes), by the book's convention" in text
    assert "  W1  4×1  inferred: 4 = the units of l1 (from --sizes)" in text


def test_golden_plan_table():
    assert parse(BOOK).plan(sizes="3,4,1").summary() == """\
plan of l2 = relu(l0W0)W1  (float64; the book's convention)

step  value  operation  shape  FLOPs  multiply-adds  allocates
   1  t1     l0W0       1×4       24             12       32 B
   2  t1     relu(t1)   1×4        4              0        0 B  in place; layer 1; 36 B scratch
   3  l2     t1W1       1×1        8              4        8 B

parameters     16 (W0 3×4, W1 4×1)
FLOPs          24 + 4 + 8 = 36
multiply-adds  16
allocated      76 B
peak memory    220 B (inputs 152 B + at most 68 B made by the run)"""


def test_plan_as_json():
    data = json.loads(parse(BOOK).plan(sizes="3,4,1").json())
    assert [s["shape"] for s in data["steps"]] == [[1, 4], [1, 4], [1, 1]]
    assert [s["flops"] for s in data["steps"]] == [24, 4, 8]
    assert [s["in_place"] for s in data["steps"]] == [False, True, False]
    assert data["totals"] == {"parameters": 16, "flops": 36, "multiply_adds": 16,
                              "bytes_allocated": 76, "input_bytes": 152, "peak_bytes": 68,
                              "peak_bytes_with_inputs": 220}
    assert data["shapes"]["W0"]["inferred"][0].startswith("the units of l0 (from --sizes)")
    assert data["shapes"]["l0"] == {"shape": [1, 3], "declared": "from --sizes"}
    assert data["inputs"] == ["l0", "W0", "W1"] and data["outputs"] == ["l2"]


# ---------------------------------------------------------------------------- counting

def test_flops_of_each_kind_of_step():
    plan = parse("l0 : 5×3\nb0 : 1×4\nl1 = sigmoid(l0W0 + b0)\nd = 2l1 - l1 / 3\ns = batchsum(d)") \
        .plan(W0=(3, 4))
    by_op = {s.op: s for s in plan.steps}
    assert by_op["matmul"].flops == 2 * 5 * 3 * 4 and by_op["matmul"].multiply_adds == 60
    assert by_op["add"].flops == 20 and by_op["call"].flops == 20
    scale = [s for s in plan.steps if s.op == "scale"][0]
    assert scale.flops == 20 and not scale.in_place        # 2l1: l1 is a name, kept
    summed = [s for s in plan.steps if s.func == "batchsum"][0]
    assert summed.flops == 20 and plan.shapes.text(summed.shape) == "1×4"
    assert summed.allocates == 4 * 8


def test_bytes_follow_the_dtype():
    p64 = parse(BOOK).plan(sizes="3,4,1")
    p32 = parse(BOOK).plan(sizes="3,4,1", dtype="float32")
    # the product's result, the relu's mask and cast buffer (4 floats), the output
    assert p32.bytes_allocated == 16 + (4 + 16) + 4 and p64.bytes_allocated == 32 + (4 + 32) + 8
    assert p32.input_bytes * 2 == p64.input_bytes
    with pytest.raises(ValueError):
        parse(BOOK).plan(dtype="int8")


def test_parameters_are_the_weights_and_biases_unless_told():
    plan = parse("l1 = relu(l0E + b0)\nl2 = l1W1").plan(sizes="10,4,2", E=(10, 4))
    assert plan.parameters == 4 + 8
    assert parse("l1 = relu(l0E + b0)\nl2 = l1W1").plan(
        sizes="10,4,2", E=(10, 4), params="E").parameters == 40 + 4 + 8


def test_symbolic_counts_are_polynomials():
    plan = parse("l0 : b×784\nl1 = relu(l0W0)\nl2 = l1W1").plan(dims="l1=h,l2=10")
    b, h = Poly.symbol("b"), Poly.symbol("h")
    assert plan.flops == mul(1589, b, h)
    assert plan.parameters == mul(794, h)
    assert "FLOPs          2·b·784·h + b·h + 2·b·h·10 = 1589·b·h" in plan.text()
    assert plan.peaks == [mul(9, b, h) + 8 * 8192, mul(8, b, h) + mul(80, b)]
    assert json.loads(plan.json())["totals"]["flops"] == "1589·b·h"


def test_undetermined_dimensions_are_listed():
    text = parse(BOOK).plan().text()
    assert "not determined (give --sizes, --dims, --batch or a declaration)" in text
    assert "  n1  the units of l1" in text


def test_polynomial_arithmetic():
    b, h = Poly.symbol("b"), Poly.symbol("h")
    assert str(mul(2, b, h, 794) + mul(b, h)) == "1589·b·h"
    assert mul(b, h) - mul(b, h) == 0 and isinstance(mul(b, 0), int)
    assert (mul(2, b) + 3).evaluate(b=5) == 13
    assert maximum([mul(2, b), b, 3]) == [mul(2, b), 3]
    assert maximum([5, 7, 6]) == [7]


def test_mul_of_one_term_polynomials_is_the_product_term_by_term():
    # mul's one-monomial path against Poly.__mul__ (the general product of the terms)
    import random
    rng = random.Random(3)
    syms = [Poly.symbol(s) for s in "abhn"]
    for _ in range(2000):
        factors = []
        for _ in range(rng.randint(1, 5)):
            kind = rng.random()
            if kind < 0.3:
                factors.append(rng.choice([-3, -1, 1, 2, 8, 794]))
            elif kind < 0.8:
                factors.append(rng.choice(syms) * rng.choice([1, 2, -5]))
            else:
                factors.append(rng.choice(syms) + rng.choice([1, -2, rng.choice(syms)]))
        expected = 1
        for f in factors:
            expected = f * expected if isinstance(expected, int) else expected * f
        got = mul(*factors)
        assert got == expected and type(got) is type(expected), factors


def test_a_one_term_polynomial_prints_as_the_sorted_terms_do():
    b, h = Poly.symbol("b"), Poly.symbol("h")
    assert [str(p) for p in (b, mul(-1, b), mul(2, b, h), mul(-3, b, b), Poly({(): 5}),
                             Poly({(): -1}), Poly({(): 1}), mul(b, h) + 1, mul(-1, b) + h)] \
        == ["b", "-b", "2·b·h", "-3·b·b", "5", "-1", "1", "b·h + 1", "-b + h"]


def test_the_plan_head_is_the_programs_algebra_on_one_line_cut_to_72():
    from notation.emit.plan import _head
    for n in (1, 2, 3, 4, 5, 40):
        program = parse("".join(f"l{i + 1} = relu(l{i}W{i} + b{i})\n" for i in range(n)))
        whole = program.algebra().replace("\n", "; ")
        assert _head(program) == (whole if len(whole) <= 72 else whole[:71] + "…")


def test_the_sampled_peaks_are_those_of_one_walk_a_sample(monkeypatch):
    # Past EXACT_SYMBOLS the samples are weighed in one walk, packed into one int each;
    # the steps it picks are those a walk a sample picks (value_at at that point).
    from notation import plan_memory as planning
    from notation.polynomial import value_at
    program = parse("".join(f"l{i + 1} = softmax(l{i}W{i} + b{i})\n" for i in range(30))
                    + "".join(f"W{i} -= αl{i}ᵀl{i + 1}\n" for i in range(0, 30, 3)))
    plan = program.plan(batch="b")
    steps = plan.steps
    polys = {id(c): c for s in steps for c in (s.allocates, s.scratch) if type(c) is not int}
    symbols = {x for c in polys.values() for x in c.symbols}
    assert len(symbols) > planning.EXACT_SYMBOLS
    expected = set()
    for value in planning.SAMPLES:
        point = dict.fromkeys(symbols, value)
        peaks, _ = planning._walk(steps, plan.results, planning._weights(
            steps, lambda c: value_at(c, point)))
        expected.add(peaks.index(max(peaks)))
    assert planning._sampled_peaks(steps, plan.results, polys, symbols) == expected


# ---------------------------------------------------------------------------- in place

def test_an_activation_is_in_place_only_on_a_value_nothing_reads_again():
    chained = parse("l1 = relu(l0W0)").plan(sizes="3,4").steps
    assert chained[1].in_place == 0 and chained[1].allocates == 0
    named = parse("l1 = l0W0\nl2 = relu(l1)").plan(sizes="3,4,4").steps
    assert named[1].in_place is None and named[1].allocates == 32


def test_plan_style_code():
    assert numpy_plan(parse(BOOK)) == (
        "t1 = layer_0.dot(weights_0_1)\n"
        "t1 *= t1 > 0\n"
        "layer_2 = t1.dot(weights_1_2)")
    assert numpy_plan(parse("l1 = relu(l0W0); l2 = l1W1"), naming="plain") == (
        "l1 = l0.dot(W0)\n"
        "l1 *= l1 > 0\n"
        "l2 = l1.dot(W1)")
    assert numpy_plan(parse("W1 -= αl1ᵀδ2")) == (
        "t1 = layer_1.T.dot(layer_2_delta)\n"
        "t1 *= alpha\n"
        "weights_1_2 -= t1")
    assert parse(BOOK).numpy(style="plan") == numpy_plan(parse(BOOK))


def test_plan_style_temporaries_never_take_a_name_of_the_program():
    code = numpy_plan(parse("l1 = relu(t1W0)"), naming="plain")
    assert code.splitlines()[0] == "l1 = t1.dot(W0)"
    code = numpy_plan(parse("y = relu(t1W0)W1"), naming="plain")
    assert code.splitlines()[0] == "tmp1 = t1.dot(W0)"


def test_plan_style_module_is_importable():
    source = numpy_plan(parse(BOOK), module=True)
    namespace = {}
    exec(compile(source, "<module>", "exec"), namespace)
    out = namespace["run"](layer_0=np.ones((1, 3)), weights_0_1=np.ones((3, 4)),
                           weights_1_2=np.ones((4, 1)))
    assert out["l2"].tolist() == [[12.0]]


# ---------------------------------------------------------------------------- memory

def measured_peak(run, inputs) -> int:
    """Bytes the call allocates at its peak, as tracemalloc sees NumPy's buffers."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        result = run(**inputs)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    del result
    return peak


MEMORY_CASES = [
    ("l2 = relu(l0W0)W1", dict(sizes="256,512,64", batch=300)),
    ("l1 = relu(l0W0); l2 = l1W1", dict(sizes="256,512,64", batch=300)),
    ("l1 = sigmoid(l0W0 + b0)\nl2 = softmax(l1W1 + b1)", dict(sizes="128,256,32", batch=200)),
    ("l2 = l0W0 ⊙ M - l0W0 / 2", dict(sizes="64,300", batch=400, M=(400, 300))),
    ("δ1 = δ2W1ᵀ ⊙ relu'(l1)\nW1 -= αl1ᵀδ2", dict(sizes="64,300,100", batch=256)),
    ("d = tanh'(l0W0) ⊙ sigmoid'(l1)", dict(sizes="64,300", batch=200, l1=300)),
]


@pytest.mark.parametrize("text, dims", MEMORY_CASES)
def test_the_plans_memory_is_what_the_code_allocates(text, dims):
    program = parse(text)
    plan = program.plan(**dims)
    run = program.compile(style="plan", **dims)
    rng = np.random.default_rng(0)
    inputs = {}
    for name in plan.inputs:
        shape = plan.shapes.names[name]
        inputs[keyword(name)] = 0.5 if shape is None else rng.standard_normal(
            (plan.shapes.dim(shape[0]), plan.shapes.dim(shape[1])))
    measured = measured_peak(run, inputs)
    (predicted,) = plan.peaks
    # tracemalloc also sees the array headers and the returned dict: a few hundred bytes
    assert predicted <= measured <= predicted + 4096, (predicted, measured)


@pytest.mark.parametrize("text, dims", MEMORY_CASES)
def test_plan_style_allocates_no_more_than_the_book(text, dims):
    program = parse(text)
    plan = program.plan(**dims)
    rng = np.random.default_rng(0)
    inputs = {}
    for name in plan.inputs:
        shape = plan.shapes.names[name]
        inputs[keyword(name)] = 0.5 if shape is None else rng.standard_normal(
            (plan.shapes.dim(shape[0]), plan.shapes.dim(shape[1])))
    book = measured_peak(program.compile(style="book", **dims), dict(inputs))
    planned = measured_peak(program.compile(style="plan", **dims), dict(inputs))
    assert planned <= book


# ---------------------------------------------------------------------------- golden cases

CASES = golden_files.cases()


def concrete(case):
    """Shape options that fix every input of a golden case the program does not declare."""
    declared = {s.target for s in golden_files.program(case).statements if isinstance(s, Declare)}
    return {keyword(name): dims for name, dims in golden_files.shapes(case).items()
            if dims and name not in declared}


@pytest.mark.parametrize("case", CASES)
def test_golden_plan_text(case):
    program = golden_files.program(case)
    golden_files.check(case, "plan.txt", program.plan(**concrete(case)).text())


@pytest.mark.parametrize("case", CASES)
def test_golden_plan_style_gives_the_books_bits(case):
    """The plan style computes exactly what the book style computes, bit for bit."""
    program = golden_files.program(case)
    shapes = golden_files.shapes(case)
    rng = np.random.default_rng(7)
    arrays = {keyword(n): (rng.standard_normal(s) if s else float(rng.uniform(0.1, 1)))
              for n, s in shapes.items()}
    plan_run = program.compile(style="plan")
    book_run = program.compile(style="book")
    given = {k: v for k, v in arrays.items() if k in plan_run.inputs}
    copy = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in given.items()}
    with np.errstate(all="ignore"):
        planned, booked = plan_run(**given), book_run(**copy)
    assert planned.keys() == booked.keys()
    for key in booked:
        a, b = np.ascontiguousarray(planned[key]), np.ascontiguousarray(booked[key])
        assert a.shape == b.shape and a.dtype == b.dtype, key
        assert a.tobytes() == b.tobytes(), key


# ---------------------------------------------------------------------------- scale

@pytest.mark.slow
def test_a_100000_factor_product_plans_without_recursion():
    n = 100_000
    plan = parse("l1 = l0" + "W" * n).plan(l0=(1, 4), W=(4, 4))
    assert len(plan.steps) == n and plan.flops == n * 32
    (chain,) = plan.chains
    assert chain.reason == "longer than 64 factors: not searched"


def test_a_plan_is_callable():
    plan = parse(BOOK).plan(sizes="3,4,1")
    out = plan(l0=np.ones((1, 3)), W0=np.ones((3, 4)), W1=np.ones((4, 1)))
    assert out["l2"].tolist() == [[12.0]]


def test_a_shape_error_stops_the_plan():
    with pytest.raises(NotationShapeError):
        parse("l2 = relu(l0W0)W1\nW1 : 5×1").plan(sizes="3,4,1")


def test_plan_names_are_names():
    plan = parse(BOOK).plan(sizes="3,4,1")
    assert plan.inputs == [Name("l", "0"), Name("W", "0"), Name("W", "1")]
    assert plan.outputs == [Name("l", "2")]


# ---------------------------------------------------------------------------- properties

from hypothesis import HealthCheck, example, given, settings  # noqa: E402

import strategies  # noqa: E402
import trees  # noqa: E402

from notation import NotationError  # noqa: E402


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.square_programs)
# Found by hypothesis: the book scales a parenthesized product at once,
# (alpha * (δ1.dot(δ1))).dot(a), and the plan style used to scale after the last product.
@example(parse("a = α(δ1δ1)a"))
@example(parse("y = A(α(BC))D + αβ(AB)C"))
def test_plan_style_computes_the_books_bits_for_generated_programs(program):
    """Any program computable on n × n arrays: the plan style gives what the book style gives."""
    plan_run = program.compile(style="plan")
    book_run = program.compile(style="book")
    rng = np.random.default_rng(5)
    inputs = {}
    for name in plan_run.plan.inputs:
        shape = plan_run.plan.shapes.names[name]
        inputs[keyword(name)] = float(rng.uniform(0.5, 1.5)) if shape is None \
            else rng.standard_normal((3, 3))
    copy = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in inputs.items()}
    with np.errstate(all="ignore"):
        planned, booked = plan_run(**inputs), book_run(**copy)
    assert planned.keys() == booked.keys()
    for key in booked:
        a, b = np.ascontiguousarray(planned[key]), np.ascontiguousarray(booked[key])
        assert a.shape == b.shape and a.tobytes() == b.tobytes(), key


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees.programs)
def test_any_tree_is_planned_or_refused_with_a_notation_error(program):
    try:
        plan = program.plan()
    except NotationError as e:
        str(e)
        return
    plan.text()
    plan.json()
    try:
        numpy_plan(program, plan=plan, module=True)
    except NotationError:
        pass


def test_every_builtin_function_has_its_plan_style_recipe():
    """The recipe is a fact of the function's record (notation/functions.py): every built-in
    function has one, and so does every built-in derivative (tests/test_registry.py checks
    that each gives the helper's bits)."""
    from notation import functions
    for fn in builtin_functions.builtin():
        assert functions.lookup(fn.name).recipe is not None, fn.name
        if fn.derivative is not None:
            assert functions.lookup(fn.name).derivative_recipe is not None, fn.name + "'"


def test_a_function_without_a_recipe_is_called_as_its_helper():
    from notation import functions
    functions.register("softsign", "x / (1 + np.abs(x))")
    try:
        program = parse("y = softsign(xW)")
        code = program.numpy(style="plan")
        assert code.splitlines()[-1] == "y = softsign(t1)"
        rng = np.random.default_rng(0)
        x, W = rng.standard_normal((2, 3)), rng.standard_normal((3, 4))
        out = program.compile()(x=x, W=W)["y"]
        assert out.tobytes() == (x.dot(W) / (1 + np.abs(x.dot(W)))).tobytes()
    finally:
        del functions.FUNCTIONS["softsign"]


# ---------------------------------------------------------------------------- the fast paths
# Plan building takes shorter ways for the common cases (issue 7: a 10-factor chain, a
# 10,000-statement program). Each must agree with the general way it stands for.

from hypothesis import strategies as st  # noqa: E402

from notation.inference import Inference, _mentioned_names  # noqa: E402
from notation.lowering import Lowering, _factors  # noqa: E402
from notation.nodes import Declare, MatMul, Transpose  # noqa: E402
from notation.shapes import DECLARED, ShapeOptions, find  # noqa: E402


def _flatten(node, out):
    """The factors of a product, by recursion (the tests' own, independent way)."""
    if type(node) is MatMul:
        _flatten(node.left, out)
        _flatten(node.right, out)
    else:
        out.append(node)
    return out


def _no_product_on_the_right(node) -> bool:
    if type(node) is not MatMul:
        return True
    return type(node.right) is not MatMul and _no_product_on_the_right(node.left) \
        and _no_product_on_the_right(node.right)


products = st.recursive(trees.names | st.builds(Transpose, trees.names),
                        lambda inner: st.builds(MatMul, inner, inner), max_leaves=12) \
    .filter(lambda e: type(e) is MatMul)


@settings(max_examples=examples(300), deadline=None)
@given(products)
def test_the_factors_of_a_product_and_their_order_agree_with_recursion(expr):
    # the left side walked without a stack (l0W0W1…), else the general walk
    factors, in_order = _factors(expr)
    assert [id(f) for f in factors] == [id(f) for f in _flatten(expr, [])]
    assert in_order == _no_product_on_the_right(expr)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees.programs)
def test_the_walk_finds_the_names_a_walk_of_their_own_finds(program):
    # Without the convention or options, inference records each name where its walk first
    # meets it; the convention and options find them all first, by a walk of their own.
    recorded = Inference(program, ShapeOptions(), False)
    walked = Inference(program, ShapeOptions(), False)
    walked.mentioned = _mentioned_names(program)
    try:
        by_walk = recorded.run()
    except NotationError:
        with pytest.raises(NotationError):
            walked.run()
        return
    own = walked.run()
    assert list(recorded.mentioned) == list(_mentioned_names(program))
    assert [(n, n.span) for n in by_walk.names] == [(n, n.span) for n in own.names]
    assert [by_walk.text(s) for s in by_walk.names.values()] == \
        [own.text(s) for s in own.names.values()]


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees.programs)
def test_declared_shapes_are_made_as_the_general_path_makes_them(program):
    # A declaration's shape is made directly; an option's goes through shape_of and _apply:
    # both must leave each dimension its value, its origin and its own origin.
    try:
        shapes = Inference(program, ShapeOptions(), False).run()
    except NotationError:
        return
    first = {}
    for s in program.statements:
        if type(s) is Declare:
            first.setdefault((s.target.letter, s.target.sub), s)
    general = Inference(program, ShapeOptions(), False)
    for key, s in first.items():             # what shape_of reads for a declared name
        general.scalar_decl[key] = not s.dims
    for key, s in first.items():
        origin, dims = shapes.declared[s.target]
        assert origin.kind == DECLARED and origin.span == s.span
        general._apply(s.target, dims, (origin, origin), True)
        made, expected = shapes._cache[key], general.cache[key]
        assert (made is None) == (expected is None) == (not dims)
        for v, w in zip(made or (), expected or ()):
            assert (v.name, v.axis, v.own) == (w.name, w.axis, w.own)
            # the value and origin of the dimension as declared (before any unification)
            assert (w.value, w.origin) == (find(w).value, find(w).origin)
            assert v.own is origin and (find(v).value == w.value or find(v).value is not None)


chain_dims = st.lists(st.integers(1, 40), min_size=3, max_size=9)


@settings(max_examples=examples(200), deadline=None)
@given(chain_dims, st.data())
def test_chains_lowered_by_the_short_ways_cost_what_their_trees_cost(dims, data):
    """Two arrays, a chain written left to right, one with parentheses or scalars: the steps
    add up to the cost of the tree as written (and of the cheapest tree, optimized)."""
    from notation.chain import best_order, cost
    n = len(dims) - 1
    names = [f"M{k}" for k in range(n)]
    # a written tree over the factors: some parentheses on the right, maybe
    parts = list(names)
    while len(parts) > 1 and data.draw(st.booleans()):
        i = data.draw(st.integers(0, len(parts) - 2))
        left = parts[i][1:-1] if parts[i].startswith("(") else parts[i]   # a left group: bare
        parts[i:i + 2] = ["(" + left + parts[i + 1] + ")" if i else left + parts[i + 1]]
    text = "".join(parts)
    if data.draw(st.booleans()):
        where = data.draw(st.integers(0, len(text)))
        while where < len(text) and text[where] in ")":
            where += 1
        if where == 0 or text[where - 1] != "M":
            text = text[:where] + "α" + text[where:]
    source = f"Y = {text}\n" + "\n".join(f"M{k} : {dims[k]}×{dims[k + 1]}" for k in range(n))
    program = parse(source)
    plan = program.plan(convention=False)
    products = sum(s.flops for s in plan.steps if s.op == "matmul")
    if n >= 3:
        (advice,) = plan.chains
        assert advice.written_text == text.replace("α", "")
        assert products == advice.written_flops == cost(advice.written, dims)
        assert advice.best_flops == best_order(dims)[0]
        optimized = program.plan(convention=False, optimize=True)
        assert sum(s.flops for s in optimized.steps if s.op == "matmul") == \
            min(advice.written_flops, advice.best_flops)
    else:
        assert products == cost((0, 1), dims)


def test_a_polynomial_prints_as_its_sorted_terms_with_their_signs():
    # Poly.__str__ against the rule it prints by: higher degree first, then the monomials in
    # order; a coefficient of 1 is not written but for a constant; '+ '/'- ' between terms.
    import random
    rng = random.Random(5)
    symbols = ["b", "h", "n1", "n10", "n2", "α"]

    def reference(terms: dict) -> str:
        out = []
        for m, c in sorted(terms.items(), key=lambda t: (-len(t[0]), t[0])):
            text = "·".join(([str(abs(c))] if abs(c) != 1 or not m else []) + list(m))
            out.append(("-" if c < 0 else "") + text if not out else
                       ("- " if c < 0 else "+ ") + text)
        return " ".join(out) or "0"

    for _ in range(2_000):
        terms = {}
        for _ in range(rng.randint(0, 6)):
            monomial = tuple(sorted(rng.choice(symbols) for _ in range(rng.randint(0, 3))))
            terms[monomial] = rng.choice([1, -1, 2, -3, 10, 1234567])
        assert str(Poly(terms)) == reference(Poly(terms).terms), terms
