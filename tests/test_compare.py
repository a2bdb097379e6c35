"""compare (SPEC §5, §8): views read, chains inlined, names aligned; structural, else numeric."""

import os
import subprocess
import sys

import pytest

from notation import NotationError, NotationShapeError, compare, parse
from notation.comparing import first_difference, inline
from notation.random_inputs import random_inputs

BOOK = "layer_2 = relu(layer_0.dot(weights_0_1)).dot(weights_1_2)"


def test_spec_algebra_and_numpy_are_equivalent():
    result = compare("l2 = relu(l0W0)W1", BOOK)
    assert result.equivalent and bool(result)
    assert result.method == "structural"
    assert [v.kind for v in result.views] == ["algebra", "NumPy"]
    assert result.report() == ("equivalent (structural): the trees are the same after inlining; "
                               "compared l2")


def test_chained_statements_are_inlined():
    result = compare("l1 = relu(l0W0); l2 = l1W1", "l2 = relu(l0W0)W1")
    assert result.equivalent and result.method == "structural"
    assert result.report() == (
        "equivalent (structural): the trees are the same after inlining; compared l2\n"
        "  note: l1 only in view 1 (inlined where used)")


def test_latex_algebra_and_numpy_in_both_styles():
    result = compare(r"l_{2} = \operatorname{relu}\left(l_{0} W_{0}\right) W_{1}",
                     "l2 = relu(l0W0)W1",
                     "layer_2 = relu(layer_0 @ weights_0_1) @ weights_1_2",
                     "l1 = np.maximum(0, l0 @ W0)\nl2 = l1 @ W1")
    assert [v.kind for v in result.views] == ["LaTeX", "algebra", "NumPy", "NumPy"]
    assert result.equivalent and result.method == "structural"
    assert result.report().splitlines() == [
        "view 1 and view 2: equivalent (structural): the trees are the same after inlining; "
        "compared l2",
        "view 1 and view 3: equivalent (structural): the trees are the same after inlining; "
        "compared l2",
        "view 1 and view 4: equivalent (structural): the trees are the same after inlining; "
        "compared l2",
        "  note: l1 only in view 4 (inlined where used)"]


def test_the_association_of_a_product_is_decided_numerically():
    result = compare("y = (AB)C", "y = A(BC)")
    assert result.equivalent and result.method == "numeric"
    assert result.report() == "\n".join([
        "equivalent (numeric): the trees differ in form but agree on random arrays in 3 "
        "trials; compared y",
        "  first difference in form:",
        "    view 1 (algebra, line 1, column 5): AB",
        "    view 2 (algebra, line 1, column 5): A"])


def test_an_update_equals_its_written_out_assignment():
    assert compare("W1 -= αl1ᵀδ2", "W1 = W1 - αl1ᵀδ2").method == "structural"
    result = compare("W1 -= αl1ᵀδ2", "weights_1_2 = weights_1_2 - alpha * (layer_1.T.dot(layer_2_delta))")
    assert result.equivalent and result.method == "numeric"


def test_different_views_show_the_first_difference_in_each_language():
    result = compare("l2 = relu(l0W0)W1",
                     "layer_2 = sigmoid(layer_0.dot(weights_0_1)).dot(weights_1_2)")
    assert not result and not result.equivalent
    assert result.report() == "\n".join([
        "different (numeric): l2 differs on random arrays; compared l2",
        "  first difference:",
        "    view 1 (algebra, line 1, column 6): relu(l0W0)",
        "    view 2 (NumPy, line 1, column 11): sigmoid(layer_0.dot(weights_0_1))"])


def test_the_difference_shown_is_where_the_values_part():
    # (AB)C and A(BC) differ in form first; the values part at x and z.
    result = compare("y = (AB)C + x", "y = A(BC) + z")
    assert not result.equivalent
    lines = result.report().splitlines()
    assert lines[2:] == ["    view 1 (algebra, line 1, column 13): x",
                         "    view 2 (algebra, line 1, column 13): z"]


def test_a_wrong_transpose_is_found():
    result = compare("δ1 = δ2W1ᵀ ⊙ relu'(l1)",
                     r"\delta_{1} = \delta_{2} W_{1} \odot \operatorname{relu}'\left(l_{1}\right)")
    assert not result.equivalent
    assert result.report().splitlines()[2:] == [
        "    view 1 (algebra, line 1, column 8): W1ᵀ",
        r"    view 2 (LaTeX, line 1, column 25): W_{1}"]


def test_the_idioms_are_the_same_computation():
    assert compare("δ1 = δ2W1ᵀ ⊙ relu'(l1)",
                   "layer_1_delta = layer_2_delta.dot(weights_1_2.T) * (layer_1 > 0)").equivalent
    result = compare("l1 = 1 / (1 + exp(-l0W0))", "l1 = σ(l0W0)")
    assert result.equivalent and result.method == "numeric"


def test_without_a_common_name_the_last_values_are_compared():
    result = compare("relu(l0W0)W1", "l2 = relu(l0W0)W1")
    assert result.equivalent
    assert result.report() == (
        "equivalent (structural): the trees are the same after inlining; compared _ and l2\n"
        "  note: no name is assigned in both views: their last values are compared")


def test_a_name_read_in_one_view_and_computed_in_the_other_differs():
    result = compare("l2 = l1W1", "l1 = relu(l0W0); l2 = l1W1")
    assert not result.equivalent
    assert result.report().splitlines()[2:4] == [
        "    view 1 (algebra, line 1, column 6): l1",
        "    view 2 (algebra, line 1, column 6): relu(l0W0)"]


def test_declarations_fix_the_shapes_of_the_numeric_check():
    inputs = random_inputs([parse("l0 : 2×3; W0 : 3×5; l1 = relu(l0W0)")])
    for trial in inputs:
        assert trial[parse("l0").statements[0].expr].shape == (2, 3)
        assert trial[parse("W0").statements[0].expr].shape == (3, 5)


def test_inconsistent_shapes_are_a_shape_error():
    with pytest.raises(NotationShapeError) as caught:
        compare("W0 : 3×4; y = xW0", "W0 : 5×4; y = xW0 + z")
    assert caught.value.message == ("the views cannot be given consistent shapes for a numeric "
                                    "check: W0 : 5×4 contradicts W0 : 3×4")
    with pytest.raises(NotationShapeError) as caught:
        compare("l0 : 1×3; W0 : 4×2; y = l0W0", "y = l0W0 + z")
    # (the shapes stage's own message, which names the operation: random_inputs runs its
    # inference, no unifier of its own)
    assert caught.value.message == ("the views cannot be given consistent shapes for a numeric "
                                    "check: shape mismatch in the product l0W0")


def test_programs_compare_as_trees():
    p = parse("l2 = relu(l0W0)W1")
    assert compare(p, p.numpy(), p.latex()).equivalent


def test_a_view_that_reads_as_neither_reports_the_fitting_error():
    with pytest.raises(NotationError) as caught:
        compare("l2 = relu(l0W0", BOOK)
    assert caught.value.message == "unclosed parenthesis"
    with pytest.raises(NotationError) as caught:
        compare("l2 = relu(l0W0)W1", "layer_2 = leaky(layer_0)")
    assert caught.value.message == "leaky() is not a function of the notation"


def test_compare_needs_two_views():
    with pytest.raises(ValueError):
        compare("l2 = relu(l0W0)W1")


def test_inline_and_first_difference():
    out = inline(parse("l1 = relu(l0W0); l2 = l1W1; W1 -= αl1ᵀδ2"))
    assert {k: v for k, v in out.items()} == {
        "l1": parse("relu(l0W0)").statements[0].expr,
        "l2": parse("relu(l0W0)W1").statements[0].expr,
        "W1": parse("W1 - α relu(l0W0)ᵀδ2").statements[0].expr}
    a, b = (parse(t).statements[0].expr for t in ("relu(xW)V", "relu(xW)U"))
    assert first_difference(a, b) == (parse("V").statements[0].expr, parse("U").statements[0].expr)
    assert first_difference(a, a) is None


def test_shared_values_do_not_blow_up():
    # Each line doubles the inlined tree: 2^60 nodes printed, 60 shared ones in memory.
    lines = ["x1 = x0 + x0"] + [f"x{i + 1} = x{i} + x{i}" for i in range(1, 60)]
    result = compare("\n".join(lines), "\n".join(lines).replace("x0 + x0", "2x0"))
    assert result.equivalent and result.method == "numeric"


# ---------------------------------------------------------------------------- the command

def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "notation", "compare", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd, env=dict(os.environ, NO_COLOR="1"))


def test_cli_equivalent_exits_0():
    r = run_cli("l2 = relu(l0W0)W1", BOOK)
    assert (r.returncode, r.stdout, r.stderr) == (
        0, "equivalent (structural): the trees are the same after inlining; compared l2\n", "")


def test_cli_different_exits_1():
    r = run_cli("l2 = relu(l0W0)W1", "l2 = relu(l0W0)W2")
    assert r.returncode == 1
    assert r.stdout.startswith("different (numeric): l2 differs on random arrays")
    assert r.stderr == ""


def test_cli_reads_files_by_their_extension(tmp_path):
    program = parse("l1 = relu(l0W0); l2 = σ(l1W1)")
    (tmp_path / "net.nn").write_text("l2 = σ(relu(l0W0)W1)\n", encoding="utf-8")
    (tmp_path / "net.py").write_text(program.numpy(module=True), encoding="utf-8")
    (tmp_path / "net.tex").write_text(program.latex(document=True), encoding="utf-8")
    r = run_cli("net.nn", "net.py", "net.tex", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("equivalent (structural)") == 2


def test_cli_usage_and_input_errors(tmp_path):
    assert run_cli("l2 = relu(l0W0)W1").returncode == 2
    r = run_cli("l2 = relu(l0W0)W1", "missing.py", cwd=tmp_path)
    assert r.returncode == 2 and "cannot read missing.py" in r.stderr
    r = run_cli("l2 = relu(l0W0)W1", "layer_2 = layer_1[0][1]")
    assert r.returncode == 1 and r.stderr.startswith("error: indexing cannot be read")
    assert r.stdout == ""


def test_cli_report_to_a_file(tmp_path):
    out = tmp_path / "report.txt"
    r = run_cli("y = (AB)C", "y = A(BC)", "-o", str(out))
    assert (r.returncode, r.stdout) == (0, "")
    assert out.read_text(encoding="utf-8").startswith("equivalent (numeric)")


def test_comparing_a_network_with_its_numpy_does_linear_work(monkeypatch):
    # issue 16, R2: compare of a 1,000-layer network with its own NumPy took 32.7 s (x83 a
    # decade): each layer's inlined value holds the one before, and every layer was compared
    # from scratch. Counted, not timed (benchmarks/repros.py times it): the node pairs
    # compared grow as the layers do.
    import notation.compare_trees as trees
    labels = []
    original = trees.node_label
    monkeypatch.setattr(trees, "node_label", lambda node: labels.append(1) or original(node))

    def pairs(layers):
        functions = ["relu", "sigmoid", "tanh"]
        program = parse("\n".join(["l0 : 1×3"] + [f"l{k + 1} = {functions[k % 3]}(l{k}W{k})"
                                                  for k in range(layers)]))
        code = program.numpy()
        labels.clear()
        assert compare(program, code).equivalent
        return len(labels)

    small, large = pairs(100), pairs(1000)
    assert 0 < small and large < 12 * small, (small, large)
