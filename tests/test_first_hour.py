"""Issue 17: the first hour of a new user. The CLI cases run the installed `notation` command
(the console script beside the interpreter; PYTHONPATH makes it this checkout's)."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import notation
from notation import NotationError, parse
from notation.read.latex import from_latex

from .tools import missing

BOOK = "l2 = relu(l0W0)W1"


def notation_cmd() -> str:
    exe = Path(sys.executable).with_name("notation")
    if exe.exists():
        return str(exe)
    found = shutil.which("notation")
    if found is None:
        missing("the console script notation is not installed")
    return found


def cli(*args, stdin=None, env=None, cwd=None, binary=False):
    environment = dict(os.environ, NO_COLOR="1")
    environment.pop("FORCE_COLOR", None)
    environment.update(env or {})
    for key in [k for k, v in environment.items() if v is None]:
        del environment[key]
    return subprocess.run([notation_cmd(), *args], input=stdin, capture_output=True,
                          text=not binary, env=environment, cwd=cwd, timeout=60)


# ---------------------------------------------------------------------------- Python objects

def test_a_program_names_its_source_and_prints_as_its_algebra():
    program = parse("l2=relu( l_0 W_{0} ) W1")
    assert repr(program) == "Program('l2=relu( l_0 W_{0} ) W1')"
    assert str(program) == "l2 = relu(l0W0)W1"
    assert repr(parse("l1 = relu(l0W0); l2 = l1W1")) == "Program('l1 = relu(l0W0); l2 = l1W1')"
    assert len(repr(parse(" + ".join(["l0W0"] * 100)))) < 140


def test_a_plan_prints_its_table_in_the_repl_and_renders_in_jupyter():
    plan = parse(BOOK).plan(sizes=(3, 4, 1))
    assert repr(plan) == plan.text() and "FLOPs" in repr(plan)
    html = plan._repr_html_()
    assert html.startswith("<table class='plan'>") and "relu(t1)" in html


# ---------------------------------------------------------------------------- initial weights

def test_book_weights_are_the_books_random_stream_and_leave_numpys_state_alone():
    state = np.random.get_state()[1].copy()
    w = parse(BOOK).init(sizes=(3, 4, 1), seed=1)
    assert np.array_equal(np.random.get_state()[1], state)
    np.random.seed(1)
    assert list(w) == ["W0", "W1"]
    assert np.array_equal(w["W0"], 2 * np.random.random((3, 4)) - 1)
    assert np.array_equal(w["W1"], 2 * np.random.random((4, 1)) - 1)


@pytest.mark.parametrize("scheme", ["xavier", "glorot", "he"])
def test_named_schemes_have_zero_biases_and_their_spread(scheme):
    w = notation.init_weights(parse("l1 = relu(l0W0 + b0); l2 = l1W1"), scheme=scheme, seed=0,
                              sizes=(784, 128, 10))
    assert {k: v.shape for k, v in w.items()} == {"W0": (784, 128), "b0": (1, 128),
                                                   "W1": (128, 10)}
    assert not w["b0"].any()
    if scheme == "he":
        assert abs(w["W0"].std() - np.sqrt(2 / 784)) < 0.002
    else:
        bound = np.sqrt(6 / (784 + 128))
        assert abs(w["W0"]).max() <= bound and abs(w["W0"]).max() > 0.95 * bound


def test_weights_need_numbers_for_every_dimension():
    with pytest.raises(NotationError, match="every dimension as a number"):
        parse(BOOK).init(dims="l0=3", batch="b", seed=1)
    with pytest.raises(ValueError):
        parse(BOOK).init(sizes=(3, 4, 1), scheme="lecun")


def test_notation_init_writes_what_run_reads(tmp_path):
    r = cli("init", BOOK, "--sizes", "3,4,1", "--seed", "1", "-o", "weights.npz", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stderr == "wrote weights.npz: W0 3×4, W1 4×1 (book, seed 1)\n"
    with np.load(tmp_path / "weights.npz") as f:
        np.random.seed(1)
        assert np.array_equal(f["W0"], 2 * np.random.random((3, 4)) - 1)
    np.savez(tmp_path / "data.npz", l0=np.array([[1.0, 0.0, 1.0]]))
    r = cli("run", BOOK, "--inputs", "weights.npz", "--inputs", "data.npz", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    w = parse(BOOK).init(sizes=(3, 4, 1), seed=1)
    l2 = np.maximum(np.array([[1.0, 0.0, 1.0]]) @ w["W0"], 0) @ w["W1"]
    assert r.stdout.splitlines()[0] == "l2 : 1×1"
    assert float(r.stdout.split("[[")[1].split("]]")[0]) == pytest.approx(l2[0, 0], abs=1e-8)
    # run --init starts the parameters itself, with the same numbers
    same = cli("run", BOOK, "--inputs", "data.npz", "--init", "book", "--seed", "1",
               "--sizes", "3,4,1", cwd=tmp_path)
    assert (same.returncode, same.stdout) == (0, r.stdout)


def test_init_refuses_a_file_that_is_not_npz_and_pipes_to_run(tmp_path):
    r = cli("init", BOOK, "--sizes", "3,4,1", "-o", "w.txt", cwd=tmp_path)
    assert r.returncode == 2 and "name the file .npz" in r.stderr
    assert list(tmp_path.iterdir()) == []
    piped = cli("init", BOOK, "--sizes", "3,4,1", "--seed", "1", "-o", "-", binary=True)
    np.savez(tmp_path / "data.npz", l0=np.ones((1, 3)))
    r = subprocess.run([notation_cmd(), "run", BOOK, "--inputs", "-", "--inputs",
                        str(tmp_path / "data.npz")], input=piped.stdout, capture_output=True,
                       timeout=60, env=dict(os.environ, NO_COLOR="1"))
    assert r.returncode == 0 and r.stdout.startswith(b"l2 : 1\xc3\x971"), r.stderr


def test_run_says_plainly_that_a_text_file_is_not_npz(tmp_path):
    (tmp_path / "net.nn").write_text(BOOK + "\n", encoding="utf-8")
    r = cli("run", BOOK, "--inputs", "net.nn", cwd=tmp_path)
    assert r.returncode == 2
    first = r.stderr.splitlines()[0]
    assert first.startswith("notation run: error: net.nn is not an .npz file (text)")
    assert "pickle" not in r.stderr


# ---------------------------------------------------------------------------- CLI conventions

def test_a_dash_is_standard_input():
    r = cli("numpy", "-", stdin="l2 = l1W1\n")
    assert (r.returncode, r.stdout) == (0, "layer_2 = layer_1.dot(weights_1_2)\n")
    r = cli("compare", BOOK, "-",
            stdin="layer_2 = relu(layer_0.dot(weights_0_1)).dot(weights_1_2)\n")
    assert r.returncode == 0 and r.stdout.startswith("equivalent"), r.stderr


@pytest.mark.parametrize("command, name, starts", [
    (["show", BOOK, "--sizes", "3,4,1"], "page.html", "<!DOCTYPE html>"),
    (["diagram", BOOK, "--sizes", "3,4,1"], "net.svg", "<svg"),
    (["plan", BOOK, "--sizes", "3,4,1"], "plan.json", "{"),
    (["backward", BOOK], "step.py", "layer_1 = relu("),
    (["backward", BOOK], "step.tex", "\\begin{aligned}"),
])
def test_the_output_extension_chooses_the_format(command, name, starts, tmp_path):
    r = cli(*command, "-o", name, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / name).read_text(encoding="utf-8").lstrip().startswith(starts)


@pytest.mark.parametrize("command, name", [
    (["latex", BOOK], "net.py"), (["numpy", BOOK], "net.tex"), (["algebra", BOOK], "x.svg"),
    (["diagram", BOOK, "--sizes", "3,4,1"], "net.html"),
    (["backward", BOOK, "--to", "algebra"], "step.tex"),
])
def test_an_output_extension_of_another_format_is_refused(command, name, tmp_path):
    r = cli(*command, "-o", name, cwd=tmp_path)
    assert r.returncode == 2 and "does not print" in r.stderr or "another view" in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_backward_latex_document_compiles_to_a_document_and_reads_back(tmp_path):
    r = cli("backward", BOOK, "--to", "latex", "--document", "-o", "step.tex", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    tex = (tmp_path / "step.tex").read_text(encoding="utf-8")
    assert tex.startswith("\\documentclass{article}") and tex.rstrip().endswith("\\end{document}")
    back = cli("algebra", "-f", "step.tex", cwd=tmp_path)
    assert back.returncode == 0, back.stderr
    assert back.stdout == parse(BOOK).backward().algebra() + "\n"
    wrong = cli("backward", BOOK, "--to", "numpy", "--document")
    assert wrong.returncode == 2 and "with --to latex" in wrong.stderr


def test_usage_errors_show_the_subcommands_usage():
    r = cli("backward", BOOK, "--no-such-option")
    assert r.returncode == 2 and "usage: notation backward" in r.stderr
    r = cli("show", BOOK, "--sizes", "3,,1")
    assert r.returncode == 2 and r.stderr.startswith("notation show: error: ")
    assert "usage: notation show" in r.stderr


def test_every_subcommand_has_a_description_an_example_and_its_choices():
    from notation.cli import NUMPY_STYLES, build_parser
    from notation.emit.numpy import style_names
    assert sorted(NUMPY_STYLES) == sorted(style_names())
    commands = build_parser()._subparsers._group_actions[0].choices
    for name in commands:
        r = cli(name, "--help")
        assert r.returncode == 0, name
        head = r.stdout.split("\n\n")[1]
        assert len(head) > 30, (name, head)               # a description under the usage
        example = r.stdout.split("example:\n")[1]
        assert f"notation {name} " in example, name
    assert "{book,matmul,plan}" in cli("numpy", "--help").stdout


def test_errors_are_coloured_only_where_colour_is_wanted():
    bad = "l2 = relu(l0W0"
    forced = cli("check", bad, env={"NO_COLOR": None, "FORCE_COLOR": "1"})
    assert forced.stderr.startswith("\x1b[1;31merror:")
    assert "\x1b[1;31m^\x1b[0m" in forced.stderr
    for env in ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, {"NO_COLOR": None}):
        plain = cli("check", bad, env=env)                # NO_COLOR wins; a pipe is plain
        assert "\x1b[" not in plain.stderr and plain.stderr.startswith("error: ")


def test_errors_are_coloured_on_a_terminal_unless_term_is_dumb():
    import pty
    for term, coloured in (("xterm", True), ("dumb", False)):
        leader, follower = pty.openpty()
        env = dict(os.environ, TERM=term)
        env.pop("NO_COLOR", None)
        env.pop("FORCE_COLOR", None)
        p = subprocess.run([notation_cmd(), "check", "l2 = relu(l0W0"], stderr=follower,
                           stdout=subprocess.DEVNULL, env=env, timeout=60)
        os.close(follower)
        out = os.read(leader, 65536).decode()
        os.close(leader)
        assert p.returncode == 1
        assert ("\x1b[" in out) is coloured, term


@pytest.mark.parametrize("width", [60, 140])
def test_show_fits_the_width_it_is_given(width):
    long = "l1 = relu(l0W0 + b0) ⊙ M1; l2 = softmax(l1W1 + b1); " \
           "l3 = l2W2 + l2W3 + l2W4 + l2W5 + l2W6 + l2W7 + l2W8 + l2W9 + l2W10 + l2W11"
    sizes = ("--sizes", "784,40,10,10", "--batch", "b")
    for r in (cli("show", long, *sizes, "--width", str(width)),
              cli("show", long, *sizes, env={"COLUMNS": str(width)})):
        assert r.returncode == 0, r.stderr
        lines = r.stdout.splitlines()
        assert max(len(line) for line in lines) <= width
        assert max(len(line) for line in lines if line.startswith("──")) == width


def test_show_width_has_a_sane_minimum():
    assert cli("show", BOOK, "--width", "10").returncode == 2
    r = cli("show", BOOK, "--sizes", "3,4,1", env={"COLUMNS": "12"})
    assert r.returncode == 0 and max(len(x) for x in r.stdout.splitlines()) <= 40


def test_check_json_gives_each_error_as_an_object():
    r = cli("check", "--json", "l2 = relu(l0W0")
    assert r.returncode == 1
    [error] = json.loads(r.stdout)
    assert error == {"line": 1, "column": 10, "end": {"line": 1, "column": 11},
                     "kind": "error", "category": "syntax",
                     "message": "unclosed parenthesis", "hint": "add ')' to close it"}
    r = cli("check", "--json", BOOK + "\nW1 : 5×1", "--sizes", "3,4,1")
    [error] = json.loads(r.stdout)
    assert (error["line"], error["kind"], error["category"]) == (1, "error", "shape")
    ok = cli("check", "--json", BOOK, "--sizes", "3,4,1")
    assert (ok.returncode, json.loads(ok.stdout)) == (0, [])


# ---------------------------------------------------------------------------- LaTeX documents

DOCUMENT = r"""\documentclass{article}
\usepackage{amsmath}
\begin{document}
Our network, where $l_0$ is the input:  % a comment, with a $ in it
\begin{equation} l_{1} = \operatorname{relu}(l_{0} W_{0}) \label{eq:one} \end{equation}
which costs \$5; then
\begin{align} l_2 &= l_1 W_1 \\[2pt] \delta_2 &= l_2 - y \nonumber \end{align}
and inline $W_1 -= \alpha l_1^\top \delta_2$, or \(x = l_0\).
\[ \begin{aligned} a &= x W \end{aligned} \]
\end{document}
"""


def test_a_document_is_read_by_its_math_and_the_rest_ignored():
    assert from_latex(DOCUMENT).algebra() == (
        "l1 = relu(l0W0)\nl2 = l1W1\nδ2 = l2 - y\nW1 -= αl1ᵀδ2\nx = l0\na = xW")


def test_the_tools_own_document_reads_back_on_the_command_line(tmp_path):
    program = "l1 = relu(l0W0)\nl2 = l1W1"
    r = cli("latex", "--document", program, "-o", "net.tex", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    r = cli("algebra", "-f", "net.tex", cwd=tmp_path)
    assert (r.returncode, r.stdout) == (0, program + "\n")


def test_an_unclosed_environment_is_one_located_error_found_in_linear_time():
    text = "\\begin{document}" + "\\begin{equation}" * 8000
    t = time.perf_counter()
    with pytest.raises(NotationError) as caught:
        notation.compare("l1 = l0W0", text)
    assert time.perf_counter() - t < 2
    assert caught.value.message == "\\begin{equation} is never closed"
    assert caught.value.span.start == len("\\begin{document}")


# ---------------------------------------------------------------------------- the wide diagram

def _texts(svg_text):
    import xml.etree.ElementTree as ET
    from notation.emit.diagram import text_width
    root = ET.fromstring(svg_text)
    ns = "{http://www.w3.org/2000/svg}"
    boxes = []
    for t in root.iter(ns + "text"):
        size = float(t.get("font-size"))
        w = text_width(t.text, size)
        x = float(t.get("x")) - (w / 2 if t.get("text-anchor") == "middle" else 0)
        y = float(t.get("y"))
        boxes.append((x, y - size, x + w, y + size * 0.25))
    return root, ns, boxes


@pytest.mark.parametrize("program, sizes", [
    (BOOK, (3, 4, 1)),
    ("l1 = relu(l0W0); l2 = relu(l1W1); l3 = softmax(l2W2)", (784, 128, 64, 10))])
def test_the_diagram_elides_with_an_ellipsis_and_its_labels_fit_without_overlap(program, sizes):
    from notation.emit.diagram import svg
    from notation.side_by_side import views
    text = svg(views(parse(program), sizes=",".join(map(str, sizes))).picture())
    root, ns, boxes = _texts(text)
    circles = list(root.iter(ns + "circle"))
    assert all(c.get("fill") != "none" for c in circles)          # no hollow "unit"
    ellipses = [c for c in circles if c.get("class") == "ellipsis"]
    assert len(ellipses) == 3 * sum(n > 12 for n in sizes)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    width = float(root.get("width"))
    right = max(b[2] for b in boxes)
    assert right <= width <= right + 40                            # fitted to what it holds
