"""Hypothesis strategies that generate trees of the notation (for round-trip properties)."""

from hypothesis import strategies as st

from notation.functions import FUNCTIONS
from notation.greek import GREEK
from notation.naming import MARK_BY_WORD
from notation.nodes import (Add, Assign, Call, Declare, Divide, ExprStatement, Hadamard, MatMul,
                            Name, Negate, Number, Program, Subtract, Transpose, Update)

LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
GREEK_LETTERS = "".join(u for u, _, _ in GREEK)

subscripts = st.one_of(
    st.just(""),
    st.integers(0, 120).map(str),
    # the words of a decoration are no subscript: y_{hat} is ŷ (docs/language.md)
    st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=3).filter(
        lambda s: s not in MARK_BY_WORD),
    st.from_regex(r"[a-z]{1,2}[0-9]{1,2}", fullmatch=True),
)

names = st.builds(Name, st.sampled_from(LATIN + GREEK_LETTERS), subscripts)

numbers = st.one_of(
    st.integers(0, 10**6).map(str),
    st.builds(lambda a, b: f"{a}.{b}", st.integers(0, 99), st.from_regex(r"[0-9]{1,3}", fullmatch=True)),
    st.builds(lambda a, e: f"{a}e{e}", st.integers(1, 9), st.integers(-12, 12)),
).map(Number)

functions_with_derivative = [f.name for f in FUNCTIONS.values() if f.derivative]
BUILTIN_FUNCTIONS = ["relu", "sigmoid", "tanh", "softmax", "exp", "log"]


def _calls(inner):
    plain = st.builds(Call, st.sampled_from(BUILTIN_FUNCTIONS), inner, st.just(False))
    derived = st.builds(Call, st.sampled_from(["relu", "sigmoid", "tanh"]), inner, st.just(True))
    return st.one_of(plain, derived)


def _extend(inner):
    binary = st.sampled_from([MatMul, Hadamard, Divide, Add, Subtract])
    return st.one_of(
        st.builds(lambda op, a, b: op(a, b), binary, inner, inner),
        st.builds(Transpose, inner),
        st.builds(Negate, inner),
        _calls(inner),
    )


expressions = st.recursive(st.one_of(names, numbers), _extend, max_leaves=12)

dims = st.lists(st.one_of(st.integers(1, 5000), st.builds(Name, st.sampled_from("bhnmk"), subscripts)),
                min_size=0, max_size=2).map(tuple)

statements = st.one_of(
    st.builds(Assign, names, expressions),
    st.builds(Update, names, st.sampled_from(["-=", "+="]), expressions),
    st.builds(Declare, names, dims),
    st.builds(ExprStatement, expressions),
)

programs = st.lists(statements, min_size=1, max_size=4).map(lambda s: Program(tuple(s)))
