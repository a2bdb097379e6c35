"""--sizes follows the program's own chain of layers; --batch is the batch of every layer;
a size or a --dims name that matches nothing is an error that lists the layers (SPEC §2,
docs/shapes.md "Sizes follow the program's own chain")."""

import pytest

from notation import NotationError, NotationShapeError, parse
from notation.errors import NotationOptionError
from notation.nodes import Name
from tests.test_cli import run

MLP = "h1 = relu(xW1 + b1); h2 = relu(h1W2 + b2); p = softmax(h2W3 + b3)"
BOOK_MLP = "l1 = relu(l0W0 + b0); l2 = relu(l1W1 + b1); l3 = softmax(l2W2 + b2)"
MNIST = dict(sizes="784,128,64,10", batch=32)


def shapes(plan) -> dict[str, str]:
    from notation.emit.algebra import algebra
    return {algebra(n): plan.shapes.text(s) for n, s in plan.shapes.names.items()}


def test_the_issue_mlp_with_its_own_names_has_the_mnist_figures():
    plan = parse(MLP).plan(**MNIST)
    assert plan.parameters == 109_386
    table = shapes(plan)
    assert table["x"] == "32×784"
    assert (table["h1"], table["h2"], table["p"]) == ("32×128", "32×64", "32×10")
    assert (table["W1"], table["W2"], table["W3"]) == ("784×128", "128×64", "64×10")
    assert not plan.shapes.unknowns()


def test_same_figures_as_the_book_letter_program_with_the_same_sizes():
    mine, book = parse(MLP).plan(**MNIST), parse(BOOK_MLP).plan(**MNIST)
    assert (mine.parameters, mine.flops, mine.multiply_adds, mine.bytes_allocated) == \
        (book.parameters, book.flops, book.multiply_adds, book.bytes_allocated)
    assert [mine.shapes.text(s.shape) for s in mine.steps] == \
        [book.shapes.text(s.shape) for s in book.steps]


def test_book_letter_programs_keep_their_sizes_by_index():
    plan = parse("l2 = relu(l0W0)W1").plan(sizes="3,4,1")
    assert shapes(plan) == {"l0": "1×3", "W0": "3×4", "W1": "4×1", "l2": "1×1"}
    assert (plan.flops, plan.parameters) == (36, 16)
    # l1 is not written, but it is the book's layer 1: --dims may name it
    plan = parse("l2 = relu(l0W0)W1").plan(sizes="3", dims="l1=5,l2=2")
    assert shapes(plan)["W0"] == "3×5" and shapes(plan)["W1"] == "5×2"
    # a gap in the indices is still a layer of the chain (l1 sizes nothing here)
    assert shapes(parse("l2 = l0W0").plan(sizes="3,4,5", convention=False))["W0"] == "3×5"


def test_the_input_is_the_layer_read_but_never_assigned():
    # the mask m is read and never assigned too, but x is the one a matrix multiplies
    plan = parse("h = m ⊙ relu(xW)").plan(sizes="3,4")
    assert shapes(plan)["x"] == "1×3" and shapes(plan)["h"] == "1×4"
    assert shapes(plan)["W"] == "3×4" and shapes(plan)["m"] == "1×4"
    # a recurrent layer is read before it is assigned: the input is still x
    plan = parse("h = tanh(hU + xW)").plan(sizes="3,4")
    assert shapes(plan)["W"] == "3×4" and shapes(plan)["U"] == "4×4"


def test_each_assigned_layer_takes_the_next_size_once_in_the_order_of_assignment():
    plan = parse("a = relu(xA); c = relu(aB); a2 = cC").plan(sizes="2,3,4,5")
    assert shapes(plan)["A"] == "2×3" and shapes(plan)["B"] == "3×4" and shapes(plan)["C"] == "4×5"


def test_dims_override_sizes_in_the_programs_chain():
    plan = parse(MLP).plan(sizes="784,128,64,10", dims="h2=32")
    assert shapes(plan)["W2"] == "128×32" and shapes(plan)["W3"] == "32×10"


def test_batch_is_the_batch_of_every_layer():
    plan = parse(MLP).plan(batch=32)
    table = shapes(plan)
    assert all(table[n].startswith("32×") for n in ("x", "h1", "h2", "p"))
    assert table["b1"].startswith("1×")
    plan = parse("l2 = relu(l0W0)W1\nδ2 = l2 - y").plan(batch="b")
    assert shapes(plan)["y"] == "b×n2" and shapes(plan)["l0"] == "b×n0"
    assert ("b", "the batch (the rows of l0)") not in plan.shapes.unknowns()


def test_a_size_too_many_is_an_error_that_lists_the_layers():
    with pytest.raises(NotationOptionError) as e:
        parse(MLP).plan(sizes="784,128,64,10,5")
    assert e.value.message == (
        "--sizes gives 5 sizes, but the program has 4 layers; its layers are x, h1, h2, p "
        "(the input x, read but never assigned, then each assigned layer in order)")
    assert "give at most 4 sizes" in e.value.hint
    with pytest.raises(NotationOptionError) as e:
        parse("l2 = relu(l0W0)W1").plan(sizes="3,4,1,5")
    assert "its layers are l0, l1, l2 (the book's l0, l1, … in order)" in e.value.message


def test_a_dims_name_the_program_lacks_is_an_error_that_lists_the_layers():
    with pytest.raises(NotationOptionError) as e:
        parse(MLP).plan(dims="z=3")
    assert e.value.message.startswith("--dims names z, which the program does not have; "
                                      "its layers are x, h1, h2, p")
    assert "x, W1, b1" in e.value.hint
    with pytest.raises(NotationOptionError):
        parse("l2 = relu(l0W0)W1").plan(W5=(3, 4))       # keywords are --dims too
    # a name only declared is the program's
    assert shapes(parse("z : 1×3\nh = xW").plan(dims="z=3"))["z"] == "1×3"


def test_the_cli_reports_a_size_that_matches_nothing_without_a_traceback():
    r = run("plan", MLP, "--sizes", "784,128,64,10,5")
    assert r.returncode == 2 and "Traceback" not in r.stderr      # bad usage
    assert "its layers are x, h1, h2, p" in r.stderr
    r = run("check", MLP, "--dims", "l0=3")
    assert r.returncode == 2 and "--dims names l0, which the program does not have" in r.stderr
    r = run("plan", MLP, "--sizes", "784,128,64,10", "--batch", "32")
    assert r.returncode == 0 and "parameters     109,386" in r.stdout
    assert "  x   32×784   from --sizes" in r.stdout


def test_the_convention_applies_to_book_letter_programs_only():
    # two weights side by side: W1 and W2 both read x, nothing makes them square
    plan = parse("y = relu(xW1) + relu(xW2)").plan(dims="x=784")
    assert shapes(plan)["W1"] == "784×d1" and shapes(plan)["W2"] == "784×d1"
    # the book's letters keep the convention
    assert shapes(parse("l1 = relu(l0W0)").plan())["W0"] == "n0×n1"


def test_naming_many_unknown_dimensions_is_linear():
    # R1 (issue 16): 4,000 statements whose layers all want the name b. Each other b was
    # named by appending primes in a loop (cubic: 16 s); now the k-th is b′k past three.
    import time
    source = "\n".join(f"h{i} = x{i}W{i}" for i in range(4000)) + "\ny = A h1\nz = C h1\nA : 2×3\nC : 2×5"
    program = parse(source)
    start = time.process_time()          # (CPU time: the test machine is shared)
    with pytest.raises(NotationShapeError) as e:
        program.plan()
    assert "h1 is 3×" in str(e.value)
    assert time.process_time() - start < 2      # 0.7 s measured (it was minutes)
    names = [s for s, _ in parse("\n".join(f"h{i} = x{i}W{i}" for i in range(6))).plan()
             .shapes.unknowns() if s.startswith("b")]
    assert names == ["b", "b′", "b′′", "b′′′", "b′4", "b′5"]


def test_a_ten_thousand_factor_symbolic_chain_is_checked_in_linear_time():
    # R1 (issue 16): every dimension of y = A0A1…A9999 is unknown and named d1…d10001.
    import time
    from notation.shapes import infer
    program = parse("y = " + "".join(f"A{i}" for i in range(10_000)))
    start = time.process_time()
    shapes = infer(program)
    texts = [shapes.text(s) for s in shapes.names.values()]
    unknown = shapes.unknowns()
    assert time.process_time() - start < 2      # 0.6 s measured
    assert len(unknown) == 10_001 and texts[0] == "d1×d2" and texts[-1] == "d1×d10001"



def test_options_resolve_once_a_program_and_again_for_another():
    # ShapeOptions.resolve keeps its last result: a tree does not change, so the same
    # options on the same program give the same declarations (execution c plans one program
    # 1,000 times); another program, or the other convention, is resolved anew.
    from notation.plan import build
    from notation.shapes import options

    def texts(plan):
        return {n.letter + n.sub: plan.shapes.text(s) for n, s in plan.shapes.names.items()}

    opts = options(sizes="3,4,5", batch="2")
    p, q = parse("l2 = relu(l0W0)W1"), parse("h1 = relu(xW1)\nh2 = h1W2")
    for program in (p, p, q, p, q, q):
        for convention in (True, False, True):
            fresh = options(sizes="3,4,5", batch="2")
            assert texts(build(program, opts, convention=convention)) == \
                texts(build(program, fresh, convention=convention))
    assert texts(build(q, opts)) == {"x": "2×3", "W1": "3×4", "h1": "2×4", "W2": "4×5",
                                     "h2": "2×5"}
    build(p, opts)
    kept = opts._resolved
    build(p, opts)
    assert opts._resolved is kept and kept[0] is p
