"""The Greek letters the notation knows: Unicode, LaTeX command, English name.

One table serves the grammar (which spells the LaTeX commands out; a test checks that the
two agree), the LaTeX view (``\\alpha``), the NumPy naming schemes (``alpha``) and the
ASCII algebra (``\\alpha``, since ``alpha`` alone would read as a word).
"""

# (unicode, latex command without the backslash, English name)
GREEK = (
    ("α", "alpha", "alpha"),
    ("β", "beta", "beta"),
    ("γ", "gamma", "gamma"),
    ("δ", "delta", "delta"),
    ("ε", "epsilon", "epsilon"),
    ("ζ", "zeta", "zeta"),
    ("η", "eta", "eta"),
    ("θ", "theta", "theta"),
    ("ι", "iota", "iota"),
    ("κ", "kappa", "kappa"),
    ("λ", "lambda", "lambda_"),  # `lambda` is a Python keyword
    ("μ", "mu", "mu"),
    ("ν", "nu", "nu"),
    ("ξ", "xi", "xi"),
    ("π", "pi", "pi"),
    ("ρ", "rho", "rho"),
    ("σ", "sigma", "sigma"),
    ("τ", "tau", "tau"),
    ("υ", "upsilon", "upsilon"),
    ("φ", "phi", "phi"),
    ("χ", "chi", "chi"),
    ("ψ", "psi", "psi"),
    ("ω", "omega", "omega"),
    ("Γ", "Gamma", "Gamma"),
    ("Δ", "Delta", "Delta"),
    ("Θ", "Theta", "Theta"),
    ("Λ", "Lambda", "Lambda"),
    ("Ξ", "Xi", "Xi"),
    ("Π", "Pi", "Pi"),
    ("Σ", "Sigma", "Sigma"),
    ("Υ", "Upsilon", "Upsilon"),
    ("Φ", "Phi", "Phi"),
    ("Ψ", "Psi", "Psi"),
    ("Ω", "Omega", "Omega"),
)

# Other spellings that mean the same letter.
VARIANTS = {
    "ϵ": "ε",
    "ϕ": "φ",
    "varepsilon": "ε",
    "varphi": "φ",
}

LATEX_BY_UNICODE = {u: cmd for u, cmd, _ in GREEK}
ENGLISH_BY_UNICODE = {u: en for u, _, en in GREEK}
UNICODE_BY_LATEX = {cmd: u for u, cmd, _ in GREEK}
UNICODE_BY_LATEX.update({k: v for k, v in VARIANTS.items() if k.isascii()})
UNICODE_BY_ENGLISH = {en: u for u, _, en in GREEK}


def canonical_letter(text: str) -> str:
    """The one spelling of a letter in the tree: Latin as is, Greek as Unicode.

    >>> canonical_letter("\\\\delta"), canonical_letter("ϵ"), canonical_letter("W")
    ('δ', 'ε', 'W')
    """
    if text.startswith("\\"):
        return UNICODE_BY_LATEX[text[1:]]
    return VARIANTS.get(text, text)


def is_greek(letter: str) -> bool:
    return letter in LATEX_BY_UNICODE
