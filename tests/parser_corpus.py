"""Programs generated from the grammar's spellings, for comparing our parser with Lark's.

``programs(n, seed)`` writes n programs as a person might: every spelling of every
terminal (Unicode, ASCII, LaTeX), spacing, comments, LaTeX furniture, declarations and
separators. About one in five is then damaged (a character dropped, doubled, or a
spelling inserted), so that both parsers must also fail at the same place.
"""

from __future__ import annotations

import random

NAMES = ["l0", "l_1", "l_{2}", "l_{ 12 }", "W0", "W_{1}", "W_out", "W_{out}", "x", "y", "b1",
         "δ2", "δ_{out}", "\\delta_2", "\\delta1", "α", "\\alpha", "\\lambda", "M", "n_in",
         "X", "ϕ", "\\varphi", "Σ"]
NUMBERS = ["2", "0.5", "1e-3", "2.50e+3", "007", "1E-3", "3"]
FUNCS = ["relu", "sigmoid", "tanh", "softmax", "exp", "log", "σ", "\\sigma", "\\tanh",
         "\\exp", "ReLU", "\\operatorname{relu}", "\\mathrm{tanh}", "\\text{sigmoid}",
         "\\operatorname*{softmax}", "leaky_relu", "softplus", "gelu", "no_such_fn"]
PRIMES = ["'", "′", "^\\prime", "^{\\prime}"]
OPENS = [("(", ")"), ("\\left(", "\\right)"), ("\\bigl(", "\\bigr)"), ("\\Bigl (", "\\Bigr )")]
TRANSPOSES = ["ᵀ", ".T", "^T", "^⊤", "^\\top", "^{T}", "^{\\top}", "^\\intercal",
              "^{\\mathsf{T}}", "^\\mathrm{T}"]
PRODUCTS = ["", " ", "@", " @ ", "·", "⋅", " \\cdot "]
HADAMARDS = [" ⊙ ", "*", " ∘ ", " \\odot ", " \\circ "]
DIVIDES = [" / ", "÷", " \\div "]
PLUS = [" + ", "+"]
MINUS = [" - ", "-", " − "]
ASSIGNS = [" = ", "=", " &= ", " & = "]
UPDATES = [" -= ", " += ", " −= ", " \\mathrel{-}= ", " \\mathrel{+=} ", " &-= "]
DECLARES = [" : ", ":", " ∈ ", " \\in "]
SEPARATORS = ["\n", "; ", ";", "\r\n", " \\\\\n", "\n\n"]
NOISE = ["", "", "", " ", "  ", "\t", " # a comment", " % note", " \\,", " \\quad ", " ~ "]
WORDS = ["layer", "relu", "ab", "scalar", "foo"]


class _Writer:
    def __init__(self, rng: random.Random):
        self.r = rng

    def pick(self, options):
        return self.r.choice(options)

    def expr(self, depth: int) -> str:
        r = self.r
        if depth <= 0 or r.random() < 0.25:
            return self.pick(NAMES) if r.random() < 0.8 else self.pick(NUMBERS)
        kind = r.randrange(10)
        sub = lambda: self.expr(depth - 1)  # noqa: E731
        if kind == 0:
            return sub() + self.pick(PLUS + MINUS) + sub()
        if kind == 1:
            return sub() + self.pick(HADAMARDS + DIVIDES) + sub()
        if kind == 2:
            # a name after a product needs a space or an operator, else `ab` is a word
            return sub() + self.pick(PRODUCTS[1:]) + sub()
        if kind == 3:
            return self.pick(MINUS).strip() + sub()
        if kind == 4:
            return sub() + self.pick(TRANSPOSES)
        if kind == 5:
            left, right = self.pick(OPENS + [("{", "}")])
            return left + sub() + right
        if kind in (6, 7):
            left, right = self.pick(OPENS)
            prime = self.pick(PRIMES) if r.random() < 0.2 else ""
            return self.pick(FUNCS) + prime + left + sub() + right
        if kind == 8:
            return f"\\frac{{{sub()}}}{{{sub()}}}"
        return sub() + self.pick(PRODUCTS[1:]) + "(" + sub() + ")"

    def shape(self) -> str:
        dim = lambda: self.pick(["1", "3", "784", "b", "n_in", "n"])  # noqa: E731
        sep = lambda: self.pick(["×", "x", " x ", ", ", " \\times "])  # noqa: E731
        two = dim() + sep() + dim()
        return self.pick([two, f"({two})", dim(), "scalar", "ℝ", "R^3", f"ℝ^{{{two}}}",
                          f"\\mathbb{{R}}^{{{two}}}", f"\\R^({two})", f"R^{dim()}",
                          dim() + sep() + dim() + sep() + dim()])

    def statement(self) -> str:
        r = self.r
        kind = r.randrange(8)
        target = self.pick(NAMES)
        if kind < 4:
            return target + self.pick(ASSIGNS) + self.expr(r.randrange(1, 5))
        if kind == 4:
            return target + self.pick(UPDATES) + self.expr(r.randrange(1, 4))
        if kind == 5:
            return target + self.pick(DECLARES) + self.shape()
        return self.expr(r.randrange(0, 4))

    def program(self) -> str:
        r = self.r
        parts = []
        if r.random() < 0.1:
            parts.append(self.pick(["$", "$$", "\\[", "\\begin{aligned}"]) + " ")
        for i in range(r.randrange(1, 4)):
            if i:
                parts.append(self.pick(SEPARATORS))
            parts.append(self.statement() + self.pick(NOISE))
        if r.random() < 0.1:
            parts.append(self.pick(["\n", ";", "\n\n"]))
        return "".join(parts)

    def damage(self, text: str) -> str:
        r = self.r
        at = r.randrange(len(text) + 1)
        how = r.randrange(3)
        if how == 0 and text:
            return text[:at] + text[at + 1:]
        if how == 1 and at < len(text):
            return text[:at] + text[at] + text[at:]
        insert = self.pick(PLUS + MINUS + TRANSPOSES + WORDS + ["(", ")", "{", "}", "=",
                                                               ":", "×", ",", "^", "'"])
        return text[:at] + insert + text[at:]


def programs(count: int, seed: int = 7) -> list[str]:
    """``count`` programs, the same ones for the same seed.

    >>> len(programs(3)), programs(3) == programs(3)
    (3, True)
    """
    writer = _Writer(random.Random(seed))
    out = []
    for _ in range(count):
        text = writer.program()
        if writer.r.random() < 0.2:
            text = writer.damage(text)
        out.append(text)
    return out
