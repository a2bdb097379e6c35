"""No input makes parse() raise anything but NotationError, and errors point into the text.

A bounded run for the test suite; benchmarks/fuzz.py (robustness work) runs far longer.
"""

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notation import NotationError, parse

from .trees import programs
from .tools import examples

ALPHABET = (string.ascii_letters + string.digits + " \t\n;#%_{}()[]^'′.,:=+-−*/@·⋅⊙∘÷ᵀ⊤×∈ℝ\\&$~!"
            + "αβγδεσλΔΣ\x00\u200b")
TOKENS = ["relu", "sigmoid", "softmax", "tanh", "\\left(", "\\right)", "\\operatorname{relu}",
          "\\mathrm{", "\\frac", "\\cdot", "\\odot", "\\top", "\\alpha", "\\delta", "\\in",
          "\\mathbb{R}", "^{", "^T", "_{", "l0", "W0", "l1", "W1", "δ2", "scalar", "x", "R^",
          "\\begin{aligned}", "\\\\", "&=", "-=", "+=", "\\mathrel{-}=", "1e-3", "9" * 50]


def _check(text):
    try:
        program = parse(text)
    except NotationError as e:
        assert e.span is not None
        assert 0 <= e.span.start <= e.span.end <= len(text)
        rendered = str(e)
        assert rendered.startswith("error: ")
        return
    # Whatever parses prints, and what prints parses back to the same tree.
    assert parse(program.algebra()) == program
    assert parse(program.algebra(ascii=True)) == program


@settings(max_examples=examples(600), deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_random_text(text):
    _check(text)


@settings(max_examples=examples(600), deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(TOKENS + list("()+-*/ᵀ' ;\n=:")), max_size=25))
def test_random_token_soup(parts):
    _check("".join(parts))


@settings(max_examples=examples(300), deadline=None, suppress_health_check=list(HealthCheck))
@given(programs, st.data())
def test_mutated_valid_programs(program, data):
    text = program.algebra()
    kind = data.draw(st.sampled_from(["delete", "insert", "swap", "duplicate"]))
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(0, len(text)))
    if kind == "delete":
        text = text[:i] + text[i + 1:]
    elif kind == "insert":
        text = text[:i] + data.draw(st.sampled_from(TOKENS + list(ALPHABET))) + text[i:]
    elif kind == "swap" and i < len(text) and j < len(text):
        chars = list(text)
        chars[i], chars[j] = chars[j], chars[i]
        text = "".join(chars)
    else:
        text = text[:i] + text[min(i, j):max(i, j)] + text[i:]
    _check(text)
