"""Hypothesis strategies for the views: trees whose code can run, and a filter for idioms.

``tests/trees.py`` generates any tree (for round trips). Here, ``square_programs`` generates
programs that are computable when every array is n × n and every Greek letter a scalar, so
that emitted code can be run and checked against notation.evaluate on random values.
"""

from hypothesis import strategies as st

from notation.nodes import (Add, Assign, Call, Divide, ExprStatement, Hadamard, MatMul, Name,
                            Negate, Number, Program, Subtract, Transpose, Update)

ARRAY_LETTERS = "acdlxyzAMVW"      # no b: a bias is a row, 1 × n
SCALAR_LETTERS = "αβγηλμ"
SMOOTH = ["sigmoid", "tanh", "relu"]     # continuous: rounding cannot flip them

subscripts = st.sampled_from(["", "0", "1", "2", "12", "in", "out"])
array_names = st.builds(Name, st.sampled_from(ARRAY_LETTERS), subscripts) | \
    st.builds(Name, st.just("δ"), st.sampled_from(["1", "2", "out"]))
scalar_names = st.builds(Name, st.sampled_from(SCALAR_LETTERS), subscripts)
scalar_numbers = st.sampled_from(["2", "0.5", "3", "1e-3", "0.25"]).map(Number)
# Divisors keep values moderate: the book's softmax, exp(x) / sum(exp(x)), overflows past
# x ≈ 709 where the evaluator's shifted softmax does not (docs/views.md).
divisors = st.sampled_from(["2", "4", "0.5"]).map(Number)


def _scalar_extend(inner):
    return st.one_of(
        st.builds(MatMul, inner, inner),
        st.builds(Hadamard, inner, inner),
        st.builds(Add, inner, inner),
        st.builds(Subtract, inner, inner),
        st.builds(Negate, inner),
        st.builds(Transpose, inner),
        st.builds(Divide, inner, divisors),
        st.builds(Call, st.sampled_from(SMOOTH), inner, st.just(False)),
    )


scalars = st.recursive(scalar_names | scalar_numbers, _scalar_extend, max_leaves=4)


def _array_extend(inner):
    return st.one_of(
        st.builds(MatMul, inner, inner),                  # n×n · n×n
        st.builds(MatMul, scalars, inner),                # scaling, scalar first
        st.builds(MatMul, inner, scalars),                # scaling, scalar last
        st.builds(Hadamard, inner, inner),
        st.builds(Hadamard, inner, scalars),
        st.builds(Hadamard, scalars, inner),
        st.builds(Add, inner, inner),
        st.builds(Subtract, inner, inner),
        st.builds(Add, inner, scalars),
        st.builds(Divide, inner, divisors),
        st.builds(Negate, inner),
        st.builds(Transpose, inner),
        st.builds(Call, st.sampled_from(SMOOTH + ["softmax"]), inner, st.just(False)),
        # derivatives of the book are applied to outputs: to names, as in relu'(l1)
        st.builds(Call, st.sampled_from(["sigmoid", "tanh"]), array_names, st.just(True)),
        # relu2deriv is the book's `output > 0`, a boolean mask: the book only multiplies by
        # it, and only that use computes numbers (see test_relu_derivative_is_a_mask).
        st.builds(Hadamard, inner, st.builds(Call, st.just("relu"), array_names, st.just(True))),
    )


arrays = st.recursive(array_names, _array_extend, max_leaves=10)

square_statements = st.one_of(
    st.builds(Assign, array_names, arrays),
    st.builds(Update, array_names, st.sampled_from(["-=", "+="]), arrays),
    st.builds(Assign, scalar_names, scalars),
    st.builds(ExprStatement, arrays),
)

square_programs = st.lists(square_statements, min_size=1, max_size=4).map(
    lambda s: Program(tuple(s)))


def is_sigmoid_formula(node) -> bool:
    """``1 / (1 + exp(-x))``: the NumPy reader takes this idiom for sigmoid(x) (SPEC §5)."""
    return (isinstance(node, Divide) and _is_one(node.left) and isinstance(node.right, Add)
            and _is_one(node.right.left) and isinstance(node.right.right, Call)
            and node.right.right.func == "exp" and not node.right.right.derivative
            and isinstance(node.right.right.arg, Negate))


def _is_one(node) -> bool:
    return isinstance(node, Number) and float(node.text) == 1.0


def contains_idiom(program: Program) -> bool:
    from notation.emit.numpy import statement_value, walk
    for s in program.statements:
        value = statement_value(s)
        if value is not None and any(is_sigmoid_formula(n) for n in walk(value)):
            return True
    return False
