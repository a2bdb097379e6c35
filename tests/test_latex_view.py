"""The LaTeX view (SPEC §4): exact text, round trips through the grammar, real pdflatex."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from notation import NotationError, NotationTranslationError, parse
from notation.emit.latex import latex
from notation.nodes import Assign, Call, Name, Number, Program
from notation.read.latex import from_latex

from . import golden_files
from .tools import examples, require_tool
from .trees import expressions, programs

# ---------------------------------------------------------------------------- SPEC §8 and §4

def test_spec_forward():
    assert parse("l2 = relu(l0W0)W1").latex() == \
        r"l_{2} = \operatorname{relu}(l_{0} W_{0}) W_{1}"


CASES = [
    ("δ1 = δ2W1ᵀ ⊙ relu'(l1)",
     r"\delta_{1} = \delta_{2} W_{1}^{\top} \odot \operatorname{relu}'(l_{1})"),
    ("W1 -= αl1ᵀδ2", r"W_{1} \leftarrow W_{1} - \alpha\, l_{1}^{\top} \delta_{2}"),
    ("W0 += αl0ᵀδ1", r"W_{0} \leftarrow W_{0} + \alpha\, l_{0}^{\top} \delta_{1}"),
    ("W0 ∈ ℝ^{3×4}", r"W_{0} \in \mathbb{R}^{3 \times 4}"),
    ("l0 : b×784", r"l_{0} \in \mathbb{R}^{b \times 784}"),
    ("l0 : n_{in}×h", r"l_{0} \in \mathbb{R}^{n_{in} \times h}"),
    ("α : scalar", r"\alpha \in \mathbb{R}"),
    ("y = σ(x) + tanh(x) + softmax(x)",
     r"y = \sigma(x) + \tanh(x) + \operatorname{softmax}(x)"),
    ("y = σ'(x) ⊙ tanh'(x)", r"y = \sigma'(x) \odot \tanh'(x)"),
    ("y = exp(x) - log(x)", r"y = \exp(x) - \log(x)"),
    ("b1 -= αbatchsum(δ2)", r"b_{1} \leftarrow b_{1} - \alpha\, \operatorname{batchsum}(\delta_{2})"),
    ("y = a / c", r"y = \frac{a}{c}"),
    ("l1 = 1 / (1 + exp(-l0W0))", r"l_{1} = \frac{1}{1 + \exp(-l_{0} W_{0})}"),
    ("y = (a / c)W", r"y = \frac{a}{c} W"),
    ("y = (a / c)ᵀ", r"y = \left(\frac{a}{c}\right)^{\top}"),
    ("y = a / c / d", r"y = \frac{\frac{a}{c}}{d}"),
    ("y = a / (c / d)", r"y = \frac{a}{\frac{c}{d}}"),
    ("y = xᵀᵀ", r"y = x^{\top}\,^{\top}"),
    ("y = xᵀᵀᵀ", r"y = x^{\top}\,^{\top}\,^{\top}"),
    ("y = (xᵀᵀ)ᵀ", r"y = x^{\top}\,^{\top}\,^{\top}"),
    ("y = W_{1}ᵀᵀδ", r"y = W_{1}^{\top}\,^{\top} \delta"),
    ("y = (xW)ᵀ", r"y = (x W)^{\top}"),
    ("y = x(WV)", r"y = x (W V)"),
    ("y = -xW", r"y = -x W"),
    ("y = (-x)W", r"y = (-x) W"),
    ("y = a - (c - d)", r"y = a - (c - d)"),
    ("y = (a + c) ⊙ d", r"y = (a + c) \odot d"),
    ("y = --x", r"y = --x"),
    # where a plain space would read otherwise
    ("y = x 2", r"y = x \cdot 2"),
    ("y = 2 3", r"y = 2 \cdot 3"),
    ("y = 2x", r"y = 2 x"),
    ("y = σ·(a + c)", r"y = \sigma \cdot (a + c)"),
    ("y = σ_{1}(a + c)", r"y = \sigma_{1} (a + c)"),
    ("y = 0.5x + 1e-3", r"y = 0.5 x + 1e-3"),
    # names
    ("y = W_{out}Δ + λ12", r"y = W_{out} \Delta + \lambda_{12}"),
    ("l12 = xΩ", r"l_{12} = x \Omega"),
    ("relu(l0W0)W1", r"\operatorname{relu}(l_{0} W_{0}) W_{1}"),
]


@pytest.mark.parametrize("algebra, expected", CASES)
def test_latex_spelling(algebra, expected):
    program = parse(algebra)
    assert program.latex() == expected
    assert parse(expected) == program


def test_several_statements_are_an_aligned_block():
    program = parse("W0 : 3×4\nl1 = relu(l0W0)\nW1 -= αl1ᵀδ2\nrelu(l1)")
    assert program.latex() == "\n".join([
        r"\begin{aligned}",
        r"W_{0} &\in \mathbb{R}^{3 \times 4} \\",
        r"l_{1} &= \operatorname{relu}(l_{0} W_{0}) \\",
        r"W_{1} &\leftarrow W_{1} - \alpha\, l_{1}^{\top} \delta_{2} \\",
        r"& \operatorname{relu}(l_{1})",
        r"\end{aligned}"])
    assert parse(program.latex()) == program


def test_document():
    assert parse("l1 = relu(l0W0); l2 = l1W1").latex(document=True) == "\n".join([
        r"\documentclass{article}",
        r"\usepackage{amsmath}",
        r"\usepackage{amssymb}",
        r"\begin{document}",
        r"\[",
        r"\begin{aligned}",
        r"l_{1} &= \operatorname{relu}(l_{0} W_{0}) \\",
        r"l_{2} &= l_{1} W_{1}",
        r"\end{aligned}",
        r"\]",
        r"\end{document}",
        ""])


def test_repr_latex_for_jupyter():
    assert parse("l2 = relu(l0W0)W1")._repr_latex_() == \
        r"$$l_{2} = \operatorname{relu}(l_{0} W_{0}) W_{1}$$"


@pytest.mark.slow
def test_long_chains_print_without_recursion():
    n = 20000
    program = parse("y = " + "x " * n + "+ z" + "ᵀ" * n)
    text = program.latex()
    assert text.startswith("y = x x x") and text.count(r"^{\top}") == n
    # (trees this deep are compared through their algebra: dataclass equality recurses)
    assert parse(text).algebra() == program.algebra()


def test_what_cannot_be_written_is_an_error():
    bad = [Program((Assign(Name("y"), Name("x y")),)),
           Program((Assign(Name("y"), Name("x", "1}")),)),
           Program((Assign(Name("y"), Number("\\input{x}")),)),
           Program((Assign(Name("y"), Call("nope", Name("x"))),))]
    for program in bad:
        with pytest.raises(NotationTranslationError):
            program.latex()


# ---------------------------------------------------------------------------- reading LaTeX

def test_reading_a_document_takes_its_display_math():
    text = "\n".join([
        r"\documentclass{article}",
        r"\usepackage{amsmath}",
        r"\begin{document}",
        r"The network has $n$ layers; inline math is prose and is not read.",
        r"\begin{align*}",
        r"l_{1} &= \operatorname{relu}\left(l_{0} W_{0}\right) \\",
        r"l_{2} &= l_{1} W_{1}",
        r"\end{align*}",
        r"and the delta is",
        r"\begin{equation}\label{eq:delta}",
        r"\delta_{1} = \delta_{2} W_{1}^{T} \odot \mathrm{relu}'(l_{1})",
        r"\end{equation}",
        r"$$W_{1} \mathrel{-}= \alpha l_{1}^{\top} \delta_{2}$$ \[ x \in \mathbb{R}^{1 \times 3} \]",
        r"\end{document}"])
    assert from_latex(text).algebra() == "\n".join([
        "l1 = relu(l0W0)", "l2 = l1W1", "δ1 = δ2W1ᵀ ⊙ relu'(l1)", "W1 -= αl1ᵀδ2", "x : 1×3"])


def test_errors_in_a_document_point_into_the_file():
    text = "\\documentclass{article}\n\\begin{document}\nText.\n\\[ l_{1} = \\operatorname{relu}\\left(l_{0} W_{0} \\]\n\\end{document}\n"
    with pytest.raises(NotationError) as caught:
        from_latex(text)
    assert caught.value.line == 4
    assert str(caught.value).splitlines()[3] == \
        r" 4 | \[ l_{1} = \operatorname{relu}\left(l_{0} W_{0} \]"


def test_a_document_without_display_math():
    with pytest.raises(NotationError) as caught:
        from_latex("\\documentclass{article}\\begin{document}Only $x$ here.\\end{document}")
    # $x$ only names something: inline math is read when it states a formula (issue 17).
    assert caught.value.message == "the document has no formula to read"


def test_a_formula_is_read_as_it_is():
    assert from_latex(r"$l_{2} = \operatorname{relu}\left(l_{0} W_{0}\right) W_{1}$") == \
        parse("l2 = relu(l0W0)W1")


@settings(max_examples=examples(200), deadline=None, suppress_health_check=list(HealthCheck))
@given(programs)
def test_latex_round_trip(program):
    text = program.latex()
    assert parse(text) == program, text
    assert from_latex(program.latex(document=True)) == program


@settings(max_examples=examples(200), deadline=None)
@given(expressions)
def test_latex_is_a_fixed_point(expr):
    text = latex(expr)
    assert latex(parse(text)) == text


# ---------------------------------------------------------------------------- real pdflatex

def pdflatex(text: str) -> None:
    """Compile ``text`` with pdflatex (no shell escape); fail with its log if it does not."""
    exe = require_tool("pdflatex")
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "doc.tex").write_text(text, encoding="utf-8")
        r = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape",
                            "doc.tex"], cwd=folder, capture_output=True, text=True, timeout=120,
                           errors="replace")
        log = Path(folder, "doc.log")
        assert r.returncode == 0, (log.read_text(errors="replace") if log.exists() else r.stdout)[-3000:]
        assert Path(folder, "doc.pdf").stat().st_size > 0


CASES_GOLDEN = golden_files.cases()


@pytest.mark.parametrize("case", CASES_GOLDEN)
def test_golden_latex(case):
    # in the default run: a change of the LaTeX view shows here, not only under --slow
    program = golden_files.program(case)
    text = program.latex()
    golden_files.check(case, "latex.tex", text)
    assert parse(text) == program


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES_GOLDEN)
def test_golden_latex_compiles(case):
    pdflatex(golden_files.program(case).latex(document=True))


@pytest.mark.slow
def test_the_tricky_spellings_compile():
    pdflatex(parse("\n".join(algebra for algebra, _ in CASES)).latex(document=True))


@pytest.mark.slow
@settings(max_examples=examples(25), deadline=None, suppress_health_check=list(HealthCheck))
@given(programs)
def test_generated_programs_compile(program):
    pdflatex(program.latex(document=True))


# ---------------------------------------------------------------------------- the command

def run_cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "notation", *args], input=stdin,
                          capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, NO_COLOR="1"))


def test_cli_latex():
    r = run_cli("latex", "l2 = relu(l0W0)W1")
    assert (r.returncode, r.stdout, r.stderr) == (
        0, "l_{2} = \\operatorname{relu}(l_{0} W_{0}) W_{1}\n", "")


@pytest.mark.slow
def test_cli_latex_document_to_a_file_that_compiles(tmp_path):
    out = tmp_path / "net.tex"
    r = run_cli("latex", "--document", "-o", str(out), stdin="l1 = relu(l0W0)\nl2 = l1W1\n")
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    assert out.read_text(encoding="utf-8") == parse("l1 = relu(l0W0); l2 = l1W1").latex(document=True)
    pdflatex(out.read_text(encoding="utf-8"))


def test_cli_latex_bad_input_leaves_no_file(tmp_path):
    out = tmp_path / "net.tex"
    r = run_cli("latex", "-o", str(out), "l2 = relu(l0W0")
    assert r.returncode == 1 and r.stderr.startswith("error: unclosed parenthesis")
    assert not out.exists()
